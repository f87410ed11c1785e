package com.clientele.loyalty;

import com.clientele.shared.events.Refused;
import com.clientele.shared.events.Refused.Refusal;
import com.clientele.campaigns.CampaignRepository;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerItems;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.Referral;
import com.clientele.payments.Payment;
import com.clientele.payments.PaymentItems;
import com.clientele.payments.PaymentRepository;
import com.clientele.shared.Activity;
import com.clientele.shared.Ids;
import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.events.AppliedEntries;
import com.clientele.shared.events.ObjectEvent;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.items.MergeContext;
import com.clientele.shared.metrics.Metrics;
import com.clientele.shared.TransactPut;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The loyalty items: the tenant's programme settings, and in each customer's partition the points
 * balance ({@code PTS#BALANCE}), the lots ({@code PTS#LOT#<paymentId>}), the statement lines
 * ({@code PTS#LINE#<epoch millis>#<entry id>}) and the markers of applied ledger entries
 * ({@code APPLIED#points#<entry id>}).
 */
public final class LoyaltyRepository implements PointsStore {

    static final String ENTITY = "entity";
    static final Set<String> ITEM_ONLY = Set.of(ENTITY, "entryId");
    /** Longer than SQS keeps a message (14 days): a duplicate can never outlive its marker. */
    static final Duration MARKER_RETENTION = Duration.ofDays(30);
    /** How long the list of a customer's OTPs goes back. */
    static final Duration OTP_RETENTION = Duration.ofDays(90);

    private static final Expression NOT_EXISTS = Expression.builder().expression("attribute_not_exists(PK)").build();

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final DynamoDbTable<EnhancedDocument> table;
    private final DynamoDbEnhancedClient client;
    /** Writes each points change's event ({@link #event}) in its transaction; the relay sends them. */
    private final Outbox outbox;
    private final CustomerRepository customers;
    private final Metrics metrics;
    private final Clock clock;

    /**
     * @param metrics where the points each committed change moved are counted ({@link PointsMetrics})
     * @param clock   the time of the applied-entry markers (and so of their expiry)
     */
    public LoyaltyRepository(DynamoDbClient dynamoDb, String tableName, Metrics metrics, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.clock = clock;
        this.metrics = metrics;
        this.tableName = tableName;
        this.client = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
        this.table = client.table(tableName, Table.SCHEMA);
        this.customers = new CustomerRepository(dynamoDb, tableName);
        this.outbox = new Outbox(client, tableName, null);
    }

    // ---- settings --------------------------------------------------------------------------------

    @Override
    public LoyaltySettings settings(String tenant) {
        var item = table.getItem(r -> r.key(key(Keys.settings(tenant), LoyaltyItems.LOYALTY_SETTINGS)).consistentRead(true));
        return item == null ? LoyaltySettings.DEFAULTS : Items.read(item, LoyaltySettings.class, ITEM_ONLY);
    }

    void putSettings(String tenant, LoyaltySettings settings) {
        ObjectNode json = Items.attributes(settings);
        json.put(Table.PK, Keys.settings(tenant));
        json.put(Table.SK, LoyaltyItems.LOYALTY_SETTINGS);
        json.put(ENTITY, "loyaltySettings");
        table.putItem(Items.document(json));
    }

    // ---- reads -----------------------------------------------------------------------------------

    /** The live customer, or empty for an unknown (or malformed) id or another tenant's customer. */
    @Override
    public Optional<Customer> customer(String tenant, String customerId) {
        return Ids.isValid(Ids.CUSTOMER, customerId) ? customers.find(tenant, customerId) : Optional.empty();
    }

    @Override
    public Balance balance(String tenant, String customerId) {
        var item = table.getItem(r -> r.key(key(Keys.customer(tenant, customerId), LoyaltyItems.POINTS_BALANCE)).consistentRead(true));
        return item == null ? Balance.EMPTY : Items.read(item, Balance.class, ITEM_ONLY);
    }

    @Override
    public Optional<Lot> lot(String tenant, String customerId, String paymentId) {
        var item = table.getItem(r -> r.key(key(Keys.customer(tenant, customerId), LoyaltyItems.lotSortKey(paymentId))).consistentRead(true));
        return Optional.ofNullable(item).map(i -> Items.read(i, Lot.class, ITEM_ONLY));
    }

    @Override
    public List<Lot> lots(String tenant, String customerId) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId))
                        .sortValue(LoyaltyItems.POINT_LOT)))
                .consistentRead(true).build();
        var lots = new ArrayList<Lot>();
        table.query(request).items().forEach(item -> lots.add(Items.read(item, Lot.class, ITEM_ONLY)));
        return lots;
    }

    @Override
    public Optional<Referral> referral(String tenant, String customerId) {
        return customers.referral(tenant, customerId);
    }

    /** One GetItem of the customer's guard item for that card fingerprint (the one a saved card writes). */
    @Override
    public boolean holdsCard(String tenant, String customerId, String fingerprint) {
        return table.getItem(r -> r.key(key(Keys.customer(tenant, customerId), PaymentItems.cardGuardSortKey(fingerprint)))
                .consistentRead(true)) != null;
    }

    /**
     * A customer's payments and the ledger entries (payment and refund ids) its points already
     * count: those with a marker of the points consumer, a lot ({@code PTS#LOT#<paymentId>}) or a
     * statement line ({@code PTS#LINE#<millis>#<entryId>}). Markers expire after
     * {@link #MARKER_RETENTION}; lots and lines stay (and move with a merge), so an entry applied
     * long ago still counts. Two Queries: the markers and the payments (whatever sorts between them
     * is skipped), then the keys of the lines and lots.
     */
    PointsLedger pointsLedger(String tenant, String customerId) {
        String pk = Keys.customer(tenant, customerId);
        var ledger = PaymentRepository.markedLedger(table, tenant, customerId, AccrualService.CONSUMER);
        var applied = new HashSet<>(ledger.applied());
        var points = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBetween(k -> k.partitionValue(pk).sortValue(LoyaltyItems.STATEMENT_LINE),
                        k -> k.partitionValue(pk).sortValue(LoyaltyItems.POINT_LOT + "\uffff")))
                .attributesToProject(Table.PK, Table.SK).consistentRead(true).build();
        table.query(points).items().forEach(item -> LoyaltyItems.entryOf(item.getString(Table.SK)).ifPresent(applied::add));
        return new PointsLedger(ledger.payments(), applied);
    }

    /** A customer's payments, and the ids of the ledger entries its points count. */
    record PointsLedger(List<Payment> payments, Set<String> applied) {
    }

    /** One page of the customer's statement, newest first. */
    Pages.Slice statement(String tenant, String customerId, int limit, Map<String, String> after) {
        var condition = QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId))
                .sortValue(LoyaltyItems.STATEMENT_LINE));
        return Pages.read(table::query, null, condition, false, limit, after, null);
    }

    static StatementLine line(EnhancedDocument item) {
        return Items.read(item, StatementLine.class, ITEM_ONLY);
    }

    // ---- redemption OTPs --------------------------------------------------------------------------

    void putOtp(String tenant, String customerId, Otp otp) {
        table.putItem(otpItem(tenant, customerId, otp));
    }

    /** The customer's latest {@code limit} OTPs, newest first (one Query). */
    List<Otp> recentOtps(String tenant, String customerId, int limit) {
        var request = QueryEnhancedRequest.builder().queryConditional(otpCondition(tenant, customerId))
                .scanIndexForward(false).limit(limit).consistentRead(true).build();
        return table.query(request).stream().findFirst().map(page -> page.items().stream().map(LoyaltyRepository::otp).toList())
                .orElse(List.of());
    }

    /** One page of the customer's OTPs, newest first. */
    Pages.Slice otps(String tenant, String customerId, int limit, Map<String, String> after) {
        return Pages.read(table::query, null, otpCondition(tenant, customerId), false, limit, after, null);
    }

    static Otp otp(EnhancedDocument item) {
        return Items.read(item, Otp.class, ITEM_ONLY);
    }

    /** Counts a wrong code against an OTP that is still unused. */
    void failedAttempt(String tenant, String customerId, String otpId) {
        try {
            dynamoDb.updateItem(r -> r.tableName(tableName)
                    .key(Map.of(Table.PK, AttributeValue.fromS(Keys.customer(tenant, customerId)),
                            Table.SK, AttributeValue.fromS(LoyaltyItems.otpSortKey(otpId))))
                    .updateExpression("ADD failedAttempts :one")
                    .conditionExpression("attribute_exists(PK) AND attribute_not_exists(usedAt)")
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
        } catch (ConditionalCheckFailedException used) {
            // used meanwhile: nothing to count
        }
    }

    /**
     * The OTP marked used, for the redemption's transaction: refused if it was used meanwhile, or
     * reached {@code maxFailedAttempts} wrong guesses meanwhile.
     */
    private static TransactPutItemEnhancedRequest<EnhancedDocument> otpUse(String tenant, String customerId, Otp used, int maxFailedAttempts) {
        return put(otpItem(tenant, customerId, used), Expression.builder()
                .expression("attribute_exists(PK) AND attribute_not_exists(usedAt) AND failedAttempts < :max")
                .putExpressionValue(":max", AttributeValue.fromN(Integer.toString(maxFailedAttempts))).build());
    }

    private static EnhancedDocument otpItem(String tenant, String customerId, Otp otp) {
        ObjectNode item = Items.attributes(otp);
        item.put(Table.PK, Keys.customer(tenant, customerId)).put(Table.SK, LoyaltyItems.otpSortKey(otp.id())).put(ENTITY, "pointsOtp")
                .put(Table.TTL, otp.issuedAt().plus(OTP_RETENTION).getEpochSecond());
        return Items.document(item);
    }

    private static QueryConditional otpCondition(String tenant, String customerId) {
        return QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId)).sortValue(LoyaltyItems.POINTS_OTP));
    }

    // ---- the one write of every points change ---------------------------------------------------

    @Override
    public void apply(String tenant, PointsWrite write) {
        apply(tenant, List.of(write), List.of());
    }

    /**
     * A redemption's or an adjustment's write, with the OTP that approved it marked used (none when
     * null) and the completion of the request that made it, in one transaction ({@link #apply(String, List, List)}).
     */
    void apply(String tenant, PointsWrite write, Otp usedOtp, TransactPut completion) {
        var extras = new ArrayList<TransactPutItemEnhancedRequest<EnhancedDocument>>();
        if (usedOtp != null) {
            extras.add(otpUse(tenant, write.customerId(), usedOtp, OtpService.MAX_FAILED_ATTEMPTS));
        }
        extras.add(completion.request());
        apply(tenant, List.of(write), extras);
    }

    /**
     * All of it in one transaction, or nothing. Per customer: the marker of its entry (refused if
     * there already), the balance (refused unless still at the version it was computed from; or, for a
     * write that {@link PointsWrite#commutes}, added to whatever it holds), each lot (new, or still
     * holding what it held before), the statement lines, and the profile's {@code pointsAvailable}
     * (added to, {@link #pointsOnProfile}) and its activity, and the campaign participations it credits (a
     * first-purchase credit refused if the participation had one);
     * then {@code extras} (an idempotency completion, a used OTP, a rewarded referral), each with its
     * own condition. The first write's marker failing is {@link Refusal#DUPLICATE}; any other
     * failed condition is {@link Refusal#CONFLICT}: read again and retry.
     */
    private void apply(String tenant, List<PointsWrite> writes, List<TransactPutItemEnhancedRequest<EnhancedDocument>> extras) {
        Instant now = clock.instant();
        var tx = TransactWriteItemsEnhancedRequest.builder();
        var balances = new ArrayList<TransactWriteItem>();
        var profiles = new ArrayList<TransactWriteItem>();
        for (var write : writes) {
            String pk = Keys.customer(tenant, write.customerId());
            if (write.commutes() && write.before().expiring().isEmpty()) {
                holdExpiryDays(pk);
            }
            var marker = Table.item().putString(Table.PK, pk)
                    .putString(Table.SK, AppliedEntries.appliedEntrySortKey(AccrualService.CONSUMER, write.entryId()))
                    .putString(ENTITY, "appliedEntry").putString("processedAt", now.toString())
                    .putNumber(Table.TTL, now.plus(MARKER_RETENTION).getEpochSecond());
            if (write.eventId() != null) {
                marker.putString("eventId", write.eventId());
            }
            tx.addPutItem(table, put(marker.build(), NOT_EXISTS));

            if (write.commutes()) {
                balances.add(balanceAdded(pk, write.after().minus(write.before())));
            } else {
                ObjectNode balance = Items.attributes(write.after());
                balance.put(Table.PK, pk).put(Table.SK, LoyaltyItems.POINTS_BALANCE).put(ENTITY, "pointsBalance");
                tx.addPutItem(table, put(Items.document(balance), write.before().version() == 0 ? NOT_EXISTS
                        : Expression.builder().expression("version = :v")
                                .putExpressionValue(":v", AttributeValue.fromN(Long.toString(write.before().version()))).build()));
            }

            for (var change : write.lots()) {
                tx.addPutItem(table, put(lotItem(pk, change.after()), change.before() == null ? NOT_EXISTS
                        : Expression.builder().expression("pointsLeft = :left")
                                .putExpressionValue(":left", AttributeValue.fromN(Long.toString(change.before().pointsLeft()))).build()));
            }

            for (int n = 0; n < write.lines().size(); n++) {
                var line = write.lines().get(n);
                ObjectNode row = Items.attributes(line);
                row.put(Table.PK, pk).put(Table.SK, LoyaltyItems.statementLineSortKey(line.createdAt(), write.entryId(), n))
                        .put(ENTITY, "statementLine").put("entryId", write.entryId());
                tx.addPutItem(table, Items.document(row));
            }
            if (write.after().available() != write.before().available()) {
                profiles.add(pointsOnProfile(pk, write.after().available() - write.before().available()));
            }
            activity(write).ifPresent(activity -> tx.addPutItem(table, activity.put(tenant, write.customerId())));
            event(tenant, write).ifPresent(event -> tx.addPutItem(table, outbox.put(pk, event)));
            for (var credit : write.campaigns()) {
                balances.add(CampaignRepository.participationCredit(tableName, pk, credit.campaignId(), credit.points(),
                        credit.firstPurchase(), write.entryId(), write.lines().get(0).createdAt()));
            }
        }
        extras.forEach(extra -> tx.addPutItem(table, extra));
        var items = new ArrayList<>(tx.build().transactWriteItems());
        items.addAll(balances);
        items.addAll(profiles);
        try {
            dynamoDb.transactWriteItems(r -> r.transactItems(items));
        } catch (TransactionCanceledException e) {
            var reasons = e.cancellationReasons();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                throw new Refused(Refusal.DUPLICATE);
            }
            if (reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()) || "TransactionConflict".equals(r.code()))) {
                throw new Refused(Refusal.CONFLICT);
            }
            throw e;
        }
        // Counted here, once the one transaction of every points change is committed: a refused write counts nothing.
        metrics.record(PointsMetrics.of(tenant, writes));
    }

    /**
     * A merge's points, exactly once: the primary's balance becomes {@code primaryBefore.plus(duplicateBefore)}
     * (refused unless still at that version), the duplicate's balance goes (refused unless still at its
     * version), the primary profile's {@code pointsAvailable} follows, and {@code stepDone} (the merge's
     * record of this step, with its own condition) is written with them: a repeat or a concurrent run
     * fails on one of the conditions and adds nothing. Any failed condition is {@link Refusal#CONFLICT}.
     */
    public Balance absorb(String tenant, String primaryId, Balance primaryBefore, String duplicateId, Balance duplicateBefore,
                          TransactPut stepDone) {
        var after = primaryBefore.plus(duplicateBefore);
        String pk = Keys.customer(tenant, primaryId);
        ObjectNode balance = Items.attributes(after);
        balance.put(Table.PK, pk).put(Table.SK, LoyaltyItems.POINTS_BALANCE).put(ENTITY, "pointsBalance");
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, put(Items.document(balance), atVersion(primaryBefore)))
                .addPutItem(table, stepDone.request());
        if (duplicateBefore.version() > 0) {
            tx.addDeleteItem(table, TransactDeleteItemEnhancedRequest.builder()
                    .key(key(Keys.customer(tenant, duplicateId), LoyaltyItems.POINTS_BALANCE))
                    .conditionExpression(atVersion(duplicateBefore)).build());
        }
        var items = new ArrayList<>(tx.build().transactWriteItems());
        items.add(pointsOnProfile(pk, after.available() - primaryBefore.available()));
        try {
            dynamoDb.transactWriteItems(r -> r.transactItems(items));
        } catch (TransactionCanceledException e) {
            throw new Refused(Refusal.CONFLICT);
        }
        return after;
    }

    private static Expression atVersion(Balance before) {
        return before.version() == 0 ? NOT_EXISTS : Expression.builder().expression("version = :v")
                .putExpressionValue(":v", AttributeValue.fromN(Long.toString(before.version()))).build();
    }

    @Override
    public void settleReferral(String tenant, List<PointsWrite> writes, Referral settled) {
        apply(tenant, writes, List.of(customers.referralSettled(tenant, settled)));
    }

    /**
     * The event of a points change, for the outbound webhooks: {@value ObjectEvent#POINTS_EARNED} (an accrual, a
     * positive adjustment, a referral or tier bonus), {@value ObjectEvent#POINTS_REDEEMED} or
     * {@value ObjectEvent#POINTS_EXPIRED}, with the customer, the points (positive), the balance the write leaves
     * ({@code balance}: for a commuting accrual, as computed from what it read), the entry and the lots; none for
     * other changes (a clawback, a negative adjustment) or a change of no points.
     */
    static Optional<ObjectEvent> event(String tenant, PointsWrite write) {
        if (write.lines().isEmpty()) {
            return Optional.empty();
        }
        var first = write.lines().get(0);
        long points = write.lines().stream().mapToLong(StatementLine::points).sum();
        String type = switch (first.type()) {
            case StatementLine.EARN, StatementLine.ADJUST, StatementLine.REFERRAL, StatementLine.TIER -> points > 0 ? ObjectEvent.POINTS_EARNED : null;
            case StatementLine.REDEEM -> ObjectEvent.POINTS_REDEEMED;
            case StatementLine.EXPIRE -> ObjectEvent.POINTS_EXPIRED;
            default -> null;
        };
        if (type == null || points == 0) {
            return Optional.empty();
        }
        var lots = new java.util.LinkedHashSet<String>();
        write.lines().stream().map(StatementLine::lotId).filter(java.util.Objects::nonNull).forEach(lots::add);
        write.lots().forEach(change -> lots.add(change.after().id()));
        var object = new java.util.LinkedHashMap<String, Object>();
        object.put("customerId", write.customerId());
        object.put("points", Math.abs(points));
        object.put("balance", write.after().available());
        object.put("entryId", write.entryId());
        object.put("lotIds", List.copyOf(lots));
        return Optional.of(ObjectEvent.of(type, tenant, first.createdAt(), object));
    }

    /** What a points change shows in the customer's activity feed (nothing for a change of no points). */
    static Optional<Activity> activity(PointsWrite write) {
        if (write.lines().isEmpty()) {
            return Optional.empty();
        }
        var first = write.lines().get(0);
        long points = write.lines().stream().mapToLong(StatementLine::points).sum();
        if (points == 0) {
            return Optional.empty();
        }
        long size = Math.abs(points);
        var activity = switch (first.type()) {
            case StatementLine.EARN -> new Activity(first.createdAt(), Activity.Kind.POINTS_EARNED, "Earned " + size + " points", write.entryId());
            case StatementLine.REDEEM -> new Activity(first.createdAt(), Activity.Kind.POINTS_REDEEMED,
                    "Redeemed " + size + " points: " + first.reason(), write.entryId());
            case StatementLine.ADJUST -> new Activity(first.createdAt(), Activity.Kind.POINTS_ADJUSTED,
                    "Points adjusted by " + (points > 0 ? "+" : "") + points + ": " + first.reason(), write.entryId());
            case StatementLine.REFERRAL -> new Activity(first.createdAt(), Activity.Kind.POINTS_REFERRAL,
                    "Referral bonus: " + size + " points", write.entryId());
            case StatementLine.CLAWBACK -> new Activity(first.createdAt(), Activity.Kind.POINTS_CLAWED_BACK,
                    "Clawed back " + size + " points (refund)", write.entryId());
            default -> new Activity(first.createdAt(), Activity.Kind.POINTS_EXPIRED, size + " points expired", write.entryId());
        };
        return Optional.of(activity);
    }

    /** A lot item; while it holds points it is in the due-lots index (GSI1) under the day it expires. */
    public static EnhancedDocument lotItem(String pk, Lot lot) {
        ObjectNode item = Items.attributes(lot);
        item.put(Table.PK, pk).put(Table.SK, LoyaltyItems.lotSortKey(lot.transactionId())).put(ENTITY, "pointLot");
        if (lot.pointsLeft() > 0) {
            item.put(Table.Index.GSI1.pk(), LoyaltyItems.lotsExpiring(lot.expiryDate(), LoyaltyItems.lotExpiryShard(lot.id())))
                    .put(Table.Index.GSI1.sk(), LoyaltyItems.lotExpirySortKey(lot.expiresAt(), lot.id()));
        }
        return Items.document(item);
    }

    /**
     * The profile's copy of the balance moved by {@code change}: an ADD, so it commutes with every other
     * write of the profile and moves no version (a whole-profile write is refused unless the copy is still
     * what it read); the profile must exist (live or deleted).
     */
    private TransactWriteItem pointsOnProfile(String pk, long change) {
        return TransactWriteItem.builder().update(Update.builder().tableName(tableName)
                .key(Map.of(Table.PK, AttributeValue.fromS(pk), Table.SK, AttributeValue.fromS(CustomerItems.PROFILE)))
                .updateExpression("ADD pointsAvailable :change")
                .conditionExpression("attribute_exists(PK)")
                .expressionAttributeValues(Map.of(":change", AttributeValue.fromN(Long.toString(change)))).build()).build();
    }

    /**
     * The balance moved by {@code change} ({@link Balance#minus}), whatever it holds: every figure and the
     * version with ADD, each expiry day's points added to what the day holds. The balance must hold its
     * map of days already ({@link #holdExpiryDays}).
     */
    private TransactWriteItem balanceAdded(String pk, Balance change) {
        var figures = figures(change);
        var names = new java.util.HashMap<String, String>(Map.of("#x", "expiring"));
        var values = new java.util.HashMap<String, AttributeValue>(Map.of(":zero", AttributeValue.fromN("0")));
        var adds = new ArrayList<String>();
        figures.forEach((name, value) -> {
            names.put("#" + name, name);
            values.put(":" + name, AttributeValue.fromN(Long.toString(value)));
            adds.add("#" + name + " :" + name);
        });
        var sets = new ArrayList<String>();
        int n = 0;
        for (var day : change.expiring().entrySet()) {
            names.put("#d" + n, day.getKey());
            values.put(":d" + n, AttributeValue.fromN(Long.toString(day.getValue())));
            sets.add("#x.#d" + n + " = if_not_exists(#x.#d" + n + ", :zero) + :d" + n);
            n++;
        }
        if (sets.isEmpty()) {
            names.remove("#x");
            values.remove(":zero");
        }
        String update = (sets.isEmpty() ? "" : "SET " + String.join(", ", sets) + " ") + "ADD " + String.join(", ", adds);
        return TransactWriteItem.builder().update(Update.builder().tableName(tableName)
                .key(Map.of(Table.PK, AttributeValue.fromS(pk), Table.SK, AttributeValue.fromS(LoyaltyItems.POINTS_BALANCE)))
                .updateExpression(update).expressionAttributeNames(names).expressionAttributeValues(values).build()).build();
    }

    /** A balance's figures by attribute name, the version last. */
    private static Map<String, Long> figures(Balance b) {
        var figures = new java.util.LinkedHashMap<String, Long>();
        figures.put("available", b.available());
        figures.put("lifetime", b.lifetime());
        figures.put("redeemed", b.redeemed());
        figures.put("expired", b.expired());
        figures.put("clawedBack", b.clawedBack());
        figures.put("adjustedDown", b.adjustedDown());
        figures.put("unrecoverable", b.unrecoverable());
        figures.put("version", b.version());
        return figures;
    }

    /**
     * Makes sure the customer's balance holds a map of expiry days (creating an empty balance if there is
     * none), for {@link #balanceAdded}; changes nothing that is there, so it may run any number of times,
     * at any moment.
     */
    private void holdExpiryDays(String pk) {
        var names = new java.util.HashMap<String, String>(Map.of("#x", "expiring", "#e", ENTITY));
        var sets = new ArrayList<>(List.of("#x = if_not_exists(#x, :none)", "#e = if_not_exists(#e, :entity)"));
        for (String name : figures(Balance.EMPTY).keySet()) {
            names.put("#" + name, name);
            sets.add("#" + name + " = if_not_exists(#" + name + ", :zero)");
        }
        dynamoDb.updateItem(r -> r.tableName(tableName)
                .key(Map.of(Table.PK, AttributeValue.fromS(pk), Table.SK, AttributeValue.fromS(LoyaltyItems.POINTS_BALANCE)))
                .updateExpression("SET " + String.join(", ", sets))
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":none", AttributeValue.fromM(Map.of()), ":zero", AttributeValue.fromN("0"),
                        ":entity", AttributeValue.fromS("pointsBalance"))));
    }

    private static TransactPutItemEnhancedRequest<EnhancedDocument> put(EnhancedDocument item, Expression condition) {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item).conditionExpression(condition).build();
    }

    /**
     * A merge's move of a duplicate's lot ({@link LoyaltyItems#types}): it keeps its key (a refund finds its
     * payment's lot by it) and its expiry-index attributes; should the primary hold another lot under that
     * key (a referral's two sides: both lots are keyed by the referral), it is keyed by its own lot id instead.
     */
    static void moveLotIntoPrimary(ObjectNode item, MergeContext merge) {
        var store = merge.store();
        String sk = item.path(Table.SK).asText();
        var copy = item.deepCopy();
        copy.put(Table.PK, merge.to());
        if (!store.copy(copy, null)) {
            var there = store.item(merge.to(), sk);
            if (there.isPresent() && !there.get().path("id").asText().equals(item.path("id").asText())) {
                copy.put(Table.SK, LoyaltyItems.lotSortKey(item.path("id").asText()));
                store.copy(copy, null);
            }
        }
        store.delete(merge.from(), sk, null);
    }

    private static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }
}
