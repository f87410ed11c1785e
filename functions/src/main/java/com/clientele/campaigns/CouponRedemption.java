package com.clientele.campaigns;

import com.clientele.shared.Money;
import java.time.Instant;

/**
 * One use of a coupon by one payment or one invoice, in the customer's partition (a guest payment's in the
 * code's): what it took off and the points it gives, where, and its {@code status} — {@code held} while the
 * charge is pending, then {@code redeemed} or {@code released} (declined), {@code returned} after a whole
 * refund — with when each happened. An invoice's use is {@code redeemed} when the invoice is finalised and
 * {@code returned} when it is voided.
 */
public record CouponRedemption(String code, String campaignId, String paymentId, String invoiceId, Money discount, long points, String storeId,
                               String status, Instant heldAt, Instant redeemedAt, Instant releasedAt, Instant returnedAt) {

    /** The payment or the invoice that used it: the redemption's key. */
    String useId() {
        return paymentId != null ? paymentId : invoiceId;
    }
}
