package com.clientele.subscriptions;

import com.clientele.shared.events.WorkQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code RenewalsQueue}: where a renewal run that reached its time budget sends the rest of itself. */
public class RenewalQueue extends WorkQueue<RenewalRun> implements RenewalService.Continuation {

    public RenewalQueue(SqsClient sqs, String url) {
        super(sqs, url);
    }
}
