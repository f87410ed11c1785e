package com.clientele.payments;

import com.clientele.shared.Money;
import java.time.Instant;

/**
 * The processor's notification about a dispute, as {@link PaymentGateway#disputeNotice} reads it from the processor's
 * message: which notification ({@code notificationId}: a redelivery has the same), about which of the merchant's
 * ({@code account}: the tenant) charges ({@code chargeReference}, and the payment id the charge was made under), and
 * the dispute as it is now.
 */
public record DisputeNotice(String notificationId, String account, String processorDisputeId, String chargeReference,
                            String paymentId, Money amount, DisputeReason reason, DisputeStatus status, Instant evidenceDueBy,
                            Instant occurredAt) {

    /** A message that is not a dispute notification this version understands: its consumer parks it in the DLQ. */
    public static final class Unreadable extends RuntimeException {
        public Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}
