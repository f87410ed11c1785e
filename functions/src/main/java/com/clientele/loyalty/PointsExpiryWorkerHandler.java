package com.clientele.loyalty;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Env;
import com.clientele.shared.events.Batches;
import java.util.Map;

/**
 * The rest of an expiry run that reached its time budget, from {@code PointsExpiryQueue}: each
 * message ({@link ExpiryRun}) is worked from where it stands until done or out of budget again,
 * when it sends what is left as a new message. A message that fails is delivered again (working it
 * twice is harmless: every lot expires once) and, after the queue's receive limit, parked in the
 * DLQ; the next daily run still finds its lots, which stay in the index until expired.
 */
public final class PointsExpiryWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final ExpiryService expiry;
    private final long budgetMillis;

    public PointsExpiryWorkerHandler() {
        this(System.getenv());
    }

    public PointsExpiryWorkerHandler(Map<String, String> environment) {
        this(PointsExpiryHandler.service(new Env(environment)), PointsExpiryHandler.budgetMillis(new Env(environment)));
    }

    public PointsExpiryWorkerHandler(ExpiryService expiry, long budgetMillis) {
        this.expiry = expiry;
        this.budgetMillis = budgetMillis;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        var timeLeft = PointsExpiryHandler.timeLeft(budgetMillis, context);
        return Batches.each(event, context, message -> expiry.run(Batches.parse(message.getBody(), ExpiryRun.class), timeLeft));
    }
}
