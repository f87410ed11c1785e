package com.clientele.exports;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.analytics.TenantCounters;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerService;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.events.Batches;
import com.clientele.shared.http.Cursors;
import java.time.Clock;
import java.util.Map;

/**
 * The export worker, on {@code ExportJobsQueue} (batch size 1): each message is a step of an
 * export, worked until the invocation's budget is spent (the function's remaining time less a
 * reserve for finishing the part in hand, capped by {@code EXPORT_BUDGET_MILLIS}), then handed on
 * to the next step's message. A step that fails is retried by SQS and resumes from the last part
 * it recorded: after 30 s, then 60, 120... (the message's visibility is shortened; a run that dies
 * outright waits for the queue's visibility timeout). On its last delivery
 * ({@code EXPORT_MAX_RECEIVES}, the queue's {@code maxReceiveCount}) the export is marked failed,
 * saying why, before SQS parks the message.
 */
public final class ExportWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** Kept back from the function's timeout: a part's reading and upload, its record, the next message. */
    static final long RESERVE_MILLIS = 60_000;
    static final int DEFAULT_PART_BYTES = 8 * 1024 * 1024;

    /** The first retry of a failed step waits this long, each next one twice as long (15 minutes at most). */
    static final int FIRST_RETRY_SECONDS = 30;

    private final ExportRunner runner;
    private final ExportQueue queue;
    private final long budgetMillis;
    private final int maxReceives;

    public ExportWorkerHandler() {
        this(System.getenv());
    }

    public ExportWorkerHandler(Map<String, String> environment) {
        this(new Env(environment));
    }

    private ExportWorkerHandler(Env env) {
        this(runner(env), queue(env), Long.parseLong(env.get("EXPORT_BUDGET_MILLIS", "180000")),
                Integer.parseInt(env.get("EXPORT_MAX_RECEIVES", "5")));
    }

    public ExportWorkerHandler(ExportRunner runner, ExportQueue queue, long budgetMillis, int maxReceives) {
        this.runner = runner;
        this.queue = queue;
        this.budgetMillis = budgetMillis;
        this.maxReceives = maxReceives;
    }

    static ExportQueue queue(Env env) {
        return new ExportQueue(Aws.sqs(env), env.require("EXPORT_QUEUE_URL"));
    }

    /** The runner as the template configures it: its table, bucket, queue, part and page sizes. */
    public static ExportRunner runner(Env env) {
        var dynamo = Aws.dynamoDb(env);
        String table = env.require("TABLE_NAME");
        var customers = new CustomerService(new CustomerRepository(dynamo, table),
                new Cursors(env.get("CURSOR_SECRET", "clientele-local-cursors")), Clock.systemUTC());
        return new ExportRunner(new ExportRepository(dynamo, table),
                new S3ExportFiles(Aws.s3(env), Aws.s3Presigner(env), env.require("EXPORT_BUCKET")),
                queue(env), customers::customers,
                new TenantCounters(dynamo, table)::read, Clock.systemUTC(),
                Integer.parseInt(env.get("EXPORT_PART_BYTES", Integer.toString(DEFAULT_PART_BYTES))),
                Integer.parseInt(env.get("EXPORT_PAGE_SIZE", "500")));
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        long budget = Math.min(budgetMillis, context == null ? budgetMillis : context.getRemainingTimeInMillis() - RESERVE_MILLIS);
        long deadline = System.nanoTime() + Math.max(0, budget) * 1_000_000;
        return Batches.each(event, context, message -> {
            var body = Batches.parse(message.getBody(), ExportMessage.class);
            int receives = receiveCount(message);
            try {
                runner.work(body, receives, () -> System.nanoTime() - deadline < 0);
            } catch (RuntimeException e) {
                if (receives >= maxReceives) {
                    runner.giveUp(body, "the export failed " + receives + " times; the last error: " + e.getMessage());
                } else {
                    retrySoon(message, receives);
                }
                throw e;
            }
        });
    }

    private void retrySoon(SQSEvent.SQSMessage message, int receives) {
        int seconds = Math.min(900, FIRST_RETRY_SECONDS << Math.min(5, receives - 1));
        try {
            queue.retryIn(message.getReceiptHandle(), seconds);
        } catch (RuntimeException e) {
            // Then SQS retries it after the queue's visibility timeout.
        }
    }

    private static int receiveCount(SQSEvent.SQSMessage message) {
        var attributes = message.getAttributes();
        String count = attributes == null ? null : attributes.get("ApproximateReceiveCount");
        return count == null ? 1 : Integer.parseInt(count);
    }
}
