package com.clientele.shared.http;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every list endpoint's query string shares: {@code limit} (1 to 100, default 20) and an
 * opaque {@code cursor}. Parameters the endpoint does not know are errors, not ignored.
 */
public record ListParams(int limit, String cursor) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    /** Reads limit and cursor, adding an error per bad value and per parameter outside {@code others}. */
    public static ListParams from(Map<String, String> query, Set<String> others, List<FieldError> errors) {
        query.keySet().stream().filter(name -> !name.equals("limit") && !name.equals("cursor") && !others.contains(name))
                .sorted().forEach(name -> errors.add(new FieldError(name, "is not a known query parameter")));
        int limit = DEFAULT_LIMIT;
        if (query.containsKey("limit")) {
            try {
                limit = Integer.parseInt(query.get("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                errors.add(new FieldError("limit", "must be an integer from 1 to " + MAX_LIMIT));
            }
        }
        return new ListParams(limit, blank(query.get("cursor")));
    }

    /** Limit and cursor of a list that takes nothing else; 400 naming each bad parameter. */
    public static ListParams of(Map<String, String> query) {
        var errors = new java.util.ArrayList<FieldError>();
        var paging = from(query, Set.of(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return paging;
    }

    public static String blank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
