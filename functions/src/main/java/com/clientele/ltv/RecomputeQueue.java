package com.clientele.ltv;

import com.clientele.shared.events.WorkQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The recompute work queue ({@code LtvRecomputeQueue}): job steps and tenant discovery slices. */
public class RecomputeQueue extends WorkQueue<RecomputeMessage> {

    public RecomputeQueue(SqsClient sqs, String url) {
        super(sqs, url);
    }
}
