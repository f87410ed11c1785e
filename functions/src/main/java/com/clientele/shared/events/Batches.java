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
        return each(batch, context, message -> handler.accept(parse(message.getBody(), PaymentEvent.class)));
    }

    /** Hands each message on; those whose handling throws are reported as failed. */
    public static SQSBatchResponse each(SQSEvent batch, Context context, Consumer<SQSEvent.SQSMessage> handler) {
        var failures = new ArrayList<SQSBatchResponse.BatchItemFailure>();
        for (var message : batch.getRecords()) {
            try {
                handler.accept(message);
            } catch (RuntimeException e) {
                log(context, "message " + message.getMessageId() + " failed and will be retried: " + e);
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** A message body as {@code type}, strictly (unknown fields fail). */
    public static <T> T parse(String body, Class<T> type) {
        try {
            return Json.MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage());
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
