package com.clientele.exports;

import com.clientele.shared.Json;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The export jobs queue ({@code ExportJobsQueue}): one message per step of an export. */
public class ExportQueue {

    private final SqsClient sqs;
    private final String url;

    public ExportQueue(SqsClient sqs, String url) {
        this.sqs = sqs;
        this.url = url;
    }

    public void send(ExportMessage message) {
        sqs.sendMessage(r -> r.queueUrl(url).messageBody(Json.write(message)));
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
