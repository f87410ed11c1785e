package com.clientele.webhooks;

import com.clientele.shared.Items;
import com.clientele.shared.Json;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.Table.Index;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Endpoints, events and deliveries in the table ({@link WebhookItems}): the only code that knows their keys. */
final class WebhookRepository {

    /** Events and deliveries are kept this long (the table's TTL removes them). */
    static final Duration RETENTION = Duration.ofDays(30);
    private static final Set<String> ENDPOINT_ONLY = Set.of("entity", "secret", "previousSecret", "previousSecretExpiresAt");
    private static final Set<String> DELIVERY_ONLY = Set.of("entity", "tenantId");
    private static final Expression IS_NEW = Expression.builder().expression("attribute_not_exists(PK)").build();

    private final DynamoDbTable<EnhancedDocument> table;

    WebhookRepository(DynamoDbEnhancedClient client, String tableName) {
        this.table = client.table(tableName, Table.SCHEMA);
    }

    /** The endpoint or event changed, or exists, since it was read. */
    static final class Stale extends RuntimeException {
        Stale() {
            super(null, null, false, false);
        }
    }

    /** An endpoint and its sealed secrets. */
    record Stored(WebhookEndpoint endpoint, EndpointSecrets secrets) {
    }

    // ---- endpoints ---------------------------------------------------------------------------------

    void insertEndpoint(String tenant, WebhookEndpoint endpoint, EndpointSecrets secrets) {
        put(endpointItem(tenant, endpoint, secrets), IS_NEW);
    }

    /** The endpoint as changed (its secrets too), if it is still at {@code before}'s version. */
    void replaceEndpoint(String tenant, WebhookEndpoint before, WebhookEndpoint after, EndpointSecrets secrets) {
        put(endpointItem(tenant, after, secrets), version(before.version()));
    }

    Optional<Stored> findEndpoint(String tenant, String endpointId) {
        var item = table.getItem(r -> r.key(key(WebhookItems.endpoints(tenant), WebhookItems.endpoint(endpointId))).consistentRead(true));
        return Optional.ofNullable(item).map(WebhookRepository::stored);
    }

    /** Every endpoint of the tenant (one Query; a tenant has a handful). */
    List<Stored> endpoints(String tenant) {
        var found = new ArrayList<Stored>();
        table.query(QueryEnhancedRequest.builder().queryConditional(QueryConditional.sortBeginsWith(k -> k
                .partitionValue(WebhookItems.endpoints(tenant)).sortValue(WebhookItems.ENDPOINT))).build())
                .items().forEach(item -> found.add(stored(item)));
        return found;
    }

    Pages.Slice endpointsPage(String tenant, int limit, Map<String, String> after) {
        return Pages.read(table::query, null, QueryConditional.sortBeginsWith(k -> k.partitionValue(WebhookItems.endpoints(tenant))
                .sortValue(WebhookItems.ENDPOINT)), false, limit, after, null);
    }

    static WebhookEndpoint endpoint(EnhancedDocument item) {
        return Items.read(item, WebhookEndpoint.class, ENDPOINT_ONLY);
    }

    void deleteEndpoint(String tenant, String endpointId) {
        table.deleteItem(key(WebhookItems.endpoints(tenant), WebhookItems.endpoint(endpointId)));
    }

    private static Stored stored(EnhancedDocument item) {
        String expires = item.getString("previousSecretExpiresAt");
        return new Stored(endpoint(item), new EndpointSecrets(item.getString("secret"), item.getString("previousSecret"),
                expires == null ? null : Instant.parse(expires)));
    }

    private static EnhancedDocument endpointItem(String tenant, WebhookEndpoint endpoint, EndpointSecrets secrets) {
        ObjectNode json = Items.attributes(endpoint);
        json.put(Table.PK, WebhookItems.endpoints(tenant)).put(Table.SK, WebhookItems.endpoint(endpoint.id()))
                .put("entity", "webhookEndpoint").put("secret", secrets.current());
        if (secrets.previous() != null) {
            json.put("previousSecret", secrets.previous()).put("previousSecretExpiresAt", secrets.previousExpiresAt().toString());
        }
        return Items.document(json);
    }

    // ---- events ------------------------------------------------------------------------------------

