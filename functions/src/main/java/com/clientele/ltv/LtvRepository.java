package com.clientele.ltv;

import com.clientele.analytics.TenantCounters;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerRepository.PendingStats;
import com.clientele.payments.Payment;
import com.clientele.payments.PaymentRepository;
import com.clientele.ltv.AggregatorService.Outcome;
import com.clientele.shared.Keys;
import com.clientele.shared.Keys.CustomerKey;
import com.clientele.shared.Table;
import com.clientele.shared.events.AppliedEntries;
import com.clientele.shared.events.PaymentEvent;
import com.clientele.shared.events.Refused;
import com.clientele.shared.events.Refused.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
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
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
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
     * A customer's events of a batch written at once: {@code after} is the profile {@code read} (with
     * nothing pending) with the events folded into its stats; {@code positions} are the events' places
     * in the batch.
     */
    record Direct(CustomerKey customer, PendingStats read, List<Integer> positions, List<PaymentEvent> events, Customer after) {
    }

    /** What refused a direct write: events whose entry was applied already (by position), customers whose profile moved. */
    record Declined(Set<Integer> duplicates, Set<CustomerKey> customers) {
    }

    /**
     * Writes each customer's events of a batch at once, in one transaction for the batch: per event its
     * marker ({@code attribute_not_exists}), per customer its profile with the events in its stats, one
     * version later, on condition that it is at the version read with still nothing pending, and the
     * counters. Answers null when written, else what refused it (nothing written): every customer when the
     * transaction conflicted with another.
     */
    Declined writeAtOnce(List<Direct> writes, Instant now) {
        var items = new ArrayList<TransactWriteItem>();
        var changes = new ArrayList<TenantCounters.Change>();
        for (var write : writes) {
            for (var event : write.events()) {
                items.add(marker(event, now));
            }
            items.add(customers.statsFolded(write.customer().tenantId(), write.read(), write.after(), false));
            var before = write.read().customer();
            changes.add(new TenantCounters.Change(write.customer().tenantId(), before.id(), TenantCounters.difference(before, write.after())));
        }
        try {
            counters.write(items, changes);
            return null;
        } catch (TransactionCanceledException e) {
            var reasons = e.cancellationReasons();
            var duplicates = new LinkedHashSet<Integer>();
            var moved = new LinkedHashSet<CustomerKey>();
            int at = 0;
            for (var write : writes) {
                for (int position : write.positions()) {
                    if (CONDITION_FAILED.equals(reasons.get(at++).code())) {
                        duplicates.add(position);
                    }
                }
                if (CONDITION_FAILED.equals(reasons.get(at++).code())) {
                    moved.add(write.customer());
                }
            }
            if (duplicates.isEmpty() && moved.isEmpty()) {
                writes.forEach(write -> moved.add(write.customer()));
            }
            return new Declined(duplicates, moved);
        }
    }

    /**
     * Records a batch's events: for each, the ledger entry it reports as applied (its marker) and the
     * event among its customer's pending ones ({@link CustomerRepository#statsPending}), each only once,
     * in one transaction per round (a round holds at most {@value #MAX_ITEMS} items, each customer's
     * profile once). The marker is keyed by the entry (payment or refund id), not by the event id, so an
     * entry a recompute already counted is a duplicate too. The transaction reads nothing and its only
     * condition on a profile is that the customer is live, so events of one customer, however many at
     * once, never conflict. A refused condition takes its event (a duplicate) or its customer's events
     * (not live) out, and the rest is written again; a conflict with another transaction is tried again
     * a few times. Answers each event's outcome, in order.
     */
    List<Outcome> record(List<PaymentEvent> events, Instant now) {
        var outcomes = new Outcome[events.size()];
        var open = new ArrayList<Integer>();
        for (int i = 0; i < events.size(); i++) {
            open.add(i);
        }
        int conflicts = 0;
        while (!open.isEmpty()) {
            var round = Round.of(events, open);
            var items = new ArrayList<TransactWriteItem>();
            for (var writes : round.customers()) {
                var pending = new ArrayList<String>();
                for (int i : writes) {
                    var event = events.get(i);
                    items.add(marker(event, now));
                    pending.add(StatsFold.pending(event));
                }
                var first = events.get(writes.get(0));
                items.add(customers.statsPending(first.tenantId(), first.customerId(), pending));
            }
            try {
                dynamoDb.transactWriteItems(r -> r.transactItems(items));
                round.customers().forEach(writes -> writes.forEach(i -> outcomes[i] = Outcome.APPLIED));
                round.customers().forEach(open::removeAll);
            } catch (TransactionCanceledException e) {
                if (!round.refused(e.cancellationReasons(), outcomes)) {
                    if (++conflicts == MAX_CONFLICTS) {
                        throw e;
                    }
                    pause(conflicts);
                }
                open.removeIf(i -> outcomes[i] != null);
            }
        }
        return List.of(outcomes);
    }

    /** Transactions a round of {@link #record} is tried in while others conflict with it. */
    private static final int MAX_CONFLICTS = 5;
    /** A transaction writes at most 100 items. */
    static final int MAX_ITEMS = 100;

    /**
     * One transaction's worth of a batch's events still to record: by customer (in the order they came),
     * each customer's events in a transaction together, a marker per event and the profile once.
     */
    private record Round(List<List<Integer>> customers) {

        static Round of(List<PaymentEvent> events, List<Integer> open) {
            var byCustomer = new LinkedHashMap<String, List<Integer>>();
            for (int i : open) {
                var event = events.get(i);
                byCustomer.computeIfAbsent(Keys.customer(event.tenantId(), event.customerId()), k -> new ArrayList<>()).add(i);
            }
            var round = new ArrayList<List<Integer>>();
            int items = 0;
            for (var writes : byCustomer.values()) {
                var taken = writes.subList(0, Math.min(writes.size(), MAX_ITEMS - 1));
                if (items + taken.size() + 1 > MAX_ITEMS) {
                    continue;
                }
                round.add(List.copyOf(taken));
                items += taken.size() + 1;
            }
            return new Round(round);
        }

        /**
         * Sets the outcome of each event whose condition was refused: its marker (a duplicate), or its
         * customer's profile (not live: every event of the customer); false if none was (a conflict).
         */
        boolean refused(List<CancellationReason> reasons, Outcome[] outcomes) {
            boolean refused = false;
            int at = 0;
            for (var writes : customers) {
                for (int i : writes) {
                    if (CONDITION_FAILED.equals(reasons.get(at++).code())) {
                        outcomes[i] = Outcome.DUPLICATE;
                        refused = true;
                    }
                }
                if (CONDITION_FAILED.equals(reasons.get(at++).code())) {
                    writes.forEach(i -> outcomes[i] = Outcome.NO_CUSTOMER);
                    refused = true;
                }
            }
            return refused;
        }
    }

    private static final String CONDITION_FAILED = "ConditionalCheckFailed";

    private static void pause(int conflicts) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5L << conflicts));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The live profiles of {@code customers} and the events recorded on them but not yet in their stats. */
    Map<CustomerKey, PendingStats> pending(Collection<CustomerKey> customers) {
        return this.customers.pendingStats(customers);
    }

    /** A customer's pending events, as {@link #pending(Collection)} read them, folded into {@code after}'s stats. */
    record Fold(CustomerKey customer, PendingStats pending, Customer after, boolean lastOnly) {
    }

    /**
     * Stores each fold's stats (the pending events folded in), and moves the tenants' counters by as
     * much, in one transaction per {@value #MAX_FOLDS} folds, each fold only if its profile is still at
     * the version it was read at and, with {@code lastOnly}, no event was recorded since. When some of
     * a transaction's profiles refuse, the others are written again without them. Answers the
     * customers whose fold was refused, or whose transaction kept conflicting with others.
     */
    Set<CustomerKey> fold(List<Fold> folds) {
        var unwritten = new LinkedHashSet<CustomerKey>();
        for (int from = 0; from < folds.size(); from += MAX_FOLDS) {
            var open = new ArrayList<>(folds.subList(from, Math.min(folds.size(), from + MAX_FOLDS)));
            for (int conflicts = 0; !open.isEmpty() && conflicts < MAX_CONFLICTS; ) {
                var items = new ArrayList<TransactWriteItem>();
                var changes = new ArrayList<TenantCounters.Change>();
                for (var fold : open) {
                    var before = fold.pending().customer();
                    items.add(customers.statsFolded(fold.customer().tenantId(), fold.pending(), fold.after(), fold.lastOnly()));
                    changes.add(new TenantCounters.Change(fold.customer().tenantId(), before.id(), TenantCounters.difference(before, fold.after())));
                }
                try {
                    counters.write(items, changes);
                    open.clear();
                } catch (TransactionCanceledException e) {
                    var reasons = e.cancellationReasons();
                    var refused = new ArrayList<Fold>();
                    for (int i = 0; i < open.size(); i++) {
                        if (CONDITION_FAILED.equals(reasons.get(i).code())) {
                            refused.add(open.get(i));
                        }
                    }
                    if (refused.isEmpty()) {
                        pause(++conflicts);
                    }
                    refused.forEach(fold -> unwritten.add(fold.customer()));
                    open.removeAll(refused);
                }
            }
            open.forEach(fold -> unwritten.add(fold.customer()));
        }
        return unwritten;
    }

    /** Folds per transaction: a profile each, and at most as many counter shards. */
    private static final int MAX_FOLDS = 40;

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

    /** The marker of the entry {@code event} reports, written only if it is not there yet. */
    private TransactWriteItem marker(PaymentEvent event, Instant now) {
        return TransactWriteItem.builder().put(Put.builder().tableName(tableName)
                .item(marker(event.tenantId(), event.customerId(), StatsFold.entryId(event), event.id(), now).item().toMap())
                .conditionExpression("attribute_not_exists(PK)").build()).build();
    }

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
