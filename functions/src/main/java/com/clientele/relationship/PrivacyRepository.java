package com.clientele.relationship;

import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Table;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.function.Consumer;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;

/** The whole of a customer's partition, read page by page, and the erasure marker item in it. */
public final class PrivacyRepository {

    private final DynamoDbTable<EnhancedDocument> table;

    public PrivacyRepository(DynamoDbEnhancedClient client, String tableName) {
        this.table = client.table(tableName, Table.SCHEMA);
    }

    /** Every item in the customer's partition, as JSON, in sort-key order (a Query per 1 MB page). */
    void eachItem(String tenant, String customerId, Consumer<ObjectNode> action) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(Keys.customer(tenant, customerId))))
                .consistentRead(true).build();
        table.query(request).items().forEach(item -> action.accept(Items.json(item)));
    }

    /** Writes back an item changed by the erasure (the whole item; repeating it is harmless). */
    void put(ObjectNode item) {
        table.putItem(Items.document(item));
    }

    /** When the customer's personal data was erased, if it was. */
    Instant erasedAt(String tenant, String customerId) {
        var item = table.getItem(r -> r.key(k -> k.partitionValue(Keys.customer(tenant, customerId)).sortValue(RelationshipItems.ERASURE))
                .consistentRead(true));
        return item == null ? null : Instant.parse(item.getString("erasedAt"));
    }

    /** The erasure's marker: written once, with the anonymous profile. */
    TransactPutItemEnhancedRequest<EnhancedDocument> marker(String tenant, String customerId, Instant at, String userId) {
        var item = Table.item().putString(Table.PK, Keys.customer(tenant, customerId)).putString(Table.SK, RelationshipItems.ERASURE)
                .putString("entity", "erasure").putString("erasedAt", at.toString()).putString("erasedBy", userId).build();
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item)
                .conditionExpression(Expression.builder().expression("attribute_not_exists(PK)").build()).build();
    }

    /** Deletes an item the erasure removes. */
    void delete(ObjectNode item) {
        table.deleteItem(r -> r.key(k -> k.partitionValue(item.path(Table.PK).asText()).sortValue(item.path(Table.SK).asText())));
    }
}
