package com.clientele.campaigns;

import java.time.Instant;
import java.util.List;

/**
 * A tenant's loyalty campaign: a name, a period ({@code startsAt} inclusive, {@code endsAt} exclusive,
 * open-ended when null), a status, an audience and what it gives: an {@link EarningRule} on payments,
 * and/or a {@link CouponOffer}, the terms of the coupons generated from it (percent off, amount off in a
 * currency, or free points).
 *
 * <p>Status: {@code draft} (being prepared: gives nothing), {@code active} (gives during its period),
 * {@code paused} (gives nothing until activated again), {@code ended} (for good: no change, no
 * activation). Only {@link #transition} moves it.
 */
public record Campaign(String id, String name, String description, String status, Instant startsAt, Instant endsAt,
                       Audience audience, EarningRule earning, CouponOffer coupon, Instant createdAt, Instant updatedAt, long version) {

    public static final String DRAFT = "draft";
    public static final String ACTIVE = "active";
    public static final String PAUSED = "paused";
    public static final String ENDED = "ended";

    /** Who a campaign is for: everyone, the customers of a segment or of a tier, or listed customers. */
    public record Audience(String type, String segment, String tierId, List<String> customerIds) {

        public static final String ALL = "all";
        public static final String SEGMENT = "segment";
        public static final String TIER = "tier";
        public static final String CUSTOMERS = "customers";

        public Audience {
            customerIds = customerIds == null ? null : List.copyOf(customerIds);
        }
    }

    /**
     * What a campaign adds to a payment's points, each part optional: the base points multiplied
     * ({@code multiplier} above 1: the campaign adds base x (multiplier - 1), rounded down), a bonus
     * on the customer's first purchase, a bonus on a payment of at least an amount (in that currency);
     * only for payments at {@code storeId} when it is set.
     */
    public record EarningRule(java.math.BigDecimal multiplier, Long firstPurchaseBonus, AmountBonus amountBonus, String storeId) {
    }

    /** {@code points} more on a payment of at least {@code minimum} (same currency only). */
    public record AmountBonus(com.clientele.shared.Money minimum, long points) {
    }

    /**
     * The terms of a campaign's coupons, copied onto each coupon when it is generated (a coupon keeps the
     * terms it was given with): {@code type} {@code percent_off} ({@code percentOff}, 1–100),
     * {@code amount_off} ({@code amountOff} in one currency) or {@code free_points} ({@code points} credited
     * with the charge's lot); valid from {@code validFrom} (inclusive) until {@code validUntil} (exclusive),
     * either open when null; on a charge of at least {@code minimumAmount} (same currency) when set; at most
     * {@code maxRedemptions} uses of one code in all (a shared code; unlimited when null) and
     * {@code maxRedemptionsPerCustomer} by one customer (1 unless said).
     */
    public record CouponOffer(String type, Integer percentOff, com.clientele.shared.Money amountOff, Long points, Instant validFrom,
                              Instant validUntil, com.clientele.shared.Money minimumAmount, Long maxRedemptions,
                              Long maxRedemptionsPerCustomer) {

        public static final String PERCENT_OFF = "percent_off";
        public static final String AMOUNT_OFF = "amount_off";
        public static final String FREE_POINTS = "free_points";
    }

    public String etag() {
        return "\"" + version + "\"";
    }

    /** Whether it gives on a payment made at {@code at}: active, and {@code at} in its period. */
    boolean runsAt(Instant at) {
        return ACTIVE.equals(status) && !at.isBefore(startsAt) && (endsAt == null || at.isBefore(endsAt));
    }

    /** Whether its period and {@code other}'s share an instant. */
    boolean overlaps(Campaign other) {
        return (endsAt == null || other.startsAt.isBefore(endsAt)) && (other.endsAt == null || startsAt.isBefore(other.endsAt));
    }

    /** The writable fields as a client sends them. */
    Input input() {
        return new Input(name, description, startsAt, endsAt, audience, earning, coupon);
    }

    static Campaign create(String id, Input valid, Instant now) {
        return new Campaign(id, valid.name(), valid.description(), DRAFT, valid.startsAt(), valid.endsAt(), valid.audience(),
                valid.earning(), valid.coupon(), now, now, 1);
    }

    Campaign edited(Input valid, Instant now) {
        return new Campaign(id, valid.name(), valid.description(), status, valid.startsAt(), valid.endsAt(), valid.audience(),
                valid.earning(), valid.coupon(), createdAt, now, version + 1);
    }

    /** The status moves {@code action} makes, from each status. */
    static String transition(String from, String action) {
        String to = target(action);
        boolean allowed = switch (to) {
            case ACTIVE -> DRAFT.equals(from) || PAUSED.equals(from);
            case PAUSED -> ACTIVE.equals(from);
            default -> !ENDED.equals(from);
        };
        return allowed ? to : null;
    }

    /** The status {@code action} leads to. */
    static String target(String action) {
        return switch (action) {
            case "activate" -> ACTIVE;
            case "pause" -> PAUSED;
            case "end" -> ENDED;
            default -> throw new IllegalArgumentException(action);
        };
    }

    Campaign withStatus(String next, Instant now) {
        return new Campaign(id, name, description, next, startsAt, endsAt, audience, earning, coupon, createdAt, now, version + 1);
    }

    /** The body of {@code POST /campaigns}, and what a merge patch of one is applied to. */
    public record Input(String name, String description, Instant startsAt, Instant endsAt, Audience audience, EarningRule earning,
                        CouponOffer coupon) {
    }
}
