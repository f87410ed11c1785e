package com.clientele.ltv;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.customers.CustomerRepository;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.events.Batches;
import java.time.Clock;
import java.util.Map;

/**
 * The recompute worker, on {@code LtvRecomputeQueue}: each message is a step of a job (or a slice
 * of the daily discovery of tenants), worked until the invocation's budget is spent: the
 * function's remaining time less a reserve for recording the step and sending the next, capped by
 * {@code RECOMPUTE_BUDGET_MILLIS}. On its last delivery ({@code RECOMPUTE_MAX_RECEIVES}, the
 * queue's {@code maxReceiveCount}) a failing step marks its job failed before SQS parks it in the DLQ.
 */
public final class LtvRecomputeWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** Kept back from the function's timeout for the step's record and the next message. */
    static final long RESERVE_MILLIS = 10_000;

    private final RecomputeJobs jobs;
    private final long budgetMillis;
    private final int maxReceives;

    public LtvRecomputeWorkerHandler() {
        this(System.getenv());
    }

    public LtvRecomputeWorkerHandler(Map<String, String> environment) {
        this(jobs(new Env(environment)), Long.parseLong(new Env(environment).get("RECOMPUTE_BUDGET_MILLIS", "600000")),
                Integer.parseInt(new Env(environment).get("RECOMPUTE_MAX_RECEIVES", "5")));
    }

    public LtvRecomputeWorkerHandler(RecomputeJobs jobs, long budgetMillis, int maxReceives) {
        this.jobs = jobs;
        this.budgetMillis = budgetMillis;
        this.maxReceives = maxReceives;
    }

    static RecomputeJobs jobs(Env env) {
        var dynamo = Aws.dynamoDb(env);
        var enhanced = Aws.enhanced(dynamo);
        String table = env.require("TABLE_NAME");
        var ltv = new LtvRepository(dynamo, table, new CustomerRepository(dynamo, table));
        return new RecomputeJobs(new JobRepository(dynamo, enhanced, table), new RecomputeService(ltv, Clock.systemUTC()),
                new RecomputeQueue(Aws.sqs(env), env.require("RECOMPUTE_QUEUE_URL")), Clock.systemUTC(),
                Integer.parseInt(env.get("RECOMPUTE_PAGE_SIZE", "100")), Integer.parseInt(env.get("RECOMPUTE_SCAN_SEGMENTS", "4")));
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        long budget = Math.min(budgetMillis, context == null ? budgetMillis : context.getRemainingTimeInMillis() - RESERVE_MILLIS);
        long deadline = System.nanoTime() + Math.max(0, budget) * 1_000_000;
        return Batches.each(event, context, message -> {
            var body = Batches.parse(message.getBody(), RecomputeMessage.class);
            int receives = receiveCount(message);
            try {
                jobs.work(body, receives, () -> System.nanoTime() - deadline < 0);
            } catch (RuntimeException e) {
                if (receives >= maxReceives) {
                    jobs.giveUp(body, "a step failed " + receives + " times: " + e.getMessage());
                }
                throw e;
            }
        });
    }

    private static int receiveCount(SQSEvent.SQSMessage message) {
        var attributes = message.getAttributes();
        String count = attributes == null ? null : attributes.get("ApproximateReceiveCount");
        return count == null ? 1 : Integer.parseInt(count);
    }
}
