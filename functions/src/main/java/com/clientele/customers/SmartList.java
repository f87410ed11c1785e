package com.clientele.customers;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A smart list (seed 004: "select a contact by browsing through the smart lists"): a name and a saved query
 * of {@code GET /customers} (its filters and sort, by parameter name, as the query string carries them; never
 * a page's {@code limit} or {@code cursor}, nor a lookup of one customer by {@code email} or {@code phone}), shared
 * by the tenant's team. It holds no customer's data from the table: only the user id of its author
 * ({@code createdBy}) and what the user typed (a search's {@code q} is kept as typed).
 */
public record SmartList(String id, String name, Map<String, String> query, String createdBy, Instant createdAt,
                        Instant updatedAt, long version) {

    public SmartList {
        query = java.util.Collections.unmodifiableMap(new TreeMap<>(query));
    }

    /** The list's ETag: its version. */
    public String etag() {
        return "\"" + version + "\"";
    }

    SmartList edited(String newName, Map<String, String> newQuery, Instant at) {
        return new SmartList(id, newName, newQuery, createdBy, createdAt, at, version + 1);
    }
}
