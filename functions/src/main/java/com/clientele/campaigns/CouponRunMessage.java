package com.clientele.campaigns;

import com.clientele.shared.jobs.StepMessage;

/**
 * A message on the coupon runs queue: work on the run, as its step {@code step}. The run's item says
 * which step may work on it now, so a redelivered or stale message is recognised.
 */
public record CouponRunMessage(String tenantId, String campaignId, String runId, long step) implements StepMessage<CouponRunMessage> {

    @Override
    public CouponRunMessage next() {
        return new CouponRunMessage(tenantId, campaignId, runId, step + 1);
    }
}
