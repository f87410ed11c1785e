package com.clientele.ltv;

import com.clientele.shared.Items;
import com.clientele.shared.Json;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.Table.Index;
import com.clientele.shared.jobs.JobRecords;
import com.clientele.shared.jobs.JobStatus;
import com.clientele.shared.jobs.StepRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
import software.amazon.awssdk.enhanced.dynamodb.model.ScanEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Recompute job items ({@code T#t#JOB#<jobId>}), the daily guard items, the guard of the tenant's
 * running whole-tenant job, and the two walks a job
 * makes: a tenant's customers by join date (GSI3) and, for the daily run, the tenants (a parallel
 * Scan of GSI3, which holds only live profiles and pending outbox items).
 */
public class JobRepository {

    /** Job items live a few weeks, then TTL removes them. */
    static final Duration RETENTION = Duration.ofDays(30);
    private static final Duration GUARD_RETENTION = Duration.ofDays(7);
    private static final String STEP = JobRecords.STEP;
    private static final String POSITION = "position";
    private static final String STATUS = "status";
    private static final Set<String> ITEM_ONLY = Set.of("entity", STEP, POSITION, "updatedAt");
    private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
    private static final String TRANSACTION_CONFLICT = "TransactionConflict";
    private static final int GUARD_ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final DynamoDbTable<EnhancedDocument> table;
    private final DynamoDbEnhancedClient client;
    private final String tableName;

    public JobRepository(DynamoDbClient dynamo, DynamoDbEnhancedClient client, String tableName) {
        this.dynamo = dynamo;
        this.client = client;
        this.tableName = tableName;
        this.table = client.table(tableName, Table.SCHEMA);
    }

    /** A job with where it stands: the step the next message must carry and the last customer checked. */
    record Stored(RecomputeJob job, long step, Map<String, String> position) implements StepRecord.Stored {
        @Override
        public boolean finished() {
            return job.finished();
        }
    }

    /** What one step did. {@code position} is null when the walk is over ({@code done}). */
    record Progress(long checked, long drifted, List<RecomputeJob.Drift> samples, Map<String, String> position,
                    boolean done) {
    }

    void create(String tenant, RecomputeJob job) {
        table.putItem(r -> r.item(item(tenant, job)).conditionExpression(notExists()));
    }

    /**
     * Creates a whole-tenant job unless the tenant has one queued or running: then returns that one
     * instead. The guard item ({@link JobKeys#runningJob}) names the job and is written in the
     * same transaction, on the condition that it is absent or still names the job read from it; it
     * holds while that job is unfinished, so the job's success or failure (however it comes: the
     * last step, the runner giving up, the queue refusing the first message) releases it with no
     * write of its own. Two concurrent starts: one transaction wins, the other reads its job.
     */
    Optional<RecomputeJob> createUnlessRunning(String tenant, RecomputeJob job) {
        for (int attempt = 0; attempt < GUARD_ATTEMPTS; attempt++) {
            var guard = table.getItem(r -> r.key(key(JobKeys.runningJob(tenant, job.kind()))).consistentRead(true));
            String held = guard == null ? null : guard.getString("jobId");
            if (held != null) {
                var running = find(tenant, held).filter(stored -> !stored.finished());
                if (running.isPresent()) {
                    return Optional.of(running.get().job());
                }
            }
            var item = Table.item()
                    .putString(Table.PK, JobKeys.runningJob(tenant, job.kind()))
                    .putString(Table.SK, JobKeys.JOB)
                    .putString("entity", "runningRecompute")
                    .putString("jobId", job.id())
                    .putNumber(Table.TTL, job.createdAt().plus(RETENTION).getEpochSecond())
                    .build();
            var condition = held == null ? notExists() : Expression.builder().expression("jobId = :held")
                    .putExpressionValue(":held", AttributeValue.fromS(held)).build();
            try {
                client.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                        .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item)
                                .conditionExpression(condition).build())
                        .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item(tenant, job))
                                .conditionExpression(notExists()).build())
                        .build());
                return Optional.empty();
            } catch (TransactionCanceledException e) {
                if (!CONDITIONAL_CHECK_FAILED.equals(e.cancellationReasons().get(0).code())
                        && !TRANSACTION_CONFLICT.equals(e.cancellationReasons().get(0).code())) {
                    throw e;
                }
                // Another start took the guard meanwhile: read again which job holds it.
            }
        }
        throw new IllegalStateException("the recompute guard of " + tenant + " kept changing");
    }

    /**
     * Creates the tenant's job for {@code day} unless there is one: then returns its id instead.
     * The guard and the job are one transaction, so there is never a guard without its job.
     */
    Optional<String> createDaily(String tenant, String day, RecomputeJob job, Instant now) {
        var guard = Table.item()
                .putString(Table.PK, JobKeys.dailyJob(tenant, job.kind(), day))
                .putString(Table.SK, JobKeys.JOB)
                .putString("entity", "dailyRecompute")
                .putString("jobId", job.id())
                .putNumber(Table.TTL, now.plus(GUARD_RETENTION).getEpochSecond())
                .build();
        try {
            client.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                    .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(guard)
                            .conditionExpression(notExists()).build())
                    .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item(tenant, job))
                            .conditionExpression(notExists()).build())
                    .build());
            return Optional.empty();
        } catch (TransactionCanceledException e) {
            if (!CONDITIONAL_CHECK_FAILED.equals(e.cancellationReasons().get(0).code())) {
                throw e;
            }
            var existing = table.getItem(r -> r.key(key(JobKeys.dailyJob(tenant, job.kind(), day))).consistentRead(true));
            return Optional.of(existing.getString("jobId"));
        }
    }

    Optional<Stored> find(String tenant, String jobId) {
        var item = table.getItem(r -> r.key(key(JobKeys.recomputeJob(tenant, jobId))).consistentRead(true));
        if (item == null) {
            return Optional.empty();
        }
        var job = Items.read(item, RecomputeJob.class, ITEM_ONLY);
        String position = item.getString(POSITION);
        return Optional.of(new Stored(job, item.getNumber(STEP).longValue(), position == null ? null : map(position)));
    }

    /**
     * Records a step: adds its counts and samples, moves the position, and marks the job running,
     * or succeeded when done. Only if the job is still at {@code step} and unfinished; false if
     * not (another delivery of the same message committed this step first).
     */
    boolean commit(String tenant, String jobId, long step, Progress progress, Instant now) {
        var names = new HashMap<String, String>();
        var values = new HashMap<String, AttributeValue>();
        names.put("#step", STEP);
        names.put("#status", STATUS);
        values.put(":step", AttributeValue.fromN(Long.toString(step)));
        values.put(":next", AttributeValue.fromN(Long.toString(step + 1)));
        values.put(":now", AttributeValue.fromS(now.toString()));
        values.put(":checked", AttributeValue.fromN(Long.toString(progress.checked())));
        values.put(":drifted", AttributeValue.fromN(Long.toString(progress.drifted())));
        values.put(":queued", AttributeValue.fromS(JobStatus.QUEUED.value()));
        values.put(":running", AttributeValue.fromS(JobStatus.RUNNING.value()));
        var set = new ArrayList<>(List.of("#step = :next", "updatedAt = :now", "startedAt = if_not_exists(startedAt, :now)"));
        String remove = "";
        if (progress.done()) {
            set.add("#status = :succeeded");
            set.add("finishedAt = :now");
            values.put(":succeeded", AttributeValue.fromS(JobStatus.SUCCEEDED.value()));
            names.put("#position", POSITION);
            remove = " REMOVE #position";
        } else {
            set.add("#status = :running");
            if (progress.position() != null) {
                set.add("#position = :position");
                names.put("#position", POSITION);
                values.put(":position", AttributeValue.fromS(Json.write(progress.position())));
            }
        }
        if (!progress.samples().isEmpty()) {
            set.add("drifts = list_append(drifts, :samples)");
            values.put(":samples", AttributeValue.fromL(progress.samples().stream()
                    .map(d -> AttributeValue.fromM(Items.document(Items.attributes(d)).toMap())).toList()));
        }
        String update = "SET " + String.join(", ", set) + remove + " ADD customersChecked :checked, drifted :drifted";
        try {
            dynamo.updateItem(r -> r.tableName(tableName).key(rawKey(JobKeys.recomputeJob(tenant, jobId)))
                    .updateExpression(update)
                    .conditionExpression("#step = :step AND #status IN (:queued, :running)")
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Marks an unfinished job failed; a finished one stays as it is. */
    void fail(String tenant, String jobId, String error, Instant now) {
        JobRecords.fail(dynamo, tableName, rawKey(JobKeys.recomputeJob(tenant, jobId)), error, now);
    }

    /** A page of the tenant's customers, oldest first (GSI3: the sort key is the time-ordered id). */
    Pages.Slice customers(String tenant, Map<String, String> after, int limit) {
        return Pages.read(table.index(Index.GSI3.name())::query, Index.GSI3,
                QueryConditional.keyEqualTo(k -> k.partitionValue(Keys.customers(tenant))), true, limit, after, null);
    }

    static String customerId(EnhancedDocument gsi3Item) {
        return gsi3Item.getString(Index.GSI3.sk());
    }

    /** Tenants seen on one page of a segment of a parallel Scan of GSI3, and where the next page starts. */
    record TenantsPage(List<String> tenants, Map<String, String> next) {
    }

    TenantsPage tenants(int segment, int segments, Map<String, String> startKey, int limit) {
        var request = ScanEnhancedRequest.builder().segment(segment).totalSegments(segments).limit(limit)
                .exclusiveStartKey(startKey == null ? null : Pages.attributes(startKey))
                .attributesToProject(Index.GSI3.pk()).build();
        var page = table.index(Index.GSI3.name()).scan(request).iterator().next();
        var tenants = new LinkedHashSet<String>();
        for (var item : page.items()) {
            Keys.tenantOfCustomers(item.getString(Index.GSI3.pk())).ifPresent(tenants::add);
        }
        Map<String, String> next = null;
        if (page.lastEvaluatedKey() != null && !page.lastEvaluatedKey().isEmpty()) {
            next = new LinkedHashMap<>();
            for (var e : page.lastEvaluatedKey().entrySet()) {
                next.put(e.getKey(), e.getValue().s());
            }
        }
        return new TenantsPage(List.copyOf(tenants), next);
    }

    // ---- items -------------------------------------------------------------------------------

    private static EnhancedDocument item(String tenant, RecomputeJob job) {
        var json = Items.attributes(job);
        json.put(Table.PK, JobKeys.recomputeJob(tenant, job.id()));
        json.put(Table.SK, JobKeys.JOB);
        json.put("entity", "recomputeJob");
        json.put(STEP, 0);
        json.put(Table.TTL, job.createdAt().plus(RETENTION).getEpochSecond());
        return Items.document(json);
    }

    private static Key key(String partition) {
        return Key.builder().partitionValue(partition).sortValue(JobKeys.JOB).build();
    }

    private static Map<String, AttributeValue> rawKey(String partition) {
        return Map.of(Table.PK, AttributeValue.fromS(partition), Table.SK, AttributeValue.fromS(JobKeys.JOB));
    }

    private static Expression notExists() {
        return Expression.builder().expression("attribute_not_exists(PK)").build();
    }

    private static Map<String, String> map(String json) {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
