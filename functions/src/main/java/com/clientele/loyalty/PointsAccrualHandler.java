package com.clientele.loyalty;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Components;
import com.clientele.shared.events.Batches;
import com.clientele.shared.events.ConsumerMetrics;
import com.clientele.shared.events.Redelivery;
import com.clientele.shared.events.Sqs;
import com.clientele.shared.metrics.Metrics;
import java.util.Map;

/**
 * The points accrual: payment events from its queue, applied to customers' points. Each message
 * succeeds or fails on its own (ReportBatchItemFailures): a failed one (a refund whose charge is
 * not applied yet, a malformed event) is retried and, after the queue's receive limit, parked in
 * the DLQ, without holding back the rest of its batch. A refund whose charge is not applied yet is
 * asked for again within seconds ({@link Redelivery}): its charge is most often in another batch
 * being applied at that moment.
 */
public final class PointsAccrualHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** This consumer's name in its metrics ({@code Consumer} dimension). */
    static final String CONSUMER = "points";

    private final AccrualService accrual;
    private final ConsumerMetrics consumed;
    private final Redelivery redelivery;

    public PointsAccrualHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public PointsAccrualHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public PointsAccrualHandler(Components components) {
        this(LoyaltyWiring.accrual(components), components.metrics(),
                new Redelivery(() -> Sqs.client(components), components.env().require("POINTS_EVENTS_QUEUE_URL")));
    }

    /** {@code redelivery} may be null: a failed message then always waits its queue's visibility timeout. */
    public PointsAccrualHandler(AccrualService accrual, Metrics metrics, Redelivery redelivery) {
        this.accrual = accrual;
        this.consumed = new ConsumerMetrics(metrics, CONSUMER);
        this.redelivery = redelivery;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return Batches.eachPaymentEvent(event, context, redelivery, paymentEvent -> {
            switch (accrual.apply(paymentEvent)) {
                case APPLIED -> consumed.applied(paymentEvent);
                case DUPLICATE -> consumed.duplicate(paymentEvent);
                default -> { }
            }
        });
    }
}
