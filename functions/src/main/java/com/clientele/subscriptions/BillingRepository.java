package com.clientele.subscriptions;

import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Table;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The items of recurring billing outside the subscriptions: a tenant's {@link BillingSettings}
 * ({@code T#<t>#SETTINGS} / {@value #SETTINGS}) and the renewal run's record of the last run that
 * finished ({@value #RUNS} / {@value #DONE}, not a tenant's, as the due index serves every tenant):
 * its time, in epoch milliseconds so that the condition that keeps it from moving back compares numbers.
 */
public final class BillingRepository {

    /** Sort key of a tenant's billing settings in its settings partition. */
    public static final String SETTINGS = "BILLING";
    /** The renewal run's record: one item (PK, with SK {@value #DONE}). */
    public static final String RUNS = "SUBRENEW#RUNS";
    public static final String DONE = "DONE";
    private static final String ENTITY = "entity";
    private static final String THROUGH = "throughMillis";
    private static final Set<String> ITEM_ONLY = Set.of(ENTITY);

    /** How long {@link #reminders} keeps a tenant's settings. */
    static final long REMINDERS_CACHE_NANOS = 60_000_000_000L;

    private final DynamoDbTable<EnhancedDocument> table;
    private final Clock clock;
    private final Map<String, Cached> reminders = new ConcurrentHashMap<>();

    private record Cached(BillingSettings.Reminders reminders, long readAtNanos) {
    }

    /** {@code clock} stamps when a run finished. */
    public BillingRepository(DynamoDbEnhancedClient client, String tableName, Clock clock) {
        this.table = client.table(tableName, Table.SCHEMA);
        this.clock = clock;
    }

    public BillingSettings settings(String tenant) {
        var item = table.getItem(r -> r.key(settingsKey(tenant)).consistentRead(true));
        return item == null ? BillingSettings.DEFAULTS : Items.read(item, BillingSettings.class, ITEM_ONLY);
    }

    /**
     * A tenant's reminder settings, as every subscription write places it in the reminder index by them:
     * read at most once a minute per tenant by this instance (a change saved elsewhere is seen within a
     * minute; the run checks each reminder against the settings as they are when it runs).
     */
    public BillingSettings.Reminders reminders(String tenant) {
        long now = System.nanoTime();
        var cached = reminders.get(tenant);
        if (cached != null && now - cached.readAtNanos() < REMINDERS_CACHE_NANOS) {
            return cached.reminders();
        }
        var read = settings(tenant).reminders();
        reminders.put(tenant, new Cached(read, now));
        return read;
    }

    void putSettings(String tenant, BillingSettings settings) {
        ObjectNode json = Items.attributes(settings);
        json.put(Table.PK, Keys.settings(tenant));
        json.put(Table.SK, SETTINGS);
        json.put(ENTITY, "billingSettings");
        table.putItem(Items.document(json));
        reminders.remove(tenant);
    }

    private static Key settingsKey(String tenant) {
        return Key.builder().partitionValue(Keys.settings(tenant)).sortValue(SETTINGS).build();
    }

    /** The time of the latest renewal run that finished without leaving a due subscription, if any. */
    public Optional<Instant> doneThrough() {
        var item = table.getItem(r -> r.key(doneKey()).consistentRead(true));
        return item == null || item.getNumber(THROUGH) == null ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(item.getNumber(THROUGH).longValue()));
    }

    /** Records that a run billed everything due by {@code through} (never moves the record back). */
    public void done(Instant through) {
        var item = Table.item().putString(Table.PK, RUNS).putString(Table.SK, DONE).putString(ENTITY, "renewalRuns")
                .putNumber(THROUGH, through.toEpochMilli()).putString("finishedAt", clock.instant().toString()).build();
        try {
            table.putItem(r -> r.item(item).conditionExpression(Expression.builder()
                    .expression("attribute_not_exists(PK) OR " + THROUGH + " < :through")
                    .putExpressionValue(":through", AttributeValue.fromN(Long.toString(through.toEpochMilli()))).build()));
        } catch (ConditionalCheckFailedException e) {
            // a run with a later time finished first: its record stands
        }
    }

    private static Key doneKey() {
        return Key.builder().partitionValue(RUNS).sortValue(DONE).build();
    }
}
