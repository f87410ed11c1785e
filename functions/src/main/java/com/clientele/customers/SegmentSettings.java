package com.clientele.customers;

import com.clientele.shared.Actor;
import com.clientele.shared.Money;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A tenant's thresholds for the customer segments: {@code high_value} from an LTV (in that
 * currency), {@code at_risk} and {@code new} over a window of days ({@code at_risk} also from a number
 * of disputes, when {@code atRiskDisputes} is set), {@code loyal} from a number of orders. One item per tenant; {@link #DEFAULTS} until the tenant saves its own. {@code updatedBy} is
 * who saved them (the {@link Actor} of that request: user, role, request id), null for the defaults.
 */
public record SegmentSettings(Money highValueLtv, int atRiskDays, Integer atRiskDisputes, int loyalOrders, int newDays, Instant updatedAt,
                              Actor updatedBy) {

    /** Settings no one saved yet. */
    public SegmentSettings(Money highValueLtv, int atRiskDays, int loyalOrders, int newDays, Instant updatedAt) {
        this(highValueLtv, atRiskDays, null, loyalOrders, newDays, updatedAt, null);
    }

    public static final SegmentSettings DEFAULTS = new SegmentSettings(new Money(100_000, "USD"), 30, 3, 30, null);
    /** The most disputes {@code atRiskDisputes} may ask for. */
    static final int MAX_DISPUTES = 1_000;
    static final int MAX_DAYS = 365;
    static final int MAX_ORDERS = 1_000_000;
    /** The largest LTV the index's 19-digit sort key orders correctly, with room to spare. */
    static final long MAX_AMOUNT = 999_999_999_999_999L;

    /**
     * The body of {@code PUT /settings/segments}: every field required (a PUT replaces the settings) but
     * {@code atRiskDisputes} (left out or null: disputes do not make a customer at risk).
     * What {@code GET} returned can be sent back as it is: its read-only fields are ignored.
     */
    @JsonIgnoreProperties({"updatedAt", "updatedBy", "version"})
    record Input(AmountInput highValueLtv, Integer atRiskDays, Integer atRiskDisputes, Integer loyalOrders, Integer newDays) {
    }

    record AmountInput(Long amount, String currency) {
    }

    /** Checked settings, stamped {@code at}; every offending field named at once. */
    static SegmentSettings of(Input in, Instant at) {
        var errors = new ArrayList<FieldError>();
        Money threshold = null;
        if (in.highValueLtv() == null) {
            errors.add(new FieldError("highValueLtv", "is required ({\"amount\": minor units, \"currency\": ISO 4217})"));
        } else {
            Long amount = in.highValueLtv().amount();
            String currency = in.highValueLtv().currency();
            if (amount == null || amount < 1 || amount > MAX_AMOUNT) {
                errors.add(new FieldError("highValueLtv.amount", "must be an integer from 1 to " + MAX_AMOUNT + " (minor units)"));
            }
            if (!Money.isCurrency(currency)) {
                errors.add(new FieldError("highValueLtv.currency", "must be an ISO 4217 code such as USD"));
            }
            threshold = new Money(amount == null ? 0 : amount, currency);
        }
        int atRisk = days(errors, "atRiskDays", in.atRiskDays());
        Integer disputes = in.atRiskDisputes() == null ? null : range(errors, "atRiskDisputes", in.atRiskDisputes(), MAX_DISPUTES);
        int loyal = range(errors, "loyalOrders", in.loyalOrders(), MAX_ORDERS);
        int fresh = days(errors, "newDays", in.newDays());
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new SegmentSettings(threshold, atRisk, disputes, loyal, fresh, at, Actor.current().orElse(null));
    }

    private static int days(List<FieldError> errors, String field, Integer value) {
        return range(errors, field, value, MAX_DAYS);
    }

    private static int range(List<FieldError> errors, String field, Integer value, int max) {
        if (value == null || value < 1 || value > max) {
            errors.add(new FieldError(field, "must be an integer from 1 to " + max));
            return 0;
        }
        return value;
    }

}
