package com.clientele.ltv;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Components;
import com.clientele.shared.events.Batches;
import com.clientele.shared.events.ConsumerMetrics;
import com.clientele.shared.metrics.Metrics;
import java.util.Map;

/**
 * The LTV aggregator: payment events from its queue, applied to customers' stats a batch at a time
 * (a few calls for the whole batch). Each message succeeds or fails on its own
 * (ReportBatchItemFailures): a bad one is retried and, after the queue's receive limit, parked in
 * the DLQ, without holding back the rest of its batch.
 */
public final class LtvAggregatorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** This consumer's name in its metrics ({@code Consumer} dimension). */
    static final String CONSUMER = "ltv";

    private final AggregatorService aggregator;
    private final ConsumerMetrics consumed;

    public LtvAggregatorHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public LtvAggregatorHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public LtvAggregatorHandler(Components components) {
        this(LtvWiring.aggregator(components), components.metrics());
    }

    public LtvAggregatorHandler(AggregatorService aggregator, Metrics metrics) {
        this.aggregator = aggregator;
        this.consumed = new ConsumerMetrics(metrics, CONSUMER);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return Batches.paymentEventsAtOnce(event, context, events -> {
            var results = aggregator.apply(events);
            for (int i = 0; i < results.size(); i++) {
                var outcome = results.get(i).outcome();
                if (outcome == AggregatorService.Outcome.APPLIED) {
                    consumed.applied(events.get(i));
                } else if (outcome == AggregatorService.Outcome.DUPLICATE) {
                    consumed.duplicate(events.get(i));
                }
            }
            return results.stream().map(AggregatorService.Result::failure).toList();
        });
    }
}
