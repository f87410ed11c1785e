package com.clientele.customers;

import com.clientele.shared.Actor;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.Listing;
import com.clientele.shared.http.MergePatch;
import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Smart lists ({@link SmartList}): a name and a saved query of {@code GET /customers}, per tenant. The query is
 * checked by the very parser of that list ({@link ListQuery#parse}), so a saved list always runs; names are
 * unique per tenant whatever their case; a tenant has at most {@value #MAX_LISTS}.
 */
public final class SmartListService {

    static final int MAX_LISTS = 100;
    static final int MAX_NAME = 80;
    private static final Set<String> WRITABLE = Set.of("name", "query");
    /** Paging is chosen when a list runs, never saved with it. */
    private static final Set<String> PAGING = Set.of("limit", "cursor");
    /** The exact lookups of one customer by its contact (personal data): a list is a filter, not one customer. */
    private static final Set<String> LOOKUPS = Set.of("email", "phone");

    private final SmartListRepository repository;
    private final Clock clock;

    public SmartListService(SmartListRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** {@code {name, query}} → the new list. */
    public SmartList create(String tenant, JsonNode body) {
        var errors = new ArrayList<FieldError>();
        body.fieldNames().forEachRemaining(name -> {
            if (!WRITABLE.contains(name)) {
                errors.add(new FieldError(name, "is not a field of a smart list (name, query)"));
            }
        });
        String name = name(errors, body.get("name"));
        var query = query(errors, body.get("query"));
        failOn(errors);
        Instant now = now();
        var list = new SmartList(Ids.next(Ids.SMART_LIST), name, query, Actor.current().map(Actor::userId).orElse(null), now, now, 1);
        try {
            repository.create(tenant, list, key(name), MAX_LISTS);
        } catch (SmartListRepository.NameTaken e) {
            throw nameTaken();
        } catch (SmartListRepository.TooMany e) {
            throw new ApiException(409, "too_many_smart_lists", "Too many smart lists",
                    "An account may keep at most " + MAX_LISTS + " smart lists; delete one first");
        }
        return list;
    }

    /** Every list of the tenant, by name (one page: there are at most {@value #MAX_LISTS}). */
    public Listing<SmartList> list(String tenant, Map<String, String> query) {
        if (!query.isEmpty()) {
            throw ApiException.invalid(query.keySet().stream().sorted().map(name -> new FieldError(name,
                    "is not a known query parameter (the smart lists are one page of at most " + MAX_LISTS + ")")).toList());
        }
        return new Listing<>(repository.all(tenant, MAX_LISTS).stream()
                .sorted(Comparator.comparing((SmartList l) -> key(l.name())).thenComparing(SmartList::id)).toList(), null);
    }

    public SmartList get(String tenant, String id) {
        return (Ids.isValid(Ids.SMART_LIST, id) ? repository.find(tenant, id) : java.util.Optional.<SmartList>empty())
                .orElseThrow(() -> ApiException.notFound("Smart list " + id));
    }

    /**
     * A JSON merge patch (RFC 7396) of the name and the query (a member of {@code query} set to null is taken out
     * of it), if {@code ifMatch} is the list's ETag; what else the list shows may be sent back unchanged.
     */
    public SmartList update(String tenant, String id, JsonNode patch, String ifMatch) {
        var current = get(tenant, id);
        var changes = MergePatch.writable(current, patch, WRITABLE, "a smart list", field -> "is read-only");
        if (ifMatch == null) {
            throw new ApiException(428, "precondition_required", "Precondition required",
                    "Send If-Match with the ETag of the smart list you are changing");
        }
        if (!MergePatch.matches(ifMatch, current.etag())) {
            throw stale();
        }
        var writable = Json.MAPPER.createObjectNode().put("name", current.name());
        writable.set("query", Json.MAPPER.valueToTree(current.query()));
        var merged = MergePatch.apply(writable, changes);
        var errors = new ArrayList<FieldError>();
        String name = name(errors, merged.get("name"));
        var query = query(errors, merged.get("query") == null ? Json.MAPPER.createObjectNode() : merged.get("query"));
        failOn(errors);
        if (name.equals(current.name()) && query.equals(current.query())) {
            return current;
        }
        var updated = current.edited(name, query, now());
        try {
            repository.replace(tenant, current, key(current.name()), updated, key(name));
        } catch (SmartListRepository.NameTaken e) {
            throw nameTaken();
        } catch (SmartListRepository.Stale e) {
            throw stale();
        }
        return updated;
    }

    public void delete(String tenant, String id) {
        var current = get(tenant, id);
        try {
            repository.delete(tenant, current, key(current.name()));
        } catch (SmartListRepository.Stale e) {
            throw stale();
        }
    }

    /** A name as unique: whatever its case (and its compatibility forms: a full-width letter is the letter). */
    static String key(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    private static String name(List<FieldError> errors, JsonNode raw) {
        if (raw != null && !raw.isNull() && !raw.isTextual()) {
            errors.add(new FieldError("name", "must be a string"));
            return null;
        }
        return CustomerRules.line(errors, "name", raw == null || raw.isNull() ? null : raw.asText(), MAX_NAME, true);
    }

    /**
     * The saved query: an object of {@code GET /customers} parameters, each a string, a whole number or a boolean
     * (as the query string would carry it), checked by that list's parser; errors name {@code query.<parameter>}.
     * Its filters, search and sort: not the page ({@code limit}, {@code cursor}), nor the exact lookups of one
     * customer by a contact ({@code email}, {@code phone}), which would keep a customer's contact in the tenant's lists.
     */
    private static Map<String, String> query(List<FieldError> errors, JsonNode raw) {
        if (raw == null || !raw.isObject()) {
            errors.add(new FieldError("query", raw == null || raw.isNull() ? "is required: the parameters of GET /customers"
                    : "must be an object of GET /customers parameters"));
            return Map.of();
        }
        var query = new TreeMap<String, String>();
        int before = errors.size();
        raw.properties().forEach(member -> {
            String field = "query." + member.getKey();
            JsonNode value = member.getValue();
            if (PAGING.contains(member.getKey())) {
                errors.add(new FieldError(field, "is not saved with a list: a page is chosen when the list runs"));
            } else if (LOOKUPS.contains(member.getKey())) {
                errors.add(new FieldError(field, "is not saved with a list: it looks up one customer by its contact; use q to search"));
            } else if (value.isTextual() || value.isIntegralNumber() || value.isBoolean()) {
                query.put(member.getKey(), value.asText());
            } else {
                errors.add(new FieldError(field, "must be a string, a whole number or a boolean"));
            }
        });
        if (errors.size() > before) {
            return query;
        }
        try {
            ListQuery.parse(query);
        } catch (ApiException e) {
            if (e.status() != 400) {
                throw e;
            }
            e.errors().forEach(error -> errors.add(new FieldError("query." + error.field(), error.message())));
        }
        return query;
    }

    private static void failOn(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    private static ApiException nameTaken() {
        return new ApiException(409, "smart_list_name_taken", "Name already in use",
                "Another smart list of this account has this name", List.of(new FieldError("name", "is already in use")),
                Map.of(), Map.of());
    }

    private static ApiException stale() {
        return new ApiException(412, "precondition_failed", "Precondition failed",
                "The smart list changed since you read it; read it again and reapply your change");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
