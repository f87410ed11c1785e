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
import com.clientele.shared.http.Cursors;
import com.clientele.shared.jobs.StepRunner;
import java.time.Clock;
import java.util.Map;

/**
 * The export worker, on {@code ExportJobsQueue} (batch size 1): each message is a step of an
 * export ({@link ExportRunner}), run by a {@link StepRunner}: worked until the invocation's budget
 * is spent (the function's remaining time less a reserve for finishing the part in hand, capped by
 * {@code EXPORT_BUDGET_MILLIS}), then handed on to the next step's message. A step that fails is
 * retried by SQS after 30 s, then 60, 120... and resumes from the last part it recorded; on its last
 * delivery ({@code EXPORT_MAX_RECEIVES}, the queue's {@code maxReceiveCount}) the export is marked
 * failed, saying why, before SQS parks the message.
 */
public final class ExportWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** Kept back from the function's timeout: a part's reading and upload, its record, the next message. */
    static final long RESERVE_MILLIS = 60_000;
    static final long DEFAULT_BUDGET_MILLIS = 180_000;
    static final int DEFAULT_PART_BYTES = 8 * 1024 * 1024;

    private final StepRunner<ExportMessage> runner;

    public ExportWorkerHandler() {
        this(System.getenv());
    }

    public ExportWorkerHandler(Map<String, String> environment) {
        this(runner(new Env(environment)));
    }

    public ExportWorkerHandler(StepRunner<ExportMessage> runner) {
        this.runner = runner;
    }

    /** The export's steps as the template configures them: table, bucket, queue, part and page sizes, budget. */
    static StepRunner<ExportMessage> runner(Env env) {
        return new StepRunner<>(ExportMessage.class, export(env), new ExportQueue(Aws.sqs(env), env.require("EXPORT_QUEUE_URL")),
                StepRunner.Settings.from(env, "EXPORT", DEFAULT_BUDGET_MILLIS, RESERVE_MILLIS));
    }

    /** The export job as the template configures it. */
    private static ExportRunner export(Env env) {
        var dynamo = Aws.dynamoDb(env);
        String table = env.require("TABLE_NAME");
        var customers = new CustomerService(new CustomerRepository(dynamo, table),
                new Cursors(env.require("CURSOR_SECRET")), Clock.systemUTC());
        return new ExportRunner(new ExportRepository(dynamo, table),
                new S3ExportFiles(Aws.s3(env), Aws.s3Presigner(env), env.require("EXPORT_BUCKET")),
                customers::customers, new TenantCounters(dynamo, table)::read, Clock.systemUTC(),
                Integer.parseInt(env.get("EXPORT_PART_BYTES", Integer.toString(DEFAULT_PART_BYTES))),
                Integer.parseInt(env.get("EXPORT_PAGE_SIZE", "500")));
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return runner.handle(event, context);
    }
}
