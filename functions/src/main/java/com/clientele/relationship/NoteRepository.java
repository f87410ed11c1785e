package com.clientele.relationship;

import com.clientele.shared.Activity;
import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Notes in their customer's partition ({@code NOTE#<note id>}), written under a version check. */
public final class NoteRepository {

    private static final Set<String> ITEM_ONLY = Set.of("entity");

    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EnhancedDocument> table;

    public NoteRepository(DynamoDbEnhancedClient client, String tableName) {
        this.client = client;
        this.table = client.table(tableName, Table.SCHEMA);
    }

    /** Raised when the note changed (or went) since it was read. */
    static final class Stale extends RuntimeException {
        Stale() {
            super(null, null, false, false);
        }
    }

    Optional<Note> find(String tenant, String customerId, String noteId) {
        var item = table.getItem(r -> r.key(key(tenant, customerId, noteId)).consistentRead(true));
        return Optional.ofNullable(item).map(NoteRepository::note);
    }

    /** A new note and its activity, in one transaction. */
    void insert(String tenant, Note note, Activity activity) {
        client.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item(tenant, note))
                        .conditionExpression(Expression.builder().expression("attribute_not_exists(PK)").build()).build())
                .addPutItem(table, activity.put(tenant, note.customerId()))
                .build());
    }

    /** A change to a note still at {@code expectedVersion}, with its activity rewritten to quote the new text. */
    void replace(String tenant, Note note, long expectedVersion, Activity activity) {
        try {
            client.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                    .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item(tenant, note))
                            .conditionExpression(isVersion(expectedVersion)).build())
                    .addPutItem(table, activity.put(tenant, note.customerId()))
                    .build());
        } catch (TransactionCanceledException e) {
            throw new Stale();
        }
    }

    private static EnhancedDocument item(String tenant, Note note) {
        ObjectNode json = Items.attributes(note);
        json.put(Table.PK, Keys.customer(tenant, note.customerId())).put(Table.SK, RelationshipItems.noteSortKey(note.id())).put("entity", "note");
        return Items.document(json);
    }

    /** Deletes a note still at its version, with its activity rewritten to quote nothing of it. */
    void delete(String tenant, Note note, Activity activity) {
        try {
            client.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                    .addDeleteItem(table, TransactDeleteItemEnhancedRequest.builder().key(key(tenant, note.customerId(), note.id()))
                            .conditionExpression(isVersion(note.version())).build())
                    .addPutItem(table, activity.put(tenant, note.customerId()))
                    .build());
        } catch (TransactionCanceledException e) {
            throw new Stale();
        }
    }

    private static Expression isVersion(long version) {
        return Expression.builder().expression("version = :v").putExpressionValue(":v", AttributeValue.fromN(Long.toString(version))).build();
    }

    /** One page of the customer's notes, newest first. */
    Pages.Slice page(String tenant, String customerId, int limit, Map<String, String> after) {
        var condition = QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId)).sortValue(RelationshipItems.NOTE));
        return Pages.read(table::query, null, condition, false, limit, after, null);
    }

    static Note note(EnhancedDocument item) {
        return Items.read(item, Note.class, ITEM_ONLY);
    }

    private static Key key(String tenant, String customerId, String noteId) {
        return Key.builder().partitionValue(Keys.customer(tenant, customerId)).sortValue(RelationshipItems.noteSortKey(noteId)).build();
    }
}
