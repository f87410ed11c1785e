package com.clientele.ltv;

import com.clientele.analytics.TenantCounters;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.payments.Payment;
import com.clientele.payments.PaymentItems;
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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What the LTV functions read and write: a customer's profile (its {@code stats}), the ledger
 * (the customer's payment items) and the markers of applied ledger entries. A marker and the stats
 * it produced are written in one transaction, so an entry is counted exactly once, whether by an
 * event or by a recompute.
 */
public final class LtvRepository {

    static final String CONSUMER = "ltv";
    /** Longer than SQS keeps a message (14 days): a duplicate can never outlive its marker. */
    static final Duration MARKER_RETENTION = Duration.ofDays(30);

    private final DynamoDbTable<EnhancedDocument> table;
    private final DynamoDbEnhancedClient client;
    private final CustomerRepository customers;

    private final TenantCounters counters;

    public LtvRepository(DynamoDbClient dynamoDb, String tableName, CustomerRepository customers) {
        this.client = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
        this.table = client.table(tableName, Table.SCHEMA);
        this.customers = customers;
        this.counters = new TenantCounters(dynamoDb, tableName);
    }



    Optional<Customer> customer(String tenant, String customerId) {
        return customers.find(tenant, customerId);
    }

    /**
     * Records the ledger entry {@code event} reports as applied and stores {@code after}'s stats, if
     * neither happened yet. The marker is keyed by the entry (payment or refund id), not by the
     * event id, so that an entry a recompute already counted is a duplicate too.
     */
    void applyEvent(String tenant, Customer before, Customer after, PaymentEvent event, Instant now) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, marker(tenant, before.id(), StatsFold.entryId(event), event.id(), now))
                .addPutItem(table, customers.profileUpdate(tenant, before, after));
        try {
            counters.write(tx.build(), tenant, before.id(), TenantCounters.difference(before, after));
        } catch (TransactionCanceledException e) {
            var reasons = e.cancellationReasons();
            if ("ConditionalCheckFailed".equals(reasons.get(0).code())) {
                throw new Refused(Refusal.DUPLICATE);
            }
            if ("ConditionalCheckFailed".equals(reasons.get(1).code())) {
                throw new Refused(Refusal.CONFLICT);
            }
            throw e;
        }
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
     * The ledger and the markers in one Query: the markers' sort keys ({@code APPLIED#ltv#…}) sort
     * before the payments' ({@code PAY#…}), so one key range holds both; whatever else of the
     * customer's partition sorts between them (outbox items waiting to be relayed) is skipped here.
     * Read after the profile, so that anything applied since that read fails the write's version check.
     */
    Ledger ledgerAndMarkers(String tenant, String customerId) {
        String markers = AppliedEntries.appliedEntriesPrefix(CONSUMER);
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBetween(
                        k -> k.partitionValue(Keys.customer(tenant, customerId)).sortValue(markers),
                        k -> k.partitionValue(Keys.customer(tenant, customerId)).sortValue(PaymentItems.PAYMENT + "\uffff")))
                .consistentRead(true).build();
        var payments = new ArrayList<Payment>();
        var applied = new HashSet<String>();
        table.query(request).items().forEach(item -> {
            String sk = item.getString(Table.SK);
            if (sk.startsWith(PaymentItems.PAYMENT)) {
                payments.add(PaymentRepository.payment(item));
            } else if (sk.startsWith(markers)) {
                applied.add(sk.substring(markers.length()));
            }
        });
        return new Ledger(payments, applied);
    }
}
