package com.clientele.ltv;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.customers.CustomerRepository;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.jobs.StepRunner;
import java.time.Clock;
import java.util.Map;

/**
 * The recompute worker, on {@code LtvRecomputeQueue}: each message is a step of a job (or a slice
 * of the daily discovery of tenants), run by a {@link StepRunner}: worked until the invocation's
 * budget is spent (the function's remaining time less a reserve for recording the step and sending
 * the next, capped by {@code RECOMPUTE_BUDGET_MILLIS}). A failing step is retried after 30 s, 60 s…;
 * on its last delivery ({@code RECOMPUTE_MAX_RECEIVES}, the queue's {@code maxReceiveCount}) it
 * marks its job failed before SQS parks it in the DLQ.
 */
public final class LtvRecomputeWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** Kept back from the function's timeout for the step's record and the next message. */
    static final long RESERVE_MILLIS = 10_000;
    static final long DEFAULT_BUDGET_MILLIS = 600_000;

    private final StepRunner<RecomputeMessage> runner;

    public LtvRecomputeWorkerHandler() {
        this(System.getenv());
    }

    public LtvRecomputeWorkerHandler(Map<String, String> environment) {
        this(runner(new Env(environment)));
    }

    public LtvRecomputeWorkerHandler(StepRunner<RecomputeMessage> runner) {
        this.runner = runner;
    }

    static StepRunner<RecomputeMessage> runner(Env env) {
        var queue = queue(env);
        return new StepRunner<>(RecomputeMessage.class, jobs(env, queue), queue,
                StepRunner.Settings.from(env, "RECOMPUTE", DEFAULT_BUDGET_MILLIS, RESERVE_MILLIS));
    }

    private static RecomputeQueue queue(Env env) {
        return new RecomputeQueue(Aws.sqs(env), env.require("RECOMPUTE_QUEUE_URL"));
    }

    /** The recompute jobs as the template configures them (the API's, the schedule's). */
    static RecomputeJobs jobs(Env env) {
        return jobs(env, queue(env));
    }

    /** The recompute jobs as the template configures them, sending the jobs they start to {@code queue}. */
    private static RecomputeJobs jobs(Env env, RecomputeQueue queue) {
        var dynamo = Aws.dynamoDb(env);
        var enhanced = Aws.enhanced(dynamo);
        String table = env.require("TABLE_NAME");
        var ltv = new LtvRepository(dynamo, table, new CustomerRepository(dynamo, table));
        return new RecomputeJobs(new JobRepository(dynamo, enhanced, table), new RecomputeService(ltv, Clock.systemUTC()),
                queue, Clock.systemUTC(), Integer.parseInt(env.get("RECOMPUTE_PAGE_SIZE", "100")),
                Integer.parseInt(env.get("RECOMPUTE_SCAN_SEGMENTS", "4")));
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return runner.handle(event, context);
    }
}
