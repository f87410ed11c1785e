package com.clientele.loyalty;

import com.clientele.shared.Actor;
import com.clientele.shared.Money;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;

/**
 * A tenant's loyalty programme: points earned per currency unit (major unit: 1 USD, not 1 cent),
 * how fractional points are rounded, how many months a lot lives, the referral bonuses, whether a
 * redemption needs an OTP, what a point is worth at redemption, and how campaigns stack
 * ({@code campaignStacking}: {@code all} of those that apply add their points, only the {@code best}
 * one, or {@code exclusive}: one active campaign at a time). One item per tenant;
 * {@link #DEFAULTS} until the tenant saves its own. {@code updatedBy} is who saved them (the
 * {@link Actor} of that request: user, role, request id), null for the defaults.
 */
public record LoyaltySettings(BigDecimal pointsPerUnit, String rounding, int lotLifetimeMonths, long referrerBonus,
                              long refereeBonus, boolean otpRequired, Money pointValue, Instant updatedAt, Actor updatedBy,
                              String campaignStacking) {

    public LoyaltySettings {
        campaignStacking = campaignStacking == null ? STACK_ALL : campaignStacking;
    }

    /** Settings saved before campaigns existed: every campaign stacks. */
    public LoyaltySettings(BigDecimal pointsPerUnit, String rounding, int lotLifetimeMonths, long referrerBonus,
                           long refereeBonus, boolean otpRequired, Money pointValue, Instant updatedAt, Actor updatedBy) {
        this(pointsPerUnit, rounding, lotLifetimeMonths, referrerBonus, refereeBonus, otpRequired, pointValue, updatedAt, updatedBy, null);
    }

    /** Settings no one saved yet. */
    public LoyaltySettings(BigDecimal pointsPerUnit, String rounding, int lotLifetimeMonths, long referrerBonus,
                           long refereeBonus, boolean otpRequired, Money pointValue, Instant updatedAt) {
        this(pointsPerUnit, rounding, lotLifetimeMonths, referrerBonus, refereeBonus, otpRequired, pointValue, updatedAt, null);
    }

    public static final LoyaltySettings DEFAULTS = new LoyaltySettings(BigDecimal.ONE, "DOWN", 12, 0, 0, false,
            new Money(1, "USD"), null);
    /** DOWN: never a point the customer did not fully earn; HALF_UP and UP for generous programmes. */
    static final Set<String> ROUNDINGS = Set.of("DOWN", "HALF_UP", "UP");
    static final String STACK_ALL = "all";
    static final java.util.List<String> STACKINGS = java.util.List.of(STACK_ALL, "best", "exclusive");
    static final BigDecimal MAX_RATE = new BigDecimal(1000);
    static final int MAX_MONTHS = 120;
    static final long MAX_BONUS = 1_000_000;
    static final long MAX_POINT_VALUE = 1_000_000;

    /**
     * The body of {@code PUT /loyalty/settings}: every field required but {@code campaignStacking}
     * ({@code all} when left out; a PUT replaces the settings).
     * What {@code GET} returned can be sent back as it is: its read-only fields are ignored.
     */
    @JsonIgnoreProperties({"updatedAt", "updatedBy", "version"})
    record Input(BigDecimal pointsPerUnit, String rounding, Integer lotLifetimeMonths, Long referrerBonus,
                 Long refereeBonus, Boolean otpRequired, AmountInput pointValue, String campaignStacking) {

        /** A body of the fields every PUT had to send before campaigns existed. */
        Input(BigDecimal pointsPerUnit, String rounding, Integer lotLifetimeMonths, Long referrerBonus, Long refereeBonus,
              Boolean otpRequired, AmountInput pointValue) {
            this(pointsPerUnit, rounding, lotLifetimeMonths, referrerBonus, refereeBonus, otpRequired, pointValue, null);
        }
    }

    record AmountInput(Long amount, String currency) {
    }

    /** Points a charge of {@code amount} minor units of {@code currency} earns. */
    long pointsFor(long amount, String currency) {
        int digits;
        try {
            digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            digits = 2;
        }
        var points = BigDecimal.valueOf(amount).movePointLeft(digits).multiply(pointsPerUnit)
                .setScale(0, RoundingMode.valueOf(rounding));
        return Math.max(0, points.longValueExact());
    }

    /** Checked settings, stamped {@code at}; every offending field named at once. */
    static LoyaltySettings of(Input in, Instant at) {
        var errors = new ArrayList<FieldError>();
        if (in.pointsPerUnit() == null || in.pointsPerUnit().signum() < 0 || in.pointsPerUnit().compareTo(MAX_RATE) > 0
                || in.pointsPerUnit().stripTrailingZeros().scale() > 4) {
            errors.add(new FieldError("pointsPerUnit", "must be a number from 0 to " + MAX_RATE + " with at most 4 decimals"));
        }
        if (in.rounding() == null || !ROUNDINGS.contains(in.rounding())) {
            errors.add(new FieldError("rounding", "must be one of DOWN, HALF_UP, UP"));
        }
        if (in.lotLifetimeMonths() == null || in.lotLifetimeMonths() < 1 || in.lotLifetimeMonths() > MAX_MONTHS) {
            errors.add(new FieldError("lotLifetimeMonths", "must be an integer from 1 to " + MAX_MONTHS));
        }
        bonus(errors, "referrerBonus", in.referrerBonus());
        bonus(errors, "refereeBonus", in.refereeBonus());
        if (in.otpRequired() == null) {
            errors.add(new FieldError("otpRequired", "is required (true or false)"));
        }
        Money value = null;
        if (in.pointValue() == null) {
            errors.add(new FieldError("pointValue", "is required ({\"amount\": minor units, \"currency\": ISO 4217})"));
        } else {
            Long amount = in.pointValue().amount();
            if (amount == null || amount < 1 || amount > MAX_POINT_VALUE) {
                errors.add(new FieldError("pointValue.amount", "must be an integer from 1 to " + MAX_POINT_VALUE + " (minor units)"));
            }
            if (!Money.isCurrency(in.pointValue().currency())) {
                errors.add(new FieldError("pointValue.currency", "must be an ISO 4217 code such as USD"));
            }
            value = new Money(amount == null ? 0 : amount, in.pointValue().currency());
        }
        if (in.campaignStacking() != null && !STACKINGS.contains(in.campaignStacking())) {
            errors.add(new FieldError("campaignStacking", "must be one of all, best, exclusive"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        var rate = in.pointsPerUnit().stripTrailingZeros();
        return new LoyaltySettings(rate.scale() < 0 ? rate.setScale(0) : rate, in.rounding(), in.lotLifetimeMonths(),
                in.referrerBonus(), in.refereeBonus(), in.otpRequired(), value, at, Actor.current().orElse(null), in.campaignStacking());
    }

    private static void bonus(List<FieldError> errors, String field, Long value) {
        if (value == null || value < 0 || value > MAX_BONUS) {
            errors.add(new FieldError(field, "must be an integer from 0 to " + MAX_BONUS + " (points)"));
        }
    }

}
