package com.clientele.payments;

import com.clientele.shared.Money;
import java.time.Instant;

/**
 * A payment's dispute, as the payment shows it and its ledger counts it: from {@code heldAt} (the chargeback) the amount
 * is out of the customer's value; {@code closedAt} a won dispute brings it back, a lost one keeps it out for good.
 */
public record PaymentDispute(String id, DisputeStatus status, Money amount, Instant heldAt, Instant closedAt) {

    /** The amount the dispute keeps from the merchant now (none for a warning, or once won). */
    long held() {
        return heldAt != null && status.holdsFunds() ? amount.amount() : 0;
    }
}
