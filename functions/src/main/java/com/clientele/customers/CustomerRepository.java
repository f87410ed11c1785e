package com.clientele.customers;

import com.clientele.analytics.TenantCounters;
import com.clientele.billinggroups.BillingGroupItems;
import com.clientele.shared.Activity;
import com.clientele.shared.Items;
import com.clientele.shared.Json;
import com.clientele.shared.Futures;
import com.clientele.shared.Keys;
import com.clientele.shared.events.ObjectEvent;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.Table.Index;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.ReadBatch;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Customer items in the single table. A customer is one profile item in its own partition,
 * projected into GSI1 (email), GSI2 (phone), GSI3 (join date), GSI4 (name) and GSI5 (LTV, sharded);
 * plus a guard item per email and one per referral code (uniqueness), one search-term item per
 * searchable value, and the referral item of a referred customer. Every write of a customer
 * changes all of these in one transaction.
 */
public final class CustomerRepository {

    private static final String MERGED_INTO = "mergedInto";
    private static final String STATUS = "status";
    private static final String CUSTOMER_ID = "customerId";
    private static final String ENTITY = "entity";
    /**
     * Payment events the LTV aggregator recorded but has not folded into {@code stats} yet (a string set, one
     * element per event, {@link #statsPending}); absent when there are none.
     */
    public static final String STATS_PENDING = "statsPending";
    /** The event recorded last among {@link #STATS_PENDING}: the one whose fold counts them all. */
    public static final String STATS_LAST = "statsLast";
    private static final String POINTS_AVAILABLE = "pointsAvailable";
    private static final Set<String> ITEM_ONLY = Set.of(STATUS, ENTITY, "deletedAt", MERGED_INTO, "mergedAt", STATS_PENDING, STATS_LAST);

    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EnhancedDocument> table;
    private final TenantCounters counters;
    private final String tableName;
    /** Writes the customers' events ({@link ObjectEvent}) in their transactions; the relay sends them. */
    private final Outbox outbox;

    public CustomerRepository(DynamoDbClient dynamoDb, String tableName) {
        this.tableName = tableName;
        this.client = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
        this.table = client.table(tableName, Table.SCHEMA);
        this.counters = new TenantCounters(dynamoDb, tableName);
        this.outbox = new Outbox(client, tableName, null);
    }

    /** Raised when an email belongs to another live customer of the tenant. */
    static final class EmailTaken extends RuntimeException {
        final String existingCustomerId;

        EmailTaken(String existingCustomerId) {
            super(null, null, false, false);
            this.existingCustomerId = existingCustomerId;
        }
    }

    /** Raised when a new customer's referral code is another's already (draw another). */
    static final class CodeTaken extends RuntimeException {
        CodeTaken() {
            super(null, null, false, false);
        }
    }

    /** Raised when the customer has a referral already. */
    static final class AlreadyReferred extends RuntimeException {
        AlreadyReferred() {
            super(null, null, false, false);
        }
    }

    /** Raised when the referrer's code stopped being theirs (deleted) between its read and the write. */
    static final class ReferrerGone extends RuntimeException {
        ReferrerGone() {
            super(null, null, false, false);
        }
    }

    /** Raised when the billing group a customer joins does not exist, or invoices in another currency than the customer's. */
    static final class NoBillingGroup extends RuntimeException {
        NoBillingGroup() {
            super(null, null, false, false);
        }
    }

    /** Raised when the stored version is not the one the write was based on. */
    public static final class StaleVersion extends RuntimeException {
        StaleVersion() {
            super(null, null, false, false);
        }
    }

    /** A page of rows and, when there is more, the key to resume after. */
    record Slice(List<Customer> rows, Map<String, String> resumeAfter) {
    }

    // ---- reads -------------------------------------------------------------------------------

    public Optional<Customer> find(String tenant, String id) {
        var item = table.getItem(r -> r.key(profileKey(tenant, id)).consistentRead(true));
        return Optional.ofNullable(item).flatMap(CustomerRepository::live);
    }

    /** A customer's profile whatever its status: live ({@code active}), {@code deleted} or {@code merged}. */
    public record Stored(Customer customer, CustomerStatus status, Map<String, String> retired) {

        public boolean live() {
            return status == CustomerStatus.ACTIVE;
        }

        /** The customer it was merged into, if merged. */
        public String mergedInto() {
            return retired.get(MERGED_INTO);
        }
    }

    /** The customer's profile whatever its status (the privacy requests reach deleted and merged customers too). */
    public Optional<Stored> findAnyStatus(String tenant, String id) {
        var item = table.getItem(r -> r.key(profileKey(tenant, id)).consistentRead(true));
        if (item == null) {
            return Optional.empty();
        }
        var retired = new LinkedHashMap<String, String>();
        for (String name : List.of("deletedAt", MERGED_INTO, "mergedAt")) {
            if (item.isPresent(name)) {
                retired.put(name, item.getString(name));
            }
        }
        return Optional.of(new Stored(customer(item), CustomerStatus.of(item.getString(STATUS)), Map.copyOf(retired)));
    }

    /** The customer {@code id} was merged into, if it was merged (a profile of any other status, or none: empty). */
    public Optional<String> mergedInto(String tenant, String id) {
        var item = table.getItem(r -> r.key(profileKey(tenant, id)).consistentRead(true));
        return Optional.ofNullable(item).filter(i -> CustomerStatus.MERGED.value().equals(i.getString(STATUS))).map(i -> i.getString(MERGED_INTO));
    }

    /** One page of customers, newest first (GSI3); with {@code idPrefix}, only ids that start with it. */
    Slice newestFirst(String tenant, int limit, Map<String, String> after, CustomerFilter filter, String idPrefix) {
        return list(tenant, Index.GSI3, true, limit, after, filter, idPrefix);
    }

    /** One page of customers by name (GSI4). */
    Slice byName(String tenant, int limit, Map<String, String> after, CustomerFilter filter) {
        return list(tenant, Index.GSI4, false, limit, after, filter, null);
    }

    /** Most subscriptions first (GSI6; profiles not written since subscriptions existed are not in it). */
    Slice bySubscriptions(String tenant, int limit, Map<String, String> after, CustomerFilter filter) {
        return list(tenant, Index.GSI6, true, limit, after, filter, null);
    }

    /**
     * By outstanding balance, highest first ({@code descending}) or lowest first (GSI8; profiles not written since
     * balances existed are not in it, as with {@link #bySubscriptions}).
     */
    Slice byBalance(String tenant, boolean descending, int limit, Map<String, String> after, CustomerFilter filter) {
        return list(tenant, Index.GSI8, descending, limit, after, filter, null);
    }

