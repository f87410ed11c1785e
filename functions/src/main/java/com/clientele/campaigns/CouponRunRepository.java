package com.clientele.campaigns;

import com.clientele.shared.Items;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.TransactPut;
import com.clientele.shared.jobs.JobRecords;
import com.clientele.shared.jobs.JobStatus;
import com.clientele.shared.jobs.StepRecord;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Coupon runs in the tenant's campaigns partition ({@link CampaignItems#couponRun}): besides what the API
 * shows, a run's item holds where it stands — the {@code step} whose message may work on it, the
 * {@code version} (a count of its records) and the audience's {@code cursor} after the last page recorded.
 * Every change of these is conditional on the step and the version it was based on. One more item per
 * campaign, {@link CampaignItems#couponRunLock}, names its unfinished run: one run at a time.
 */
public final class CouponRunRepository {

    private static final String STEP = JobRecords.STEP;
    private static final String VERSION = "version";
    private static final String CURSOR = "cursor";
    private static final String RUN_ID = "runId";
    private static final Set<String> ITEM_ONLY = Set.of("entity", STEP, VERSION, CURSOR, "updatedAt");
    private static final Expression IS_NEW = Expression.builder().expression("attribute_not_exists(PK)").build();

    private final DynamoDbClient dynamo;
    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EnhancedDocument> table;
    private final String tableName;

    public CouponRunRepository(DynamoDbClient dynamo, DynamoDbEnhancedClient client, String tableName) {
        this.dynamo = dynamo;
        this.client = client;
        this.table = client.table(tableName, Table.SCHEMA);
        this.tableName = tableName;
    }

    /** A run and where it stands. */
    record Stored(CouponRun run, long step, long version, String cursor) implements StepRecord.Stored {
        @Override
        public boolean finished() {
            return run.finished();
        }
    }

    /** The run was made already (an earlier request with the key), or the campaign has another unfinished run. */
    static final class Taken extends RuntimeException {
        final boolean runExists;

        Taken(boolean runExists) {
            super(null, null, false, false);
            this.runExists = runExists;
        }
    }

    Optional<Stored> find(String tenant, String campaignId, String runId) {
        var item = dynamo.getItem(r -> r.tableName(tableName).key(key(tenant, CampaignItems.couponRun(campaignId, runId)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(stored(item));
    }

    /** The id of the campaign's run that holds its lock (unfinished, unless its release was lost), if one does. */
    Optional<String> holder(String tenant, String campaignId) {
        var item = dynamo.getItem(r -> r.tableName(tableName).key(key(tenant, CampaignItems.couponRunLock(campaignId)))
                .consistentRead(true)).item();
        return item == null || !item.containsKey(RUN_ID) ? Optional.empty() : Optional.of(item.get(RUN_ID).s());
    }

    /**
     * A new run holding its campaign's lock, with the completion of the request that made it: the lock is
     * taken on condition that it is free or still held by {@code staleHolder} (a finished run whose release
     * was lost). {@link Taken} otherwise.
     */
    void create(String tenant, CouponRun run, String staleHolder, TransactPut completion) {
        ObjectNode json = Items.attributes(run);
        json.put(Table.PK, CampaignItems.partition(tenant)).put(Table.SK, CampaignItems.couponRun(run.campaignId(), run.id()))
                .put("entity", "couponRun").put(STEP, 0).put(VERSION, 0);
        var lock = Items.document(com.clientele.shared.Json.MAPPER.createObjectNode()
                .put(Table.PK, CampaignItems.partition(tenant)).put(Table.SK, CampaignItems.couponRunLock(run.campaignId()))
                .put("entity", "couponRunLock").put(RUN_ID, run.id()));
        var free = staleHolder == null ? IS_NEW : Expression.builder().expression("attribute_not_exists(PK) OR #r = :stale")
                .putExpressionName("#r", RUN_ID).putExpressionValue(":stale", AttributeValue.fromS(staleHolder)).build();
        var tx = TransactWriteItemsEnhancedRequest.builder().addPutItem(table, put(Items.document(json), IS_NEW))
                .addPutItem(table, put(lock, free));
        if (completion != null) {
            tx.addPutItem(table, completion.request());
        }
        try {
            client.transactWriteItems(tx.build());
        } catch (TransactionCanceledException e) {
            var reasons = e.cancellationReasons();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                throw new Taken(true);
            }
            if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
                throw new Taken(false);
            }
            throw e;
        }
    }

    /** A page of the campaign's runs, newest first. */
    Pages.Slice page(String tenant, String campaignId, int limit, Map<String, String> after) {
        var condition = QueryConditional.sortBeginsWith(k -> k.partitionValue(CampaignItems.partition(tenant))
                .sortValue(CampaignItems.couponRuns(campaignId)));
        return Pages.read(table::query, null, condition, false, limit, after, null);
    }

    static CouponRun run(EnhancedDocument item) {
        return Items.read(item, CouponRun.class, ITEM_ONLY);
    }

    /** The first step's start: {@code running}. False when the run moved on (another delivery began it and went further). */
    boolean begin(String tenant, String campaignId, String runId, long step, Instant now) {
        return update(tenant, campaignId, runId, "SET #status = :running, startedAt = if_not_exists(startedAt, :now), updatedAt = :now",
                "#step = :step AND #status IN (:queued, :running)", Map.of(":step", number(step),
                        ":running", status(JobStatus.RUNNING), ":queued", status(JobStatus.QUEUED), ":now", AttributeValue.fromS(now.toString())));
    }

    /**
     * Records a page: the counters through it, the cursor to read on from (none after the last page, when the
     * run is {@code succeeded}). Only at {@code step} and {@code version}; false if another delivery recorded first.
     */
    boolean record(String tenant, CouponRun counted, long step, long version, String cursor, Instant now) {
        var values = new HashMap<String, AttributeValue>(Map.of(":seen", number(counted.customersSeen()),
                ":made", number(counted.couponsMade()), ":skipped", number(counted.skipped()), ":failed", number(counted.failed()),
                ":one", number(1), ":now", AttributeValue.fromS(now.toString()), ":step", number(step), ":v", number(version),
                ":running", status(JobStatus.RUNNING)));
        String set = "SET customersSeen = :seen, couponsMade = :made, skipped = :skipped, failed = :failed, "
                + "#version = #version + :one, updatedAt = :now";
        String expression;
        if (cursor != null) {
            values.put(":cursor", AttributeValue.fromS(cursor));
            expression = set + ", #cursor = :cursor";
        } else {
            values.put(":succeeded", status(JobStatus.SUCCEEDED));
            expression = set + ", #status = :succeeded, finishedAt = :now REMOVE #cursor";
        }
        boolean recorded = update(tenant, counted.campaignId(), counted.id(), expression,
                "#step = :step AND #version = :v AND #status = :running", values);
        if (recorded && cursor == null) {
            release(tenant, counted.campaignId(), counted.id());
        }
        return recorded;
    }

    /** Hands the run to the next step's message; false if it moved on meanwhile. */
    boolean advance(String tenant, String campaignId, String runId, long step, long version, Instant now) {
        return update(tenant, campaignId, runId, "SET #step = :next, updatedAt = :now",
                "#step = :step AND #version = :v AND #status = :running", Map.of(":next", number(step + 1), ":step", number(step),
                        ":v", number(version), ":running", status(JobStatus.RUNNING), ":now", AttributeValue.fromS(now.toString())));
    }

    /** Marks an unfinished run failed, saying why, and frees its campaign's lock; a finished one stays as it is. */
    void fail(String tenant, String campaignId, String runId, String error, Instant now) {
        JobRecords.fail(dynamo, tableName, key(tenant, CampaignItems.couponRun(campaignId, runId)), error, now);
        release(tenant, campaignId, runId);
    }

    /** Frees the campaign's lock if {@code runId} holds it. */
    void release(String tenant, String campaignId, String runId) {
        try {
            dynamo.deleteItem(r -> r.tableName(tableName).key(key(tenant, CampaignItems.couponRunLock(campaignId)))
                    .conditionExpression("#r = :run").expressionAttributeNames(Map.of("#r", RUN_ID))
                    .expressionAttributeValues(Map.of(":run", AttributeValue.fromS(runId))));
        } catch (ConditionalCheckFailedException heldByAnother) {
            // freed already, or taken by a later run
        }
    }

    private boolean update(String tenant, String campaignId, String runId, String expression, String condition,
                           Map<String, AttributeValue> values) {
        var names = new HashMap<String, String>();
        for (var name : List.of(STEP, VERSION, CURSOR, "status")) {
            if (expression.contains("#" + name) || condition.contains("#" + name)) {
                names.put("#" + name, name);
            }
        }
        try {
            dynamo.updateItem(r -> r.tableName(tableName).key(key(tenant, CampaignItems.couponRun(campaignId, runId)))
                    .updateExpression(expression).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Stored stored(Map<String, AttributeValue> item) {
        return new Stored(Items.read(item, CouponRun.class, ITEM_ONLY), Long.parseLong(item.get(STEP).n()),
                Long.parseLong(item.get(VERSION).n()), item.containsKey(CURSOR) ? item.get(CURSOR).s() : null);
    }

    private static TransactPutItemEnhancedRequest<EnhancedDocument> put(EnhancedDocument item, Expression condition) {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item).conditionExpression(condition).build();
    }

    private static Map<String, AttributeValue> key(String tenant, String sk) {
        return Map.of(Table.PK, AttributeValue.fromS(CampaignItems.partition(tenant)), Table.SK, AttributeValue.fromS(sk));
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }

    private static AttributeValue status(JobStatus status) {
        return AttributeValue.fromS(status.value());
    }
}
