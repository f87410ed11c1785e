package com.clientele.tiers;

import com.clientele.customers.CustomerTier;
import com.clientele.tiers.TierSettings.Downgrade;
import com.clientele.tiers.TierSettings.Tier;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The tier rules, without storage. A customer qualifies for the highest tier whose threshold its
 * measure reaches. When its points or spend change, it goes up at once (never down); the daily review
 * takes it down as the tenant's policy says; a tier set by hand ({@code override}) is left alone by both.
 */
final class TierRules {

    private TierRules() {
    }

    /**
     * What a customer is measured on, now: lifetime points, or spend in the window; {@code lapsesAt} is
     * the first moment the measure can fall by time alone (the oldest counted payment leaving the window),
     * null when it cannot (lifetime points never fall).
     */
    record Measure(long value, Instant lapsesAt) {
    }

    /** Why a tier changed (the history's, the activity's and the event's {@code reason}). */
    static final String UPGRADE = "upgrade";
    static final String DOWNGRADE = "downgrade";
    static final String OVERRIDE = "override";
    static final String OVERRIDE_REMOVED = "override_removed";

    /** The tier the measure reaches, if any. */
    static Optional<Tier> qualifying(TierSettings settings, long measure) {
        Tier best = null;
        for (var tier : settings.tiers()) {
            if (measure >= tier.threshold()) {
                best = tier;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The customer's tier after its points or spend changed ({@code review} false) or at the daily review
     * ({@code review} true), at {@code now}; the same tier (the very object) when nothing changes. Up at
     * once in both cases; down only at a review, and only when the policy allows it by then.
     */
    static CustomerTier next(TierSettings settings, CustomerTier current, Measure measure, Instant now, boolean review) {
        if (current != null && current.override()) {
            return current;
        }
        var qualifying = qualifying(settings, measure.value());
        int have = current == null ? -1 : settings.rank(current.key());
        int can = qualifying.map(t -> settings.rank(t.key())).orElse(-1);
        if (can > have || current != null && have < 0 && review) {
            return qualifying.map(t -> tier(t, now)).orElse(null);
        }
        if (can < have && review && mayGoDown(settings.downgrade(), current, now)) {
            return qualifying.map(t -> tier(t, now)).orElse(null);
        }
        return current;
    }

    /** Whether a customer in {@code current} may be taken down at {@code now}. */
    static boolean mayGoDown(Downgrade downgrade, CustomerTier current, Instant now) {
        return switch (downgrade.policy()) {
            case Downgrade.AUTOMATIC -> true;
            case Downgrade.AFTER_DAYS -> !now.isBefore(current.since().plus(Duration.ofDays(downgrade.days())));
            default -> false;
        };
    }

    /**
     * When the daily review should look at the customer's tier again: null when nothing can take it down
     * (no tier, a tier set by hand, policy {@code none}, lifetime points). Otherwise when its measure can
     * first fall (or now, when it is below the tier already), and for {@code after_days} not before the
     * customer has been that long in the tier.
     */
    static Instant reviewAt(TierSettings settings, CustomerTier tier, Measure measure, Instant now) {
        if (tier == null || tier.override() || Downgrade.NEVER_POLICY.equals(settings.downgrade().policy())) {
            return null;
        }
        int rank = settings.rank(tier.key());
        boolean below = rank < 0 || measure.value() < settings.tiers().get(rank).threshold();
        Instant at = below ? now : measure.lapsesAt();
        if (at == null) {
            return null;
        }
        if (Downgrade.AFTER_DAYS.equals(settings.downgrade().policy())) {
            Instant earliest = tier.since().plus(Duration.ofDays(settings.downgrade().days()));
            at = at.isBefore(earliest) ? earliest : at;
        }
        return at;
    }

    /** The extra points a tier gives on {@code base} earned points: base x (multiplier - 1), rounded down. */
    static long bonus(Tier tier, long base) {
        if (base <= 0 || tier.multiplier().compareTo(BigDecimal.ONE) <= 0) {
            return 0;
        }
        return BigDecimal.valueOf(base).multiply(tier.multiplier().subtract(BigDecimal.ONE)).setScale(0, RoundingMode.DOWN)
                .longValueExact();
    }

    static CustomerTier tier(Tier tier, Instant since) {
        return new CustomerTier(tier.key(), tier.name(), since, false);
    }

    /** Why {@code from} became {@code to} without a user (an upgrade or a downgrade). */
    static String reason(TierSettings settings, CustomerTier from, CustomerTier to) {
        int was = from == null ? -1 : settings.rank(from.key());
        int is = to == null ? -1 : settings.rank(to.key());
        return is > was ? UPGRADE : DOWNGRADE;
    }
}
