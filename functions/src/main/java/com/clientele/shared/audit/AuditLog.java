package com.clientele.shared.audit;

import com.clientele.shared.Actor;
import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.http.Listing;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A tenant's audit log: one item per change, in one partition per tenant and UTC day
 * ({@code T#<tenant>#AUDIT#<yyyy-MM-dd>}), sorted by time then request id, and removed by the table's
 * TTL after the retention period. Reading it is one Query per day of the requested window (at most
 * {@value #MAX_WINDOW_DAYS} days), newest first; the filters are filter expressions on those Queries.
 */
public final class AuditLog {

    public static final int DEFAULT_RETENTION_DAYS = 400;
    public static final int MAX_WINDOW_DAYS = 31;
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
    private static final Set<String> FILTERS = Set.of("actor", "action", "customerId", "from", "to");

    private final DynamoDbTable<EnhancedDocument> table;
    private final Clock clock;
    private final Duration retention;

    public AuditLog(DynamoDbClient dynamoDb, String tableName, Clock clock, int retentionDays) {
        if (retentionDays < 1) {
            throw new IllegalArgumentException("the audit retention must be at least a day, not " + retentionDays);
        }
        this.table = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build().table(tableName, Table.SCHEMA);
        this.clock = clock;
        this.retention = Duration.ofDays(retentionDays);
    }

    /** Writes the line of a change {@code actor} made now; returns it. */
    public AuditEntry record(String tenant, Actor actor, String action, int status, String customerId, Map<String, String> resourceIds) {
        var entry = new AuditEntry(clock.instant(), actor, action, status, customerId, resourceIds);
        ObjectNode json = Items.attributes(entry);
        json.put(Table.PK, partition(tenant, entry.at())).put(Table.SK, sortKey(entry.at(), actor.requestId()))
                .put("entity", "audit").put(Table.TTL, entry.at().plus(retention).getEpochSecond());
        table.putItem(Items.document(json));
        return entry;
    }

    /**
     * {@code GET /audit}: newest first, filtered by {@code actor} (user id), {@code action} (route),
     * {@code customerId}, in the window {@code from} … {@code to} (ISO instants; by default the last
     * 7 days, at most {@value #MAX_WINDOW_DAYS}). A cursor carries its window.
     */
    public Listing<AuditEntry> list(String tenant, Map<String, String> query, Cursors cursors) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, FILTERS, errors);
        Instant to = instant(query, "to", errors);
        Instant from = instant(query, "from", errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        String scope = "audit:" + query.getOrDefault("actor", "") + ":" + query.getOrDefault("action", "") + ":"
                + query.getOrDefault("customerId", "");
        Map<String, String> after = cursors.after(tenant, scope, paging);
        if (after != null) {
            from = Instant.parse(after.get("from"));
            to = Instant.parse(after.get("to"));
        } else {
            to = to == null ? clock.instant() : to;
            from = from == null ? to.minus(DEFAULT_WINDOW) : from;
            if (from.isAfter(to) || Duration.between(from, to).compareTo(Duration.ofDays(MAX_WINDOW_DAYS)) > 0) {
                throw ApiException.invalid("from", "must be before to, and at most " + MAX_WINDOW_DAYS + " days before it");
            }
        }
        Expression filter = filter(query);
        var items = new ArrayList<EnhancedDocument>();
        Map<String, String> resume = null;
        LocalDate first = day(after == null ? to : Instant.ofEpochMilli(Long.parseLong(after.get(Table.SK).substring(0, 15))));
        for (LocalDate day = first; !day.isBefore(day(from)) && items.size() < paging.limit(); day = day.minusDays(1)) {
            String pk = partition(tenant, day);
            var condition = QueryConditional.sortBetween(Key.builder().partitionValue(pk).sortValue(millis(from)).build(),
                    Key.builder().partitionValue(pk).sortValue(millis(to) + "~").build());
            Map<String, String> start = day.equals(first) && after != null ? Map.of(Table.PK, after.get(Table.PK), Table.SK, after.get(Table.SK)) : null;
            var slice = Pages.read(table::query, null, condition, false, paging.limit() - items.size(), start, filter);
            items.addAll(slice.items());
            resume = slice.resumeAfter();
            if (resume != null) {
                break;
            }
            if (items.size() == paging.limit() && day.isAfter(day(from))) {
                resume = Pages.keyOf(items.get(items.size() - 1), null);
            }
        }
        String next = null;
        if (resume != null) {
            var position = new LinkedHashMap<>(resume);
            position.put("from", from.toString());
            position.put("to", to.toString());
            next = cursors.encode(tenant, scope, position);
        }
        return new Listing<>(items.stream().map(i -> Items.read(i, AuditEntry.class, Set.of("entity"))).toList(), next);
    }

    private static Expression filter(Map<String, String> query) {
        var conditions = new ArrayList<String>();
        var values = new HashMap<String, AttributeValue>();
        var names = new HashMap<String, String>();
        Map<String, String> paths = Map.of("actor", "#actor.#userId", "action", "#action", "customerId", "#customerId");
        for (var filter : List.of("actor", "action", "customerId")) {
            String value = ListParams.blank(query.get(filter));
            if (value != null) {
                names.put("#" + filter, filter);
                values.put(":" + filter, AttributeValue.fromS(value));
                conditions.add(paths.get(filter) + " = :" + filter);
            }
        }
        if (names.containsKey("#actor")) {
            names.put("#userId", "userId");
        }
        return conditions.isEmpty() ? null : Expression.builder().expression(String.join(" AND ", conditions))
                .expressionNames(names).expressionValues(values).build();
    }

    private static Instant instant(Map<String, String> query, String name, List<FieldError> errors) {
        String value = ListParams.blank(query.get(name));
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(name, "must be an ISO-8601 instant, e.g. 2026-01-31T00:00:00Z"));
            return null;
        }
    }

    private static String partition(String tenant, Instant at) {
        return partition(tenant, day(at));
    }

    private static String partition(String tenant, LocalDate day) {
        return Keys.tenant(tenant) + "#AUDIT#" + day;
    }

    private static String sortKey(Instant at, String requestId) {
        return millis(at) + "#" + (requestId == null ? "" : requestId);
    }

    private static String millis(Instant at) {
        return String.format("%015d", at.toEpochMilli());
    }

    private static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }
}
