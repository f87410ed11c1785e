package com.clientele.tiers;

import com.clientele.customers.ListQuery;
import com.clientele.loyalty.Balance;
import com.clientele.shared.Actor;
import com.clientele.shared.Money;
import com.clientele.shared.Text;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's loyalty tiers: what they are measured on ({@code basis}: the customer's lifetime points,
 * or what the customer spent in {@code currency} over the last {@code windowDays} days), the tiers in
 * ascending order (each with its key, name, threshold and earning multiplier) and the downgrade policy.
 * A customer is in the highest tier whose threshold the measure reaches (none below the first). One
 * item per tenant; {@link #NONE} (no tiers) until the tenant saves its own.
 */
public record TierSettings(String basis, Integer windowDays, String currency, List<Tier> tiers, Downgrade downgrade,
                           Instant updatedAt, Actor updatedBy) {

    public static final String LIFETIME_POINTS = "lifetime_points";
    public static final String SPEND = "spend";
    static final int MAX_TIERS = 20;
    static final int MAX_DAYS = 730;
    /** The largest spend threshold, in minor units (as a segment's LTV threshold). */
    static final long MAX_SPEND = 999_999_999_999_999L;
    static final BigDecimal MAX_MULTIPLIER = BigDecimal.TEN;

    public static final TierSettings NONE = new TierSettings(LIFETIME_POINTS, null, null, List.of(), Downgrade.NEVER, null, null);

    public TierSettings {
        tiers = tiers == null ? List.of() : List.copyOf(tiers);
        downgrade = downgrade == null ? Downgrade.NEVER : downgrade;
    }

    /** One tier: a customer whose measure reaches {@code threshold} is in it; earned points are multiplied by {@code multiplier}. */
    public record Tier(String key, String name, long threshold, BigDecimal multiplier) {
    }

    /**
     * When a customer whose measure fell below its tier's threshold goes down: {@code none} (never),
     * {@code automatic} (at the daily run after it fell), {@code after_days} (not before {@code days}
     * days in the tier, then as automatic).
     */
    public record Downgrade(String policy, Integer days) {
        public static final String NEVER_POLICY = "none";
        public static final String AUTOMATIC = "automatic";
        public static final String AFTER_DAYS = "after_days";
        static final Downgrade NEVER = new Downgrade(NEVER_POLICY, null);
    }

    public Optional<Tier> tier(String key) {
        return tiers.stream().filter(t -> t.key().equals(key)).findFirst();
    }

    /** The tier's place in the order (0 the lowest), or -1 for none or a tier no longer defined. */
    public int rank(String key) {
        for (int i = 0; i < tiers.size(); i++) {
            if (tiers.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    boolean onSpend() {
        return SPEND.equals(basis);
    }

    /** The body of {@code PUT /loyalty/tiers}; what {@code GET} returned can be sent back as it is. */
    @JsonIgnoreProperties({"updatedAt", "updatedBy"})
    record Input(String basis, Integer windowDays, String currency, List<TierInput> tiers, DowngradeInput downgrade) {
    }

    record TierInput(String key, String name, Long threshold, BigDecimal multiplier) {
    }

    record DowngradeInput(String policy, Integer days) {
    }

    /** Checked settings, stamped {@code at}; every offending field named at once. */
    static TierSettings of(Input in, Instant at) {
        var errors = new ArrayList<FieldError>();
        String basis = in.basis();
        if (!LIFETIME_POINTS.equals(basis) && !SPEND.equals(basis)) {
            errors.add(new FieldError("basis", "must be one of " + LIFETIME_POINTS + ", " + SPEND));
        }
        boolean spend = SPEND.equals(basis);
        Integer window = null;
        String currency = null;
        if (spend) {
            window = days(errors, "windowDays", in.windowDays());
            currency = in.currency();
            if (!Money.isCurrency(currency)) {
                errors.add(new FieldError("currency", "must be an ISO 4217 code such as USD (the currency spend is counted in)"));
            }
        } else if (in.windowDays() != null || in.currency() != null) {
            errors.add(new FieldError(in.windowDays() != null ? "windowDays" : "currency", "applies only to the " + SPEND + " basis"));
        }
        long max = spend ? MAX_SPEND : Balance.MAX_LIFETIME;
        var tiers = new ArrayList<Tier>();
        if (in.tiers() == null || in.tiers().isEmpty() || in.tiers().size() > MAX_TIERS) {
            errors.add(new FieldError("tiers", "must list 1 to " + MAX_TIERS + " tiers, lowest threshold first"));
        } else {
            var keys = new HashSet<String>();
            Long previous = null;
            for (int i = 0; i < in.tiers().size(); i++) {
                var t = in.tiers().get(i);
                String field = "tiers[" + i + "]";
                if (t == null) {
                    errors.add(new FieldError(field, "is required"));
                    continue;
                }
                if (t.key() == null || !ListQuery.TIER_KEY.matcher(t.key()).matches()) {
                    errors.add(new FieldError(field + ".key", "must be 1 to 32 of a-z, 0-9, _ and -, starting with a letter or digit"));
                } else if (!keys.add(t.key())) {
                    errors.add(new FieldError(field + ".key", "is the key of another tier"));
                }
                String name = Text.check(errors, field + ".name", t.name(), false);
                name = name == null ? null : name.strip();
                if (name == null || name.isEmpty() || name.length() > 100) {
                    errors.add(new FieldError(field + ".name", "must be 1 to 100 characters"));
                }
                Long threshold = t.threshold();
                if (threshold == null || threshold < 0 || threshold > max) {
                    errors.add(new FieldError(field + ".threshold", "must be an integer from 0 to " + max
                            + (spend ? " (minor units of " + currency + ")" : " (lifetime points)")));
                    threshold = null;
                } else if (previous != null && threshold <= previous) {
                    errors.add(new FieldError(field + ".threshold", "must be greater than tiers[" + (i - 1)
                            + "].threshold: thresholds overlap or are out of order (list tiers lowest first)"));
                }
                if (threshold != null) {
                    previous = threshold;
                }
                BigDecimal multiplier = t.multiplier() == null ? BigDecimal.ONE : t.multiplier();
                if (multiplier.compareTo(BigDecimal.ONE) < 0 || multiplier.compareTo(MAX_MULTIPLIER) > 0
                        || multiplier.stripTrailingZeros().scale() > 2) {
                    errors.add(new FieldError(field + ".multiplier", "must be a number from 1 to 10 with at most 2 decimals"));
                }
                tiers.add(new Tier(t.key(), name, threshold == null ? 0 : threshold, multiplier.stripTrailingZeros().scale() < 0
                        ? multiplier.setScale(0) : multiplier.stripTrailingZeros()));
            }
        }
        var downgrade = Downgrade.NEVER;
        var d = in.downgrade();
        if (d != null) {
            switch (d.policy() == null ? "" : d.policy()) {
                case Downgrade.NEVER_POLICY, Downgrade.AUTOMATIC -> {
                    if (d.days() != null) {
                        errors.add(new FieldError("downgrade.days", "applies only to the " + Downgrade.AFTER_DAYS + " policy"));
                    }
                    downgrade = new Downgrade(d.policy(), null);
                }
                case Downgrade.AFTER_DAYS -> downgrade = new Downgrade(d.policy(), days(errors, "downgrade.days", d.days()));
                default -> errors.add(new FieldError("downgrade.policy", "must be one of none, automatic, after_days"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new TierSettings(basis, window, currency, tiers, downgrade, at, Actor.current().orElse(null));
    }

    private static Integer days(List<FieldError> errors, String field, Integer value) {
        if (value == null || value < 1 || value > MAX_DAYS) {
            errors.add(new FieldError(field, "must be an integer from 1 to " + MAX_DAYS));
            return null;
        }
        return value;
    }
}
