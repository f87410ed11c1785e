package com.clientele.subscriptions;

import com.clientele.shared.Actor;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A tenant's recurring billing: the dunning schedule of a failed renewal ({@code retryAfterDays}:
 * the days after the first failure on which the payment is tried again, increasing; then what
 * becomes of the subscription, {@code afterLastRetry}) and the reminders sent ahead of a renewal and
 * of a contract's end (days ahead; 0: none). One item per tenant; {@link #DEFAULTS} until the tenant
 * saves its own. {@code updatedBy} is who saved them, null for the defaults.
 */
public record BillingSettings(Dunning dunning, Reminders reminders, Instant updatedAt, Actor updatedBy) {

    /** What a subscription whose last retry failed becomes. */
    public enum AfterLastRetry {
        /** {@code canceled}: no more payments. */
        cancel,
        /** Left {@code past_due} and unpaid, out of the renewal run, until it is paid by hand ("mark as paid") or retried. */
        leave_unpaid
    }

    /** Retries of a failed renewal, {@code retryAfterDays} days after its first failure; then {@code afterLastRetry}. */
    public record Dunning(List<Integer> retryAfterDays, AfterLastRetry afterLastRetry) {

        public Dunning {
            retryAfterDays = List.copyOf(retryAfterDays);
        }

        /** The days from the first failure to retry {@code retry} (1-based), or null when no such retry is scheduled. */
        public Integer daysToRetry(int retry) {
            return retry >= 1 && retry <= retryAfterDays.size() ? retryAfterDays.get(retry - 1) : null;
        }
    }

    /** An activity on the customer {@code renewalDaysAhead} days before a renewal and {@code contractEndDaysAhead} before a contract ends. */
    public record Reminders(int renewalDaysAhead, int contractEndDaysAhead) {
    }

    public static final BillingSettings DEFAULTS = new BillingSettings(new Dunning(List.of(1, 3, 7), AfterLastRetry.cancel),
            new Reminders(7, 30), null, null);
    static final int MAX_RETRIES = 5;
    static final int MAX_RETRY_DAY = 60;
    static final int MAX_RENEWAL_DAYS_AHEAD = 90;
    static final int MAX_CONTRACT_END_DAYS_AHEAD = 365;

    /**
     * The body of {@code PUT /settings/billing}: every field required (a PUT replaces the settings).
     * What {@code GET} returned can be sent back as it is: its read-only fields are ignored.
     */
    @JsonIgnoreProperties({"updatedAt", "updatedBy", "version"})
    record Input(DunningInput dunning, RemindersInput reminders) {
    }

    record DunningInput(List<Integer> retryAfterDays, String afterLastRetry) {
    }

    record RemindersInput(Integer renewalDaysAhead, Integer contractEndDaysAhead) {
    }

    /** Checked settings, stamped {@code at}; every offending field named at once. */
    static BillingSettings of(Input in, Instant at) {
        var errors = new ArrayList<FieldError>();
        List<Integer> days = List.of();
        AfterLastRetry after = null;
        if (in.dunning() == null) {
            errors.add(new FieldError("dunning", "is required ({\"retryAfterDays\": [1, 3, 7], \"afterLastRetry\": \"cancel\"})"));
        } else {
            days = retryDays(errors, in.dunning().retryAfterDays());
            after = afterLastRetry(errors, in.dunning().afterLastRetry());
        }
        int renewal = 0;
        int contractEnd = 0;
        if (in.reminders() == null) {
            errors.add(new FieldError("reminders", "is required ({\"renewalDaysAhead\": 7, \"contractEndDaysAhead\": 30})"));
        } else {
            renewal = daysAhead(errors, "reminders.renewalDaysAhead", in.reminders().renewalDaysAhead(), MAX_RENEWAL_DAYS_AHEAD);
            contractEnd = daysAhead(errors, "reminders.contractEndDaysAhead", in.reminders().contractEndDaysAhead(),
                    MAX_CONTRACT_END_DAYS_AHEAD);
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new BillingSettings(new Dunning(days, after), new Reminders(renewal, contractEnd), at, Actor.current().orElse(null));
    }

    private static List<Integer> retryDays(List<FieldError> errors, List<Integer> days) {
        String field = "dunning.retryAfterDays";
        if (days == null) {
            errors.add(new FieldError(field, "is required: a list of up to " + MAX_RETRIES + " days (may be empty: no retry)"));
            return List.of();
        }
        if (days.size() > MAX_RETRIES) {
            errors.add(new FieldError(field, "must hold at most " + MAX_RETRIES + " retries"));
            return List.of();
        }
        int previous = 0;
        for (int i = 0; i < days.size(); i++) {
            Integer day = days.get(i);
            if (day == null || day < 1 || day > MAX_RETRY_DAY) {
                errors.add(new FieldError(field + "[" + i + "]", "must be a whole number of days from 1 to " + MAX_RETRY_DAY));
                return List.of();
            }
            if (day <= previous) {
                errors.add(new FieldError(field + "[" + i + "]", "must be more than the retry before it (" + previous
                        + "): days are counted from the first failure"));
                return List.of();
            }
            previous = day;
        }
        return days;
    }

    private static AfterLastRetry afterLastRetry(List<FieldError> errors, String value) {
        for (var choice : AfterLastRetry.values()) {
            if (choice.name().equals(value)) {
                return choice;
            }
        }
        errors.add(new FieldError("dunning.afterLastRetry", "must be cancel or leave_unpaid"));
        return null;
    }

    private static int daysAhead(List<FieldError> errors, String field, Integer value, int max) {
        if (value == null || value < 0 || value > max) {
            errors.add(new FieldError(field, "must be a whole number of days from 0 (no reminder) to " + max));
            return 0;
        }
        return value;
    }
}
