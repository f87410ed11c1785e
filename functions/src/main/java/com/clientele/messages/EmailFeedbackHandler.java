package com.clientele.messages;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Components;
import com.clientele.shared.events.Batches;
import java.util.Map;

/**
 * The bounces and complaints SES reports, on {@code EmailFeedbackQueue} ({@link EmailFeedback}): each
 * message on its own; one that fails (a bounce that came before its send was recorded) is received again,
 * and past the queue's receive limit goes to its DLQ.
 */
public final class EmailFeedbackHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final EmailFeedback feedback;

    public EmailFeedbackHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public EmailFeedbackHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public EmailFeedbackHandler(Components components) {
        this(new EmailFeedback(MessagesWiring.repository(components), components.metrics(), components.clock()));
    }

    public EmailFeedbackHandler(EmailFeedback feedback) {
        this.feedback = feedback;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return Batches.each(event, context, message -> feedback.apply(message.getBody()));
    }
}
