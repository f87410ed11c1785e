package com.clientele.customers;

import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Table;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Smart lists in the table, in the tenant's partition {@code T#<t>#SMARTLISTS} (a tenant's items, holding no
 * customer's data, so no customer's merge, export, erasure or delete reaches them):
 * <ul>
 *   <li>a list: {@code SL#<sl>} ({@link SmartList}, with {@code version});</li>
 *   <li>its name guard: {@code NAME#<name, case folded>} ({@code smartListId}), so a name is taken once;</li>
 *   <li>the tenant's count of lists: {@code COUNT} ({@code lists}), moved in each create and delete, so the cap holds
 *   whatever runs at the same time.</li>
 * </ul>
 * Each change is one transaction of the list, its guards and the count.
 */
public final class SmartListRepository {

    private static final String LIST = "SL#";
    private static final String NAME = "NAME#";
    private static final String COUNT = "COUNT";
    private static final String LISTS = "lists";
    private static final Set<String> ITEM_ONLY = Set.of("entity");

    private final DynamoDbClient dynamoDb;
    private final String table;

    public SmartListRepository(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** The name is another list's. */
    static final class NameTaken extends RuntimeException {
        NameTaken() {
            super(null, null, false, false);
        }
    }

    /** The tenant has as many lists as it may. */
    static final class TooMany extends RuntimeException {
        TooMany() {
            super(null, null, false, false);
        }
    }

    /** The list changed or went since it was read. */
    static final class Stale extends RuntimeException {
        Stale() {
            super(null, null, false, false);
        }
    }

    Optional<SmartList> find(String tenant, String id) {
        var item = dynamoDb.getItem(r -> r.tableName(table).key(key(tenant, LIST + id)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Items.read(item, SmartList.class, ITEM_ONLY));
    }

    /** Every list of the tenant (at most {@code max}: one page of one Query). */
    List<SmartList> all(String tenant, int max) {
        var items = dynamoDb.query(r -> r.tableName(table).consistentRead(true).limit(max)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :list)")
                .expressionAttributeNames(Map.of("#pk", Table.PK, "#sk", Table.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition(tenant)), ":list", AttributeValue.fromS(LIST))))
                .items();
        return items.stream().map(item -> Items.read(item, SmartList.class, ITEM_ONLY)).toList();
    }

    /** A new list with its name ({@code nameKey}: folded), if the name is free and the tenant has fewer than {@code max}. */
    void create(String tenant, SmartList list, String nameKey, int max) {
        var count = TransactWriteItem.builder().update(u -> u.tableName(table).key(key(tenant, COUNT))
                .updateExpression("ADD #n :one").conditionExpression("attribute_not_exists(#n) OR #n < :max")
                .expressionAttributeNames(Map.of("#n", LISTS))
                .expressionAttributeValues(Map.of(":one", number(1), ":max", number(max)))).build();
        write(List.of(put(item(tenant, list), "attribute_not_exists(#pk)", null), guard(tenant, list.id(), nameKey), count));
    }

    /** The list as changed, if still at {@code before}'s version; its name guard moved when the name's key changed. */
    void replace(String tenant, SmartList before, String beforeKey, SmartList after, String afterKey) {
        var writes = new ArrayList<TransactWriteItem>();
        writes.add(put(item(tenant, after), "#v = :v", Map.of(":v", number(before.version()))));
        if (!beforeKey.equals(afterKey)) {
            writes.add(guard(tenant, after.id(), afterKey));
            writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(tenant, NAME + beforeKey))).build());
        }
        write(writes);
    }

    /** The list, its name guard and one from the count, if the list is still at {@code list}'s version. */
    void delete(String tenant, SmartList list, String nameKey) {
        write(List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(tenant, LIST + list.id()))
                        .conditionExpression("#v = :v").expressionAttributeNames(Map.of("#v", "version"))
                        .expressionAttributeValues(Map.of(":v", number(list.version())))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(tenant, NAME + nameKey))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key(tenant, COUNT)).updateExpression("ADD #n :minus")
                        .expressionAttributeNames(Map.of("#n", LISTS)).expressionAttributeValues(Map.of(":minus", number(-1)))).build()));
    }

    /** The first of {@code writes} is the list: its failed condition is {@link Stale}; a guard's, {@link NameTaken}; the count's, {@link TooMany}. */
    private void write(List<TransactWriteItem> writes) {
        try {
            dynamoDb.transactWriteItems(r -> r.transactItems(writes));
        } catch (TransactionCanceledException e) {
            var reasons = e.cancellationReasons();
            for (int i = 0; i < Math.min(reasons.size(), writes.size()); i++) {
                if (failed(reasons.get(i))) {
                    var write = writes.get(i);
                    String sk = write.put() != null ? write.put().item().get(Table.SK).s()
                            : write.update() != null ? COUNT : write.delete().key().get(Table.SK).s();
                    throw sk.startsWith(NAME) ? new NameTaken() : sk.equals(COUNT) ? new TooMany() : new Stale();
                }
            }
            throw e;
        }
    }

    private static boolean failed(CancellationReason reason) {
        return "ConditionalCheckFailed".equals(reason.code());
    }

    private TransactWriteItem guard(String tenant, String id, String nameKey) {
        var item = Map.of(Table.PK, AttributeValue.fromS(partition(tenant)), Table.SK, AttributeValue.fromS(NAME + nameKey),
                "entity", AttributeValue.fromS("smartListName"), "smartListId", AttributeValue.fromS(id));
        return put(item, "attribute_not_exists(#pk)", null);
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values) {
        var names = condition.contains("#pk") ? Map.of("#pk", Table.PK) : Map.of("#v", "version");
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values)).build();
    }

    private static Map<String, AttributeValue> item(String tenant, SmartList list) {
        ObjectNode json = Items.attributes(list);
        json.put(Table.PK, partition(tenant)).put(Table.SK, LIST + list.id()).put("entity", "smartList");
        return Items.document(json).toMap();
    }

    private static String partition(String tenant) {
        return Keys.tenant(tenant) + "#SMARTLISTS";
    }

    private static Map<String, AttributeValue> key(String tenant, String sortKey) {
        return Map.of(Table.PK, AttributeValue.fromS(partition(tenant)), Table.SK, AttributeValue.fromS(sortKey));
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }
}
