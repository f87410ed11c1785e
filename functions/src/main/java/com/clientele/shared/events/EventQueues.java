package com.clientele.shared.events;

import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The queues payment events go to: one per consuming function (each has its own DLQ), so a slow
 * or failing consumer never holds back another. An event is sent to every queue.
 */
public class EventQueues {

    private final SqsClient sqs;
    private final List<String> queueUrls;

    public EventQueues(SqsClient sqs, List<String> queueUrls) {
        this.sqs = sqs;
        this.queueUrls = List.copyOf(queueUrls);
    }

    /** Sends the event's JSON to every queue; throws if any send fails (the outbox then keeps it). */
    public void send(String eventId, String eventType, String json) {
        for (String url : queueUrls) {
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(json)
                    .messageAttributes(java.util.Map.of(
                            "eventId", MessageAttributeValue.builder().dataType("String").stringValue(eventId).build(),
                            "eventType", MessageAttributeValue.builder().dataType("String").stringValue(eventType).build())));
        }
    }
}
