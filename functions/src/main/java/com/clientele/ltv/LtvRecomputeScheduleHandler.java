package com.clientele.ltv;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.clientele.shared.Env;
import java.util.Map;

/**
 * The daily recompute, on a schedule: queues the discovery of tenants (a parallel Scan of the
 * customers index, worked by the recompute worker), which queues one job per tenant. The
 * EventBridge event carries nothing it needs: taken as a plain map (no Joda-Time in the jar).
 */
public final class LtvRecomputeScheduleHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final RecomputeJobs jobs;

    public LtvRecomputeScheduleHandler() {
        this(System.getenv());
    }

    public LtvRecomputeScheduleHandler(Map<String, String> environment) {
        this(LtvRecomputeWorkerHandler.jobs(new Env(environment)));
    }

    public LtvRecomputeScheduleHandler(RecomputeJobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
        return Map.of("segments", jobs.startDaily());
    }
}
