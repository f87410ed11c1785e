package com.clientele.relationship;

import com.clientele.analytics.TenantCounters;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Table;
import com.clientele.shared.TransactPut;
import com.clientele.shared.items.ItemStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The items of a merge: the merge's record ({@code MERGE}) in the duplicate's partition, the lock a
 * running merge holds in the primary's ({@code MERGE#INTO}), and the single-item writes with which
 * the item types' merge policies move items from one partition to the other. Every move is a conditional copy followed by a conditional delete, so
 * that it can be repeated, and run twice at once, without overwriting a newer copy.
 */
public final class MergeRepository implements ItemStore {

    private static final String ENTITY = "entity";
    private static final Expression NOT_EXISTS = Expression.builder().expression("attribute_not_exists(PK)").build();

    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EnhancedDocument> table;
    private final TenantCounters counters;

    public MergeRepository(DynamoDbClient dynamoDb, DynamoDbEnhancedClient client, String tableName) {
        this.client = client;
        this.table = client.table(tableName, Table.SCHEMA);
        this.counters = new TenantCounters(dynamoDb, tableName);
    }

    /** Raised when a merge's transaction found another state than the one it was based on. */
    static final class Changed extends RuntimeException {
        Changed() {
            super(null, null, false, false);
        }
    }

    // ---- reads -----------------------------------------------------------------------------------

    Optional<MergeRecord> record(String tenant, String duplicateId) {
        var item = table.getItem(r -> r.key(key(Keys.customer(tenant, duplicateId), RelationshipItems.MERGE)).consistentRead(true));
        return Optional.ofNullable(item).map(i -> Items.read(i, MergeRecord.class, java.util.Set.of(ENTITY)));
    }

    /** The duplicate whose merge into {@code customerId} is running, if one is. */
    Optional<String> mergeRunningInto(String tenant, String customerId) {
        var item = table.getItem(r -> r.key(key(Keys.customer(tenant, customerId), RelationshipItems.MERGE_INTO)).consistentRead(true));
        return Optional.ofNullable(item).map(i -> i.getString("duplicateId"));
    }

    /** The customer's items whose sort key begins with {@code prefix} ("" for the whole partition), as JSON. */
    List<ObjectNode> items(String tenant, String customerId, String prefix) {
        var pk = Keys.customer(tenant, customerId);
        var condition = prefix.isEmpty() ? QueryConditional.keyEqualTo(k -> k.partitionValue(pk))
                : QueryConditional.sortBeginsWith(k -> k.partitionValue(pk).sortValue(prefix));
        var items = new ArrayList<ObjectNode>();
        table.query(QueryEnhancedRequest.builder().queryConditional(condition).consistentRead(true).build())
                .items().forEach(item -> items.add(Items.json(item)));
        return items;
    }

    @Override
    public Optional<ObjectNode> item(String pk, String sk) {
        return Optional.ofNullable(table.getItem(r -> r.key(key(pk, sk)).consistentRead(true))).map(Items::json);
    }

    // ---- the merge's record ------------------------------------------------------------------------

    /** The merge's first record: only where there is none. */
    TransactPutItemEnhancedRequest<EnhancedDocument> start(String tenant, MergeRecord record) {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(recordItem(tenant, record))
                .conditionExpression(NOT_EXISTS).build();
    }

    /** The record one step on: only while it is still at the step {@code before} records. */
    TransactPut advance(String tenant, MergeRecord before, MergeRecord after) {
        return new TransactPut(recordItem(tenant, after),
                Expression.builder().expression("#s = :s AND pointsMoved = :p AND primaryId = :primary")
                        .putExpressionName("#s", "status")
                        .putExpressionValue(":s", AttributeValue.fromS(before.status().value()))
                        .putExpressionValue(":p", AttributeValue.fromBool(before.pointsMoved()))
                        .putExpressionValue(":primary", AttributeValue.fromS(before.primaryId())).build());
    }

