package com.clientele.campaigns;

import com.clientele.campaigns.Campaign.CouponOffer;
import java.time.Instant;

/**
 * A coupon as one customer has it: given to them ({@code given}, at {@code givenAt}), or a shared code they
 * used; how many times they used it and the last use (payment and store, or invoice; when). {@code status}:
 * {@code used} once they have used it as often as the terms allow, else {@code expired} once its
 * {@code validUntil} has passed, else {@code available}.
 */
public record CustomerCoupon(String code, String campaignId, CouponOffer terms, boolean given, Instant givenAt, long uses,
                             Instant lastUsedAt, String lastPaymentId, String lastStoreId, String lastInvoiceId, String status) {

    public static final String AVAILABLE = "available";
    public static final String USED = "used";
    public static final String EXPIRED = "expired";

    CustomerCoupon at(Instant now) {
        String s = uses >= terms.maxRedemptionsPerCustomer() ? USED
                : terms.validUntil() != null && !now.isBefore(terms.validUntil()) ? EXPIRED : AVAILABLE;
        return new CustomerCoupon(code, campaignId, terms, given, givenAt, uses, lastUsedAt, lastPaymentId, lastStoreId, lastInvoiceId, s);
    }
}
