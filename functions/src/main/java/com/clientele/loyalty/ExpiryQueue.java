package com.clientele.loyalty;

import com.clientele.shared.events.WorkQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code PointsExpiryQueue}: where a run that reached its time budget sends the rest of itself. */
public class ExpiryQueue extends WorkQueue<ExpiryRun> implements ExpiryService.Continuation {

    public ExpiryQueue(SqsClient sqs, String url) {
        super(sqs, url);
    }
}
