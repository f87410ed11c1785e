package com.clientele.messages;

import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Communications in their customer's partition ({@link CommunicationItems}). Every change of status is a
 * conditional write on the status it comes from, so two deliveries of one queued message cannot both
 * send it: only one takes it from {@code queued} to {@code sending}.
 */
public final class CommunicationRepository {

    private static final Set<String> ITEM_ONLY = Set.of("entity", "sendingSince");
    private static final Expression NEW = Expression.builder().expression("attribute_not_exists(PK)").build();

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EnhancedDocument> table;

    public CommunicationRepository(DynamoDbClient dynamoDb, DynamoDbEnhancedClient client, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.client = client;
        this.table = client.table(tableName, Table.SCHEMA);
    }

    /** Records a new communication and its message-id guard; false when the message id was recorded already. */
    boolean insert(String tenant, Communication communication) {
        String pk = Keys.customer(tenant, communication.customerId());
        ObjectNode item = Items.attributes(communication);
        item.put(Table.PK, pk).put(Table.SK, CommunicationItems.sortKey(communication.id())).put("entity", "communication");
        ObjectNode guard = com.clientele.shared.Json.MAPPER.createObjectNode();
        guard.put(Table.PK, pk).put(Table.SK, CommunicationItems.messageKey(communication.messageId())).put("entity", "communicationKey")
                .put("communicationId", communication.id());
        try {
            client.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                    .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(Items.document(guard))
                            .conditionExpression(NEW).build())
                    .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(Items.document(item))
                            .conditionExpression(NEW).build())
                    .build());
            return true;
        } catch (TransactionCanceledException e) {
            if (e.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                return false;
            }
            throw e;
        }
    }

    /** The communication recorded for a message id. */
    Optional<Communication> byMessageId(String tenant, String customerId, String messageId) {
        var guard = table.getItem(r -> r.key(key(tenant, customerId, CommunicationItems.messageKey(messageId))).consistentRead(true));
        return guard == null ? Optional.empty() : find(tenant, customerId, guard.getString("communicationId"));
    }

    Optional<Communication> find(String tenant, String customerId, String id) {
        return stored(tenant, customerId, id).map(Stored::communication);
    }

    /** A communication and, while it is being sent, since when. */
    record Stored(Communication communication, Instant sendingSince) {
    }

    Optional<Stored> stored(String tenant, String customerId, String id) {
        var item = table.getItem(r -> r.key(key(tenant, customerId, CommunicationItems.sortKey(id))).consistentRead(true));
        if (item == null) {
            return Optional.empty();
        }
        String since = item.getString("sendingSince");
        return Optional.of(new Stored(Items.read(item, Communication.class, ITEM_ONLY), since == null ? null : Instant.parse(since)));
    }

    /** {@code queued} → {@code sending}, one attempt more; false when it is not queued (another delivery took it, or it is done). */
    boolean claim(String tenant, String customerId, String id, Instant now) {
        return update(tenant, customerId, id, "SET #s = :sending, sendingSince = :now, updatedAt = :now ADD attempts :one",
                "#s = :queued", Map.of(":sending", s(Communication.Status.SENDING.value()), ":queued", s(Communication.Status.QUEUED.value()),
                        ":now", s(now.toString()), ":one", AttributeValue.fromN("1")));
    }

    /** {@code sending} → {@code sent}, with the provider's id for it. */
    boolean sent(String tenant, String customerId, String id, String providerMessageId, Instant now) {
        var values = new HashMap<String, AttributeValue>(Map.of(":sent", s(Communication.Status.SENT.value()),
                ":sending", s(Communication.Status.SENDING.value()), ":now", s(now.toString())));
        String set = "SET #s = :sent, sentAt = :now, updatedAt = :now";
        if (providerMessageId != null) {
            set += ", providerMessageId = :pid";
            values.put(":pid", s(providerMessageId));
        }
        return update(tenant, customerId, id, set + " REMOVE sendingSince, reason", "#s = :sending", values);
    }

    /** {@code sending} → {@code queued} again, to be retried, saying why it failed. */
    boolean requeue(String tenant, String customerId, String id, String reason, Instant now) {
        return update(tenant, customerId, id, "SET #s = :queued, reason = :reason, updatedAt = :now REMOVE sendingSince", "#s = :sending",
                Map.of(":queued", s(Communication.Status.QUEUED.value()), ":sending", s(Communication.Status.SENDING.value()),
                        ":reason", s(reason), ":now", s(now.toString())));
    }

    /** {@code queued} or {@code sending} → {@code failed}: its last try failed, or its outcome cannot be known. */
    boolean failed(String tenant, String customerId, String id, String reason, Instant now) {
        return update(tenant, customerId, id, "SET #s = :failed, reason = :reason, failedAt = :now, updatedAt = :now REMOVE sendingSince",
                "#s IN (:queued, :sending)", Map.of(":failed", s(Communication.Status.FAILED.value()),
                        ":queued", s(Communication.Status.QUEUED.value()), ":sending", s(Communication.Status.SENDING.value()),
                        ":reason", s(reason), ":now", s(now.toString())));
    }

    /**
     * {@code sent} → {@code bounced}, saying why, when the provider's id is the one SES reported the bounce of
     * (true when it is bounced already).
     */
    boolean bounced(String tenant, String customerId, String id, String providerMessageId, String reason, Instant now) {
        return update(tenant, customerId, id, "SET #s = :bounced, reason = :reason, updatedAt = :now",
                "providerMessageId = :pid AND #s IN (:sent, :bounced)", Map.of(":bounced", s(Communication.Status.BOUNCED.value()),
                        ":sent", s(Communication.Status.SENT.value()), ":pid", s(providerMessageId), ":reason", s(reason),
                        ":now", s(now.toString())));
    }

    /** A sent message the recipient reported as spam: it stays {@code sent}, its reason says so. */
    boolean complained(String tenant, String customerId, String id, String providerMessageId, String reason, Instant now) {
        return update(tenant, customerId, id, "SET reason = :reason, updatedAt = :now", "providerMessageId = :pid AND #s = :sent",
                Map.of(":sent", s(Communication.Status.SENT.value()), ":pid", s(providerMessageId), ":reason", s(reason),
                        ":now", s(now.toString())));
    }

    private boolean update(String tenant, String customerId, String id, String update, String condition,
                           Map<String, AttributeValue> values) {
        try {
            dynamoDb.updateItem(r -> r.tableName(tableName)
                    .key(Map.of(Table.PK, s(Keys.customer(tenant, customerId)), Table.SK, s(CommunicationItems.sortKey(id))))
                    .updateExpression(update).conditionExpression("attribute_exists(PK) AND " + condition)
                    .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** One page of the customer's communications, newest first. */
    Pages.Slice page(String tenant, String customerId, int limit, Map<String, String> after) {
        var condition = QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId))
                .sortValue(CommunicationItems.COMMUNICATION));
        return Pages.read(table::query, null, condition, false, limit, after, null);
    }

    static Communication communication(EnhancedDocument item) {
        return Items.read(item, Communication.class, ITEM_ONLY);
    }

    private static Key key(String tenant, String customerId, String sortKey) {
        return Key.builder().partitionValue(Keys.customer(tenant, customerId)).sortValue(sortKey).build();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
