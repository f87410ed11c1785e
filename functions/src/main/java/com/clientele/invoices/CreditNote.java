package com.clientele.invoices;

import com.clientele.shared.Money;
import java.time.Instant;

/**
 * A credit note on a finalised invoice: {@code amount} taken off what an open invoice still asks, or
 * refunded of a paid invoice's payment ({@code paymentId}, {@code refundId}).
 */
public record CreditNote(String id, Money amount, String reason, String paymentId, String refundId, Instant createdAt) {

    boolean refunded() {
        return refundId != null;
    }
}
