package com.clientele.tiers;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerItems;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerTier;
import com.clientele.customers.SegmentSettings;
import com.clientele.loyalty.LoyaltyItems;
import com.clientele.payments.PaymentItems;
import com.clientele.payments.PaymentStatus;
import com.clientele.shared.Activity;
import com.clientele.shared.Items;
import com.clientele.shared.Json;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.events.Refused;
import com.clientele.shared.events.TierEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The tiers' and journeys' items: the tenant's tier settings and stage counts, and in each customer's
 * partition its lifecycle, tier history and journeys ({@link TierItems}); what it measures a customer on
 * (the lifetime points of its balance, or its payments in a window); and the one transaction of every
 * lifecycle change ({@link #write}).
 */
public final class TierRepository {

    static final String ENTITY = "entity";
    private static final Set<String> ITEM_ONLY = Set.of(ENTITY);

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final DynamoDbTable<EnhancedDocument> table;
    private final CustomerRepository customers;
    private final Outbox outbox;

    public TierRepository(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        var client = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
        this.table = client.table(tableName, Table.SCHEMA);
        this.customers = new CustomerRepository(dynamoDb, tableName);
        // only its items are written here: the relay sends them
        this.outbox = new Outbox(client, tableName, null);
    }

    // ---- settings ----------------------------------------------------------------------------------

    TierSettings settings(String tenant) {
        var item = table.getItem(r -> r.key(key(Keys.settings(tenant), TierItems.TIER_SETTINGS)).consistentRead(true));
        return item == null ? TierSettings.NONE : Items.read(item, TierSettings.class, ITEM_ONLY);
    }

    void putSettings(String tenant, TierSettings settings) {
        ObjectNode json = Items.attributes(settings);
        json.put(Table.PK, Keys.settings(tenant)).put(Table.SK, TierItems.TIER_SETTINGS).put(ENTITY, "tierSettings");
        table.putItem(Items.document(json));
    }

    SegmentSettings segmentSettings(String tenant) {
        return customers.segmentSettings(tenant);
    }

    // ---- a customer ---------------------------------------------------------------------------------

    /** The live customer; empty for an unknown, deleted or another tenant's one. */
    Optional<Customer> customer(String tenant, String customerId) {
        return customers.find(tenant, customerId);
    }

    Lifecycle lifecycle(String tenant, String customerId) {
        var item = table.getItem(r -> r.key(key(Keys.customer(tenant, customerId), TierItems.LIFECYCLE)).consistentRead(true));
        return item == null ? Lifecycle.NONE : Items.read(item, Lifecycle.class, ITEM_ONLY);
    }

    /** Every point the customer was ever credited (its balance's {@code lifetime}; 0 without a balance). */
    long lifetimePoints(String tenant, String customerId) {
        var item = table.getItem(r -> r.key(key(Keys.customer(tenant, customerId), LoyaltyItems.POINTS_BALANCE)).consistentRead(true));
        return item == null || item.getNumber("lifetime") == null ? 0 : item.getNumber("lifetime").longValue();
    }

    /**
     * What the customer spent in {@code currency} since {@code from}: its succeeded charges net of their
     * refunds, read from its payments newest first (their ids are time-ordered) until one older than
     * {@code from} (one Query, a page more only for many payments in the window), and when the oldest of
     * them leaves a window of {@code windowDays}.
     */
    TierRules.Measure spend(String tenant, String customerId, String currency, Instant from, int windowDays) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId))
                        .sortValue(PaymentItems.PAYMENT)))
                .scanIndexForward(false).limit(50)
                .attributesToProject("status", "amount", "amountRefunded", "createdAt").consistentRead(true).build();
        long total = 0;
        Instant oldest = null;
        for (var item : table.query(request).items()) {
            var json = Items.json(item);
            Instant at = Instant.parse(json.path("createdAt").asText());
            if (at.isBefore(from)) {
                break;
            }
            boolean captured = PaymentStatus.parse(json.path("status").asText()).map(PaymentStatus::captured).orElse(false);
            long net = json.path("amount").path("amount").asLong() - json.path("amountRefunded").path("amount").asLong(0);
            if (captured && currency.equals(json.path("amount").path("currency").asText()) && net > 0) {
                total = Math.addExact(total, net);
                oldest = oldest == null || at.isBefore(oldest) ? at : oldest;
            }
        }
        return new TierRules.Measure(total, oldest == null ? null : oldest.plus(java.time.Duration.ofDays(windowDays)));
    }

    /** The customer's latest tier changes, newest first. */
    List<TierChange> history(String tenant, String customerId, int limit) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId))
                        .sortValue(TierItems.TIER_HISTORY)))
                .scanIndexForward(false).limit(limit).consistentRead(true).build();
        return table.query(request).stream().findFirst()
                .map(page -> page.items().stream().map(i -> Items.read(i, TierChange.class, ITEM_ONLY)).toList()).orElse(List.of());
    }

    /** Every journey the customer entered (one Query). */
    List<Journey> journeys(String tenant, String customerId) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId))
                        .sortValue(TierItems.JOURNEY)))
                .consistentRead(true).build();
        var journeys = new ArrayList<Journey>();
        table.query(request).items().forEach(i -> journeys.add(Items.read(i, Journey.class, ITEM_ONLY)));
        return journeys;
    }

    /** How many of the tenant's customers are in each stage now: the shards summed (one Query). */
    Map<String, Long> stageCounts(String tenant) {
        var counts = new LinkedHashMap<String, Long>();
        JourneyRules.STAGES.forEach(stage -> counts.put(stage, 0L));
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.settings(tenant)).sortValue(TierItems.STAGE_COUNT)))
                .consistentRead(true).build();
        table.query(request).items().forEach(item -> JourneyRules.STAGES.forEach(stage -> {
            var n = item.getNumber(stage);
            if (n != null) {
                counts.merge(stage, n.longValue(), Long::sum);
            }
        }));
        return counts;
    }

    // ---- the review index ---------------------------------------------------------------------------

    /** One page of the customers to review on {@code day}, in one shard: their keys. */
    ReviewPage due(LocalDate day, int shard, Map<String, String> after, int limit) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(TierItems.reviewDay(day, shard))))
                .limit(limit).exclusiveStartKey(after == null ? null : Pages.attributes(after)).build();
        var page = table.index(Table.Index.GSI1.name()).query(request).iterator().next();
        var due = new ArrayList<Keys.CustomerKey>();
        for (var item : page.items()) {
            Keys.customerOf(item.getString(Table.PK)).ifPresent(due::add);
        }
        return new ReviewPage(due, Pages.position(page.lastEvaluatedKey()));
    }

    record ReviewPage(List<Keys.CustomerKey> customers, Map<String, String> next) {
    }

    // ---- the one write of a lifecycle change ----------------------------------------------------------

    /** One tier change, as the history keeps it. */
    record TierChange(String id, Instant at, TierEvent.Tier from, TierEvent.Tier to, String reason, String note, String userId) {
    }

    /** A journey the customer entered at least once. */
    record Journey(String journey, String kind, long timesEntered, Instant firstEnteredAt, Instant lastEnteredAt,
                   Instant lastLeftAt, boolean current) {
    }

    /**
     * A customer's lifecycle moved from {@code before} to {@code after}: all of it in one transaction, or
     * nothing — the lifecycle (refused unless still at {@code before}'s version, so that a change is written
     * once however many runs compute it), and when the tier changed the profile's {@code tier} (one version
     * later, so that a whole-profile write read before it is refused), the history item, the activity and
     * the {@value TierEvent#TIER_CHANGED} event's outbox item; each journey entered or left; the stage
     * counts. A refused write is {@link Moved}: read again and decide again.
     */
    void write(String tenant, String customerId, Lifecycle before, Lifecycle after, TierChange change, boolean customerLive) {
        String pk = Keys.customer(tenant, customerId);
        var items = new ArrayList<TransactWriteItem>();
        ObjectNode life = Items.attributes(after);
        life.put(Table.PK, pk).put(Table.SK, TierItems.LIFECYCLE).put(ENTITY, "lifecycle");
        if (after.reviewOn() != null) {
            life.put(Table.Index.GSI1.pk(), TierItems.reviewDay(LocalDate.parse(after.reviewOn()), TierItems.shardOf(customerId)))
                    .put(Table.Index.GSI1.sk(), customerId);
        }
        var put = Put.builder().tableName(tableName).item(Items.document(life).toMap());
        if (before.version() == 0) {
            put.conditionExpression("attribute_not_exists(PK)");
        } else {
            put.conditionExpression("version = :v").expressionAttributeValues(Map.of(":v", number(before.version())));
        }
        items.add(TransactWriteItem.builder().put(put.build()).build());
        if (change != null) {
            if (customerLive) {
                items.add(profileTier(pk, after.tier()));
            }
            ObjectNode history = Items.attributes(change);
            history.put(Table.PK, pk).put(Table.SK, TierItems.historySortKey(change.at(), change.id())).put(ENTITY, "tierChange");
            items.add(putItem(history));
            var activity = new Activity(change.at(), Activity.Kind.TIER_CHANGED, summary(change), change.id());
            items.add(TransactWriteItem.builder().put(Put.builder().tableName(tableName)
                    .item(activity.put(tenant, customerId).item().toMap()).build()).build());
            var event = new TierEvent(change.id(), TierEvent.TIER_CHANGED, TierEvent.SCHEMA_VERSION, tenant, customerId, change.at(),
                    change.from(), change.to(), change.reason());
            items.add(TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(outbox.item(pk, event).toMap()).build())
                    .build());
        }
        Instant at = after.updatedAt();
        for (String journey : after.journeys()) {
            if (!before.journeys().contains(journey)) {
                items.add(entered(pk, journey, at));
            }
        }
        for (String journey : before.journeys()) {
            if (!after.journeys().contains(journey)) {
                items.add(left(pk, journey, at));
            }
        }
        if (!java.util.Objects.equals(before.stage(), after.stage())) {
            items.add(stageCount(tenant, customerId, before.stage(), after.stage()));
        }
        try {
            dynamoDb.transactWriteItems(r -> r.transactItems(items));
        } catch (TransactionCanceledException e) {
            throw new Moved();
        }
    }

    /**
     * The lifecycle moved since it was read (another evaluation of the customer wrote first): decide again. Not
     * one of the consumers' commuting writes ({@link Refused}): those are committed before an evaluation starts.
     */
    static final class Moved extends RuntimeException {
        Moved() {
            super("the lifecycle moved", null, false, false);
        }
    }

    static String summary(TierChange change) {
        String to = change.to() == null ? "no tier" : change.to().name();
        String from = change.from() == null ? "no tier" : change.from().name();
        return switch (change.reason()) {
            case TierRules.UPGRADE -> "Tier up: " + from + " → " + to;
            case TierRules.DOWNGRADE -> "Tier down: " + from + " → " + to;
            case TierRules.OVERRIDE -> "Tier set by hand: " + from + " → " + to + (change.note() == null ? "" : ": " + change.note());
            default -> "Tier back to automatic: " + from + " → " + to;
        };
    }

    /** The profile's copy of the tier (removed for none), one version later; the profile must exist. */
    private TransactWriteItem profileTier(String pk, CustomerTier tier) {
        var names = Map.of("#t", "tier", "#v", "version");
        var update = Update.builder().tableName(tableName)
                .key(Map.of(Table.PK, AttributeValue.fromS(pk), Table.SK, AttributeValue.fromS(CustomerItems.PROFILE)))
                .conditionExpression("attribute_exists(PK)").expressionAttributeNames(names);
        if (tier == null) {
            update.updateExpression("REMOVE #t ADD #v :one").expressionAttributeValues(Map.of(":one", number(1)));
        } else {
            var value = Items.document((ObjectNode) Json.MAPPER.valueToTree(tier)).toMap();
            update.updateExpression("SET #t = :t ADD #v :one")
                    .expressionAttributeValues(Map.of(":one", number(1), ":t", AttributeValue.fromM(value)));
        }
        return TransactWriteItem.builder().update(update.build()).build();
    }

    private TransactWriteItem entered(String pk, String journey, Instant at) {
        var values = new HashMap<String, AttributeValue>();
        values.put(":j", AttributeValue.fromS(journey));
        values.put(":k", AttributeValue.fromS(journey.startsWith(JourneyRules.SEGMENT) ? "segment" : "stage"));
        values.put(":at", AttributeValue.fromS(at.toString()));
        values.put(":yes", AttributeValue.fromBool(true));
        values.put(":one", number(1));
        values.put(":e", AttributeValue.fromS("journey"));
        return TransactWriteItem.builder().update(Update.builder().tableName(tableName)
                .key(Map.of(Table.PK, AttributeValue.fromS(pk), Table.SK, AttributeValue.fromS(TierItems.journeySortKey(journey))))
                .updateExpression("SET journey = :j, kind = :k, firstEnteredAt = if_not_exists(firstEnteredAt, :at), "
                        + "lastEnteredAt = :at, #c = :yes, #e = :e ADD timesEntered :one")
                .expressionAttributeNames(Map.of("#c", "current", "#e", ENTITY))
                .expressionAttributeValues(values).build()).build();
    }

    private TransactWriteItem left(String pk, String journey, Instant at) {
        return TransactWriteItem.builder().update(Update.builder().tableName(tableName)
                .key(Map.of(Table.PK, AttributeValue.fromS(pk), Table.SK, AttributeValue.fromS(TierItems.journeySortKey(journey))))
                .updateExpression("SET #c = :no, lastLeftAt = :at")
                .conditionExpression("attribute_exists(PK)")
                .expressionAttributeNames(Map.of("#c", "current"))
                .expressionAttributeValues(Map.of(":no", AttributeValue.fromBool(false), ":at", AttributeValue.fromS(at.toString())))
                .build()).build();
    }

    /** One customer out of stage {@code from} and into {@code to} (either may be none), in its shard of the counts. */
    private TransactWriteItem stageCount(String tenant, String customerId, String from, String to) {
        var names = new HashMap<String, String>();
        var values = new HashMap<String, AttributeValue>();
        var adds = new ArrayList<String>();
        if (from != null) {
            names.put("#from", from);
            values.put(":minus", number(-1));
            adds.add("#from :minus");
        }
        if (to != null) {
            names.put("#to", to);
            values.put(":plus", number(1));
            adds.add("#to :plus");
        }
        return TransactWriteItem.builder().update(Update.builder().tableName(tableName)
                .key(Map.of(Table.PK, AttributeValue.fromS(Keys.settings(tenant)),
                        Table.SK, AttributeValue.fromS(TierItems.stageCountSortKey(TierItems.shardOf(customerId)))))
                .updateExpression("ADD " + String.join(", ", adds))
                .expressionAttributeNames(names).expressionAttributeValues(values).build()).build();
    }

    private TransactWriteItem putItem(ObjectNode json) {
        return TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(Items.document(json).toMap()).build()).build();
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }

    private static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }
}
