package com.clientele.loyalty;

import com.clientele.shared.events.Refused;
import com.clientele.shared.events.Refused.Refusal;
import com.clientele.customers.CustomerRepository;
import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The loyalty items: the tenant's programme settings, and in each customer's partition the points
 * balance ({@code PTS#BALANCE}), the lots ({@code PTS#LOT#<paymentId>}), the statement lines
 * ({@code PTS#LINE#<epoch millis>#<entry id>}) and the markers of applied ledger entries
 * ({@code APPLIED#points#<entry id>}).
 */
public final class LoyaltyRepository implements PointsStore {

    static final String ENTITY = "entity";
    private static final Set<String> ITEM_ONLY = Set.of(ENTITY, "entryId");
    /** Longer than SQS keeps a message (14 days): a duplicate can never outlive its marker. */
    static final Duration MARKER_RETENTION = Duration.ofDays(30);

    private final DynamoDbTable<EnhancedDocument> table;
    private final DynamoDbEnhancedClient client;
    private final CustomerRepository customers;

    public LoyaltyRepository(DynamoDbClient dynamoDb, String tableName) {
        this.client = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
        this.table = client.table(tableName, Table.SCHEMA);
        this.customers = new CustomerRepository(dynamoDb, tableName);
    }

    // ---- settings --------------------------------------------------------------------------------

    @Override
    public LoyaltySettings settings(String tenant) {
        var item = table.getItem(r -> r.key(key(Keys.settings(tenant), Keys.LOYALTY_SETTINGS)).consistentRead(true));
        return item == null ? LoyaltySettings.DEFAULTS : Items.read(item, LoyaltySettings.class, ITEM_ONLY);
    }

    void putSettings(String tenant, LoyaltySettings settings) {
        ObjectNode json = Items.attributes(settings);
        json.put(Table.PK, Keys.settings(tenant));
        json.put(Table.SK, Keys.LOYALTY_SETTINGS);
        json.put(ENTITY, "loyaltySettings");
        table.putItem(Items.document(json));
    }

    // ---- reads -----------------------------------------------------------------------------------

    @Override
    public boolean customerExists(String tenant, String customerId) {
        return customers.find(tenant, customerId).isPresent();
    }

    @Override
    public Balance balance(String tenant, String customerId) {
        var item = table.getItem(r -> r.key(key(Keys.customer(tenant, customerId), Keys.POINTS_BALANCE)).consistentRead(true));
        return item == null ? Balance.EMPTY : Items.read(item, Balance.class, ITEM_ONLY);
    }

    @Override
    public Optional<Lot> lot(String tenant, String customerId, String paymentId) {
        var item = table.getItem(r -> r.key(key(Keys.customer(tenant, customerId), Keys.lotSortKey(paymentId))).consistentRead(true));
        return Optional.ofNullable(item).map(i -> Items.read(i, Lot.class, ITEM_ONLY));
    }

    @Override
    public List<Lot> lots(String tenant, String customerId) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId))
                        .sortValue(Keys.POINT_LOT)))
                .consistentRead(true).build();
        var lots = new ArrayList<Lot>();
        table.query(request).items().forEach(item -> lots.add(Items.read(item, Lot.class, ITEM_ONLY)));
        return lots;
    }

    /** One page of the customer's statement, newest first. */
    Pages.Slice statement(String tenant, String customerId, int limit, Map<String, String> after) {
        var condition = QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId))
                .sortValue(Keys.STATEMENT_LINE));
        return Pages.read(table::query, null, condition, false, limit, after, null);
    }

    static StatementLine line(EnhancedDocument item) {
        return Items.read(item, StatementLine.class, ITEM_ONLY);
    }

    // ---- the accrual's one write -----------------------------------------------------------------

    @Override
    public void apply(String tenant, String customerId, String entryId, String eventId, Balance before, Balance after,
                      List<LotChange> lots, StatementLine line) {
        String pk = Keys.customer(tenant, customerId);
        Instant now = Instant.now();
        var marker = Table.item().putString(Table.PK, pk)
                .putString(Table.SK, Keys.appliedEntrySortKey(AccrualService.CONSUMER, entryId))
                .putString(ENTITY, "appliedEntry").putString("eventId", eventId).putString("processedAt", now.toString())
                .putNumber(Table.TTL, now.plus(MARKER_RETENTION).getEpochSecond()).build();
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, put(marker, Expression.builder().expression("attribute_not_exists(PK)").build()));

        ObjectNode balance = Items.attributes(after);
        balance.put(Table.PK, pk).put(Table.SK, Keys.POINTS_BALANCE).put(ENTITY, "pointsBalance");
        tx.addPutItem(table, put(Items.document(balance), before.version() == 0
                ? Expression.builder().expression("attribute_not_exists(PK)").build()
                : Expression.builder().expression("version = :v")
                        .putExpressionValue(":v", AttributeValue.fromN(Long.toString(before.version()))).build()));

        for (var change : lots) {
            ObjectNode lot = Items.attributes(change.after());
            lot.put(Table.PK, pk).put(Table.SK, Keys.lotSortKey(change.after().transactionId())).put(ENTITY, "pointLot");
            tx.addPutItem(table, put(Items.document(lot), change.before() == null
                    ? Expression.builder().expression("attribute_not_exists(PK)").build()
                    : Expression.builder().expression("pointsLeft = :left")
                            .putExpressionValue(":left", AttributeValue.fromN(Long.toString(change.before().pointsLeft()))).build()));
        }

        ObjectNode row = Items.attributes(line);
        row.put(Table.PK, pk).put(Table.SK, Keys.statementLineSortKey(line.createdAt(), entryId))
                .put(ENTITY, "statementLine").put("entryId", entryId);
        tx.addPutItem(table, Items.document(row));
        try {
            client.transactWriteItems(tx.build());
        } catch (TransactionCanceledException e) {
            var reasons = e.cancellationReasons();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                throw new Refused(Refusal.DUPLICATE);
            }
            if (reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()) || "TransactionConflict".equals(r.code()))) {
                throw new Refused(Refusal.CONFLICT);
            }
            throw e;
        }
    }

    private static TransactPutItemEnhancedRequest<EnhancedDocument> put(EnhancedDocument item, Expression condition) {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item).conditionExpression(condition).build();
    }

    private static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }
}
