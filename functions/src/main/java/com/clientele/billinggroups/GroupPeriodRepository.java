package com.clientele.billinggroups;

import com.clientele.shared.Items;
import com.clientele.shared.Table;
import com.clientele.shared.Table.Index;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Billing groups' periods in the table ({@link BillingGroupItems}): a period opened by its first line
 * (in the due index until it is invoiced), its lines written in the transaction that advances each
 * subscription (only while the period is not closed), closed before its lines are read for its invoice,
 * and taken out of the due index with its invoice's id.
 */
public final class GroupPeriodRepository {

    private static final Set<String> ITEM_ONLY = Set.of("entity");
    private static final String NOT_CLOSED = "attribute_exists(PK) AND attribute_not_exists(closedAt)";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public GroupPeriodRepository(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** A group period not invoiced yet, as the due index names it. */
    record Due(String tenant, String groupId, String groupPeriod) {
    }

    /** A page of the due index, and where the next starts (null: none). */
    record DuePage(List<Due> due, Map<String, AttributeValue> next) {
    }

    /** The period opened for lines (once; in the due index): false when it is closed already. */
    boolean open(String tenant, String groupId, String month, Instant now) {
        try {
            dynamoDb.updateItem(r -> r.tableName(tableName).key(key(tenant, groupId, month, BillingGroupItems.PERIOD))
                    .updateExpression("SET entity = :e, tenantId = :t, groupId = :g, groupPeriod = :m, #dpk = :dpk, #dsk = :dsk,"
                            + " openedAt = if_not_exists(openedAt, :now)")
                    .conditionExpression("attribute_not_exists(closedAt)")
                    .expressionAttributeNames(Map.of("#dpk", Index.GSI2.pk(), "#dsk", Index.GSI2.sk()))
                    .expressionAttributeValues(Map.of(":e", s("billingGroupPeriod"), ":t", s(tenant), ":g", s(groupId), ":m", s(month),
                            ":dpk", s(BillingGroupItems.DUE), ":dsk", s(BillingGroupItems.due(tenant, groupId, month)), ":now",
                            s(now.toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The writes of a new line: the line (new), and a check that its period is open (made, not closed). */
    List<TransactWriteItem> lineWrites(String tenant, GroupLine line) {
        ObjectNode json = Items.attributes(line);
        json.put(Table.PK, BillingGroupItems.period(tenant, line.groupId(), line.groupPeriod()))
                .put(Table.SK, BillingGroupItems.line(line.subscriptionId(), line.period())).put("entity", "billingGroupLine");
        return List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(Items.document(json).toMap())
                        .conditionExpression("attribute_not_exists(PK)").build()).build(),
                TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(tableName)
                        .key(key(tenant, line.groupId(), line.groupPeriod(), BillingGroupItems.PERIOD)).conditionExpression(NOT_CLOSED)
                        .build()).build());
    }

    /** The group periods not invoiced of months before {@code month} ({@code yyyy-MM}), oldest first, after {@code start}. */
    DuePage due(String month, Map<String, AttributeValue> start, int limit) {
        var page = dynamoDb.query(r -> r.tableName(tableName).indexName(Index.GSI2.name()).limit(limit).exclusiveStartKey(start)
                .keyConditionExpression("#pk = :pk AND #sk < :before")
                .expressionAttributeNames(Map.of("#pk", Index.GSI2.pk(), "#sk", Index.GSI2.sk()))
                .expressionAttributeValues(Map.of(":pk", s(BillingGroupItems.DUE), ":before", s(month))));
        var due = page.items().stream().map(i -> new Due(i.get("tenantId").s(), i.get("groupId").s(), i.get("groupPeriod").s())).toList();
        return new DuePage(due, page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null);
    }

    /** The period closed to new lines (its first close's time kept): a line written after this goes to a later period. */
    void close(String tenant, String groupId, String month, Instant now) {
        dynamoDb.updateItem(r -> r.tableName(tableName).key(key(tenant, groupId, month, BillingGroupItems.PERIOD))
                .updateExpression("SET closedAt = if_not_exists(closedAt, :now)").conditionExpression("attribute_exists(PK)")
                .expressionAttributeValues(Map.of(":now", s(now.toString()))));
    }

    /** The period's lines, every page (consistent: all those written before it closed). */
    List<GroupLine> lines(String tenant, String groupId, String month) {
        var lines = new ArrayList<GroupLine>();
        Map<String, AttributeValue> start = null;
        do {
            var from = start;
            var page = dynamoDb.query(r -> r.tableName(tableName).consistentRead(true).exclusiveStartKey(from)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :line)")
                    .expressionAttributeValues(Map.of(":pk", s(BillingGroupItems.period(tenant, groupId, month)), ":line",
                            s(BillingGroupItems.LINE))));
            page.items().forEach(item -> lines.add(Items.read(item, GroupLine.class, ITEM_ONLY)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return lines;
    }

    /** The period invoiced ({@code invoiceId}; null when it had no line): out of the due index. */
    void invoiced(String tenant, String groupId, String month, String invoiceId) {
        dynamoDb.updateItem(r -> r.tableName(tableName).key(key(tenant, groupId, month, BillingGroupItems.PERIOD))
                .updateExpression(invoiceId == null ? "REMOVE #dpk, #dsk" : "SET invoiceId = :i REMOVE #dpk, #dsk")
                .expressionAttributeNames(Map.of("#dpk", Index.GSI2.pk(), "#dsk", Index.GSI2.sk()))
                .expressionAttributeValues(invoiceId == null ? null : Map.of(":i", s(invoiceId))));
    }

    private static Map<String, AttributeValue> key(String tenant, String groupId, String month, String sortKey) {
        return Map.of(Table.PK, s(BillingGroupItems.period(tenant, groupId, month)), Table.SK, s(sortKey));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
