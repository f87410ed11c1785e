package com.clientele.campaigns;

import java.time.Instant;
import java.util.List;

/**
 * A tenant's loyalty campaign: a name, a period ({@code startsAt} inclusive, {@code endsAt} exclusive,
 * open-ended when null), a status, an audience and what it gives. Today it gives an {@link EarningRule}
 * on payments; coupons (percent off, amount off in a currency, free points) are to sit beside it as a
 * sibling of {@code earning}.
 *
 * <p>Status: {@code draft} (being prepared: gives nothing), {@code active} (gives during its period),
 * {@code paused} (gives nothing until activated again), {@code ended} (for good: no change, no
 * activation). Only {@link #transition} moves it.
 */
public record Campaign(String id, String name, String description, String status, Instant startsAt, Instant endsAt,
                       Audience audience, EarningRule earning, Instant createdAt, Instant updatedAt, long version) {

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
        return new Input(name, description, startsAt, endsAt, audience, earning);
    }

    static Campaign create(String id, Input valid, Instant now) {
        return new Campaign(id, valid.name(), valid.description(), DRAFT, valid.startsAt(), valid.endsAt(), valid.audience(),
                valid.earning(), now, now, 1);
    }

    Campaign edited(Input valid, Instant now) {
        return new Campaign(id, valid.name(), valid.description(), status, valid.startsAt(), valid.endsAt(), valid.audience(),
                valid.earning(), createdAt, now, version + 1);
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
        return new Campaign(id, name, description, next, startsAt, endsAt, audience, earning, createdAt, now, version + 1);
    }

    /** The body of {@code POST /campaigns}, and what a merge patch of one is applied to. */
    public record Input(String name, String description, Instant startsAt, Instant endsAt, Audience audience, EarningRule earning) {
    }
}
