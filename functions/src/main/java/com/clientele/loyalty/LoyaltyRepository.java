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
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The loyalty items: the tenant's programme settings, and in each customer's partition the points
 * balance ({@code PTS#BALANCE}), the lots ({@code PTS#LOT#<paymentId>}), the statement lines
 * ({@code PTS#LINE#<epoch millis>#<entry id>}) and the markers of applied ledger entries
 * ({@code APPLIED#points#<entry id>}).
 */
public final class LoyaltyRepository implements PointsStore {

    static final String ENTITY = "entity";
    static final Set<String> ITEM_ONLY = Set.of(ENTITY, "entryId");
    /** Longer than SQS keeps a message (14 days): a duplicate can never outlive its marker. */
    static final Duration MARKER_RETENTION = Duration.ofDays(30);

    private static final Expression NOT_EXISTS = Expression.builder().expression("attribute_not_exists(PK)").build();

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final DynamoDbTable<EnhancedDocument> table;
    private final DynamoDbEnhancedClient client;
    private final CustomerRepository customers;

    public LoyaltyRepository(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
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

    // ---- the one write of every points change ---------------------------------------------------

    @Override
    public void apply(String tenant, PointsWrite write) {
        apply(tenant, List.of(write), List.of());
    }

    /**
     * All of it in one transaction, or nothing. Per customer: the marker of its entry (refused if
     * there already), the balance (refused unless still at the version it was computed from), each
     * lot (new, or still holding what it held before), the statement lines, and the profile's
     * {@code pointsAvailable} (one version later, so a profile write based on the old one fails);
     * then {@code extras} (an idempotency completion, a used OTP, a rewarded referral), each with its
     * own condition. The first write's marker failing is {@link Refusal#DUPLICATE}; any other
     * failed condition is {@link Refusal#CONFLICT}: read again and retry.
     */
    void apply(String tenant, List<PointsWrite> writes, List<TransactPutItemEnhancedRequest<EnhancedDocument>> extras) {
        Instant now = Instant.now();
        var tx = TransactWriteItemsEnhancedRequest.builder();
        var profiles = new ArrayList<TransactWriteItem>();
        for (var write : writes) {
            String pk = Keys.customer(tenant, write.customerId());
            var marker = Table.item().putString(Table.PK, pk)
                    .putString(Table.SK, Keys.appliedEntrySortKey(AccrualService.CONSUMER, write.entryId()))
                    .putString(ENTITY, "appliedEntry").putString("processedAt", now.toString())
                    .putNumber(Table.TTL, now.plus(MARKER_RETENTION).getEpochSecond());
            if (write.eventId() != null) {
                marker.putString("eventId", write.eventId());
            }
            tx.addPutItem(table, put(marker.build(), NOT_EXISTS));

            ObjectNode balance = Items.attributes(write.after());
            balance.put(Table.PK, pk).put(Table.SK, Keys.POINTS_BALANCE).put(ENTITY, "pointsBalance");
            tx.addPutItem(table, put(Items.document(balance), write.before().version() == 0 ? NOT_EXISTS
                    : Expression.builder().expression("version = :v")
                            .putExpressionValue(":v", AttributeValue.fromN(Long.toString(write.before().version()))).build()));

            for (var change : write.lots()) {
                tx.addPutItem(table, put(lotItem(pk, change.after()), change.before() == null ? NOT_EXISTS
                        : Expression.builder().expression("pointsLeft = :left")
                                .putExpressionValue(":left", AttributeValue.fromN(Long.toString(change.before().pointsLeft()))).build()));
            }

            for (int n = 0; n < write.lines().size(); n++) {
                var line = write.lines().get(n);
                ObjectNode row = Items.attributes(line);
                row.put(Table.PK, pk).put(Table.SK, Keys.statementLineSortKey(line.createdAt(), write.entryId(), n))
                        .put(ENTITY, "statementLine").put("entryId", write.entryId());
                tx.addPutItem(table, Items.document(row));
            }
            if (write.after().available() != write.before().available()) {
                profiles.add(pointsOnProfile(pk, write.after().available()));
            }
        }
        extras.forEach(extra -> tx.addPutItem(table, extra));
        var items = new ArrayList<>(tx.build().transactWriteItems());
        items.addAll(profiles);
        try {
            dynamoDb.transactWriteItems(r -> r.transactItems(items));
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

    /** A lot item; while it holds points it is in the due-lots index (GSI1) under the day it expires. */
    public static EnhancedDocument lotItem(String pk, Lot lot) {
        ObjectNode item = Items.attributes(lot);
        item.put(Table.PK, pk).put(Table.SK, Keys.lotSortKey(lot.transactionId())).put(ENTITY, "pointLot");
        if (lot.pointsLeft() > 0) {
            item.put(Table.Index.GSI1.pk(), Keys.lotsExpiring(lot.expiryDate(), Keys.lotExpiryShard(lot.id())))
                    .put(Table.Index.GSI1.sk(), Keys.lotExpirySortKey(lot.expiresAt(), lot.id()));
        }
        return Items.document(item);
    }

    /** The profile's copy of the balance, one version later; the profile must exist (live or deleted). */
    private TransactWriteItem pointsOnProfile(String pk, long available) {
        return TransactWriteItem.builder().update(Update.builder().tableName(tableName)
                .key(Map.of(Table.PK, AttributeValue.fromS(pk), Table.SK, AttributeValue.fromS(Keys.PROFILE)))
                .updateExpression("SET pointsAvailable = :points ADD version :one")
                .conditionExpression("attribute_exists(PK)")
                .expressionAttributeValues(Map.of(":points", AttributeValue.fromN(Long.toString(available)),
                        ":one", AttributeValue.fromN("1"))).build()).build();
    }

    private static TransactPutItemEnhancedRequest<EnhancedDocument> put(EnhancedDocument item, Expression condition) {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item).conditionExpression(condition).build();
    }

    private static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }
}
