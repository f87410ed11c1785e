package com.clientele.analytics;

import com.clientele.customers.Customer;
import com.clientele.shared.Table;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * A tenant's analytics counters, kept incrementally: every write that changes what a customer
 * contributes (created, deleted, stats changed) adds the difference, with DynamoDB's ADD, in the
 * same transaction as the change itself — so the counters are exact and never double-count.
 * Spread over {@value AnalyticsKeys#ANALYTICS_SHARDS} shard items (by customer) so that no single item is
 * hot; a read sums the shards.
 */
public final class TenantCounters {

    public static final String CUSTOMERS = "customers";
    public static final String WITH_PURCHASES = "withPurchases";
    public static final String RETURNING = "returning";
    public static final String FAILED_PAYMENTS = "failedPayments";
    /** Chargebacks of the customers' payments. */
    public static final String DISPUTES = "disputes";
    public static final String ORDERS = "orders.";
    public static final String LTV = "ltv.";
    public static final String GROSS = "gross.";
    public static final String BUCKET = "bucket.";
    public static final String NEW = "new.";
    /** Customers with an active subscription. */
    public static final String SUBSCRIBERS = "subscribers";
    /** Monthly recurring revenue, per currency: the active subscriptions' monthly payments. */
    public static final String MRR = "mrr.";
    /** Per month and currency: recurring revenue added (subscriptions started, resumed, grown) and lost (ended, canceled, paused, shrunk). */
    public static final String MRR_NEW = "mrrNew.";
    public static final String MRR_CHURNED = "mrrChurned.";
    /** Per month: customers whose first active subscription began, and customers left without one. */
    public static final String SUBSCRIBED = "subscribed.";
    public static final String CHURNED = "churned.";
    /** Lower bounds of the LTV histogram's buckets, in minor units. */
    public static final long[] BUCKETS = {0, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000};

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public TenantCounters(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** What one customer adds to the counters (none for null: a customer that does not exist). */
    public static Map<String, Long> contribution(Customer c) {
        var counts = new HashMap<String, Long>();
        if (c == null) {
            return counts;
        }
        var s = c.stats();
        counts.put(CUSTOMERS, 1L);
        counts.put(FAILED_PAYMENTS, s.failedPayments());
        counts.put(DISPUTES, s.disputeCount());
        var subscriptions = c.subscriptions();
        if (subscriptions.active() > 0) {
            counts.put(SUBSCRIBERS, 1L);
            counts.put(MRR + subscriptions.activeMonthlyIncome().currency(), subscriptions.activeMonthlyIncome().amount());
        }
        if (s.orders() > 0) {
            String currency = s.ltv().currency();
            long refunded = s.refunded() == null ? 0 : s.refunded().amount();
            counts.put(WITH_PURCHASES, 1L);
            counts.put(RETURNING, s.returning() ? 1L : 0L);
            counts.put(ORDERS + currency, s.orders());
            counts.put(LTV + currency, s.ltv().amount());
            counts.put(GROSS + currency, s.ltv().amount() + refunded + s.disputedAmount().amount());
            counts.put(BUCKET + currency + "." + bucket(s.ltv().amount()), 1L);
        }
        return counts;
    }

    /** after − before, without the zeros. */
    public static Map<String, Long> difference(Customer before, Customer after) {
        var delta = new LinkedHashMap<String, Long>(contribution(after));
        contribution(before).forEach((name, value) -> delta.merge(name, -value, Long::sum));
        delta.values().removeIf(v -> v == 0);
        return delta;
    }

    /**
     * {@link #difference} of a subscription's write, and the month's flows it makes (never taken back):
     * recurring revenue added or lost, and a customer subscribed (no active subscription before, one
     * now) or churned (the other way round).
     */
    public static Map<String, Long> subscriptionsMoved(Customer before, Customer after, Instant at) {
        var delta = difference(before, after);
        String month = java.time.YearMonth.from(at.atZone(ZoneOffset.UTC)).toString();
        var was = before.subscriptions();
        var now = after.subscriptions();
        String currency = now.activeMonthlyIncome() != null ? now.activeMonthlyIncome().currency()
                : was.activeMonthlyIncome() != null ? was.activeMonthlyIncome().currency() : null;
        long moved = (now.active() > 0 ? now.activeMonthlyIncome().amount() : 0) - (was.active() > 0 ? was.activeMonthlyIncome().amount() : 0);
        if (moved > 0) {
            delta.put(MRR_NEW + month + "." + currency, moved);
        } else if (moved < 0) {
            delta.put(MRR_CHURNED + month + "." + currency, -moved);
        }
        if (was.active() == 0 && now.active() > 0) {
            delta.put(SUBSCRIBED + month, 1L);
        } else if (was.active() > 0 && now.active() == 0) {
            delta.put(CHURNED + month, 1L);
        }
        return delta;
    }

    public static int bucket(long ltv) {
        int index = 0;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (ltv >= BUCKETS[i]) {
                index = i;
            }
        }
        return index;
    }

    /** The counter for customers created on {@code at}'s day (UTC); never taken back. */
    public static String newOn(Instant at) {
        return NEW + at.atZone(ZoneOffset.UTC).toLocalDate();
    }

    /**
     * Writes {@code tx} and, in the same transaction, adds {@code deltas} to the shard of
     * {@code customerId}. Throws the SDK's TransactionCanceledException as the enhanced client does;
     * the counter update is last, so cancellation reasons keep their indexes.
     */
    public void write(TransactWriteItemsEnhancedRequest tx, String tenant, String customerId, Map<String, Long> deltas) {
        write(tx.transactWriteItems(), tenant, customerId, deltas);
    }

    /** {@link #write(TransactWriteItemsEnhancedRequest, String, String, Map)} for items built with the low-level SDK. */
    public void write(List<TransactWriteItem> tx, String tenant, String customerId, Map<String, Long> deltas) {
        write(tx, List.of(new Change(tenant, customerId, deltas)));
    }

    /** What one customer's write adds to its tenant's counters. */
    public record Change(String tenant, String customerId, Map<String, Long> deltas) {
    }

    /**
     * Writes {@code tx} and, in the same transaction, the {@code changes}: one ADD per counter shard
     * they fall in (a transaction writes an item once), after {@code tx}'s items so that cancellation
     * reasons keep their indexes.
     */
    public void write(List<TransactWriteItem> tx, List<Change> changes) {
        var byShard = new LinkedHashMap<String, Map<String, Long>>();
        for (var change : changes) {
            if (change.deltas().isEmpty()) {
                continue;
            }
            var shard = byShard.computeIfAbsent(AnalyticsKeys.analytics(change.tenant(), AnalyticsKeys.analyticsShard(change.customerId())),
                    k -> new LinkedHashMap<>());
            change.deltas().forEach((name, value) -> shard.merge(name, value, Long::sum));
        }
        var items = new ArrayList<TransactWriteItem>(tx);
        byShard.forEach((partition, deltas) -> {
            deltas.values().removeIf(v -> v == 0);
            if (!deltas.isEmpty()) {
                items.add(TransactWriteItem.builder().update(add(partition, deltas)).build());
            }
        });
        dynamoDb.transactWriteItems(r -> r.transactItems(items));
    }

    private Update add(String partition, Map<String, Long> deltas) {
        var names = new LinkedHashMap<String, String>();
        var values = new LinkedHashMap<String, AttributeValue>();
        var clauses = new ArrayList<String>();
        int i = 0;
        for (var delta : deltas.entrySet()) {
            names.put("#c" + i, delta.getKey());
            values.put(":c" + i, AttributeValue.fromN(Long.toString(delta.getValue())));
            clauses.add("#c" + i + " :c" + i);
            i++;
        }
        return Update.builder().tableName(tableName)
                .key(Map.of(Table.PK, AttributeValue.fromS(partition), Table.SK, AttributeValue.fromS(AnalyticsKeys.COUNTERS)))
                .updateExpression("ADD " + String.join(", ", clauses))
                .expressionAttributeNames(names).expressionAttributeValues(values).build();
    }

    /** Every shard's counters, summed: one BatchGetItem. */
    public Map<String, Long> read(String tenant) {
        var keys = new ArrayList<Map<String, AttributeValue>>();
        for (int shard = 0; shard < AnalyticsKeys.ANALYTICS_SHARDS; shard++) {
            keys.add(Map.of(Table.PK, AttributeValue.fromS(AnalyticsKeys.analytics(tenant, shard)), Table.SK, AttributeValue.fromS(AnalyticsKeys.COUNTERS)));
        }
        var totals = new HashMap<String, Long>();
        Map<String, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes> request = Map.of(tableName,
                software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        while (!request.isEmpty()) {
            var asked = request;
            var response = dynamoDb.batchGetItem(r -> r.requestItems(asked));
            List<Map<String, AttributeValue>> items = response.responses().getOrDefault(tableName, List.of());
            for (var item : items) {
                item.forEach((name, value) -> {
                    if (value.n() != null) {
                        totals.merge(name, Long.parseLong(value.n()), Long::sum);
                    }
                });
            }
            request = response.unprocessedKeys();
        }
        return totals;
    }
}