    /** The lock in the primary's partition: no other duplicate's merge into it may be running. */
    TransactPutItemEnhancedRequest<EnhancedDocument> lock(String tenant, String primaryId, String duplicateId) {
        var item = Table.item().putString(Table.PK, Keys.customer(tenant, primaryId)).putString(Table.SK, RelationshipItems.MERGE_INTO)
                .putString(ENTITY, "mergeLock").putString("duplicateId", duplicateId).build();
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item)
                .conditionExpression(Expression.builder().expression("attribute_not_exists(PK) OR duplicateId = :d")
                        .putExpressionValue(":d", AttributeValue.fromS(duplicateId)).build()).build();
    }

    /** A check that nothing is being merged into {@code customerId} (so it can be merged away itself). */
    ConditionCheck<EnhancedDocument> noMergeInto(String tenant, String customerId) {
        return ConditionCheck.builder().key(key(Keys.customer(tenant, customerId), RelationshipItems.MERGE_INTO)).conditionExpression(NOT_EXISTS).build();
    }

    /**
     * The last step: the record {@code after} (done), the primary's lock released, its activity and,
     * when the primary gains a currency or a card reference, its profile; all or nothing.
     */
    void finish(String tenant, MergeRecord before, MergeRecord after, TransactPutItemEnhancedRequest<EnhancedDocument> activity,
                TransactPutItemEnhancedRequest<EnhancedDocument> profile, java.util.Map<String, Long> counted) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, advance(tenant, before, after).request())
                .addDeleteItem(table, TransactDeleteItemEnhancedRequest.builder()
                        .key(key(Keys.customer(tenant, after.primaryId()), RelationshipItems.MERGE_INTO))
                        .conditionExpression(Expression.builder().expression("duplicateId = :d")
                                .putExpressionValue(":d", AttributeValue.fromS(after.duplicateId())).build()).build())
                .addPutItem(table, activity);
        if (profile != null) {
            tx.addPutItem(table, profile);
        }
        try {
            counters.write(tx.build(), tenant, after.primaryId(), counted);
        } catch (TransactionCanceledException e) {
            throw new Changed();
        }
    }

    private static EnhancedDocument recordItem(String tenant, MergeRecord record) {
        ObjectNode json = Items.attributes(record);
        json.put(Table.PK, Keys.customer(tenant, record.duplicateId())).put(Table.SK, RelationshipItems.MERGE).put(ENTITY, "merge");
        return Items.document(json);
    }

    // ---- moves -------------------------------------------------------------------------------------

    /**
     * Puts {@code item} unless its key holds it already: with {@code version}, unless the copy there is
     * at that version or newer (a copy changed after the move, a refund, is never overwritten by an
     * older one); without, unless anything is there. Whether it wrote.
     */
    @Override
    public boolean copy(ObjectNode item, Long version) {
        var condition = version == null ? NOT_EXISTS : Expression.builder().expression("attribute_not_exists(PK) OR version < :v")
                .putExpressionValue(":v", AttributeValue.fromN(Long.toString(version))).build();
        try {
            table.putItem(PutItemEnhancedRequest.builder(EnhancedDocument.class).item(Items.document(item))
                    .conditionExpression(condition).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Puts an item whatever is there (the pointers to a payment: the same content however often). */
    @Override
    public void put(ObjectNode item) {
        table.putItem(Items.document(item));
    }

    /**
     * Deletes an item; with {@code version}, only at that version. Whether it is gone (false: it
     * changed since it was read; read it again and move what it is now).
     */
    @Override
    public boolean delete(String pk, String sk, Long version) {
        var request = DeleteItemEnhancedRequest.builder().key(key(pk, sk));
        if (version != null) {
            request.conditionExpression(Expression.builder().expression("attribute_not_exists(PK) OR version = :v")
                    .putExpressionValue(":v", AttributeValue.fromN(Long.toString(version))).build());
        }
        try {
            table.deleteItem(request.build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void replace(ObjectNode put, String deletePk, String deleteSk) {
        client.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, Items.document(put))
                .addDeleteItem(table, key(deletePk, deleteSk)).build());
    }

    private static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }
}
