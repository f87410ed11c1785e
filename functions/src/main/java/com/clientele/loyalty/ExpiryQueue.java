package com.clientele.loyalty;

import com.clientele.shared.Json;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code PointsExpiryQueue}: where a run that reached its time budget sends the rest of itself. */
public class ExpiryQueue implements ExpiryService.Continuation {

    private final SqsClient sqs;
    private final String url;

    public ExpiryQueue(SqsClient sqs, String url) {
        this.sqs = sqs;
        this.url = url;
    }

    @Override
    public void send(ExpiryRun rest) {
        sqs.sendMessage(r -> r.queueUrl(url).messageBody(Json.write(rest)));
    }
}
