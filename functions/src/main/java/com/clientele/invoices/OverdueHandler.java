package com.clientele.invoices;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.clientele.shared.Components;
import com.clientele.shared.jobs.Budget;
import com.clientele.shared.jobs.ScheduledEvents;
import com.clientele.shared.logs.LogScope;
import java.util.Map;

/**
 * The overdue run, daily on a schedule ({@link OverdueRun}): marks the open invoices whose due date has passed,
 * until its budget is spent (the next run, or one on demand, goes on from there). The EventBridge event is taken as
 * a plain map; its {@code time} is the run's "now". An invocation by hand may add {@code "lookbackDays": N} to read
 * that many days back, whatever ran before.
 */
public final class OverdueHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    /** Kept back from the function's timeout for the last page. */
    static final long RESERVE_MILLIS = 30_000;
    static final long BUDGET_MILLIS = 240_000;

    private final OverdueRun run;

    public OverdueHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public OverdueHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public OverdueHandler(Components components) {
        this(InvoicesWiring.overdueRun(components));
    }

    public OverdueHandler(OverdueRun run) {
        this.run = run;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
        var scope = LogScope.schedule("invoices_overdue", scheduledEvent, context);
        return scope.run(() -> {
            var budget = Budget.of(Budget.until(context, BUDGET_MILLIS, RESERVE_MILLIS));
            var result = run.run(ScheduledEvents.time(scheduledEvent), null, ScheduledEvents.lookbackDays(scheduledEvent), budget);
            scope.put("job_id", result.through().toString()).put("items", budget.items()).put("finished", result.finished());
            return result.asMap();
        });
    }
}
