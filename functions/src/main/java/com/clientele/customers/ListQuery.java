package com.clientele.customers;

import com.clientele.shared.Money;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.ApiRequest;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The query string of {@code GET /customers}, checked: every unknown or out-of-range parameter is a 400.
 * Money filters ({@code ltvMin}, {@code ltvMax}) are minor units and compare amounts whatever the
 * customer's currency; add {@code currency} to keep one currency. {@code balanceMin} is minor units of the
 * outstanding balance ({@link Balance}), {@code hasOutstandingBalance} and {@code overdue} say whether there is one. Public for the exports, which
 * take the very parameters of this list (see {@link #parse} and {@link #page}).
 */
public record ListQuery(int limit, String cursor, String q, String type, String sort, String email, String phone,
                 Long ltvMin, Long ltvMax, String currency, String segment, Boolean hasPurchases, String billingGroupId,
                 Boolean hasActiveSubscriptions, Boolean hasOutstandingBalance, Boolean overdue, Long balanceMin, String tier) {

    static final List<String> SORTS = List.of("-createdAt", "name", "-ltv", "-subscriptions", "-outstandingBalance",
            "outstandingBalance");
    private static final Set<String> PARAMETERS = Set.of("q", "type", "sort", "email", "phone",
            "ltvMin", "ltvMax", "currency", "segment", "hasPurchases", "billingGroupId", "hasActiveSubscriptions", "hasOutstandingBalance", "overdue", "balanceMin",
            "tier");
    /** A tier's key ({@code tier=gold}): what the tiers accept as a key. */
    public static final java.util.regex.Pattern TIER_KEY = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    /** {@code GET /customers/top}: the customers with the highest LTV, 1 to 100 of them (100 unless told). */
    static final int TOP_DEFAULT = 100;

    static ListQuery from(ApiRequest request) {
        return parse(request.query());
    }

    /**
     * The list's parameters, checked as {@code GET /customers} checks its query string: each
     * unknown parameter and each bad value is a 400 naming it.
     */
    public static ListQuery parse(Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, PARAMETERS, errors);
        String sort = query.getOrDefault("sort", "-createdAt");
        if (!SORTS.contains(sort)) {
            errors.add(new FieldError("sort", "must be one of " + String.join(", ", SORTS)));
        }
        String type = query.get("type");
        if (type != null && !CustomerRules.TYPES.contains(type)) {
            errors.add(new FieldError("type", "must be one of individual, business"));
        }
        String q = blankToNull(query.get("q"));
        if (q != null && q.length() > 100) {
            errors.add(new FieldError("q", "must be at most 100 characters"));
        }
        String email = blankToNull(query.get("email"));
        String phone = blankToNull(query.get("phone"));
        long lookups = Stream.of(q, email, phone).filter(v -> v != null).count();
        if (lookups > 1) {
            errors.add(new FieldError(q != null ? "q" : "email", "use only one of q, email and phone"));
        }
        if (lookups == 1 && query.containsKey("sort")) {
            errors.add(new FieldError("sort", "cannot be combined with q, email or phone"));
        }
        Long ltvMin = amount(errors, "ltvMin", query.get("ltvMin"));
        Long ltvMax = amount(errors, "ltvMax", query.get("ltvMax"));
        if (ltvMin != null && ltvMax != null && ltvMax < ltvMin) {
            errors.add(new FieldError("ltvMax", "must be at least ltvMin"));
        }
        String currency = query.get("currency");
        if (currency != null) {
            currency = currency.strip().toUpperCase(Locale.ROOT);
            if (!Money.isCurrency(currency)) {
                errors.add(new FieldError("currency", "must be an ISO 4217 code such as USD"));
            }
        }
        String segment = query.get("segment");
        if (segment != null && !CustomerFilter.SEGMENTS.contains(segment)) {
            errors.add(new FieldError("segment", "must be one of " + String.join(", ", CustomerFilter.SEGMENTS)));
        }
        Boolean hasPurchases = flag(errors, query, "hasPurchases");
        Boolean hasActiveSubscriptions = flag(errors, query, "hasActiveSubscriptions");
        Boolean hasOutstandingBalance = flag(errors, query, "hasOutstandingBalance");
        Boolean overdue = flag(errors, query, "overdue");
        Long balanceMin = amount(errors, "balanceMin", query.get("balanceMin"));
        String billingGroupId = query.get("billingGroupId");
        if (billingGroupId != null) {
            billingGroupId = billingGroupId.strip();
            if (billingGroupId.isEmpty() || billingGroupId.length() > 64) {
                errors.add(new FieldError("billingGroupId", "must be 1 to 64 characters"));
            }
        }
        String tier = query.get("tier");
        if (tier != null && !TIER_KEY.matcher(tier).matches()) {
            errors.add(new FieldError("tier", "must be a tier's key: 1 to 32 of a-z, 0-9, _ and -, starting with a letter or digit"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new ListQuery(paging.limit(), paging.cursor(), q, type, sort, email, phone, ltvMin, ltvMax, currency,
                segment, hasPurchases, billingGroupId, hasActiveSubscriptions, hasOutstandingBalance, overdue, balanceMin, tier);
    }

    private static Boolean flag(List<FieldError> errors, Map<String, String> query, String name) {
        if (!query.containsKey(name)) {
            return null;
        }
        return switch (query.get(name)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                errors.add(new FieldError(name, "must be true or false"));
                yield null;
            }
        };
    }

    /**
     * The same list, another page: {@code limit} rows (not bounded by the API's 100: a reader of
     * the whole list, such as an export, takes larger pages) after {@code cursor}.
     */
    public ListQuery page(int pageLimit, String pageCursor) {
        return new ListQuery(pageLimit, pageCursor, q, type, sort, email, phone, ltvMin, ltvMax, currency, segment,
                hasPurchases, billingGroupId, hasActiveSubscriptions, hasOutstandingBalance, overdue, balanceMin, tier);
    }

    /** The {@code limit} of {@code GET /customers/top}, its only parameter. */
    static int topLimit(ApiRequest request) {
        var errors = new ArrayList<FieldError>();
        var query = request.query();
        if (query.containsKey("cursor")) {
            errors.add(new FieldError("cursor", "is not a known query parameter (the top list is one page)"));
        }
        var paging = ListParams.from(query, Set.of(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return query.containsKey("limit") ? paging.limit() : TOP_DEFAULT;
    }

    /** Identifies the list a cursor belongs to: the same sort, filters and search. */
    String scope() {
        return String.join("|", "customers", sort, String.valueOf(type), String.valueOf(q),
                String.valueOf(email), String.valueOf(phone), String.valueOf(ltvMin), String.valueOf(ltvMax),
                String.valueOf(currency), String.valueOf(segment), String.valueOf(hasPurchases), String.valueOf(billingGroupId),
                String.valueOf(hasActiveSubscriptions), String.valueOf(hasOutstandingBalance), String.valueOf(overdue),
                String.valueOf(balanceMin), String.valueOf(tier));
    }

    private static Long amount(List<FieldError> errors, String field, String value) {
        if (value == null) {
            return null;
        }
        if (!value.strip().matches("[0-9]{1,15}")) {
            errors.add(new FieldError(field, "must be an integer from 0 to " + SegmentSettings.MAX_AMOUNT
                    + " (minor units of the customer's currency)"));
            return null;
        }
        return Long.parseLong(value.strip());
    }

    private static String blankToNull(String value) {
        return ListParams.blank(value);
    }
}
