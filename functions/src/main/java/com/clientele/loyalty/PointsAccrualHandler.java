package com.clientele.loyalty;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Components;
import com.clientele.shared.events.Batches;
import java.util.Map;

/**
 * The points accrual: payment events from its queue, applied to customers' points. Each message
 * succeeds or fails on its own (ReportBatchItemFailures): a failed one (a refund whose charge is
 * not applied yet, a malformed event) is retried and, after the queue's receive limit, parked in
 * the DLQ, without holding back the rest of its batch.
 */
public final class PointsAccrualHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final AccrualService accrual;

    public PointsAccrualHandler() {
        this(Components.from(System.getenv()));
    }

    /** The local cloud's entry point: the environment template.yaml gives this function. */
    public PointsAccrualHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public PointsAccrualHandler(Components components) {
        this(LoyaltyWiring.accrual(components));
    }

    public PointsAccrualHandler(AccrualService accrual) {
        this.accrual = accrual;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return Batches.eachPaymentEvent(event, context, accrual::apply);
    }
}
