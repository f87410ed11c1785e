package com.clientele.shared.events;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.logs.Log;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Has SQS deliver a failed message again soon, instead of after its queue's visibility timeout, when
 * the failure is one that a moment mends ({@link Soon}): a refund handled before its charge, which
 * another batch is applying at the same time. The first two tries come back after {@link #FIRST} and
 * {@link #SECOND}; later ones wait the queue's timeout, as any failure does, so an event held up
 * longer (a charge left in the outbox for the relay) still comes before the message is moved to the DLQ.
 */
public final class Redelivery {

    static final Duration FIRST = Duration.ofSeconds(2);
    static final Duration SECOND = Duration.ofSeconds(15);

    /** A failure worth trying again soon. */
    public interface Soon {
    }

    private final Supplier<SqsClient> sqs;
    private final String queueUrl;

    /** {@code sqs} is asked for its client only when a message is asked for again, not at a cold start. */
    public Redelivery(Supplier<SqsClient> sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** When the message, received {@code receives} times so far, should come again; null: after the queue's timeout. */
    static Duration wait(int receives) {
        return receives <= 1 ? FIRST : receives == 2 ? SECOND : null;
    }

    /** Asks for the message again soon (see the class); if SQS refuses, it comes after the queue's timeout. */
    void soon(SQSEvent.SQSMessage message) {
        var attributes = message.getAttributes();
        String receives = attributes == null ? null : attributes.get("ApproximateReceiveCount");
        var wait = wait(receives != null && receives.matches("\\d{1,9}") ? Integer.parseInt(receives) : 1);
        if (wait == null || message.getReceiptHandle() == null) {
            return;
        }
        try {
            sqs.get().changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.getReceiptHandle())
                    .visibilityTimeout((int) wait.toSeconds()));
        } catch (RuntimeException e) {
            Log.warn("message left to its queue's visibility timeout", Map.of("message_id", message.getMessageId(),
                    "error_type", e.getClass().getName()));
        }
    }
}
