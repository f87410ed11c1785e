package com.clientele.shared;

import com.clientele.shared.Table.Index;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.pagination.sync.SdkIterable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One page of a Query, the way every list endpoint pages: {@code limit + 1} items are read so
 * "more" is known without a second call, and the position to resume from is the key of the last
 * item kept (cursors carry it, signed). With a filter, the Query is repeated until the page is
 * full, at most {@value #MAX_FILTERED_READS} times, so a request makes a bounded number of calls.
 */
public final class Pages {

    public static final int MAX_FILTERED_READS = 5;

    private Pages() {
    }

    /** Items of a page and, when there is more, the key to resume after. */
    public record Slice(List<EnhancedDocument> items, Map<String, String> resumeAfter) {
    }

    /**
     * @param query  the table's or an index's {@code query} method
     * @param index  the index queried, or null for the table (its keys go into the position)
     */
    public static Slice read(Function<QueryEnhancedRequest, SdkIterable<Page<EnhancedDocument>>> query,
                             Index index, QueryConditional condition, boolean ascending, int limit,
                             Map<String, String> after, Expression filter) {
        return read(query, index, condition, ascending, limit, after, filter, MAX_FILTERED_READS);
    }

    /**
     * As {@link #read}, in exactly one Query: with a filter, the page holds the matches among the
     * next {@code limit + 1} items evaluated, so it may hold fewer than {@code limit} rows (none,
     * even) while there is more to read (the resume position is then DynamoDB's last evaluated key).
     */
    public static Slice readOnce(Function<QueryEnhancedRequest, SdkIterable<Page<EnhancedDocument>>> query,
                                 Index index, QueryConditional condition, boolean ascending, int limit,
                                 Map<String, String> after, Expression filter) {
        return read(query, index, condition, ascending, limit, after, filter, 1);
    }

    private static Slice read(Function<QueryEnhancedRequest, SdkIterable<Page<EnhancedDocument>>> query,
                              Index index, QueryConditional condition, boolean ascending, int limit,
                              Map<String, String> after, Expression filter, int maxReads) {
        var items = new ArrayList<EnhancedDocument>();
        Map<String, AttributeValue> start = after == null ? null : attributes(after);
        for (int read = 1; ; read++) {
            var request = QueryEnhancedRequest.builder().queryConditional(condition)
                    .scanIndexForward(ascending).limit(limit + 1 - items.size())
                    .exclusiveStartKey(start).filterExpression(filter).build();
            var page = query.apply(request).iterator().next();
            items.addAll(page.items());
            if (items.size() > limit) {
                var kept = List.copyOf(items.subList(0, limit));
                return new Slice(kept, keyOf(kept.get(limit - 1), index));
            }
            start = page.lastEvaluatedKey();
            if (start == null || read == maxReads) {
                return new Slice(items, start == null ? null : strings(start));
            }
        }
    }

    /** An item's primary key, plus its key in {@code index} when given: a position to resume after. */
    public static Map<String, String> keyOf(EnhancedDocument item, Index index) {
        var key = new LinkedHashMap<String, String>();
        key.put(Table.PK, item.getString(Table.PK));
        key.put(Table.SK, item.getString(Table.SK));
        if (index != null) {
            key.put(index.pk(), item.getString(index.pk()));
            key.put(index.sk(), item.getString(index.sk()));
        }
        return key;
    }

    public static Map<String, AttributeValue> attributes(Map<String, String> key) {
        var result = new HashMap<String, AttributeValue>();
        key.forEach((k, v) -> result.put(k, AttributeValue.fromS(v)));
        return result;
    }

    /** A page's last evaluated key as a position to resume after (a cursor's content); null when the page was the last. */
    public static Map<String, String> position(Map<String, AttributeValue> lastEvaluatedKey) {
        return lastEvaluatedKey == null || lastEvaluatedKey.isEmpty() ? null : strings(lastEvaluatedKey);
    }

    private static Map<String, String> strings(Map<String, AttributeValue> key) {
        var result = new LinkedHashMap<String, String>();
        key.forEach((k, v) -> result.put(k, v.s()));
        return result;
    }
}
