package com.clientele.payments;

import com.clientele.shared.Money;
import java.time.Instant;
import java.util.List;

/**
 * A cardholder's dispute of a payment, as the processor reported it ({@code processorDisputeId}) and as the merchant
 * answered it ({@code evidence}). One per payment, as processors have it. {@code heldAt}: when the disputed amount was
 * taken from the merchant (the chargeback; null while it is a warning), {@code closedAt}: when it became final.
 * {@code customerId} is null for a guest's payment.
 */
public record Dispute(String id, String paymentId, String customerId, Money amount, DisputeReason reason, DisputeStatus status,
                      Instant evidenceDueBy, Evidence evidence, String processorDisputeId, Instant heldAt, Instant closedAt,
                      Instant createdAt, Instant updatedAt, long version) {

    /**
     * What the merchant answers: texts (personal data: an erasure replaces them) and references to files the merchant
     * keeps (receipts, tracking pages), when it was submitted.
     */
    public record Evidence(String productDescription, String customerCommunication, String shippingTrackingNumber,
                           String refundPolicy, String uncategorizedText, List<String> files, Instant submittedAt) {
    }

    /** Whether evidence or an acceptance may still be given at {@code now}: not final and the due date not passed. */
    boolean answerableAt(Instant now) {
        return status.awaitsResponse() && (evidenceDueBy == null || !now.isAfter(evidenceDueBy));
    }

    /** The dispute moved to {@code next} at {@code at} (the processor's notice, the merchant's answer). */
    Dispute moved(DisputeStatus next, Instant at) {
        Instant held = heldAt == null && next.holdsFunds() ? at : heldAt;
        return new Dispute(id, paymentId, customerId, amount, reason, next, evidenceDueBy, evidence, processorDisputeId, held,
                next.closed() ? at : closedAt, createdAt, at, version + 1);
    }

    Dispute withEvidence(Evidence given, Instant at) {
        return new Dispute(id, paymentId, customerId, amount, reason, status.reviewed(), evidenceDueBy, given, processorDisputeId,
                heldAt, closedAt, createdAt, at, version + 1);
    }

    /** The dispute as its payment shows it, and as the ledger counts it. */
    PaymentDispute summary() {
        return new PaymentDispute(id, status, amount, heldAt, closedAt);
    }
}
