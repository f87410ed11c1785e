package com.clientele.messages;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Components;
import com.clientele.shared.events.Batches;
import java.util.Map;

/**
 * The payment events' consumer that sends customers their receipts and failure notices, and the
 * subscriptions' renewal and contract-end reminders ({@link PaymentMessages}), on its own queue of the payment-event path ({@code MessagesEventsQueue}),
 * as the LTV and points consumers have theirs. Each event succeeds or fails on its own; the port
 * records a message id once, so a duplicate event is a no-op. What it records is counted by the port
 * ({@code MessagesQueued}, {@code MessagesSkipped}).
 */
public final class PaymentMessagesHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final PaymentMessages payments;

    public PaymentMessagesHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public PaymentMessagesHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public PaymentMessagesHandler(Components components) {
        this(new PaymentMessages(MessagesWiring.messages(components)));
    }

    public PaymentMessagesHandler(PaymentMessages payments) {
        this.payments = payments;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return Batches.eachEvent(event, context, payments::apply, payments::remind);
    }
}
