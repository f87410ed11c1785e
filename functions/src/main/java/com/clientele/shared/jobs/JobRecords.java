package com.clientele.shared.jobs;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * What the records of the step jobs (a recompute job, an export) share in the table: their
 * statuses, the {@value #STEP} attribute that says which step's message may work on them
 * ({@link StepRecord}; every change of a job's progress is conditional on it), and how one is
 * marked failed when its runner gives up.
 */
public final class JobRecords {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    /** The step whose message may work on the job now. */
    public static final String STEP = "step";

    private JobRecords() {
    }

    /** Succeeded or failed: no step works on it any more. */
    public static boolean finished(String status) {
        return SUCCEEDED.equals(status) || FAILED.equals(status);
    }

    /** Marks the unfinished job at {@code key} failed, saying why; a finished one stays as it is. */
    public static void fail(DynamoDbClient dynamo, String tableName, Map<String, AttributeValue> key, String error, Instant now) {
        try {
            dynamo.updateItem(r -> r.tableName(tableName).key(key)
                    .updateExpression("SET #status = :failed, #error = :error, finishedAt = :now, updatedAt = :now")
                    .conditionExpression("#status IN (:queued, :running)")
                    .expressionAttributeNames(Map.of("#status", "status", "#error", "error"))
                    .expressionAttributeValues(Map.of(":failed", AttributeValue.fromS(FAILED),
                            ":error", AttributeValue.fromS(error), ":now", AttributeValue.fromS(now.toString()),
                            ":queued", AttributeValue.fromS(QUEUED), ":running", AttributeValue.fromS(RUNNING))));
        } catch (ConditionalCheckFailedException finishedAlready) {
            // nothing to do
        }
    }
}
