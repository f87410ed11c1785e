package com.clientele.loyalty;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.clientele.shared.Components;
import com.clientele.shared.jobs.Budget;
import com.clientele.shared.jobs.ScheduledEvents;
import com.clientele.shared.jobs.StepRunner;
import com.clientele.shared.logs.LogScope;
import java.util.Map;

/**
 * The points expiry, daily on a schedule (or on demand): expires the lots due by the schedule's
 * time, until its budget is spent, then continues through {@code PointsExpiryQueue}
 * ({@link PointsExpiryWorkerHandler}). The EventBridge event is taken as a plain map (no Joda-Time
 * in the jar); its {@code time} is the run's "now". An invocation by hand may add
 * {@code "lookbackDays": N} to read that many days back, whatever ran before (a backfill).
 */
public final class PointsExpiryHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    /** Kept back from the function's timeout for the last page (its customers' writes) and the continuation. */
    static final long RESERVE_MILLIS = 10_000;
    static final long DEFAULT_BUDGET_MILLIS = 240_000;

    private final ExpiryService expiry;
    private final StepRunner.Settings settings;

    public PointsExpiryHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public PointsExpiryHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public PointsExpiryHandler(Components components) {
        this(LoyaltyWiring.expiry(components), LoyaltyWiring.expirySettings(components));
    }

    public PointsExpiryHandler(ExpiryService expiry, StepRunner.Settings settings) {
        this.expiry = expiry;
        this.settings = settings;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
        var scope = LogScope.schedule("points-expiry", scheduledEvent, context);
        return scope.run(() -> {
            var budget = Budget.of(Budget.until(context, settings.budgetMillis(), settings.reserveMillis()));
            var result = expiry.start(ScheduledEvents.time(scheduledEvent), ScheduledEvents.lookbackDays(scheduledEvent), budget);
            scope.put("job_id", result.through().toString()).put("items", budget.items()).put("continues", result.continued());
            return result.asMap();
        });
    }
}
