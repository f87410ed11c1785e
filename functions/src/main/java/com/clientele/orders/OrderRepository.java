package com.clientele.orders;

import com.clientele.customers.CustomerRepository;
import com.clientele.shared.Activity;
import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.Table.Index;
import com.clientele.shared.TransactPut;
import com.clientele.shared.items.MergeContext;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Orders in the single table ({@link OrderItems}): each in its customer's partition with its pointer,
 * indexed by status in GSI4. Every write is one transaction with the order's activity (and the
 * completion of the request that finishes it): a new order is conditioned on not existing, with a
 * check that its customer is live (or, for a customer it creates, with the customer's own items);
 * a change on the version read, so a concurrent change fails it ({@link Stale}).
 */
public final class OrderRepository {

    private static final String ENTITY = "entity";
    private static final String CUSTOMER_ID = "customerId";
    private static final int MAX_MOVE_ATTEMPTS = 5;
    private static final Set<String> ITEM_ONLY = Set.of(ENTITY);

    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EnhancedDocument> table;

    public OrderRepository(DynamoDbEnhancedClient client, String tableName) {
        this.client = client;
        this.table = client.table(tableName, Table.SCHEMA);
    }

    /** The order changed since it was read, it exists already, or its customer is no longer live. */
    static final class Stale extends RuntimeException {
        Stale() {
            super(null, null, false, false);
        }
    }

    /** An order by its id: its pointer, then the order in its customer's partition (both consistent). */
    Optional<Order> find(String tenant, String orderId) {
        var pointer = table.getItem(r -> r.key(key(OrderItems.pointer(tenant, orderId), OrderItems.POINTER)).consistentRead(true));
        return pointer == null ? Optional.empty() : find(tenant, pointer.getString(CUSTOMER_ID), orderId);
    }

    Optional<Order> find(String tenant, String customerId, String orderId) {
        var item = table.getItem(r -> r.key(key(Keys.customer(tenant, customerId), OrderItems.sortKey(orderId))).consistentRead(true));
        return Optional.ofNullable(item).map(OrderRepository::order);
    }

    /** A page of a customer's orders, newest first. */
    Pages.Slice ofCustomer(String tenant, String customerId, int limit, Map<String, String> after) {
        return Pages.read(table::query, null, QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId))
                .sortValue(OrderItems.ORDER)), false, limit, after, null);
    }

    /** A page of the tenant's orders of one status, newest first (GSI4). */
    Pages.Slice byStatus(String tenant, OrderStatus status, int limit, Map<String, String> after) {
        return Pages.read(table.index(Index.GSI4.name())::query, Index.GSI4,
                QueryConditional.keyEqualTo(k -> k.partitionValue(OrderItems.byStatus(tenant, status))), false, limit, after, null);
    }

    static Order order(EnhancedDocument item) {
        return Items.read(item, Order.class, ITEM_ONLY);
    }

    /**
     * A new order, its pointer and its activity (and the request's {@code completion}, when the order is
     * final as placed), for a live customer: {@link Stale} if the order exists or the customer is not live.
     */
    void insert(String tenant, Order order, Activity activity, TransactPut completion) {
        var tx = insertion(tenant, order, activity, completion)
                .addConditionCheck(table, CustomerRepository.liveCheck(tenant, order.customerId()));
        write(tx);
    }

    /** {@link #insert} with a new customer's items before the order's, in one transaction. */
    void insert(String tenant, Order order, Activity activity, TransactPut completion, CustomerRepository.Insertion customer) {
        try {
            customer.write(insertion(tenant, order, activity, completion).build().transactWriteItems());
        } catch (CustomerRepository.OtherItemFailed e) {
            throw new Stale();
        }
    }

    private TransactWriteItemsEnhancedRequest.Builder insertion(String tenant, Order order, Activity activity, TransactPut completion) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, put(item(tenant, order), Expression.builder().expression("attribute_not_exists(PK)").build()))
                .addPutItem(table, put(pointer(tenant, order.id(), order.customerId()), null))
                .addPutItem(table, activity.put(tenant, order.customerId()));
        if (completion != null) {
            tx.addPutItem(table, completion.request());
        }
        return tx;
    }

    /** The order as changed, if still at {@code before}'s version, with its activity (none when null) and completion (none when null). */
    void update(String tenant, Order before, Order after, Activity activity, TransactPut completion) {
        var tx = TransactWriteItemsEnhancedRequest.builder().addPutItem(table, put(item(tenant, after),
                Expression.builder().expression("version = :v")
                        .putExpressionValue(":v", AttributeValue.fromN(Long.toString(before.version()))).build()));
        if (activity != null) {
            tx.addPutItem(table, activity.put(tenant, after.customerId()));
        }
        if (completion != null) {
            tx.addPutItem(table, completion.request());
        }
        write(tx);
    }

    /**
     * A merge's move of a duplicate's order ({@link OrderItems#itemType}): the copy in the primary's partition
     * with its {@code customerId} rewritten (never over a newer copy), its pointer moved, then the original
     * deleted at the version copied; if the original changed in between (paid, canceled), again.
     */
    static void moveIntoPrimary(ObjectNode item, MergeContext merge) {
        var store = merge.store();
        for (int attempt = 1; attempt <= MAX_MOVE_ATTEMPTS; attempt++) {
            String orderId = item.path("id").asText();
            long version = item.path("version").asLong();
            var copy = item.deepCopy();
            copy.put(Table.PK, merge.to()).put(CUSTOMER_ID, merge.primaryId());
            store.copy(copy, version);
            store.put(Items.json(pointer(merge.tenant(), orderId, merge.primaryId())));
            if (store.delete(merge.from(), item.path(Table.SK).asText(), version)) {
                return;
            }
            var now = store.item(merge.from(), item.path(Table.SK).asText());
            if (now.isEmpty()) {
                return;
            }
            item = now.get();
        }
        throw new MergeContext.Interrupted();
    }

    private static EnhancedDocument item(String tenant, Order order) {
        ObjectNode json = Items.attributes(order);
        json.put(Table.PK, Keys.customer(tenant, order.customerId())).put(Table.SK, OrderItems.sortKey(order.id())).put(ENTITY, "order")
                .put(Index.GSI4.pk(), OrderItems.byStatus(tenant, order.status())).put(Index.GSI4.sk(), order.id());
        return Items.document(json);
    }

    private static EnhancedDocument pointer(String tenant, String orderId, String customerId) {
        return Table.item().putString(Table.PK, OrderItems.pointer(tenant, orderId)).putString(Table.SK, OrderItems.POINTER)
                .putString(ENTITY, "orderPointer").putString(CUSTOMER_ID, customerId).build();
    }

    private static TransactPutItemEnhancedRequest<EnhancedDocument> put(EnhancedDocument item, Expression condition) {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item).conditionExpression(condition).build();
    }

    private void write(TransactWriteItemsEnhancedRequest.Builder tx) {
        try {
            client.transactWriteItems(tx.build());
        } catch (TransactionCanceledException e) {
            throw new Stale();
        }
    }

    private static Key key(String partition, String sortKey) {
        return Key.builder().partitionValue(partition).sortValue(sortKey).build();
    }
}
