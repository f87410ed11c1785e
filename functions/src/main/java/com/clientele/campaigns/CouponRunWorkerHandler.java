package com.clientele.campaigns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Components;
import com.clientele.shared.jobs.StepRunner;
import java.util.Map;

/**
 * The coupon run worker, on {@code CouponRunsQueue} (batch size 1): each message is a step of a run
 * ({@link CouponRunner}), run by a {@link StepRunner}: worked until the invocation's budget is spent (the
 * function's remaining time less a reserve for the page in hand, capped by {@code COUPON_RUN_BUDGET_MILLIS}),
 * then handed on to the next step's message. A step that fails is retried by SQS after 30 s, then 60, 120...
 * and resumes from the last page it recorded; on its last delivery ({@code COUPON_RUN_MAX_RECEIVES}, the
 * queue's {@code maxReceiveCount}) the run is marked failed, saying why, before SQS parks the message.
 */
public final class CouponRunWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** Kept back from the function's timeout: a page's reads and gifts, its record, the next message. */
    static final long RESERVE_MILLIS = 60_000;
    static final long DEFAULT_BUDGET_MILLIS = 180_000;

    private final StepRunner<CouponRunMessage> runner;

    public CouponRunWorkerHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public CouponRunWorkerHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public CouponRunWorkerHandler(Components components) {
        this(CampaignWiring.couponRunner(components));
    }

    public CouponRunWorkerHandler(StepRunner<CouponRunMessage> runner) {
        this.runner = runner;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return runner.handle(event, context);
    }
}
