package com.clientele.tiers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.clientele.shared.Components;
import com.clientele.shared.jobs.Budget;
import com.clientele.shared.jobs.ScheduledEvents;
import com.clientele.shared.logs.LogScope;
import java.util.Map;

/**
 * The daily review of tiers and journeys, on a schedule (or by hand): {@link TierReview} within the
 * function's time. The EventBridge event is taken as a plain map; its {@code time} is the run's "now";
 * {@code "lookbackDays": N} reads that many days back.
 */
public final class TierReviewHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    static final long RESERVE_MILLIS = 10_000;

    private final TierReview review;
    private final long budgetMillis;

    public TierReviewHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests take the local cloud's). */
    public TierReviewHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public TierReviewHandler(Components components) {
        this(TiersWiring.review(components), Long.parseLong(components.env().get("TIER_REVIEW_BUDGET_MILLIS", "240000")));
    }

    public TierReviewHandler(TierReview review, long budgetMillis) {
        this.review = review;
        this.budgetMillis = budgetMillis;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
        var scope = LogScope.schedule("tier-review", scheduledEvent, context);
        return scope.run(() -> {
            var result = review.run(ScheduledEvents.time(scheduledEvent), ScheduledEvents.lookbackDays(scheduledEvent),
                    Budget.of(Budget.until(context, budgetMillis, RESERVE_MILLIS)));
            scope.put("reviewed", result.reviewed()).put("changed", result.changed()).put("failed", result.failed())
                    .put("stopped", result.stopped());
            return result.asMap();
        });
    }
}
