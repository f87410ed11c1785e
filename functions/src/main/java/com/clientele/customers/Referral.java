package com.clientele.customers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * Who referred a customer, kept in the referred customer's partition (one at most: the item is
 * written only where none exists). {@code status}: {@code pending} until the customer's first
 * successful charge is applied to points, then {@code rewarded} (with the points each side got:
 * {@code refereePoints}, {@code referrerPoints}; {@code reason} {@code referrer_deleted} when the
 * referrer was gone by then) or {@code refused} ({@code reason} {@code same_card}: the charge was
 * paid with a card the referrer holds). {@code paymentId} is the charge that settled it.
 */
public record Referral(String id, String customerId, String referrerId, String code, String status, String reason,
                       String paymentId, Long refereePoints, Long referrerPoints, Instant createdAt, Instant settledAt) {

    public static final String PENDING = "pending";
    public static final String REWARDED = "rewarded";
    public static final String REFUSED = "refused";
    public static final String SAME_CARD = "same_card";
    public static final String REFERRER_DELETED = "referrer_deleted";

    static Referral pending(String id, String customerId, String referrerId, String code, Instant at) {
        return new Referral(id, customerId, referrerId, code, PENDING, null, null, null, null, at, null);
    }

    @JsonIgnore
    public boolean isPending() {
        return PENDING.equals(status);
    }

    /** Settled with a bonus ({@code referrerPoints} 0 and a reason when the referrer's side was not paid). */
    public Referral rewarded(String byPayment, long refereePoints, long referrerPoints, String why, Instant at) {
        return new Referral(id, customerId, referrerId, code, REWARDED, why, byPayment, refereePoints, referrerPoints,
                createdAt, at);
    }

    /** Settled without a bonus, for {@code why}. */
    public Referral refused(String byPayment, String why, Instant at) {
        return new Referral(id, customerId, referrerId, code, REFUSED, why, byPayment, 0L, 0L, createdAt, at);
    }
}
