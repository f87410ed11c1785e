package com.clientele.loyalty;

import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;

/**
 * The due-lots index (GSI1, sparse): every lot that still holds points, under the UTC day it
 * expires, in {@link LoyaltyItems#LOT_EXPIRY_SHARDS} shards, sorted by its expiry. One page is one Query,
 * {@code GSI1PK = <day, shard> AND GSI1SK <= <through>}: it reads only lots already due, across
 * every tenant (the index's partitions carry no tenant; each lot's own key says whose it is). And
 * the expiry's record of the last run that finished ({@link LoyaltyItems#POINTS_EXPIRY_RUNS}): its time,
 * in epoch milliseconds so that the condition that keeps it from moving back compares numbers.
 */
public final class DueLots implements ExpiryService.DueIndex {

    private static final String THROUGH = "throughMillis";

    private final DynamoDbTable<EnhancedDocument> table;
    private final DynamoDbIndex<EnhancedDocument> index;
    private final Clock clock;

    /** {@code clock} stamps when a run finished. */
    public DueLots(DynamoDbEnhancedClient client, String tableName, Clock clock) {
        this.clock = clock;
        this.table = client.table(tableName, Table.SCHEMA);
        this.index = table.index(Table.Index.GSI1.name());
    }

    private static Key doneKey() {
        return Key.builder().partitionValue(LoyaltyItems.POINTS_EXPIRY_RUNS).sortValue(LoyaltyItems.POINTS_EXPIRY_DONE).build();
    }

    @Override
    public Optional<Instant> doneThrough() {
        var item = table.getItem(r -> r.key(doneKey()).consistentRead(true));
        return item == null || item.getNumber(THROUGH) == null ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(item.getNumber(THROUGH).longValue()));
    }

    @Override
    public void done(Instant through) {
        var item = Table.item().putString(Table.PK, LoyaltyItems.POINTS_EXPIRY_RUNS).putString(Table.SK, LoyaltyItems.POINTS_EXPIRY_DONE)
                .putString("entity", "pointsExpiryRuns").putNumber(THROUGH, through.toEpochMilli())
                .putString("finishedAt", clock.instant().toString()).build();
        try {
            table.putItem(r -> r.item(item).conditionExpression(Expression.builder()
                    .expression("attribute_not_exists(PK) OR " + THROUGH + " < :through")
                    .putExpressionValue(":through", AttributeValue.fromN(Long.toString(through.toEpochMilli()))).build()));
        } catch (ConditionalCheckFailedException e) {
            // a run with a later time finished first: its record stands
        }
    }

    @Override
    public ExpiryService.Page page(String day, int shard, Instant through, Map<String, String> after, int limit) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortLessThanOrEqualTo(k -> k.partitionValue(LoyaltyItems.lotsExpiring(day, shard))
                        .sortValue(LoyaltyItems.lotExpirySortKeyThrough(through))))
                .limit(limit).exclusiveStartKey(after == null ? null : Pages.attributes(after)).build();
        var page = index.query(request).iterator().next();
        var lots = new ArrayList<ExpiryService.Due>();
        for (var item : page.items()) {
            var owner = Keys.customerOf(item.getString(Table.PK))
                    .orElseThrow(() -> new IllegalStateException("a due lot outside a customer partition: " + item.getString(Table.PK)));
            lots.add(new ExpiryService.Due(owner.tenantId(), owner.customerId(),
                    Items.read(item, Lot.class, LoyaltyRepository.ITEM_ONLY)));
        }
        return new ExpiryService.Page(lots, Pages.position(page.lastEvaluatedKey()));
    }
}
