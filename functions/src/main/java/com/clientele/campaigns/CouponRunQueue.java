package com.clientele.campaigns;

import com.clientele.shared.events.WorkQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The coupon runs queue ({@code CouponRunsQueue}): one message per step of a run. */
public class CouponRunQueue extends WorkQueue<CouponRunMessage> {

    public CouponRunQueue(SqsClient sqs, String url) {
        super(sqs, url);
    }
}