    private Slice list(String tenant, Index index, boolean newestFirst, int limit, Map<String, String> after,
                       CustomerFilter filter, String idPrefix) {
        QueryConditional condition = idPrefix == null
                ? QueryConditional.keyEqualTo(k -> k.partitionValue(Keys.customers(tenant)))
                : QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customers(tenant)).sortValue(idPrefix));
        return page(table.index(index.name()), condition, !newestFirst, limit, after, filterExpression(filter, false), index);
    }

    Slice byEmail(String tenant, String email, int limit, Map<String, String> after, CustomerFilter filter) {
        return page(table.index(Index.GSI1.name()),
                QueryConditional.keyEqualTo(k -> k.partitionValue(CustomerItems.byEmail(tenant, email))),
                true, limit, after, filterExpression(filter, false), Index.GSI1);
    }

    Slice byPhone(String tenant, String phone, int limit, Map<String, String> after, CustomerFilter filter) {
        return page(table.index(Index.GSI2.name()),
                QueryConditional.keyEqualTo(k -> k.partitionValue(CustomerItems.byPhone(tenant, phone))),
                true, limit, after, filterExpression(filter, false), Index.GSI2);
    }

    /**
     * Highest LTV first: each shard of GSI5 is read from its own position (the filter's LTV bounds
     * as a sort-key range, its other conditions as a FilterExpression, with the bounded re-reads of
     * {@link Pages#read}), the candidates merged and the best {@code limit} kept. A shard whose
     * reads stopped before its page was full may still hold rows down to where it stopped, so no
     * row below that point is kept from any shard on this page. Each shard resumes after the last
     * of its rows that was kept, or after all it read when every candidate was kept. The shards are
     * read concurrently (on virtual threads, over the one thread-safe client): a page costs about
     * one shard's reads, not four.
     */
    Slice byLtv(String tenant, int limit, Map<String, String> after, CustomerFilter filter) {
        record Candidate(int shard, EnhancedDocument item) {
            String sortKey() {
                return item.getString(Index.GSI5.sk());
            }
        }
        var index = table.index(Index.GSI5.name());
        var expression = filterExpression(filter, true);
        var candidates = new ArrayList<Candidate>();
        var done = new boolean[CustomerItems.LTV_SHARDS];
        var starts = new ArrayList<Map<String, String>>();
        var ends = new ArrayList<Map<String, String>>();
        var reads = new ArrayList<Future<Pages.Slice>>();
        String floor = null;
        // The shards' reads at once (each its own Query, or its few re-reads under a sparse filter), then merged in shard order.
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int shard = 0; shard < CustomerItems.LTV_SHARDS; shard++) {
                String prefix = shard + ".";
                var start = after == null ? Map.<String, String>of() : unprefixed(after, prefix);
                starts.add(start);
                done[shard] = after != null && after.containsKey(prefix + "done");
                var range = ltvRange(tenant, shard, filter);
                reads.add(done[shard] ? null : executor.submit(() -> Pages.read(index::query, Index.GSI5, range, false, limit,
                        start.isEmpty() ? null : start, expression)));
            }
        }
        for (int shard = 0; shard < CustomerItems.LTV_SHARDS; shard++) {
            if (done[shard]) {
                ends.add(null);
                continue;
            }
            var slice = Futures.join(reads.get(shard));
            int s = shard;
            slice.items().forEach(item -> candidates.add(new Candidate(s, item)));
            ends.add(slice.resumeAfter());
            if (slice.resumeAfter() != null) {
                String reached = slice.resumeAfter().get(Index.GSI5.sk());
                floor = floor == null || reached.compareTo(floor) > 0 ? reached : floor;
            }
        }
        candidates.sort(Comparator.comparing(Candidate::sortKey).reversed());
        String cut = floor;
        var kept = candidates.stream().filter(c -> cut == null || c.sortKey().compareTo(cut) >= 0).limit(limit).toList();
        var position = new LinkedHashMap<String, String>();
        boolean more = false;
        for (int shard = 0; shard < CustomerItems.LTV_SHARDS; shard++) {
            String prefix = shard + ".";
            int s = shard;
            long offered = candidates.stream().filter(c -> c.shard() == s).count();
            var ofShard = kept.stream().filter(c -> c.shard() == s).toList();
            Map<String, String> resume;
            if (done[shard] || ofShard.size() == offered && ends.get(shard) == null) {
                position.put(prefix + "done", "1");
                continue;
            } else if (ofShard.size() == offered) {
                resume = ends.get(shard);
            } else if (!ofShard.isEmpty()) {
                resume = Pages.keyOf(ofShard.get(ofShard.size() - 1).item(), Index.GSI5);
            } else {
                resume = starts.get(shard);
            }
            more = true;
            resume.forEach((k, v) -> position.put(prefix + k, v));
        }
        var rows = kept.stream().map(c -> customer(c.item())).toList();
        return new Slice(rows, more ? position : null);
    }

    /** A GSI5 shard's key condition: the filter's LTV bounds as a range of the sort key. */
    private static QueryConditional ltvRange(String tenant, int shard, CustomerFilter filter) {
        Key.Builder low = Key.builder().partitionValue(CustomerItems.byLtv(tenant, shard));
        Key.Builder high = Key.builder().partitionValue(CustomerItems.byLtv(tenant, shard));
        Long min = filter.ltvMin();
        Long max = filter.ltvMax();
        if (min != null && max != null) {
            return QueryConditional.sortBetween(low.sortValue(CustomerItems.ltvSortKeyFrom(min)).build(),
                    high.sortValue(CustomerItems.ltvSortKeyThrough(max)).build());
        } else if (min != null) {
            return QueryConditional.sortGreaterThanOrEqualTo(low.sortValue(CustomerItems.ltvSortKeyFrom(min)).build());
        } else if (max != null) {
            return QueryConditional.sortLessThan(high.sortValue(CustomerItems.ltvSortKeyThrough(max)).build());
        }
        return QueryConditional.keyEqualTo(low.build());
    }

    /** Search terms beginning with {@code prefix}, resolved to live customers in one batch read. */
    Slice search(String tenant, String prefix, int limit, Map<String, String> after) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBeginsWith(k -> k
                        .partitionValue(CustomerItems.searchPartition(tenant, prefix)).sortValue(prefix)))
                .limit(limit + 1)
                .exclusiveStartKey(after == null ? null : Pages.attributes(after))
                .build();
        var page = table.query(request).iterator().next();
        var terms = page.items();
        boolean more = terms.size() > limit;
        if (more) {
            terms = terms.subList(0, limit);
        }
        var ids = new LinkedHashSet<String>();
        terms.forEach(term -> ids.add(term.getString(CUSTOMER_ID)));
        var found = new HashMap<String, Customer>();
        if (!ids.isEmpty()) {
            var batch = ReadBatch.builder(EnhancedDocument.class).mappedTableResource(table);
            ids.forEach(id -> batch.addGetItem(profileKey(tenant, id)));
            client.batchGetItem(r -> r.readBatches(batch.build())).resultsForTable(table).forEach(item -> {
                if (isLive(item)) {
                    var customer = customer(item);
                    found.put(customer.id(), customer);
                }
            });
        }
        var rows = ids.stream().map(found::get).filter(c -> c != null).toList();
        Map<String, String> resume = more ? Pages.keyOf(terms.get(terms.size() - 1), null) : null;
        return new Slice(rows, resume);
    }

    /** The live customer whose referral code is {@code code} (canonical): the code's guard, then the profile. */
    Optional<Customer> byReferralCode(String tenant, String code) {
        var guard = table.getItem(r -> r.key(referralGuardKey(tenant, code)).consistentRead(true));
        return guard == null ? Optional.empty() : find(tenant, guard.getString(CUSTOMER_ID));
    }

    /** The live customer whose email is {@code email} (normalised): the email's guard, then the profile (both consistent). */
    public Optional<Customer> byEmail(String tenant, String email) {
        var guard = table.getItem(r -> r.key(Key.builder().partitionValue(CustomerItems.emailGuard(tenant, email))
                .sortValue(CustomerItems.UNIQUE).build()).consistentRead(true));
        return guard == null ? Optional.empty() : find(tenant, guard.getString(CUSTOMER_ID));
    }

    /** The referral of a customer (who referred them), if any: one GetItem. */
    public Optional<Referral> referral(String tenant, String customerId) {
        var item = table.getItem(r -> r.key(referralKey(tenant, customerId)).consistentRead(true));
        return Optional.ofNullable(item).map(i -> Items.read(i, Referral.class, Set.of(ENTITY)));
    }

    /** The tenant's segment thresholds, or the defaults when it has saved none: one GetItem. */
    public SegmentSettings segmentSettings(String tenant) {
        var item = table.getItem(r -> r.key(settingsKey(tenant)).consistentRead(true));
        return item == null ? SegmentSettings.DEFAULTS : Items.read(item, SegmentSettings.class, Set.of(ENTITY));
    }

    // ---- writes ------------------------------------------------------------------------------

    /** Replaces the tenant's segment thresholds (one item per tenant). */
    void putSegmentSettings(String tenant, SegmentSettings settings) {
        ObjectNode json = Items.attributes(settings);
        json.put(Table.PK, Keys.settings(tenant));
        json.put(Table.SK, CustomerItems.SEGMENT_SETTINGS);
        json.put(ENTITY, "segmentSettings");
        table.putItem(Items.document(json));
    }

    /**
     * A new customer's writes: profile, email guard, referral-code guard, activity, search terms and,
     * for a referred customer, its referral (checked against the referrer's code guard still naming the
     * referrer), with the tenant's counters; all or nothing, alone or with another capability's items
     * after them (an order placed for a new customer).
     */
    Insertion insertion(String tenant, Customer customer, Referral referral) {
        var tx = new Writes()
                .put(TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(profile(tenant, customer))
                        .conditionExpression(notExists()).build(), Failure.STALE)
                .put(guardPut(tenant, customer), Failure.EMAIL_TAKEN)
                .put(referralGuardPut(tenant, customer), Failure.CODE_TAKEN)
                .put(new Activity(customer.createdAt(), Activity.Kind.CUSTOMER_CREATED, "Customer created", customer.id())
                        .put(tenant, customer.id()), Failure.STALE)
                .put(event(tenant, customer.id(), ObjectEvent.of(ObjectEvent.CUSTOMER_CREATED, tenant, customer.createdAt(), customer)),
                        Failure.STALE);
        referralWrites(tx, tenant, referral);
        billingGroupCheck(tx, tenant, null, customer);
        searchTerms(customer).forEach(term -> tx.put(searchItem(tenant, term, customer.id()), Failure.STALE));
        var counted = new java.util.HashMap<>(TenantCounters.difference(null, customer));
        counted.put(TenantCounters.newOn(customer.createdAt()), 1L);
        return new Insertion(customer, tx, new TenantCounters.Change(tenant, customer.id(), counted));
    }

    /**
     * A new customer's writes, written with {@code more} items after them in one transaction. A
     * failed condition of the customer's items is the customers' own exception ({@link EmailTaken},
     * {@link CodeTaken}, …); one of {@code more}'s items is {@link OtherItemFailed} with its index in
     * {@code more}.
     */
    public final class Insertion {
        private final Customer customer;
        private final Writes writes;
        private final TenantCounters.Change counted;

        private Insertion(Customer customer, Writes writes, TenantCounters.Change counted) {
            this.customer = customer;
            this.writes = writes;
            this.counted = counted;
        }

        public Customer customer() {
            return customer;
        }

        public void write(List<TransactWriteItem> more) {
            var items = new ArrayList<>(writes.tx.build().transactWriteItems());
            int own = items.size();
            items.addAll(more);
            try {
                counters.write(items, List.of(counted));
            } catch (TransactionCanceledException e) {
                var reasons = e.cancellationReasons();
                for (int i = own; i < Math.min(reasons.size(), items.size()); i++) {
                    if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                        throw new OtherItemFailed(i - own);
                    }
                }
                throw translate(e, writes.failures);
            }
        }
    }

    /** A condition of an item written with a new customer's failed: its index among them. */
    public static final class OtherItemFailed extends RuntimeException {
        public final int index;

        OtherItemFailed(int index) {
            super(null, null, false, false);
            this.index = index;
        }
    }

    /**
     * Replaces a live profile at {@code before.version()}, moving its email guard and search terms;
     * with {@code referral}, the customer's referral too (only where it has none).
     */
    void replace(String tenant, Customer before, Customer after, Referral referral) {
        var changed = after.changedFrom(before);
        replace(tenant, before, after, referral, changed.isEmpty() ? null : new Activity(after.updatedAt(),
                Activity.Kind.CUSTOMER_UPDATED, "Profile updated: " + String.join(", ", changed), after.id()), null,
                changed.isEmpty() ? null : ObjectEvent.updated(tenant, after.updatedAt(), before, after, changed));
    }

    /**
     * Personal data erased: the anonymous profile {@code after} replaces {@code before} with the
     * erasure's {@code marker} item, refused if there already, and its activity, all or nothing. A
     * live customer's email is freed and its search terms change to the anonymous ones; its anonymous
     * email claims no guard ({@link Customer#claimsEmail}), so another customer's email can never stop
     * an erasure. A deleted or merged profile keeps its status (and when, and into whom) and stays out
     * of every index, as it was.
     */
    public void erase(String tenant, Stored before, Customer after, TransactPutItemEnhancedRequest<EnhancedDocument> marker) {
        var activity = new Activity(after.updatedAt(), Activity.Kind.CUSTOMER_ERASED, "Personal data erased", after.id());
        var erased = ObjectEvent.of(ObjectEvent.CUSTOMER_ERASED, tenant, after.updatedAt(), idOnly(after.id()));
        if (before.live()) {
            replace(tenant, before.customer(), after, null, activity, marker, erased);
            return;
        }
        ObjectNode json = profileJson(tenant, after, before.status());
        before.retired().forEach(json::put);
        var tx = new Writes()
                .put(TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(Items.document(json))
                        .conditionExpression(Expression.builder().expression("#v = :v AND #s = :status")
                                .putExpressionName("#v", "version").putExpressionName("#s", STATUS)
                                .putExpressionValue(":v", AttributeValue.fromN(Long.toString(before.customer().version())))
                                .putExpressionValue(":status", AttributeValue.fromS(before.status().value())).build()).build(), Failure.STALE)
                .put(activity.put(tenant, after.id()), Failure.STALE)
                .put(marker, Failure.STALE)
                .put(event(tenant, after.id(), erased), Failure.STALE);
        write(tx, null, null, Map.of());
    }

    private void replace(String tenant, Customer before, Customer after, Referral referral, Activity activity,
                         TransactPutItemEnhancedRequest<EnhancedDocument> marker, ObjectEvent event) {
        var tx = new Writes()
                .put(TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(profile(tenant, after))
                        .conditionExpression(isCurrent(before)).build(), Failure.STALE);
        if (!before.email().equals(after.email())) {
            if (before.claimsEmail()) {
                tx.delete(guardDelete(tenant, before), Failure.STALE);
            }
            if (after.claimsEmail()) {
                tx.put(guardPut(tenant, after), Failure.EMAIL_TAKEN);
            }
        }
        referralWrites(tx, tenant, referral);
        billingGroupCheck(tx, tenant, before, after);
        if (activity != null) {
            tx.put(activity.put(tenant, after.id()), Failure.STALE);
        }
        if (marker != null) {
            tx.put(marker, Failure.STALE);
        }
        if (event != null) {
            tx.put(event(tenant, after.id(), event), Failure.STALE);
        }
        var oldTerms = searchTerms(before);
        var newTerms = searchTerms(after);
        oldTerms.stream().filter(t -> !newTerms.contains(t))
                .forEach(t -> tx.delete(searchKey(tenant, t, before.id()), Failure.STALE));
        newTerms.stream().filter(t -> !oldTerms.contains(t))
                .forEach(t -> tx.put(searchItem(tenant, t, after.id()), Failure.STALE));
        write(tx, null, null, Map.of());
    }

    /** A new referral: its item (none may exist) and a check that the code still names the referrer. */
    private void referralWrites(Writes tx, String tenant, Referral referral) {
        if (referral == null) {
            return;
        }
        ObjectNode json = Items.attributes(referral);
        json.put(Table.PK, Keys.customer(tenant, referral.customerId()));
        json.put(Table.SK, CustomerItems.REFERRAL);
        json.put(ENTITY, "referral");
        tx.put(TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                .item(Items.document(json)).conditionExpression(notExists()).build(), Failure.ALREADY_REFERRED);
        tx.check(ConditionCheck.builder().key(referralGuardKey(tenant, referral.code()))
                .conditionExpression(isCustomer(referral.referrerId())).build(), Failure.REFERRER_GONE);
    }

    /** A customer joining a billing group ({@code billingGroupId} new or changed): the group must exist, in the customer's currency. */
    private static void billingGroupCheck(Writes tx, String tenant, Customer before, Customer after) {
        String group = after.billingGroupId();
        if (group != null && (before == null || !group.equals(before.billingGroupId()))) {
            tx.check(BillingGroupItems.joinable(tenant, group, after.currency()), Failure.NO_BILLING_GROUP);
        }
    }

    /**
     * A referral's new state (rewarded or refused), for the points transaction that settles it: it
     * fails that transaction unless the referral is still pending, so a referral is settled once.
     */
    public TransactPutItemEnhancedRequest<EnhancedDocument> referralSettled(String tenant, Referral settled) {
        ObjectNode json = Items.attributes(settled);
        json.put(Table.PK, Keys.customer(tenant, settled.customerId()));
        json.put(Table.SK, CustomerItems.REFERRAL);
        json.put(ENTITY, "referral");
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(Items.document(json))
                .conditionExpression(Expression.builder().expression("#s = :pending")
                        .putExpressionName("#s", STATUS)
                        .putExpressionValue(":pending", AttributeValue.fromS(Referral.PENDING)).build())
                .build();
    }

    /**
     * Soft delete: the profile stays (its ledger is the merchant's books) but leaves every index,
     * and the email guard, the referral-code guard and search terms go, so the email is free again
     * and the code refers no one any more.
     */
    void softDelete(String tenant, Customer customer, Instant at) {
        ObjectNode json = profileJson(tenant, customer, CustomerStatus.DELETED);
        json.put("deletedAt", at.toString());
        json.put("version", customer.version() + 1);
        var tx = new Writes()
                .put(TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(Items.document(json))
                        .conditionExpression(isCurrent(customer)).build(), Failure.STALE)
                .put(event(tenant, customer.id(), ObjectEvent.of(ObjectEvent.CUSTOMER_DELETED, tenant, at, idOnly(customer.id()))), Failure.STALE);
        if (customer.claimsEmail()) {
            tx.delete(guardDelete(tenant, customer), Failure.STALE);
        }
        if (customer.referralCode() != null) {
            tx.delete(TransactDeleteItemEnhancedRequest.builder().key(referralGuardKey(tenant, customer.referralCode()))
                    .conditionExpression(isCustomer(customer.id())).build(), Failure.STALE);
        }
        searchTerms(customer).forEach(t -> tx.delete(searchKey(tenant, t, customer.id()), Failure.STALE));
        write(tx, tenant, customer.id(), TenantCounters.difference(customer, null));
    }

    /**
     * Merged into {@code primaryId}: like a soft delete, the profile stays (status {@code merged},
     * with {@code mergedInto}) but leaves every index; its email guard, referral-code guard and search
     * terms go, and its contribution leaves the tenant's counters. With its activity and the merge's
     * own {@code puts} and {@code checks}, all or nothing; any failed condition is {@link StaleVersion}.
     */
    public void markMerged(String tenant, Customer customer, String primaryId, Instant at,
                           List<TransactPutItemEnhancedRequest<EnhancedDocument>> puts, List<ConditionCheck<EnhancedDocument>> checks) {
        ObjectNode json = profileJson(tenant, customer, CustomerStatus.MERGED);
        json.put(MERGED_INTO, primaryId);
        json.put("mergedAt", at.toString());
        json.put("version", customer.version() + 1);
        var tx = new Writes()
                .put(TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(Items.document(json))
                        .conditionExpression(isCurrent(customer)).build(), Failure.STALE)
                .put(new Activity(at, Activity.Kind.MERGED, "Merged into " + primaryId, primaryId).put(tenant, customer.id()), Failure.STALE)
                .put(event(tenant, customer.id(), ObjectEvent.of(ObjectEvent.CUSTOMER_MERGED, tenant, at,
                        Map.of("id", customer.id(), MERGED_INTO, primaryId))), Failure.STALE);
        if (customer.claimsEmail()) {
            tx.delete(guardDelete(tenant, customer), Failure.STALE);
        }
        if (customer.referralCode() != null) {
            tx.delete(TransactDeleteItemEnhancedRequest.builder().key(referralGuardKey(tenant, customer.referralCode()))
                    .conditionExpression(isCustomer(customer.id())).build(), Failure.STALE);
        }
        searchTerms(customer).forEach(t -> tx.delete(searchKey(tenant, t, customer.id()), Failure.STALE));
        puts.forEach(put -> tx.put(put, Failure.STALE));
        checks.forEach(check -> tx.check(check, Failure.STALE));
        write(tx, tenant, customer.id(), TenantCounters.difference(customer, null));
    }

    /** The outbox item of a customer's event, in the customer's partition. */
    private TransactPutItemEnhancedRequest<EnhancedDocument> event(String tenant, String customerId, ObjectEvent event) {
        return outbox.put(Keys.customer(tenant, customerId), event);
    }

    /** The object of an event that names the customer only (deleted, erased). */
    private static Map<String, String> idOnly(String customerId) {
        return Map.of("id", customerId);
    }

    /** A check, for another capability's transaction, that the customer is live (not deleted or merged). */
    public static ConditionCheck<EnhancedDocument> liveCheck(String tenant, String customerId) {
        return ConditionCheck.builder().key(profileKey(tenant, customerId))
                .conditionExpression(Expression.builder().expression("#s = :active").putExpressionName("#s", STATUS)
                        .putExpressionValue(":active", AttributeValue.fromS(CustomerStatus.ACTIVE.value())).build()).build();
    }

    /**
     * The profile at its next version, for a transaction of another capability (saved cards, the
     * currency fixed by a first charge). It fails the transaction if the profile changed since
     * {@code before} was read. Only for changes that keep the email and the search terms.
     */
    public TransactPutItemEnhancedRequest<EnhancedDocument> profileUpdate(String tenant, Customer before, Customer after) {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                .item(profile(tenant, after))
                .conditionExpression(isCurrent(before)).build();
    }

    /** A live profile, the events recorded on it and not yet in its stats, and which of them was recorded last. */
    public record PendingStats(Customer customer, Set<String> events, String last) {
    }

    /**
     * The live profiles of {@code customers} with the events recorded on them ({@link #statsPending}) and
     * not yet folded into their stats, in consistent batch reads; a customer not live is absent.
     */
    public Map<Keys.CustomerKey, PendingStats> pendingStats(Collection<Keys.CustomerKey> customers) {
        var found = new HashMap<Keys.CustomerKey, PendingStats>();
        var ids = List.copyOf(customers);
        for (int from = 0; from < ids.size(); from += MAX_BATCH_READ) {
            var batch = ReadBatch.builder(EnhancedDocument.class).mappedTableResource(table);
            ids.subList(from, Math.min(ids.size(), from + MAX_BATCH_READ)).forEach(c -> batch.addGetItem(
                    GetItemEnhancedRequest.builder().key(profileKey(c.tenantId(), c.customerId())).consistentRead(true).build()));
            client.batchGetItem(r -> r.readBatches(batch.build())).resultsForTable(table).forEach(item -> {
                if (isLive(item)) {
                    Keys.customerOf(item.getString(Table.PK)).ifPresent(key -> found.put(key, pendingStats(item)));
                }
            });
        }
        return found;
    }

    /** A BatchGetItem reads at most 100 items. */
    private static final int MAX_BATCH_READ = 100;

    private PendingStats pendingStats(EnhancedDocument item) {
        var events = item.isPresent(STATS_PENDING) ? Set.copyOf(item.getStringSet(STATS_PENDING)) : Set.<String>of();
        return new PendingStats(customer(item), events, item.getString(STATS_LAST));
    }

    /**
     * Adds {@code events} to the live profile's pending events and makes the last of them the last one
     * recorded, for the LTV aggregator's transaction: a string-set ADD and an unconditional SET, so
     * concurrent events of one customer never conflict. Fails the transaction when the customer is not live.
     */
    public TransactWriteItem statsPending(String tenant, String id, List<String> events) {
        return TransactWriteItem.builder().update(Update.builder().tableName(tableName)
                .key(profileKey(tenant, id).primaryKeyMap(Table.SCHEMA))
                .updateExpression("ADD #p :e SET #l = :last")
                .conditionExpression("#s = :active")
                .expressionAttributeNames(Map.of("#p", STATS_PENDING, "#l", STATS_LAST, "#s", STATUS))
                .expressionAttributeValues(Map.of(":e", AttributeValue.fromSs(events), ":last", AttributeValue.fromS(events.get(events.size() - 1)),
                        ":active", AttributeValue.fromS(CustomerStatus.ACTIVE.value()))).build()).build();
    }

    /**
     * Folds {@code pending}'s events into the profile: {@code after}'s stats and LTV index key, one version
     * later, those events taken out of the pending ones (others recorded meanwhile stay), for the LTV
     * aggregator's transaction. Fails it if the profile's version moved since {@code pending} was read, or,
     * with {@code lastOnly}, if an event was recorded since (its own fold then counts everything), or,
     * when none was pending, if one is now (the LTV aggregator's direct write of a batch's events).
     */
    public TransactWriteItem statsFolded(String tenant, PendingStats pending, Customer after, boolean lastOnly) {
        var before = pending.customer();
        var stats = Items.document(Json.MAPPER.createObjectNode().set("stats", Items.attributes(after.stats()))).toMap().get("stats");
        var values = new HashMap<String, AttributeValue>(Map.of(":stats", stats,
                ":key", AttributeValue.fromS(CustomerItems.ltvSortKey(after.stats().ltv().amount(), before.id())),
                ":next", AttributeValue.fromN(Long.toString(after.version())),
                ":v", AttributeValue.fromN(Long.toString(before.version())),
                ":active", AttributeValue.fromS(CustomerStatus.ACTIVE.value())));
        String update = "SET stats = :stats, #k = :key, #v = :next";
        if (!pending.events().isEmpty()) {
            values.put(":e", AttributeValue.fromSs(List.copyOf(pending.events())));
            update += " DELETE #p :e";
        }
        var names = new HashMap<String, String>(Map.of("#s", STATUS, "#v", "version", "#k", Index.GSI5.sk()));
        if (!pending.events().isEmpty()) {
            names.put("#p", STATS_PENDING);
        }
        String condition = "#v = :v AND #s = :active";
        if (pending.events().isEmpty()) {
            // nothing was pending when read: an event recorded since is its recorder's to fold
            names.put("#p", STATS_PENDING);
            condition += " AND attribute_not_exists(#p)";
        }
        if (lastOnly) {
            names.put("#l", STATS_LAST);
            values.put(":last", AttributeValue.fromS(pending.last()));
            condition += " AND #l = :last";
        }
        return TransactWriteItem.builder().update(Update.builder().tableName(tableName)
                .key(profileKey(tenant, before.id()).primaryKeyMap(Table.SCHEMA))
                .updateExpression(update)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values).build()).build();
    }

    /**
     * A subscription's change as its customer's profile takes it: {@code after} (the figures moved
     * from the subscription's share {@code was} to {@code now}, one version later), the profile's update
     * for the subscription's transaction ({@code SET subscriptions} and the GSI6 key, on condition that the
     * profile is live and at the version read: a failed condition means read it again), and what it
     * changes in the tenant's counters; {@link #write(List, FiguresChange)} writes them.
     */
    public FiguresChange subscriptionChanged(String tenant, Customer before, SubscriptionFigures.Share was,
                                             SubscriptionFigures.Share now, java.time.Instant at) {
        var after = before.withSubscriptions(before.subscriptions().change(was, now));
        var update = figuresUpdate(tenant, before, after, "subscriptions", after.subscriptions(), Index.GSI6,
                CustomerItems.bySubscriptions(after.subscriptions().total(), before.id()));
        return new FiguresChange(after, update, new TenantCounters.Change(tenant, before.id(), TenantCounters.subscriptionsMoved(before, after, at)));
    }

    /**
     * The profile's update for another capability's transaction: {@code SET <attribute>} to {@code figures} and the
     * {@code index}'s key (partition {@code T#t#CUSTOMERS}, sort key {@code sortKey}), one version later, on condition
     * that the profile is live and at {@code before}'s version.
     */
    private TransactWriteItem figuresUpdate(String tenant, Customer before, Customer after, String attribute, Object figures, Index index,
                                            String sortKey) {
        var value = Items.document(Json.MAPPER.createObjectNode().set(attribute, Items.attributes(figures))).toMap().get(attribute);
        return TransactWriteItem.builder().update(Update.builder().tableName(tableName)
                .key(profileKey(tenant, before.id()).primaryKeyMap(Table.SCHEMA))
                .updateExpression("SET #f = :f, #pk = :pk, #sk = :sk, #v = :next")
                .conditionExpression("#v = :v AND #s = :active")
                .expressionAttributeNames(Map.of("#f", attribute, "#pk", index.pk(), "#sk", index.sk(), "#v", "version", "#s", STATUS))
                .expressionAttributeValues(Map.of(":f", value,
                        ":pk", AttributeValue.fromS(Keys.customers(tenant)),
                        ":sk", AttributeValue.fromS(sortKey),
                        ":next", AttributeValue.fromN(Long.toString(after.version())),
                        ":v", AttributeValue.fromN(Long.toString(before.version())),
                        ":active", AttributeValue.fromS(CustomerStatus.ACTIVE.value()))).build()).build();
    }

    /**
     * An invoice's change as its customer's profile takes it: {@code after} (the balance moved from the
     * invoice's share {@code was} to {@code now}, one version later) and the profile's update for the
     * invoice's transaction ({@code SET balance} and the GSI8 key, on condition that the profile is live and
     * at the version read: a failed condition means read it again); {@link #write(List, FiguresChange)} writes them.
     */
    public FiguresChange balanceChanged(String tenant, Customer before, Balance was, Balance now) {
        var after = before.withBalance(before.balance().change(was, now));
        var update = figuresUpdate(tenant, before, after, "balance", after.balance(), Index.GSI8,
                CustomerItems.byBalance(after.balance().outstanding(), before.id()));
        return new FiguresChange(after, update, new TenantCounters.Change(tenant, before.id(), Map.of()));
    }

    /** See {@link #subscriptionChanged}. */
    public record FiguresChange(Customer after, TransactWriteItem update, TenantCounters.Change counters) {
    }

    /**
     * Writes another capability's {@code items} (a subscription's) and {@code change} in one
     * transaction: the profile's update right after {@code items} (so its cancellation reason is at
     * index {@code items.size()}), then the counters. Throws the SDK's TransactionCanceledException.
     */
    public void write(List<TransactWriteItem> items, FiguresChange change) {
        var all = new ArrayList<TransactWriteItem>(items);
        all.add(change.update());
        counters.write(all, List.of(change.counters()));
    }

    /** One more search term for a customer (a receipt id), for another capability's transaction. */
    public static TransactPutItemEnhancedRequest<EnhancedDocument> searchTerm(String tenant, String term, String customerId) {
        return searchItem(tenant, lower(term), customerId);
    }

    /** What a failed condition of a transaction's item means. */
    private enum Failure { STALE, EMAIL_TAKEN, CODE_TAKEN, ALREADY_REFERRED, REFERRER_GONE, NO_BILLING_GROUP }

    /** A transaction being built, with what a failed condition of each of its items (by position) means. */
    private final class Writes {
        final TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder();
        final List<Failure> failures = new ArrayList<>();

        Writes put(TransactPutItemEnhancedRequest<EnhancedDocument> put, Failure failure) {
            tx.addPutItem(table, put);
            failures.add(failure);
            return this;
        }

        Writes delete(TransactDeleteItemEnhancedRequest delete, Failure failure) {
            tx.addDeleteItem(table, delete);
            failures.add(failure);
            return this;
        }

        Writes delete(Key key, Failure failure) {
            tx.addDeleteItem(table, key);
            failures.add(failure);
            return this;
        }

        Writes check(ConditionCheck<EnhancedDocument> check, Failure failure) {
            tx.addConditionCheck(table, check);
            failures.add(failure);
            return this;
        }
    }

    /** The transaction, plus the tenant's analytics counters changed by {@code deltas}. */
    private void write(Writes writes, String tenant, String customerId, Map<String, Long> deltas) {
        try {
            counters.write(writes.tx.build(), tenant, customerId, deltas);
        } catch (TransactionCanceledException e) {
            throw translate(e, writes.failures);
        }
    }

    /** The first failed condition, as what it means; any other cancellation as it is. */
    private static RuntimeException translate(TransactionCanceledException e, List<Failure> failures) {
        List<CancellationReason> reasons = e.cancellationReasons();
        for (int i = 0; i < reasons.size(); i++) {
            var reason = reasons.get(i);
            if (!"ConditionalCheckFailed".equals(reason.code())) {
                continue;
            }
            var item = reason.item();
            return switch (i < failures.size() ? failures.get(i) : Failure.STALE) {
                case EMAIL_TAKEN -> item != null && item.containsKey(CUSTOMER_ID)
                        ? new EmailTaken(item.get(CUSTOMER_ID).s()) : new StaleVersion();
                case CODE_TAKEN -> new CodeTaken();
                case ALREADY_REFERRED -> new AlreadyReferred();
                case REFERRER_GONE -> new ReferrerGone();
                case NO_BILLING_GROUP -> new NoBillingGroup();
                case STALE -> new StaleVersion();
            };
        }
        return e;
    }

    // ---- items -------------------------------------------------------------------------------

    private static Key profileKey(String tenant, String id) {
        return Key.builder().partitionValue(Keys.customer(tenant, id)).sortValue(CustomerItems.PROFILE).build();
    }

    private static Key referralGuardKey(String tenant, String code) {
        return Key.builder().partitionValue(CustomerItems.referralCodeGuard(tenant, code)).sortValue(CustomerItems.UNIQUE).build();
    }

    private static Key referralKey(String tenant, String customerId) {
        return Key.builder().partitionValue(Keys.customer(tenant, customerId)).sortValue(CustomerItems.REFERRAL).build();
    }

    private static Key settingsKey(String tenant) {
        return Key.builder().partitionValue(Keys.settings(tenant)).sortValue(CustomerItems.SEGMENT_SETTINGS).build();
    }

    private static Key searchKey(String tenant, String term, String id) {
        return Key.builder().partitionValue(CustomerItems.searchPartition(tenant, term)).sortValue(CustomerItems.searchSortKey(term, id)).build();
    }

    /** The profile item's attributes without index keys: the customer's JSON, its key and status. */
    private static ObjectNode profileJson(String tenant, Customer c, CustomerStatus status) {
        ObjectNode json = Items.attributes(c);
        json.put(Table.PK, Keys.customer(tenant, c.id()));
        json.put(Table.SK, CustomerItems.PROFILE);
        json.put(ENTITY, "customer");
        json.put(STATUS, status.value());
        return json;
    }

    /** A live profile: projected into every customer index. */
    private static EnhancedDocument profile(String tenant, Customer c) {
        ObjectNode json = profileJson(tenant, c, CustomerStatus.ACTIVE);
        json.put(Index.GSI1.pk(), CustomerItems.byEmail(tenant, c.email()));
        json.put(Index.GSI1.sk(), c.id());
        json.put(Index.GSI2.pk(), CustomerItems.byPhone(tenant, c.phone()));
        json.put(Index.GSI2.sk(), c.id());
        json.put(Index.GSI3.pk(), Keys.customers(tenant));
        json.put(Index.GSI3.sk(), c.id());
        json.put(Index.GSI4.pk(), Keys.customers(tenant));
        json.put(Index.GSI4.sk(), CustomerItems.byName(c.lastName(), c.firstName(), c.id()));
        json.put(Index.GSI5.pk(), CustomerItems.byLtv(tenant, CustomerItems.ltvShard(c.id())));
        json.put(Index.GSI5.sk(), CustomerItems.ltvSortKey(c.stats().ltv().amount(), c.id()));
        json.put(Index.GSI6.pk(), Keys.customers(tenant));
        json.put(Index.GSI6.sk(), CustomerItems.bySubscriptions(c.subscriptions().total(), c.id()));
        json.put(Index.GSI8.pk(), Keys.customers(tenant));
        json.put(Index.GSI8.sk(), CustomerItems.byBalance(c.balance().outstanding(), c.id()));
        if (c.billingGroupId() != null) {
            json.put(Index.GSI7.pk(), BillingGroupItems.members(tenant, c.billingGroupId()));
            json.put(Index.GSI7.sk(), c.id());
        }
        return Items.document(json);
    }

    private TransactPutItemEnhancedRequest<EnhancedDocument> guardPut(String tenant, Customer c) {
        var guard = Table.item()
                .putString(Table.PK, CustomerItems.emailGuard(tenant, c.email()))
                .putString(Table.SK, CustomerItems.UNIQUE)
                .putString(ENTITY, "emailGuard")
                .putString(CUSTOMER_ID, c.id())
                .build();
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                .item(guard)
                .conditionExpression(notExists())
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    private static TransactPutItemEnhancedRequest<EnhancedDocument> referralGuardPut(String tenant, Customer c) {
        var guard = Table.item()
                .putString(Table.PK, CustomerItems.referralCodeGuard(tenant, c.referralCode()))
                .putString(Table.SK, CustomerItems.UNIQUE)
                .putString(ENTITY, "referralCodeGuard")
                .putString(CUSTOMER_ID, c.id())
                .build();
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(guard).conditionExpression(notExists()).build();
    }

    private static Expression isCustomer(String customerId) {
        return Expression.builder().expression("#c = :id")
                .putExpressionName("#c", CUSTOMER_ID)
                .putExpressionValue(":id", AttributeValue.fromS(customerId)).build();
    }

    private static TransactDeleteItemEnhancedRequest guardDelete(String tenant, Customer c) {
        return TransactDeleteItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(CustomerItems.emailGuard(tenant, c.email())).sortValue(CustomerItems.UNIQUE).build())
                .conditionExpression(Expression.builder().expression("#c = :id")
                        .putExpressionName("#c", CUSTOMER_ID)
                        .putExpressionValue(":id", AttributeValue.fromS(c.id())).build())
                .build();
    }

    private static TransactPutItemEnhancedRequest<EnhancedDocument> searchItem(String tenant, String term, String id) {
        var item = Table.item()
                .putString(Table.PK, CustomerItems.searchPartition(tenant, term))
                .putString(Table.SK, CustomerItems.searchSortKey(term, id))
                .putString(ENTITY, "searchTerm")
                .putString(CUSTOMER_ID, id)
                .build();
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item).build();
    }

    /**
     * What {@code q} can match, lower-case: email, phone digits, "first last", "last first" and
     * the company name. (Matching "first last" also covers a search by first name alone.)
     */
    static Set<String> searchTerms(Customer c) {
        var terms = new LinkedHashSet<String>();
        terms.add(c.email());
        terms.add(c.phone().substring(1));
        terms.add(lower(c.firstName() + " " + c.lastName()));
        terms.add(lower(c.lastName() + " " + c.firstName()));
        if (c.company() != null && c.company().name() != null) {
            terms.add(lower(c.company().name()));
        }
        return terms;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static Expression notExists() {
        return Expression.builder().expression("attribute_not_exists(PK)").build();
    }

    /**
     * A whole-profile write's condition: the profile is live and as {@code before} was read — its version
     * (moved by every whole-profile write and by each fold of the LTV aggregator), its points (which the
     * points consumers add to without moving the version) — and holds no event recorded but not yet
     * folded into its stats (the write would drop it).
     */
    private static Expression isCurrent(Customer before) {
        String points = before.pointsAvailable() == 0 ? "(#pts = :pts OR attribute_not_exists(#pts))" : "#pts = :pts";
        return Expression.builder().expression("#v = :v AND #s = :active AND " + points + " AND attribute_not_exists(#pending)")
                .putExpressionName("#v", "version").putExpressionName("#s", STATUS)
                .putExpressionName("#pts", POINTS_AVAILABLE).putExpressionName("#pending", STATS_PENDING)
                .putExpressionValue(":v", AttributeValue.fromN(Long.toString(before.version())))
                .putExpressionValue(":pts", AttributeValue.fromN(Long.toString(before.pointsAvailable())))
                .putExpressionValue(":active", AttributeValue.fromS(CustomerStatus.ACTIVE.value())).build();
    }

    /**
     * The filter as a FilterExpression over the profile's attributes, or null when it keeps
     * everything. With {@code ltvInKey} the LTV bounds are left out: the GSI5 key condition holds
     * them. Times compare as ISO-8601 strings from the window's whole second (see {@link CustomerFilter}).
     */
    static Expression filterExpression(CustomerFilter filter, boolean ltvInKey) {
        var condition = new Conditions();
        condition.add("type", "=", ":type", AttributeValue.fromS(filter.type()), filter.type() != null);
        condition.add("stats.ltv.amount", ">=", ":ltvMin", number(filter.ltvMin()), !ltvInKey && filter.ltvMin() != null);
        condition.add("stats.ltv.amount", "<=", ":ltvMax", number(filter.ltvMax()), !ltvInKey && filter.ltvMax() != null);
        condition.add("stats.ltv.currency", "=", ":currency", AttributeValue.fromS(filter.currency()), filter.currency() != null);
        condition.add("stats.orders", ">=", ":ordersMin", number(filter.ordersMin()), filter.ordersMin() != null);
        condition.add("stats.orders", "<=", ":ordersMax", number(filter.ordersMax()), filter.ordersMax() != null);
        condition.add("billingGroupId", "=", ":billingGroupId", AttributeValue.fromS(filter.billingGroupId()),
                filter.billingGroupId() != null);
        condition.add("tier.key", "=", ":tier", AttributeValue.fromS(filter.tier()), filter.tier() != null);
        if (filter.lastFailedSince() != null && filter.atRiskDisputes() != null) {
            condition.any(List.of(new Term("stats.lastFailedAt", ">=", ":lastFailedSince", AttributeValue.fromS(secondPrefix(filter.lastFailedSince()))),
                    new Term("stats.disputeCount", ">=", ":atRiskDisputes", number(filter.atRiskDisputes()))));
        } else {
            condition.add("stats.lastFailedAt", ">=", ":lastFailedSince",
                    AttributeValue.fromS(secondPrefix(filter.lastFailedSince())), filter.lastFailedSince() != null);
        }
        if (filter.loyalOrders() != null) {
            condition.any(List.of(new Term("stats.orders", ">=", ":loyalOrders", number(filter.loyalOrders())),
                    new Term("subscriptions.total", ">=", ":loyalSubscriptions", number((long) CustomerFilter.LOYAL_SUBSCRIPTIONS)),
                    new Term("subscriptions.extensions", ">", ":noExtension", number(0L))));
        }
        if (filter.newSince() != null) {
            var since = AttributeValue.fromS(secondPrefix(filter.newSince()));
            condition.any(List.of(new Term("stats.firstPurchaseAt", ">=", ":newSince", since),
                    new Term("subscriptions.firstStartedAt", ">=", ":newSince", since)));
        }
        if (filter.activeSubscriptions() != null) {
            // a profile written before subscriptions existed has no figures: it has none active
            condition.any(filter.activeSubscriptions()
                    ? List.of(new Term("subscriptions.active", ">", ":noneActive", number(0L)))
                    : List.of(new Term("subscriptions.active", "=", ":noneActive", number(0L)), new Term("subscriptions", null, null, null)));
        }
        if (filter.balanceMin() != null) {
            condition.add("balance.outstanding", ">=", ":balanceMin", number(filter.balanceMin()), true);
        }
        if (filter.balanceMax() != null) {
            // a profile written before balances existed has none outstanding
            condition.any(List.of(new Term("balance.outstanding", "<=", ":balanceMax", number(filter.balanceMax())),
                    new Term("balance", null, null, null)));
        }
        if (filter.overdue() != null) {
            condition.any(filter.overdue()
                    ? List.of(new Term("balance.overdue", ">", ":noneOverdue", number(0L)))
                    : List.of(new Term("balance.overdue", "=", ":noneOverdue", number(0L)), new Term("balance", null, null, null)));
        }
        return condition.build();
    }

    /** {@code <path> <operator> <placeholder>}; with no operator, {@code attribute_not_exists(<path>)}. */
    private record Term(String path, String operator, String placeholder, AttributeValue value) {
    }

    /** Conditions on attribute paths ("stats.ltv.amount"), each name a placeholder, joined with AND. */
    private static final class Conditions {
        private final List<String> terms = new ArrayList<>();
        private final Expression.Builder expression = Expression.builder();

        void add(String path, String operator, String placeholder, AttributeValue value, boolean present) {
            if (present) {
                terms.add(term(new Term(path, operator, placeholder, value)));
            }
        }

        /** One of {@code any}: their disjunction, as one term. */
        void any(List<Term> any) {
            terms.add("(" + String.join(" OR ", any.stream().map(this::term).toList()) + ")");
        }

        private String term(Term term) {
            var names = new ArrayList<String>();
            for (String name : term.path().split("\\.")) {
                expression.putExpressionName("#" + name, name);
                names.add("#" + name);
            }
            String path = String.join(".", names);
            if (term.operator() == null) {
                return "attribute_not_exists(" + path + ")";
            }
            expression.putExpressionValue(term.placeholder(), term.value());
            return path + " " + term.operator() + " " + term.placeholder();
        }

        Expression build() {
            return terms.isEmpty() ? null : expression.expression(String.join(" AND ", terms)).build();
        }
    }

    /**
     * "2026-03-01T10:00:00" for 10:00:00Z: every stored time of that second or later sorts at or
     * above it (stored times add ".fff" and "Z"), every earlier one below.
     */
    private static String secondPrefix(Instant since) {
        if (since == null) {
            return null;
        }
        String iso = since.toString();
        return iso.substring(0, iso.length() - 1);
    }

    private static AttributeValue number(Long n) {
        return n == null ? null : AttributeValue.fromN(Long.toString(n));
    }

    private static boolean isLive(EnhancedDocument item) {
        return CustomerStatus.ACTIVE.value().equals(item.getString(STATUS));
    }

    static Customer customer(EnhancedDocument item) {
        return Items.read(item, Customer.class, ITEM_ONLY);
    }

    /** The live customer a profile item holds (read from the table or from an index that projects it whole), else empty. */
    public static Optional<Customer> live(EnhancedDocument item) {
        return Optional.of(item).filter(CustomerRepository::isLive).map(CustomerRepository::customer);
    }

    // ---- paging ------------------------------------------------------------------------------

    private static Slice page(DynamoDbIndex<EnhancedDocument> index, QueryConditional condition, boolean ascending,
                              int limit, Map<String, String> after, Expression filter, Index which) {
        var slice = Pages.read(index::query, which, condition, ascending, limit, after, filter);
        return new Slice(slice.items().stream().map(CustomerRepository::customer).toList(), slice.resumeAfter());
    }

    private static Map<String, String> unprefixed(Map<String, String> position, String prefix) {
        var result = new LinkedHashMap<String, String>();
        position.forEach((k, v) -> {
            if (k.startsWith(prefix) && !k.equals(prefix + "done")) {
                result.put(k.substring(prefix.length()), v);
            }
        });
        return result;
    }
}
