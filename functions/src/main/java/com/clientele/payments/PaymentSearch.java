package com.clientele.payments;

import com.clientele.shared.Ids;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The query string of {@code GET /payments} without {@code receiptId} (the transactions tab: every payment of
 * the tenant, newest first), checked: each unknown parameter and each bad value is a 400 naming it. Null (or
 * empty) means "no condition".
 *
 * @param statuses    {@code status}: one or more statuses, comma-separated
 * @param createdFrom {@code createdFrom}: an instant, or a date (UTC) for its first moment
 * @param createdTo   {@code createdTo}: an instant, or a date (UTC) for its last moment; included
 * @param amountMin   {@code amountMin}: minor units, included
 * @param amountMax   {@code amountMax}: minor units, included
 * @param last4       {@code last4}: the last four digits of the card
 * @param customerId  {@code customerId}: one customer's payments (read from the customer's partition)
 */
record PaymentSearch(ListParams paging, Set<PaymentStatus> statuses, Instant createdFrom, Instant createdTo,
                     Long amountMin, Long amountMax, String last4, String customerId) {

    static final Set<String> PARAMETERS = Set.of("status", "createdFrom", "createdTo", "amountMin", "amountMax", "last4",
            "customerId");
    /** The times a key of the index can hold (epoch milliseconds in 15 digits, from 1970). */
    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    private static final long MAX_AMOUNT = 999_999_999_999_999L;

    PaymentSearch {
        statuses = Set.copyOf(statuses);
    }

    static PaymentSearch parse(Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, PARAMETERS, errors);
        var statuses = statuses(errors, ListParams.blank(query.get("status")));
        Instant from = time(errors, query, "createdFrom", false);
        Instant to = time(errors, query, "createdTo", true);
        if (from != null && to != null && from.isAfter(to)) {
            errors.add(new FieldError("createdFrom", "must not be after createdTo"));
        }
        Long amountMin = amount(errors, query, "amountMin");
        Long amountMax = amount(errors, query, "amountMax");
        if (amountMin != null && amountMax != null && amountMin > amountMax) {
            errors.add(new FieldError("amountMin", "must not be more than amountMax"));
        }
        String last4 = ListParams.blank(query.get("last4"));
        if (query.containsKey("last4") && (last4 == null || !last4.matches("[0-9]{4}"))) {
            errors.add(new FieldError("last4", "must be the last 4 digits of a card"));
        }
        String customerId = ListParams.blank(query.get("customerId"));
        if (query.containsKey("customerId") && !Ids.isValid(Ids.CUSTOMER, customerId)) {
            errors.add(new FieldError("customerId", "must be an id starting with " + Ids.CUSTOMER));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new PaymentSearch(paging, statuses, from, to, amountMin, amountMax, last4, customerId);
    }

    /** The first and last moments of the window, whole when not given. */
    Instant from() {
        return createdFrom == null ? EARLIEST : createdFrom;
    }

    Instant to() {
        return createdTo == null ? LATEST : createdTo;
    }

    boolean dated() {
        return createdFrom != null || createdTo != null;
    }

    /** Identifies the list a cursor belongs to: the same filters. */
    String scope() {
        return String.join("|", "payments", statuses.stream().map(PaymentStatus::json).sorted().collect(Collectors.joining(",")),
                String.valueOf(createdFrom), String.valueOf(createdTo), String.valueOf(amountMin), String.valueOf(amountMax),
                String.valueOf(last4), String.valueOf(customerId));
    }

    private static Set<PaymentStatus> statuses(List<FieldError> errors, String raw) {
        if (raw == null) {
            return Set.of();
        }
        var result = EnumSet.noneOf(PaymentStatus.class);
        for (String name : raw.split(",", -1)) {
            var status = PaymentStatus.parse(name.strip());
            if (status.isEmpty()) {
                errors.add(new FieldError("status", "must be one or more of " + String.join(", ",
                        Arrays.stream(PaymentStatus.values()).map(PaymentStatus::json).toList()) + ", comma-separated"));
                return Set.of();
            }
            result.add(status.get());
        }
        return result;
    }

    /** An ISO-8601 instant, or a date (UTC): its first moment, or its last when {@code end}. */
    private static Instant time(List<FieldError> errors, Map<String, String> query, String name, boolean end) {
        if (!query.containsKey(name)) {
            return null;
        }
        String raw = ListParams.blank(query.get(name));
        Instant at = null;
        if (raw != null) {
            try {
                at = raw.length() == 10 ? dayBound(LocalDate.parse(raw), end) : Instant.parse(raw);
            } catch (DateTimeParseException | ArithmeticException e) {
                at = null;
            }
        }
        if (at == null || at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            errors.add(new FieldError(name, "must be an ISO-8601 date (2026-01-31) or instant (2026-01-31T09:30:00Z), from 1970 to 9999"));
            return null;
        }
        return at;
    }

    private static Instant dayBound(LocalDate day, boolean end) {
        var start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        return end ? day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1) : start;
    }

    private static Long amount(List<FieldError> errors, Map<String, String> query, String name) {
        if (!query.containsKey(name)) {
            return null;
        }
        String raw = ListParams.blank(query.get(name));
        if (raw == null || !raw.matches("[0-9]{1,15}")) {
            errors.add(new FieldError(name, "must be an integer from 0 to " + MAX_AMOUNT + " (minor units)"));
            return null;
        }
        return Long.parseLong(raw);
    }
}
