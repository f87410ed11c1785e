package com.clientele.ltv;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Components;
import com.clientele.shared.events.Batches;
import java.util.Map;

/**
 * The LTV aggregator: payment events from its queue, applied to customers' stats. Each message
 * succeeds or fails on its own (ReportBatchItemFailures): a bad one is retried and, after the
 * queue's receive limit, parked in the DLQ, without holding back the rest of its batch.
 */
public final class LtvAggregatorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final AggregatorService aggregator;

    public LtvAggregatorHandler() {
        this(Components.from(System.getenv()));
    }

    /** The local cloud's entry point: the environment template.yaml gives this function. */
    public LtvAggregatorHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public LtvAggregatorHandler(Components components) {
        this(LtvWiring.aggregator(components));
    }

    public LtvAggregatorHandler(AggregatorService aggregator) {
        this.aggregator = aggregator;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return Batches.eachPaymentEvent(event, context, aggregator::apply);
    }
}
