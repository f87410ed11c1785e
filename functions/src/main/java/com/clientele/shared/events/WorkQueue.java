package com.clientele.shared.events;

import com.clientele.shared.Json;
import com.clientele.shared.logs.Correlation;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A function's own work queue: the next step of a job, sent as JSON. Subclasses name the queue
 * and its message type; tests override {@link #send} to keep the steps in hand.
 */
public class WorkQueue<T> {

    private final SqsClient sqs;
    private final String url;

    public WorkQueue(SqsClient sqs, String url) {
        this.sqs = sqs;
        this.url = url;
    }

    /** Sends {@code message}, with the correlation id of the work sending it as the message attribute that carries it on. */
    public void send(T message) {
        send(message, 0);
    }

    /** {@link #send(Object)}, the message received no sooner than {@code delaySeconds} later (SQS's DelaySeconds: at most 900). */
    public void send(T message, int delaySeconds) {
        String correlationId = Correlation.current();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody(Json.write(message)).delaySeconds(delaySeconds > 0 ? delaySeconds : null)
                .messageAttributes(correlationId == null ? Map.of() : Map.of(Correlation.ATTRIBUTE, EventQueues.text(correlationId))));
    }

    /**
     * Makes a message that failed visible again after {@code seconds}, rather than after the
     * queue's visibility timeout (which must outlast the worker's timeout): a step that failed
     * on a passing error is tried again soon.
     */
    public void retryIn(String receiptHandle, int seconds) {
        sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(receiptHandle).visibilityTimeout(seconds));
    }
}
