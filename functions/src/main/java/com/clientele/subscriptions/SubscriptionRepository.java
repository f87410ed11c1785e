package com.clientele.subscriptions;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.SubscriptionFigures;
import com.clientele.shared.Activity;
import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.Table.Index;
import com.clientele.shared.TransactPut;
import com.clientele.shared.events.AppliedEntries;
import com.clientele.shared.items.MergeContext;
import com.clientele.shared.items.MergePolicy;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Subscriptions in the single table ({@link SubscriptionItems}): the item in its customer's partition,
 * its pointer, and the due index, whose keys are derived from the subscription on every write
 * ({@link Subscription#dueAt}: present while it has one, gone when it has none). Every change is a
 * put conditioned on the version read (or on the item being new), so a concurrent change fails it
 * ({@link Stale}) instead of being overwritten; the activity that records a change is in its transaction.
 */
public final class SubscriptionRepository {

    static final Set<String> ITEM_ONLY = Set.of("entity");
    /** Tries of a write whose customer's profile moved in between (a fold of its stats just after a renewal's charge). */
    private static final int MAX_PROFILE_ATTEMPTS = 5;
    private static final String HOME = "home";

    private final DynamoDbClient dynamoDb;
    private final DynamoDbTable<EnhancedDocument> table;
    private final DynamoDbIndex<EnhancedDocument> dueIndex;
    private final DynamoDbIndex<EnhancedDocument> reminderIndex;
    private final String tableName;
    private final CustomerRepository customers;
    private final Function<String, BillingSettings.Reminders> reminders;

    /**
     * {@code customers} writes the customer's subscription figures with each change of a subscription;
     * {@code reminders} gives a tenant's reminder settings, by which each write places the subscription in the
     * reminder index ({@link BillingRepository#reminders}: a tenant's, read once a minute at most).
     */
    public SubscriptionRepository(DynamoDbClient dynamoDb, DynamoDbEnhancedClient enhanced, String tableName, CustomerRepository customers,
                                  Function<String, BillingSettings.Reminders> reminders) {
        this.dynamoDb = dynamoDb;
        this.table = enhanced.table(tableName, Table.SCHEMA);
        this.dueIndex = table.index(Index.GSI1.name());
        this.reminderIndex = table.index(Index.GSI2.name());
        this.tableName = tableName;
        this.customers = customers;
        this.reminders = reminders;
    }

    /** The write found another state than the one it was based on: the subscription exists already, or changed, or its customer went. */
    public static final class Stale extends RuntimeException {
        Stale() {
            super(null, null, false, false);
        }
    }

    // ---- reads ---------------------------------------------------------------------------------------

    /** A customer's subscription (consistent read). */
    public Optional<Subscription> find(String tenant, String customerId, String subscriptionId) {
        return Optional.ofNullable(table.getItem(r -> r.key(key(Keys.customer(tenant, customerId), SubscriptionItems.sortKey(subscriptionId)))
                .consistentRead(true))).map(SubscriptionRepository::subscription);
    }

    /** A subscription of the tenant, whichever customer holds it: its pointer, then it (two consistent reads). */
    public Optional<Subscription> find(String tenant, String subscriptionId) {
        var pointer = table.getItem(r -> r.key(key(SubscriptionItems.pointer(tenant, subscriptionId), SubscriptionItems.POINTER))
                .consistentRead(true));
        if (pointer == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(table.getItem(r -> r.key(key(pointer.getString(HOME), SubscriptionItems.sortKey(subscriptionId)))
                .consistentRead(true))).map(SubscriptionRepository::subscription);
    }

    /** A page of a customer's subscriptions, newest first; only those of {@code status} when it is set. */
    public Pages.Slice list(String tenant, String customerId, SubscriptionStatus status, int limit, Map<String, String> after) {
        var condition = QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId))
                .sortValue(SubscriptionItems.SUBSCRIPTION));
        Expression filter = status == null ? null : Expression.builder().expression("#s = :s").putExpressionName("#s", "status")
                .putExpressionValue(":s", AttributeValue.fromS(status.value())).build();
        return Pages.read(table::query, null, condition, false, limit, after, filter);
    }

    /**
     * A subscription's customer (consistent read), for a writer that reads it anyway before its write (a
     * renewal's charge) and hands it to {@link #update(String, Subscription, Subscription, Activity, TransactPut, Customer)}.
     */
    public Optional<Customer> customer(String tenant, String customerId) {
        return customers.find(tenant, customerId);
    }

    /** The subscription a subscription item holds. */
    public static Subscription subscription(EnhancedDocument item) {
        return Items.read(item, Subscription.class, ITEM_ONLY);
    }

    /** A subscription due, with the tenant whose it is (the due index serves every tenant). */
    public record Due(String tenantId, Subscription subscription) {
    }

    /**
     * A page of the due index, and where the next one starts (null: none); {@code unreadable}: the keys
     * ({@code PK} and {@code SK}, ids only) of its items that are not subscriptions as the code reads them,
     * left out so that one malformed item does not stop a run.
     */
    public record DuePage(List<Due> due, Map<String, String> next, List<String> unreadable) {

        public DuePage(List<Due> due, Map<String, String> next) {
            this(due, next, List.of());
        }
    }

    /**
     * One page of the subscriptions of one shard of {@code day} due at or before {@code through}: one
     * Query of the due index ({@code GSI1PK = SUBDUE#<day>#<shard> AND GSI1SK <= <through>}), reading
     * nothing that is not due. The index is eventually consistent: read the subscription again before
     * acting on it.
     */
    public DuePage due(LocalDate day, int shard, Instant through, Map<String, String> after, int limit) {
        return page(dueIndex, SubscriptionItems.due(day, shard), through, after, limit);
    }

    /**
     * One page of the subscriptions of one shard of {@code day} whose next reminder is at or before
     * {@code through}: one Query of the reminder index ({@code GSI2PK = SUBREMIND#<day>#<shard> AND GSI2SK <= <through>}).
     * Eventually consistent, as {@link #due}.
     */
    public DuePage reminders(LocalDate day, int shard, Instant through, Map<String, String> after, int limit) {
        return page(reminderIndex, SubscriptionItems.reminders(day, shard), through, after, limit);
    }

    private DuePage page(DynamoDbIndex<EnhancedDocument> index, String partition, Instant through, Map<String, String> after, int limit) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortLessThanOrEqualTo(k -> k.partitionValue(partition)
                        .sortValue(SubscriptionItems.dueSortKeyThrough(through))))
                .limit(limit).exclusiveStartKey(after == null ? null : Pages.attributes(after)).build();
        var page = index.query(request).iterator().next();
        var due = new ArrayList<Due>();
        var unreadable = new ArrayList<String>();
        for (var item : page.items()) {
            var owner = Keys.customerOf(item.getString(Table.PK));
            try {
                due.add(new Due(owner.orElseThrow().tenantId(), subscription(item)));
            } catch (RuntimeException malformed) {
                unreadable.add(item.getString(Table.PK) + " " + item.getString(Table.SK));
            }
        }
        return new DuePage(due, Pages.position(page.lastEvaluatedKey()), List.copyOf(unreadable));
    }

    // ---- writes --------------------------------------------------------------------------------------

    /** The writes of a new subscription: the subscription (if it is new), its pointer and its activity ({@code activity} null: none). */
    private List<TransactWriteItem> inserts(String tenant, Subscription subscription, Activity activity) {
        var writes = new ArrayList<TransactWriteItem>();
        writes.add(put(item(tenant, subscription, reminders.apply(tenant)), Expression.builder().expression("attribute_not_exists(PK)").build()));
        writes.add(put(pointer(tenant, subscription.id(), Keys.customer(tenant, subscription.customerId())), null));
        if (activity != null) {
            var put = activity.put(tenant, subscription.customerId());
            writes.add(put(put.item(), put.conditionExpression()));
        }
        return writes;
    }

    /**
     * A new subscription, its pointer and activity, while its customer is live, with the completion of
     * the request that made it (none when null) and its share of the customer's figures ({@link #write}).
     * {@link Stale} when it exists already or the customer is not live.
     */
    public void insert(String tenant, Subscription subscription, Activity activity, TransactPut completion) {
        var writes = inserts(tenant, subscription, activity);
        if (completion != null) {
            writes.add(put(completion.item(), completion.condition()));
        }
        write(tenant, subscription.customerId(), writes, null, subscription.share(), subscription.createdAt(), true, null);
    }

    /** The subscription as changed, if it is still at {@code before}'s version. */
    private TransactWriteItem updateItem(String tenant, Subscription before, Subscription after) {
        if (after.version() <= before.version()) {
            throw new IllegalArgumentException("a change is a later version: " + before.version() + " → " + after.version());
        }
        return put(item(tenant, after, reminders.apply(tenant)), Expression.builder().expression("version = :v")
                .putExpressionValue(":v", AttributeValue.fromN(Long.toString(before.version()))).build());
    }

    /**
     * The subscription as changed, if it is still at {@code before}'s version ({@link Stale} otherwise),
     * with the activity that records the change and the request's completion (each none when null), and
     * the customer's figures when its share of them moved ({@link #write}).
     */
    public void update(String tenant, Subscription before, Subscription after, Activity activity, TransactPut completion) {
        update(tenant, before, after, activity, completion, null);
    }

    /**
     * {@link #update(String, Subscription, Subscription, Activity, TransactPut)} with the customer's profile as the
     * writer read it ({@link #customer}; null: none), which the figures' write starts from instead of reading it
     * again: written at its version, so a profile that moved since is read again as ever.
     */
    public void update(String tenant, Subscription before, Subscription after, Activity activity, TransactPut completion,
                       Customer profile) {
        update(tenant, before, after, activity, completion, profile, List.of());
    }

    /**
     * {@link #update(String, Subscription, Subscription, Activity, TransactPut, Customer)} with writes of another
     * capability that commit with it or not at all ({@code with}: a period's pending line of a billing group).
     */
    public void update(String tenant, Subscription before, Subscription after, Activity activity, TransactPut completion,
                       Customer profile, List<TransactWriteItem> with) {
        var writes = new ArrayList<TransactWriteItem>(with);
        writes.add(updateItem(tenant, before, after));
        if (activity != null) {
            var put = activity.put(tenant, after.customerId());
            writes.add(put(put.item(), put.conditionExpression()));
        }
        if (completion != null) {
            writes.add(put(completion.item(), completion.condition()));
        }
        write(tenant, after.customerId(), writes, before.share(), after.share(), after.updatedAt(), false, profile);
    }

    /**
     * {@code before} written as {@code after} with the marker of the ledger entry that changed it ({@code entryId}:
     * a refund), in one transaction, only while neither moved: {@link Stale} when the subscription changed or the
     * marker is there ({@link #applied} tells which).
     */
    public void updateOnce(String tenant, Subscription before, Subscription after, String entryId) {
        var marker = Table.item().putString(Table.PK, Keys.customer(tenant, after.customerId()))
                .putString(Table.SK, AppliedEntries.appliedEntrySortKey(CONSUMER, entryId)).putString("entity", "appliedEntry")
                .putString("processedAt", after.updatedAt().toString()).build();
        update(tenant, before, after, null, new TransactPut(marker, Expression.builder().expression("attribute_not_exists(PK)").build()));
    }

    /** Whether the entry {@code entryId} was applied to a subscription of the customer's ({@link #updateOnce}). */
    public boolean applied(String tenant, String customerId, String entryId) {
        return table.getItem(r -> r.key(key(Keys.customer(tenant, customerId), AppliedEntries.appliedEntrySortKey(CONSUMER, entryId)))
                .consistentRead(true)) != null;
    }

    /** The consumer name of the markers {@link #updateOnce} leaves. */
    private static final String CONSUMER = "subscriptions";

    /**
     * A reminder recorded on the subscription ({@link SubscriptionReminders#reminded}), if it is still at
     * {@code before}'s version ({@link Stale} otherwise), with its activity and its event's outbox item.
     */
    public void remind(String tenant, Subscription before, Subscription after, Activity activity, TransactPut event) {
        update(tenant, before, after, activity, event);
    }

    /**
     * The subscription's item: its attributes, its keys and, while it has a {@link Subscription#dueAt}, its due
     * index keys (at that time, or at the write's when it has passed: see {@link SubscriptionItems#notBeforeItsWrite}), and while it has a reminder to come by the tenant's {@code reminders}, its reminder index keys.
     */
    public static EnhancedDocument item(String tenant, Subscription subscription, BillingSettings.Reminders reminders) {
        ObjectNode json = Items.attributes(subscription);
        json.remove("costRecovery");
        json.put(Table.PK, Keys.customer(tenant, subscription.customerId())).put(Table.SK, SubscriptionItems.sortKey(subscription.id()))
                .put("entity", "subscription");
        Instant due = SubscriptionItems.notBeforeItsWrite(subscription.dueAt(), subscription);
        if (due != null) {
            json.put(Index.GSI1.pk(), SubscriptionItems.due(due, subscription.id()))
                    .put(Index.GSI1.sk(), SubscriptionItems.dueSortKey(due, subscription.id()));
        }
        Instant remind = SubscriptionReminders.indexAt(subscription, reminders);
        if (remind != null) {
            json.put(Index.GSI2.pk(), SubscriptionItems.reminder(remind, subscription.id()))
                    .put(Index.GSI2.sk(), SubscriptionItems.dueSortKey(remind, subscription.id()));
        }
        return Items.document(json);
    }

    private static EnhancedDocument pointer(String tenant, String subscriptionId, String home) {
        return Table.item().putString(Table.PK, SubscriptionItems.pointer(tenant, subscriptionId)).putString(Table.SK, SubscriptionItems.POINTER)
                .putString("entity", "subscriptionPointer").putString(HOME, home).build();
    }

    /**
     * A merge's move of a duplicate's subscription ({@link SubscriptionItems#type}): the copy in the
     * primary's partition with the primary's {@code customerId} (never over a newer one), its pointer
     * to the copy, then the original at the version copied; if the original changed in between (a
     * renewal just before the pointer moved), again.
     */
    static void moveIntoPrimary(ObjectNode item, MergeContext merge) {
        MergePolicy.moveAtVersion(item, merge, copy -> { }, moved -> merge.store().put(Items.json(
                pointer(merge.tenant(), moved.path("id").asText(), merge.to()))));
    }

    /**
     * {@code writes} and, when the subscription's share of its customer's figures moved ({@code was} →
     * {@code now}), the profile's figures and the tenant's counters in the same transaction
     * ({@code CustomerRepository.subscriptionChanged}): every writer of a subscription moves them, none can
     * forget. A profile that moved in between (an edit, a fold of its stats after a renewal's charge) is
     * read again; {@code read}, when set, is the profile as the writer just read it, taken for the first try.
     * With {@code live} the customer must be live, or {@link Stale}; without, a deleted or
     * merged customer's subscription is written without figures (they left the counters with it).
     * {@link Stale} when a condition of {@code writes} failed.
     */
    private void write(String tenant, String customerId, List<TransactWriteItem> writes, SubscriptionFigures.Share was,
                       SubscriptionFigures.Share now, Instant at, boolean live, Customer read) {
        if (java.util.Objects.equals(was, now)) {
            if (live) {
                var check = CustomerRepository.liveCheck(tenant, customerId);
                writes.add(TransactWriteItem.builder().conditionCheck(expression(ConditionCheck.builder().tableName(tableName)
                        .key(check.key().primaryKeyMap(Table.SCHEMA)), check.conditionExpression()).build()).build());
            }
            write(() -> dynamoDb.transactWriteItems(r -> r.transactItems(writes)));
            return;
        }
        for (int attempt = 1; attempt <= MAX_PROFILE_ATTEMPTS; attempt++) {
            var profile = attempt == 1 && read != null && read.id().equals(customerId) ? Optional.of(read)
                    : customers.find(tenant, customerId);
            if (profile.isEmpty()) {
                if (live) {
                    throw new Stale();
                }
                write(() -> dynamoDb.transactWriteItems(r -> r.transactItems(writes)));
                return;
            }
            try {
                customers.write(writes, customers.subscriptionChanged(tenant, profile.get(), was, now, at));
                return;
            } catch (TransactionCanceledException e) {
                var reasons = e.cancellationReasons();
                boolean profileOnly = reasons.size() > writes.size() && failed(reasons.get(writes.size()))
                        && reasons.subList(0, writes.size()).stream().noneMatch(SubscriptionRepository::failed);
                if (!profileOnly) {
                    throw stale(e);
                }
            }
        }
        throw new Stale();
    }

    private static void write(Runnable transaction) {
        try {
            transaction.run();
        } catch (TransactionCanceledException e) {
            throw stale(e);
        }
    }

    private static boolean failed(software.amazon.awssdk.services.dynamodb.model.CancellationReason reason) {
        return "ConditionalCheckFailed".equals(reason.code());
    }

    private static RuntimeException stale(TransactionCanceledException e) {
        return e.cancellationReasons().stream().anyMatch(SubscriptionRepository::failed) ? new Stale() : e;
    }

    private TransactWriteItem put(EnhancedDocument item, Expression condition) {
        var put = Put.builder().tableName(tableName).item(item.toMap());
        if (condition != null) {
            put.conditionExpression(condition.expression());
            if (condition.expressionNames() != null && !condition.expressionNames().isEmpty()) {
                put.expressionAttributeNames(condition.expressionNames());
            }
            if (condition.expressionValues() != null && !condition.expressionValues().isEmpty()) {
                put.expressionAttributeValues(condition.expressionValues());
            }
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }

    private static ConditionCheck.Builder expression(ConditionCheck.Builder check, Expression condition) {
        check.conditionExpression(condition.expression());
        if (condition.expressionNames() != null && !condition.expressionNames().isEmpty()) {
            check.expressionAttributeNames(condition.expressionNames());
        }
        if (condition.expressionValues() != null && !condition.expressionValues().isEmpty()) {
            check.expressionAttributeValues(condition.expressionValues());
        }
        return check;
    }

    private static Key key(String partition, String sort) {
        return Key.builder().partitionValue(partition).sortValue(sort).build();
    }
}
