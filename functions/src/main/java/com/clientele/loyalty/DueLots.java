package com.clientele.loyalty;

import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;

/**
 * The due-lots index (GSI1, sparse): every lot that still holds points, under the UTC day it
 * expires, in {@link Keys#LOT_EXPIRY_SHARDS} shards, sorted by its expiry. One page is one Query,
 * {@code GSI1PK = <day, shard> AND GSI1SK <= <through>}: it reads only lots already due, across
 * every tenant (the index's partitions carry no tenant; each lot's own key says whose it is).
 */
final class DueLots implements ExpiryService.DueIndex {

    private final DynamoDbIndex<EnhancedDocument> index;

    DueLots(DynamoDbEnhancedClient client, String tableName) {
        this.index = client.table(tableName, Table.SCHEMA).index(Table.Index.GSI1.name());
    }

    @Override
    public ExpiryService.Page page(String day, int shard, Instant through, Map<String, String> after, int limit) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortLessThanOrEqualTo(k -> k.partitionValue(Keys.lotsExpiring(day, shard))
                        .sortValue(Keys.lotExpirySortKeyThrough(through))))
                .limit(limit).exclusiveStartKey(after == null ? null : Pages.attributes(after)).build();
        var page = index.query(request).iterator().next();
        var lots = new ArrayList<ExpiryService.Due>();
        for (var item : page.items()) {
            var owner = Keys.customerOf(item.getString(Table.PK))
                    .orElseThrow(() -> new IllegalStateException("a due lot outside a customer partition: " + item.getString(Table.PK)));
            lots.add(new ExpiryService.Due(owner.tenantId(), owner.customerId(),
                    Items.read(item, Lot.class, LoyaltyRepository.ITEM_ONLY)));
        }
        Map<String, String> next = null;
        if (page.lastEvaluatedKey() != null && !page.lastEvaluatedKey().isEmpty()) {
            next = new LinkedHashMap<>();
            for (var key : page.lastEvaluatedKey().entrySet()) {
                next.put(key.getKey(), key.getValue().s());
            }
        }
        return new ExpiryService.Page(lots, next);
    }
}
