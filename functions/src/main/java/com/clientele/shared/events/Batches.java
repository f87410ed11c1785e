package com.clientele.shared.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * Partial batch handling for SQS consumers (what Powertools' batch module does, small): each
 * message is handled on its own, and the ids of the ones that failed are reported back so that
 * only they are retried (and, past the queue's receive limit, moved to its DLQ).
 */
public final class Batches {

    private Batches() {
    }

    /** Parses each message as a {@link PaymentEvent} (strictly: unknown fields fail) and hands it on. */
    public static SQSBatchResponse eachPaymentEvent(SQSEvent batch, Context context, Consumer<PaymentEvent> handler) {
        var failures = new ArrayList<SQSBatchResponse.BatchItemFailure>();
        for (var message : batch.getRecords()) {
            try {
                handler.accept(parse(message.getBody()));
            } catch (RuntimeException e) {
                log(context, "message " + message.getMessageId() + " failed and will be retried: " + e);
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private static PaymentEvent parse(String body) {
        try {
            return Json.MAPPER.readValue(body, PaymentEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a payment event: " + e.getOriginalMessage());
        }
    }

    private static void log(Context context, String message) {
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(message + "\n");
        } else {
            System.err.println(message);
        }
    }
}
