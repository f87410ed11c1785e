package com.clientele.shared.events;

import com.clientele.shared.logs.Correlation;
import java.util.LinkedHashMap;
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

    /**
     * Sends the event's JSON to every queue, with its id, type and the correlation id of the request
     * that caused it (when known) as message attributes; throws if any send fails (the outbox then keeps it).
     */
    public void send(String eventId, String eventType, String json, String correlationId) {
        var attributes = new LinkedHashMap<String, MessageAttributeValue>();
        attributes.put("eventId", text(eventId));
        attributes.put("eventType", text(eventType));
        if (correlationId != null) {
            attributes.put(Correlation.ATTRIBUTE, text(correlationId));
        }
        for (String url : queueUrls) {
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(json).messageAttributes(attributes));
        }
    }

    static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