    /** Stores the event (kept {@link #RETENTION}); false when it is stored already (a redelivery). */
    boolean insertEvent(WebhookEvent event) {
        var item = Table.item().putString(Table.PK, WebhookItems.events(event.tenantId()))
                .putString(Table.SK, WebhookItems.event(event.id()))
                .putString("entity", "webhookEvent").putString("type", event.type()).putString("createdAt", event.createdAt().toString())
                .putString("body", event.json())
                .putNumber(Table.TTL, event.createdAt().plus(RETENTION).getEpochSecond());
        String objectId = event.objectId();
        if (objectId != null) {
            item.putString("objectId", objectId);
        }
        try {
            put(item.build(), IS_NEW);
            return true;
        } catch (Stale e) {
            return false;
        }
    }

    Optional<WebhookEvent> findEvent(String tenant, String eventId) {
        var item = table.getItem(r -> r.key(key(WebhookItems.events(tenant), WebhookItems.event(eventId))));
        return Optional.ofNullable(item).map(WebhookRepository::event);
    }

    /** A page of the tenant's events, newest first, only those of {@code type} and about {@code objectId} when set. */
    Pages.Slice eventsPage(String tenant, String type, String objectId, int limit, Map<String, String> after) {
        var filter = new ArrayList<String>();
        var builder = Expression.builder();
        if (type != null) {
            filter.add("#type = :type");
            builder.putExpressionName("#type", "type").putExpressionValue(":type", AttributeValue.fromS(type));
        }
        if (objectId != null) {
            filter.add("objectId = :object");
            builder.putExpressionValue(":object", AttributeValue.fromS(objectId));
        }
        return Pages.read(table::query, null, QueryConditional.sortBeginsWith(k -> k.partitionValue(WebhookItems.events(tenant))
                .sortValue(WebhookItems.EVENT)), false, limit, after, filter.isEmpty() ? null : builder.expression(String.join(" AND ", filter)).build());
    }

    /**
     * A customer's personal data was erased ({@code at}): a marker, kept as long as the events, so that a
     * personal event about it stored later is stored redacted ({@link #erased}); then every stored event about
     * it of {@code types} rewritten redacted (one Query of the tenant's events, filtered). Repeating it is harmless.
     */
    void forgetCustomer(String tenant, String customerId, Instant at, Set<String> types) {
        table.putItem(Table.item().putString(Table.PK, WebhookItems.events(tenant)).putString(Table.SK, WebhookItems.erased(customerId))
                .putString("entity", "webhookErasure").putString("erasedAt", at.toString())
                .putNumber(Table.TTL, at.plus(RETENTION).plus(RETENTION).getEpochSecond()).build());
        var values = new java.util.HashMap<String, AttributeValue>();
        values.put(":object", AttributeValue.fromS(customerId));
        var placeholders = new ArrayList<String>();
        for (String type : types) {
            placeholders.add(":t" + placeholders.size());
            values.put(placeholders.getLast(), AttributeValue.fromS(type));
        }
        var filter = Expression.builder().expression("objectId = :object AND #type IN (" + String.join(", ", placeholders) + ")")
                .putExpressionName("#type", "type").expressionValues(values).build();
        var request = QueryEnhancedRequest.builder().queryConditional(QueryConditional.sortBeginsWith(k -> k
                .partitionValue(WebhookItems.events(tenant)).sortValue(WebhookItems.EVENT))).filterExpression(filter).build();
        for (var item : table.query(request).items()) {
            table.putItem(item.toBuilder().putString("body", event(item).redacted().json()).build());
        }
    }

    /** Whether the customer's personal data was erased (within the events' retention). */
    boolean erased(String tenant, String customerId) {
        return table.getItem(r -> r.key(key(WebhookItems.events(tenant), WebhookItems.erased(customerId))).consistentRead(true)) != null;
    }

