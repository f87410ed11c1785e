package com.clientele.ltv;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Components;
import com.clientele.shared.jobs.StepRunner;
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

    private final StepRunner<RecomputeMessage> runner;

    public LtvRecomputeWorkerHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public LtvRecomputeWorkerHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public LtvRecomputeWorkerHandler(Components components) {
        this(LtvWiring.runner(components));
    }

    public LtvRecomputeWorkerHandler(StepRunner<RecomputeMessage> runner) {
        this.runner = runner;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return runner.handle(event, context);
    }
}
