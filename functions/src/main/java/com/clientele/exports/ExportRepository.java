package com.clientele.exports;

import com.clientele.shared.Items;
import com.clientele.shared.Json;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.events.ObjectEvent;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.jobs.JobRecords;
import com.clientele.shared.jobs.JobStatus;
import com.clientele.shared.jobs.StepRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Export items: one per export in the tenant's exports partition ({@link ExportKeys#exports}), sort key
 * the export's id (time-ordered, so a descending Query lists the newest first). Besides what the
 * API shows, an item holds where the export stands: the {@code step} whose message may work on it,
 * the S3 upload and the parts it holds so far ({@code version} counts the records of parts), the
 * list's cursor after the last row of the last part, and {@code completing} once every part is up.
 * Every change of these is conditional on the step and the version it was based on. One more item
 * per tenant, {@link ExportKeys#activeExports}, holds the ids of its queued and running exports: the cap
 * on concurrent exports.
 */
public class ExportRepository {

    private static final String STEP = JobRecords.STEP;
    private static final String VERSION = "version";
    private static final String UPLOAD_ID = "uploadId";
    private static final String PARTS = "parts";
    private static final String CURSOR = "cursor";
    private static final String COMPLETING = "completing";
    private static final String STATUS = "status";
    /** The attribute of {@link ExportKeys#activeExports} that holds the ids of the queued and running exports. */
    private static final String RUNNING_IDS = "exportIds";
    private static final Set<String> ITEM_ONLY = Set.of("entity", STEP, VERSION, UPLOAD_ID, PARTS, CURSOR, COMPLETING,
            "updatedAt");

    private final DynamoDbClient dynamo;
    private final DynamoDbTable<EnhancedDocument> table;
    private final String tableName;
    /** Writes {@value ObjectEvent#EXPORT_READY} with the export's success; the relay sends it. */
    private final Outbox outbox;

    public ExportRepository(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.table = com.clientele.shared.Aws.enhanced(dynamo).table(tableName, Table.SCHEMA);
        this.outbox = new Outbox(com.clientele.shared.Aws.enhanced(dynamo), tableName, null);
    }

    /** An export and where it stands. {@code uploadId} is null until the first step starts the upload. */
    record Stored(ExportJob job, long step, long version, String uploadId, List<Part> parts, String cursor,
                  boolean completing) implements StepRecord.Stored {
        @Override
        public boolean finished() {
            return job.finished();
        }
    }

    void create(String tenant, ExportJob job, Instant expiresAt) {
        var json = Items.attributes(job);
        json.put(Table.PK, ExportKeys.exports(tenant));
        json.put(Table.SK, job.id());
        json.put("entity", "customerExport");
        json.put(STEP, 0);
        json.put(VERSION, 0);
        json.putArray(PARTS);
        json.put(Table.TTL, expiresAt.getEpochSecond());
        table.putItem(r -> r.item(Items.document(json)).conditionExpression(
                Expression.builder().expression("attribute_not_exists(PK)").build()));
    }

    /** Removes an export refused before it was queued (no slot, no message): it never ran. */
    void forget(String tenant, String exportId) {
        table.deleteItem(r -> r.key(Key.builder().partitionValue(ExportKeys.exports(tenant)).sortValue(exportId).build()));
    }

    Optional<Stored> find(String tenant, String exportId) {
        var item = table.getItem(r -> r.key(Key.builder().partitionValue(ExportKeys.exports(tenant)).sortValue(exportId).build())
                .consistentRead(true));
        return Optional.ofNullable(item).map(ExportRepository::stored);
    }

    /** The tenant's exports, newest first, those whose time is up (TTL not yet applied) left out. */
    Page list(String tenant, int limit, Map<String, String> after, Instant now) {
        var notExpired = Expression.builder().expression("#ttl > :now").putExpressionName("#ttl", Table.TTL)
                .putExpressionValue(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))).build();
        var slice = Pages.read(table::query, null, QueryConditional.keyEqualTo(k -> k.partitionValue(ExportKeys.exports(tenant))),
                false, limit, after, notExpired);
        return new Page(slice.items().stream().map(item -> stored(item).job()).toList(), slice.resumeAfter());
    }

    record Page(List<ExportJob> jobs, Map<String, String> resumeAfter) {
    }

    /** Counts of rows through a part: written, repaired on the way, left out. */
    record Rows(long written, long repaired, long skipped) {
    }

    /**
     * The first step's start: the upload, the total when known, {@code running}. False when this
     * step already started one (another delivery of its message), or the export moved on.
     */
    boolean begin(String tenant, String exportId, long step, String uploadId, Long totalRows, Instant now) {
        var update = new Update().set("#uploadId = :uploadId", "#uploadId", UPLOAD_ID, ":uploadId", AttributeValue.fromS(uploadId))
                .set("#status = :running", "#status", STATUS, ":running", AttributeValue.fromS(JobStatus.RUNNING.value()))
                .set("startedAt = if_not_exists(startedAt, :now)", null, null, ":now", AttributeValue.fromS(now.toString()))
                .set("updatedAt = :now", null, null, null, null);
        if (totalRows != null) {
            update.set("totalRows = :total", null, null, ":total", number(totalRows));
        }
        return update.apply(tenant, exportId, "#step = :step AND #status IN (:queued, :running) AND attribute_not_exists(#uploadId)",
                Map.of("#step", STEP), Map.of(":step", number(step), ":queued", AttributeValue.fromS(JobStatus.QUEUED.value())));
    }

    /**
     * Records an uploaded part ({@code part} null when the last rows made none): the rows written
     * through it (and of them, those repaired, and those skipped), the cursor to read on from (null
     * after the last page), {@code completing} once no row is left. Only at {@code step} and {@code version}; false if another run recorded first.
     */
    boolean record(String tenant, String exportId, long step, long version, Part part, Rows rows, String cursor,
                   boolean completing, Instant now) {
        var update = new Update()
                .set("rowsWritten = :rows", null, null, ":rows", number(rows.written()))
                .set("rowsRepaired = :repaired", null, null, ":repaired", number(rows.repaired()))
                .set("rowsSkipped = :skipped", null, null, ":skipped", number(rows.skipped()))
                .set("#version = #version + :one", "#version", VERSION, ":one", number(1))
                .set("updatedAt = :now", null, null, ":now", AttributeValue.fromS(now.toString()));
        if (part != null) {
            update.set("#parts = list_append(#parts, :part)", "#parts", PARTS, ":part", AttributeValue.fromL(List.of(
                    AttributeValue.fromM(Map.of("number", number(part.number()), "etag", AttributeValue.fromS(part.etag()),
                            "bytes", number(part.bytes()))))));
            update.set("bytesWritten = bytesWritten + :bytes", null, null, ":bytes", number(part.bytes()));
        }
        if (cursor != null) {
            update.set("#cursor = :cursor", "#cursor", CURSOR, ":cursor", AttributeValue.fromS(cursor));
        } else {
            update.remove("#cursor", "#cursor", CURSOR);
        }
        if (completing) {
            update.set("#completing = :true", "#completing", COMPLETING, ":true", AttributeValue.fromBool(true));
        }
        return update.apply(tenant, exportId, "#step = :step AND #version = :v AND #status = :running",
                Map.of("#step", STEP, "#version", VERSION, "#status", STATUS),
                Map.of(":step", number(step), ":v", number(version), ":running", AttributeValue.fromS(JobStatus.RUNNING.value())));
    }

    /** Hands the export to the next step's message; false if the export moved on meanwhile. */
    boolean advance(String tenant, String exportId, long step, long version, Instant now) {
        return new Update().set("#step = :next", "#step", STEP, ":next", number(step + 1))
                .set("updatedAt = :now", null, null, ":now", AttributeValue.fromS(now.toString()))
                .apply(tenant, exportId, "#step = :step AND #version = :v AND #status = :running",
                        Map.of("#version", VERSION, "#status", STATUS),
                        Map.of(":step", number(step), ":v", number(version), ":running", AttributeValue.fromS(JobStatus.RUNNING.value())));
    }

    /**
     * The file is whole: succeeded (and its slot released), with the {@value ObjectEvent#EXPORT_READY} event (its id
     * and status: never the download link) in the same transaction. Only from the step that completed it.
     */
    boolean succeed(String tenant, String exportId, long step, Instant now) {
        var ready = ObjectEvent.of(ObjectEvent.EXPORT_READY, tenant, now,
                Map.of("exportId", exportId, "status", JobStatus.SUCCEEDED.value()));
        // the outbox item waits in the active-exports partition (read by key only), not among the exports (queried whole)
        boolean succeeded = new Update().with(outbox.item(ExportKeys.activeExports(tenant), ready)).set("#status = :succeeded", "#status", STATUS, ":succeeded", AttributeValue.fromS(JobStatus.SUCCEEDED.value()))
                .set("finishedAt = :now", null, null, ":now", AttributeValue.fromS(now.toString()))
                .set("updatedAt = :now", null, null, null, null)
                .apply(tenant, exportId, "#step = :step AND #status = :running AND #completing = :true",
                        Map.of("#step", STEP, "#completing", COMPLETING),
                        Map.of(":step", number(step), ":running", AttributeValue.fromS(JobStatus.RUNNING.value()),
                                ":true", AttributeValue.fromBool(true)));
        release(tenant, exportId);
        return succeeded;
    }

    /** Marks an unfinished export failed, saying why (and releases its slot); a finished one stays as it is. */
    void fail(String tenant, String exportId, String error, Instant now) {
        JobRecords.fail(dynamo, tableName, key(tenant, exportId), error, now);
        release(tenant, exportId);
    }

    // ---- the cap on concurrent exports ---------------------------------------------------------

    /**
     * Takes one of the tenant's {@code cap} slots for {@code exportId}: adds it to the set of active
     * exports ({@link ExportKeys#activeExports}) on the condition that the set has room or holds it
     * already, so concurrent requests never take more than {@code cap}. When the set is full, the
     * ids in it whose export is over (or gone) are released first, and the slot tried once more:
     * a slot whose release was lost (a crash between an export's last write and its release) does
     * not stay taken. False when {@code cap} unfinished exports hold the slots.
     */
    boolean acquire(String tenant, String exportId, int cap) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                dynamo.updateItem(r -> r.tableName(tableName).key(activeKey(tenant))
                        .updateExpression("ADD #running :ids SET entity = :entity")
                        .conditionExpression("attribute_not_exists(#running) OR size(#running) < :cap OR contains(#running, :id)")
                        .expressionAttributeNames(Map.of("#running", RUNNING_IDS))
                        .expressionAttributeValues(Map.of(":ids", AttributeValue.fromSs(List.of(exportId)),
                                ":id", AttributeValue.fromS(exportId), ":cap", number(cap),
                                ":entity", AttributeValue.fromS("activeExports"))));
                return true;
            } catch (ConditionalCheckFailedException full) {
                if (!releaseFinished(tenant)) {
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * Gives back the slot of {@code exportId} if it is over (succeeded or failed) or gone: the
     * check and the release are one transaction, so an export queued again meanwhile (a retry)
     * keeps its slot. Nothing happens when it holds none.
     */
    void release(String tenant, String exportId) {
        try {
            dynamo.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().conditionCheck(c -> c.tableName(tableName).key(key(tenant, exportId))
                            .conditionExpression("attribute_not_exists(PK) OR #status IN (:succeeded, :failed)")
                            .expressionAttributeNames(Map.of("#status", STATUS))
                            .expressionAttributeValues(Map.of(":succeeded", AttributeValue.fromS(JobStatus.SUCCEEDED.value()),
                                    ":failed", AttributeValue.fromS(JobStatus.FAILED.value())))).build(),
                    TransactWriteItem.builder().update(u -> u.tableName(tableName).key(activeKey(tenant))
                            .updateExpression("DELETE #running :ids")
                            .expressionAttributeNames(Map.of("#running", RUNNING_IDS))
                            .expressionAttributeValues(Map.of(":ids", AttributeValue.fromSs(List.of(exportId))))).build()));
        } catch (TransactionCanceledException stillActive) {
            // queued again meanwhile (or a concurrent write): the slot stays with it
        }
    }

    /** Releases the slots of the active set's exports that are over; true if any was. */
    private boolean releaseFinished(String tenant) {
        var item = dynamo.getItem(r -> r.tableName(tableName).key(activeKey(tenant)).consistentRead(true)).item();
        var ids = item == null || !item.containsKey(RUNNING_IDS) ? List.<String>of() : item.get(RUNNING_IDS).ss();
        boolean released = false;
        for (String id : ids) {
            if (find(tenant, id).map(stored -> stored.job().finished()).orElse(true)) {
                release(tenant, id);
                released = true;
            }
        }
        return released;
    }

    private static Map<String, AttributeValue> activeKey(String tenant) {
        return Map.of(Table.PK, AttributeValue.fromS(ExportKeys.activeExports(tenant)), Table.SK, AttributeValue.fromS(ExportKeys.ACTIVE));
    }

    /**
     * A failed export, from the start again, as its next attempt and under the next step (so a
     * message of the failed attempt still in flight is ignored). False unless it was failed at {@code step}.
     */
    boolean retry(String tenant, String exportId, long step, Instant now) {
        return new Update().set("#status = :queued", "#status", STATUS, ":queued", AttributeValue.fromS(JobStatus.QUEUED.value()))
                .set("#step = :next", "#step", STEP, ":next", number(step + 1))
                .set("attempt = attempt + :one", null, null, ":one", number(1))
                .set("#version = :zero", "#version", VERSION, ":zero", number(0))
                .set("rowsWritten = :zero", null, null, null, null)
                .set("rowsRepaired = :zero", null, null, null, null)
                .set("rowsSkipped = :zero", null, null, null, null)
                .set("bytesWritten = :zero", null, null, null, null)
                .set("#parts = :none", "#parts", PARTS, ":none", AttributeValue.fromL(List.of()))
                .set("updatedAt = :now", null, null, ":now", AttributeValue.fromS(now.toString()))
                .remove("#uploadId", "#uploadId", UPLOAD_ID).remove("#cursor", "#cursor", CURSOR)
                .remove("#completing", "#completing", COMPLETING).remove("#error", "#error", "error")
                .remove("finishedAt", null, null).remove("startedAt", null, null).remove("totalRows", null, null)
                .apply(tenant, exportId, "#step = :step AND #status = :failed", Map.of(),
                        Map.of(":step", number(step), ":failed", AttributeValue.fromS(JobStatus.FAILED.value())));
    }

    /** Every export of the tenant still kept, oldest first. */
    List<Stored> all(String tenant) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(ExportKeys.exports(tenant)))).consistentRead(true).build();
        return table.query(request).items().stream().map(ExportRepository::stored).toList();
    }

    /** A succeeded export whose file was deleted, saying why; false unless it was succeeded. */
    boolean purged(String tenant, String exportId, String why, Instant now) {
        return new Update().set("#status = :purged", "#status", STATUS, ":purged", AttributeValue.fromS(JobStatus.PURGED.value()))
                .set("#error = :why", "#error", "error", ":why", AttributeValue.fromS(why))
                .set("updatedAt = :now", null, null, ":now", AttributeValue.fromS(now.toString()))
                .apply(tenant, exportId, "#status = :succeeded", Map.of(),
                        Map.of(":succeeded", AttributeValue.fromS(JobStatus.SUCCEEDED.value())));
    }

    // ---- items -------------------------------------------------------------------------------

    private static Stored stored(EnhancedDocument item) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(item.toJson());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        var parts = new ArrayList<Part>();
        json.path(PARTS).forEach(p -> parts.add(new Part(p.path("number").asInt(), p.path("etag").asText(), p.path("bytes").asLong())));
        return new Stored(Items.read(item, ExportJob.class, ITEM_ONLY), json.path(STEP).asLong(), json.path(VERSION).asLong(),
                json.path(UPLOAD_ID).isTextual() ? json.path(UPLOAD_ID).asText() : null, List.copyOf(parts),
                json.path(CURSOR).isTextual() ? json.path(CURSOR).asText() : null, json.path(COMPLETING).asBoolean(false));
    }

    private static Map<String, AttributeValue> key(String tenant, String exportId) {
        return Map.of(Table.PK, AttributeValue.fromS(ExportKeys.exports(tenant)), Table.SK, AttributeValue.fromS(exportId));
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }

    /** An UpdateItem on an export item, conditional: SET and REMOVE clauses with their names and values. */
    private final class Update {
        private final List<String> sets = new ArrayList<>();
        private final List<String> removes = new ArrayList<>();
        private final Map<String, String> names = new HashMap<>();
        private final Map<String, AttributeValue> values = new HashMap<>();
        /** An item written in the same transaction as the update (an event's outbox item), or none. */
        private EnhancedDocument alongside;

        Update with(EnhancedDocument item) {
            alongside = item;
            return this;
        }

        Update set(String clause, String name, String attribute, String placeholder, AttributeValue value) {
            sets.add(clause);
            return with(name, attribute, placeholder, value);
        }

        Update remove(String path, String name, String attribute) {
            removes.add(path);
            return with(name, attribute, null, null);
        }

        private Update with(String name, String attribute, String placeholder, AttributeValue value) {
            if (name != null) {
                names.put(name, attribute);
            }
            if (placeholder != null) {
                values.put(placeholder, value);
            }
            return this;
        }

        /** True if the condition held and the item was updated. */
        boolean apply(String tenant, String exportId, String condition, Map<String, String> conditionNames,
                      Map<String, AttributeValue> conditionValues) {
            names.put("#status", STATUS);
            names.put("#step", STEP);
            names.putAll(conditionNames);
            values.putAll(conditionValues);
            String expression = (sets.isEmpty() ? "" : "SET " + String.join(", ", sets))
                    + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
            var used = new HashMap<String, String>();
            names.forEach((k, v) -> {
                if (expression.contains(k) || condition.contains(k)) {
                    used.put(k, v);
                }
            });
            var update = software.amazon.awssdk.services.dynamodb.model.Update.builder().tableName(tableName).key(key(tenant, exportId))
                    .updateExpression(expression.strip()).conditionExpression(condition)
                    .expressionAttributeNames(used).expressionAttributeValues(values).build();
            try {
                if (alongside == null) {
                    dynamo.updateItem(r -> r.tableName(tableName).key(key(tenant, exportId))
                            .updateExpression(expression.strip()).conditionExpression(condition)
                            .expressionAttributeNames(used).expressionAttributeValues(values));
                } else {
                    dynamo.transactWriteItems(r -> r.transactItems(TransactWriteItem.builder().update(update).build(),
                            TransactWriteItem.builder().put(p -> p.tableName(tableName).item(alongside.toMap())).build()));
                }
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            } catch (TransactionCanceledException e) {
                if (e.cancellationReasons().stream().anyMatch(reason -> "ConditionalCheckFailed".equals(reason.code()))) {
                    return false;
                }
                throw e;
            }
        }
    }
}
