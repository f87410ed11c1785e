package com.clientele.ltv;

import com.clientele.shared.Json;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The recompute work queue ({@code LtvRecomputeQueue}): job steps and tenant discovery slices. */
public class RecomputeQueue {

    private final SqsClient sqs;
    private final String url;

    public RecomputeQueue(SqsClient sqs, String url) {
        this.sqs = sqs;
        this.url = url;
    }

    public void send(RecomputeMessage message) {
        sqs.sendMessage(r -> r.queueUrl(url).messageBody(Json.write(message)));
    }
}
