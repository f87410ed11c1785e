package com.clientele.shared.jobs;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * What the records of the step jobs (a recompute job, an export) share in the table: their
 * statuses ({@link JobStatus}), the {@value #STEP} attribute that says which step's message may work on them
 * ({@link StepRecord}; every change of a job's progress is conditional on it), and how one is
 * marked failed when its runner gives up.
 */
public final class JobRecords {

    /** The step whose message may work on the job now. */
    public static final String STEP = "step";

    private JobRecords() {
    }

    /** Marks the unfinished job at {@code key} failed, saying why; a finished one stays as it is. */
    public static void fail(DynamoDbClient dynamo, String tableName, Map<String, AttributeValue> key, String error, Instant now) {
        try {
            dynamo.updateItem(r -> r.tableName(tableName).key(key)
                    .updateExpression("SET #status = :failed, #error = :error, finishedAt = :now, updatedAt = :now")
                    .conditionExpression("#status IN (:queued, :running)")
                    .expressionAttributeNames(Map.of("#status", "status", "#error", "error"))
                    .expressionAttributeValues(Map.of(":failed", AttributeValue.fromS(JobStatus.FAILED.value()),
                            ":error", AttributeValue.fromS(error), ":now", AttributeValue.fromS(now.toString()),
                            ":queued", AttributeValue.fromS(JobStatus.QUEUED.value()), ":running", AttributeValue.fromS(JobStatus.RUNNING.value()))));
        } catch (ConditionalCheckFailedException finishedAlready) {
            // nothing to do
        }
    }
}
