package com.clientele.subscriptions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Components;
import com.clientele.shared.jobs.StepRunner;
import java.util.Map;

/**
 * The rest of a renewal run that reached its time budget, from {@code RenewalsQueue}: each message
 * ({@link RenewalRun}) is worked by a {@link StepRunner} from where it stands until done or out of
 * budget again. A message delivered twice bills nothing twice: every period is claimed on its
 * subscription before it is charged, and what is billed has moved on in the index. After the queue's
 * receive limit ({@code RENEWALS_MAX_RECEIVES}) it is parked in the DLQ; the next daily run still finds
 * what it left, which stays in the index until billed.
 */
public final class RenewalsWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final StepRunner<RenewalRun> runner;

    public RenewalsWorkerHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public RenewalsWorkerHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public RenewalsWorkerHandler(Components components) {
        this(BillingWiring.runner(components));
    }

    public RenewalsWorkerHandler(StepRunner<RenewalRun> runner) {
        this.runner = runner;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return runner.handle(event, context);
    }
}