    static WebhookEvent event(EnhancedDocument item) {
        try {
            return Json.MAPPER.readValue(item.getString("body"), WebhookEvent.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- deliveries --------------------------------------------------------------------------------

    /** A new delivery, due for the sweep at {@code dueAt}; false when the event has one to this endpoint already. */
    boolean insertDelivery(String tenant, WebhookDelivery delivery, Instant dueAt) {
        try {
            put(deliveryItem(tenant, delivery, dueAt), IS_NEW);
            return true;
        } catch (Stale e) {
            return false;
        }
    }

    Optional<WebhookDelivery> findDelivery(String tenant, String endpointId, String eventId) {
        var item = table.getItem(r -> r.key(key(WebhookItems.deliveries(tenant, endpointId), WebhookItems.delivery(eventId))).consistentRead(true));
        return Optional.ofNullable(item).map(WebhookRepository::delivery);
    }

    /**
     * The delivery as changed ({@code dueAt}: when the sweep is to wake it, null when nothing is due), if it is
     * still as {@code before} (same status and attempts): of two workers on one attempt, one wins ({@link Stale}).
     */
    void replaceDelivery(String tenant, WebhookDelivery before, WebhookDelivery after, Instant dueAt) {
        put(deliveryItem(tenant, after, dueAt), Expression.builder().expression("#s = :s AND attempts = :a")
                .putExpressionName("#s", "status").putExpressionValue(":s", AttributeValue.fromS(before.status()))
                .putExpressionValue(":a", AttributeValue.fromN(Integer.toString(before.attempts()))).build());
    }

    /** The delivery as {@code after}, whatever it was (a resend). */
    void putDelivery(String tenant, WebhookDelivery after, Instant dueAt) {
        put(deliveryItem(tenant, after, dueAt), null);
    }

    Pages.Slice deliveriesPage(String tenant, String endpointId, int limit, Map<String, String> after) {
        return Pages.read(table::query, null, QueryConditional.sortBeginsWith(k -> k.partitionValue(WebhookItems.deliveries(tenant, endpointId))
                .sortValue(WebhookItems.DELIVERY)), false, limit, after, null);
    }

    static WebhookDelivery delivery(EnhancedDocument item) {
        return Items.read(item, WebhookDelivery.class, DELIVERY_ONLY);
    }

    /** A delivery the sweep found due, with its tenant. */
    record Due(String tenantId, WebhookDelivery delivery, String dueKey) {
    }

    /**
     * Every delivery whose sweep time is before {@code before}, shard by shard, while {@code budgetLeft};
     * each is handed to {@code each}.
     */
    void due(Instant before, BooleanSupplier budgetLeft, java.util.function.Consumer<Due> each) {
        for (int shard = 0; shard < WebhookItems.DUE_SHARDS; shard++) {
            int s = shard;
            var request = QueryEnhancedRequest.builder().queryConditional(QueryConditional.sortLessThan(k -> k
                    .partitionValue(WebhookItems.dueShard(s)).sortValue(before.toString()))).build();
            for (var page : table.index(Index.GSI3.name()).query(request)) {
                for (var item : page.items()) {
                    if (!budgetLeft.getAsBoolean()) {
                        return;
                    }
                    each.accept(new Due(item.getString("tenantId"), delivery(item), item.getString(Index.GSI3.sk())));
                }
            }
        }
    }

    /** Moves a due delivery's sweep time to {@code dueAt}, unless a worker changed it meanwhile (then false). */
    boolean postpone(Due due, Instant dueAt) {
        try {
            put(deliveryItem(due.tenantId(), due.delivery(), dueAt), Expression.builder().expression("#k = :k")
                    .putExpressionName("#k", Index.GSI3.sk()).putExpressionValue(":k", AttributeValue.fromS(due.dueKey())).build());
            return true;
        } catch (Stale e) {
            return false;
        }
    }

    private static EnhancedDocument deliveryItem(String tenant, WebhookDelivery delivery, Instant dueAt) {
        ObjectNode json = Items.attributes(delivery);
        json.put(Table.PK, WebhookItems.deliveries(tenant, delivery.endpointId())).put(Table.SK, WebhookItems.delivery(delivery.eventId()))
                .put("entity", "webhookDelivery").put("tenantId", tenant)
                .put(Table.TTL, delivery.createdAt().plus(RETENTION).getEpochSecond());
        if (dueAt != null) {
            json.put(Index.GSI3.pk(), WebhookItems.dueShard(WebhookItems.dueShardOf(delivery.endpointId(), delivery.eventId())))
                    .put(Index.GSI3.sk(), dueAt + "#" + tenant + "#" + delivery.endpointId() + "#" + delivery.eventId());
        }
        return Items.document(json);
    }

    // ---- shared ------------------------------------------------------------------------------------

    private void put(EnhancedDocument item, Expression condition) {
        try {
            table.putItem(PutItemEnhancedRequest.builder(EnhancedDocument.class).item(item).conditionExpression(condition).build());
        } catch (ConditionalCheckFailedException e) {
            throw new Stale();
        }
    }

    private static Expression version(long version) {
        return Expression.builder().expression("version = :v").putExpressionValue(":v", AttributeValue.fromN(Long.toString(version))).build();
    }

    private static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }
}
