package com.clientele.campaigns;

import com.clientele.shared.Money;
import java.time.Instant;

/**
 * One use of a coupon by one payment, in the customer's partition: what it took off and the points it
 * gives, where, and its {@code status} — {@code held} while the charge is pending, then {@code redeemed}
 * or {@code released} (declined), {@code returned} after a whole refund — with when each happened.
 */
public record CouponRedemption(String code, String campaignId, String paymentId, Money discount, long points, String storeId,
                               String status, Instant heldAt, Instant redeemedAt, Instant releasedAt, Instant returnedAt) {
}
