package com.clientele.ltv;

import com.clientele.shared.jobs.StepMessage;
import java.util.Map;

/**
 * A message on the recompute queue. {@code customers}: the next step of a job (the job item holds
 * where the walk of the tenant's customers stands; the message names the step it expects, so a
 * redelivered one is recognised). {@code tenants}: a slice of the daily discovery of tenants, one
 * segment of a parallel Scan, resuming after {@code startKey}.
 */
public record RecomputeMessage(String kind, String tenantId, String jobId, long step, String day, Integer segment,
                               Integer segments, Map<String, String> startKey, String lastTenant)
        implements StepMessage<RecomputeMessage> {

    public static final String CUSTOMERS = "customers";
    public static final String TENANTS = "tenants";

    static RecomputeMessage step(String tenantId, String jobId, long step) {
        return new RecomputeMessage(CUSTOMERS, tenantId, jobId, step, null, null, null, null, null);
    }

    static RecomputeMessage tenants(String day, int segment, int segments, Map<String, String> startKey, String lastTenant) {
        return new RecomputeMessage(TENANTS, null, null, 0, day, segment, segments, startKey, lastTenant);
    }

    @Override
    public RecomputeMessage next() {
        return step(tenantId, jobId, step + 1);
    }
}
