package com.clientele.customers;

import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.ApiRequest;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The query string of {@code GET /customers}, checked: every unknown or out-of-range parameter is a 400. */
record ListQuery(int limit, String cursor, String q, String type, String sort, String email, String phone) {

    static final List<String> SORTS = List.of("-createdAt", "name", "-ltv");
    private static final Set<String> PARAMETERS = Set.of("q", "type", "sort", "email", "phone");

    static ListQuery from(ApiRequest request) {
        Map<String, String> query = request.query();
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
        long lookups = java.util.stream.Stream.of(q, email, phone).filter(v -> v != null).count();
        if (lookups > 1) {
            errors.add(new FieldError(q != null ? "q" : "email", "use only one of q, email and phone"));
        }
        if (lookups == 1 && query.containsKey("sort")) {
            errors.add(new FieldError("sort", "cannot be combined with q, email or phone"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new ListQuery(paging.limit(), paging.cursor(), q, type, sort, email, phone);
    }

    /** Identifies the list a cursor belongs to: the same sort, filters and search. */
    String scope() {
        return String.join("|", "customers", sort, String.valueOf(type), String.valueOf(q),
                String.valueOf(email), String.valueOf(phone));
    }

    private static String blankToNull(String value) {
        return ListParams.blank(value);
    }
}
