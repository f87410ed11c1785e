package com.clientele.loyalty;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Components;
import com.clientele.shared.jobs.StepRunner;
import java.util.Map;

/**
 * The rest of an expiry run that reached its time budget, from {@code PointsExpiryQueue}: each
 * message ({@link ExpiryRun}) is worked by a {@link StepRunner} from where it stands until done or
 * out of budget again, when what is left goes on as a new message. A message that fails is
 * delivered again after 30 s, 60 s… (working it twice is harmless: every lot expires once) and,
 * after the queue's receive limit ({@code EXPIRY_MAX_RECEIVES}), parked in the DLQ; the next daily
 * run still finds its lots, which stay in the index until expired.
 */
public final class PointsExpiryWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final StepRunner<ExpiryRun> runner;

    public PointsExpiryWorkerHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public PointsExpiryWorkerHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public PointsExpiryWorkerHandler(Components components) {
        this(LoyaltyWiring.expiryRunner(components));
    }

    public PointsExpiryWorkerHandler(StepRunner<ExpiryRun> runner) {
        this.runner = runner;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return runner.handle(event, context);
    }
}
