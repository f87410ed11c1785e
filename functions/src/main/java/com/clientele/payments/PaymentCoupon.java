package com.clientele.payments;

import com.clientele.shared.Money;

/**
 * The coupon a payment used: its code and campaign, its type, what it took off ({@code discount}, in the
 * payment's currency; the payment's {@code amount} is what was charged after it, {@code amountBefore}
 * what was asked) and the points it gives with the charge's ({@code free_points}; 0 otherwise).
 */
public record PaymentCoupon(String code, String campaignId, String type, Money amountBefore, Money discount, long points) {

    /** What a succeeded charge's event says of it: its points, when it gives any (null otherwise). */
    public static com.clientele.shared.events.PaymentEvent.CouponPoints pointsOf(PaymentCoupon coupon) {
        return coupon == null || coupon.points() <= 0 ? null
                : new com.clientele.shared.events.PaymentEvent.CouponPoints(coupon.campaignId(), coupon.code(), coupon.points());
    }
}
