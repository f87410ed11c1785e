package com.clientele.exports;

import com.clientele.shared.events.WorkQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The export jobs queue ({@code ExportJobsQueue}): one message per step of an export. */
public class ExportQueue extends WorkQueue<ExportMessage> {

    public ExportQueue(SqsClient sqs, String url) {
        super(sqs, url);
    }
}
