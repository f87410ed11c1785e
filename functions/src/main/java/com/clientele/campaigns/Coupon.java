package com.clientele.campaigns;

import com.clientele.campaigns.Campaign.CouponOffer;
import java.time.Instant;

/**
 * A coupon code of a tenant, generated from a campaign: for one customer ({@code customerId}), or a
 * shared code anyone may use ({@code customerId} null). It keeps the {@code terms} of its campaign's
 * offer as they were when it was made; {@code redemptions} counts its uses (a use given back by a
 * declined charge or a whole refund is no longer counted).
 */
public record Coupon(String code, String campaignId, String customerId, CouponOffer terms, long redemptions, Instant createdAt) {
}
