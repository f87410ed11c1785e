package com.clientele.ltv;

import com.clientele.analytics.TenantCounters;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerRepository.PendingStats;
import com.clientele.payments.Payment;
import com.clientele.payments.PaymentRepository;
import com.clientele.shared.Keys;
import com.clientele.shared.Table;
import com.clientele.shared.events.AppliedEntries;
import com.clientele.shared.events.PaymentEvent;
import com.clientele.shared.events.Refused;
import com.clientele.shared.events.Refused.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What the LTV functions read and write: a customer's profile (its {@code stats}), the ledger
 * (the customer's payment items) and the markers of applied ledger entries. A marker is written in
 * one transaction with the event it marks (pending on the profile, until a fold counts it in the
 * stats) or with the recomputed stats that count it, so an entry is counted exactly once, whether
 * by an event or by a recompute.
 */
public final class LtvRepository {

    static final String CONSUMER = "ltv";
    /** Longer than SQS keeps a message (14 days): a duplicate can never outlive its marker. */
    static final Duration MARKER_RETENTION = Duration.ofDays(30);

    private final DynamoDbTable<EnhancedDocument> table;
    private final DynamoDbEnhancedClient client;
    private final CustomerRepository customers;
    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final TenantCounters counters;

    public LtvRepository(DynamoDbClient dynamoDb, String tableName, CustomerRepository customers) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.client = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
        this.table = client.table(tableName, Table.SCHEMA);
        this.customers = customers;
        this.counters = new TenantCounters(dynamoDb, tableName);
    }



    /**
     * Records the ledger entry {@code event} reports as applied, and the event among the profile's
     * pending ones ({@link CustomerRepository#statsPending}), if neither happened yet: one transaction
     * that reads nothing and whose only condition on the profile is that the customer is live, so events
     * of one customer, however many at once, never conflict. The marker is keyed by the entry (payment
     * or refund id), not by the event id, so that an entry a recompute already counted is a duplicate
     * too. False when the customer is not live (nothing written).
     */
    boolean record(String tenant, PaymentEvent event, Instant now) {
        var markerPut = marker(tenant, event.customerId(), StatsFold.entryId(event), event.id(), now);
        var items = List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(markerPut.item().toMap())
                        .conditionExpression("attribute_not_exists(PK)").build()).build(),
                customers.statsPending(tenant, event.customerId(), StatsFold.pending(event)));
        try {
            dynamoDb.transactWriteItems(r -> r.transactItems(items));
            return true;
        } catch (TransactionCanceledException e) {
            var reasons = e.cancellationReasons();
            if ("ConditionalCheckFailed".equals(reasons.get(0).code())) {
                throw new Refused(Refusal.DUPLICATE);
            }
            if ("ConditionalCheckFailed".equals(reasons.get(1).code())) {
                return false;
            }
            throw e;
        }
    }

    /** The live profile and the events recorded on it but not yet in its stats. */
    Optional<PendingStats> pending(String tenant, String customerId) {
        return customers.pendingStats(tenant, customerId);
    }

    /**
     * Stores {@code after}'s stats (the pending events folded in), the tenant's counters moved by as
     * much, if the profile is still at the version {@code pending} was read at and, with {@code lastOnly},
     * no event was recorded since; false (nothing written) if not.
     */
    boolean fold(String tenant, PendingStats pending, Customer after, boolean lastOnly) {
        var before = pending.customer();
        var items = new ArrayList<TransactWriteItem>();
        items.add(customers.statsFolded(tenant, pending, after, lastOnly));
        try {
            counters.write(items, tenant, before.id(), TenantCounters.difference(before, after));
            return true;
        } catch (TransactionCanceledException e) {
            if ("ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
                return false;
            }
            throw e;
        }
    }

    Optional<Customer> customer(String tenant, String customerId) {
        return customers.find(tenant, customerId);
    }

    /**
     * Stores recomputed stats if the profile is still at {@code before}'s version, and marks
     * {@code entries} (ledger entries counted in them whose events may still arrive) as applied, each
     * only if no marker is there yet: if the aggregator applied one of them meanwhile, nothing is
     * written ({@link Refusal#CONFLICT}) and the caller reads again.
     */
    void replaceStats(String tenant, Customer before, Customer after, List<String> entries, Instant now) {
        if (entries.size() > MAX_MARKERS_PER_WRITE) {
            throw new IllegalArgumentException("at most " + MAX_MARKERS_PER_WRITE + " markers per write");
        }
        var tx = TransactWriteItemsEnhancedRequest.builder().addPutItem(table, customers.profileUpdate(tenant, before, after));
        for (String entry : entries) {
            tx.addPutItem(table, marker(tenant, before.id(), entry, null, now));
        }
        try {
            counters.write(tx.build(), tenant, before.id(), TenantCounters.difference(before, after));
        } catch (TransactionCanceledException e) {
            throw new Refused(Refusal.CONFLICT);
        }
    }

    /** A transaction holds at most 100 items: the profile, the counter shard and 98 markers. */
    static final int MAX_MARKERS_PER_WRITE = 98;

    /** The marker the aggregator leaves for an applied entry: for seeding a table with items shaped as the app's. */
    public static EnhancedDocument appliedMarker(String tenant, String customerId, String entryId, Instant now) {
        return marker(tenant, customerId, entryId, null, now).item();
    }

    private static TransactPutItemEnhancedRequest<EnhancedDocument> marker(String tenant, String customerId, String entryId,
                                                                          String eventId, Instant now) {
        var item = Table.item()
                .putString(Table.PK, Keys.customer(tenant, customerId))
                .putString(Table.SK, AppliedEntries.appliedEntrySortKey(CONSUMER, entryId))
                .putString("entity", "appliedEntry")
                .putString("processedAt", now.toString())
                .putNumber(Table.TTL, now.plus(MARKER_RETENTION).getEpochSecond());
        if (eventId != null) {
            item.putString("eventId", eventId);
        }
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item.build())
                .conditionExpression(Expression.builder().expression("attribute_not_exists(PK)").build()).build();
    }

    /** A customer's ledger and the ids of its entries that are marked as counted in the stats. */
    record Ledger(List<Payment> payments, Set<String> applied) {
    }

    /**
     * The ledger and the markers in one Query ({@link PaymentRepository#markedLedger}). Read after
     * the profile, so that anything applied since that read fails the write's version check.
     */
    Ledger ledgerAndMarkers(String tenant, String customerId) {
        var ledger = PaymentRepository.markedLedger(table, tenant, customerId, CONSUMER);
        return new Ledger(ledger.payments(), ledger.applied());
    }
}
