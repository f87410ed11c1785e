package com.clientele.messages;

import com.clientele.shared.events.WorkQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The queue the sender reads: one {@link MessageJob} per communication to send ({@code MESSAGES_QUEUE_URL}). */
public class MessageQueue extends WorkQueue<MessageJob> {

    public MessageQueue(SqsClient sqs, String url) {
        super(sqs, url);
    }
}
