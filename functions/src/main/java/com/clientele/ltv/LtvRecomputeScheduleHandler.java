package com.clientele.ltv;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.clientele.shared.Components;
import com.clientele.shared.logs.LogScope;
import java.util.Map;

/**
 * The daily recompute, on a schedule: queues the discovery of tenants (a parallel Scan of the
 * customers index, worked by the recompute worker), which queues one job per tenant. The
 * EventBridge event carries nothing it needs: taken as a plain map (no Joda-Time in the jar).
 */
public final class LtvRecomputeScheduleHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final RecomputeJobs jobs;

    public LtvRecomputeScheduleHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public LtvRecomputeScheduleHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public LtvRecomputeScheduleHandler(Components components) {
        this(LtvWiring.jobs(components));
    }

    public LtvRecomputeScheduleHandler(RecomputeJobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
        var scope = LogScope.schedule("ltv-recompute-daily", scheduledEvent, context);
        return scope.run(() -> {
            int segments = jobs.startDaily();
            scope.put("items", segments);
            return Map.of("segments", segments);
        });
    }
}
