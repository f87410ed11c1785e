package com.clientele.messages;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Components;
import com.clientele.shared.events.Batches;
import com.clientele.shared.jobs.StepRunner;
import java.util.Map;

/**
 * The message sender, on {@code MessagesQueue}: each message names a communication to send
 * ({@link MessageDelivery}). A provider failure with tries left comes back after a wait that grows
 * with each receive (the message's visibility is changed); on its last receive the communication is
 * marked failed. A message that cannot be read fails on every receive and ends in the queue's DLQ.
 * Logs carry the communication's id and what became of it, never an address or a message's text.
 */
public final class MessagesHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final MessageDelivery delivery;
    private final MessageQueue queue;

    public MessagesHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public MessagesHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public MessagesHandler(Components components) {
        this(SenderWiring.delivery(components), SenderWiring.queue(components));
    }

    public MessagesHandler(MessageDelivery delivery, MessageQueue queue) {
        this.delivery = delivery;
        this.queue = queue;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return Batches.each(event, context, message -> {
            var job = Batches.parse(message.getBody(), MessageJob.class);
            try {
                delivery.deliver(job, StepRunner.receiveCount(message));
            } catch (MessageDelivery.RetryLater later) {
                if (message.getReceiptHandle() != null) {
                    queue.retryIn(message.getReceiptHandle(), later.seconds());
                }
                throw later;
            }
        });
    }
}
