package com.clientele.payments;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Components;
import com.clientele.shared.events.Batches;
import java.util.Map;

/**
 * The processor's notifications about disputes, on {@code DisputeNotificationsQueue} ({@link DisputeService#apply}): each
 * message on its own; one that fails (its payment not settled yet, a conflict) is received again, and past the queue's
 * receive limit (or unreadable) goes to its DLQ.
 */
public final class DisputeNotificationsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final DisputeService disputes;

    public DisputeNotificationsHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests take the local cloud's). */
    public DisputeNotificationsHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public DisputeNotificationsHandler(Components components) {
        this(PaymentsWiring.disputes(components));
    }

    public DisputeNotificationsHandler(DisputeService disputes) {
        this.disputes = disputes;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return Batches.each(event, context, message -> disputes.apply(message.getBody()));
    }
}
