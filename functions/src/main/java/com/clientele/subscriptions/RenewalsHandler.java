package com.clientele.subscriptions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.clientele.billinggroups.GroupInvoicing;
import com.clientele.shared.Components;
import com.clientele.shared.jobs.Budget;
import com.clientele.shared.jobs.ScheduledEvents;
import com.clientele.shared.jobs.StepRunner;
import com.clientele.shared.logs.LogScope;
import java.util.Map;

/**
 * The renewal run, daily on a schedule: bills the subscriptions due by the schedule's time, until its
 * budget is spent, then continues through {@code RenewalsQueue} ({@link RenewalsWorkerHandler}). The
 * EventBridge event is taken as a plain map; its {@code time} is the run's "now". An invocation by hand
 * may add {@code "lookbackDays": N} to read that many days back, whatever ran before (a backfill). First,
 * the billing groups' months that have ended are invoiced to their payers ({@link GroupInvoicing#close}).
 */
public final class RenewalsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    /** Kept back from the function's timeout for the last page (its charges) and the continuation. */
    static final long RESERVE_MILLIS = 30_000;
    static final long DEFAULT_BUDGET_MILLIS = 240_000;

    private final RenewalService renewals;
    private final GroupInvoicing groups;
    private final StepRunner.Settings settings;

    public RenewalsHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public RenewalsHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public RenewalsHandler(Components components) {
        this(BillingWiring.renewals(components), BillingWiring.groupInvoicing(components), BillingWiring.settings(components));
    }

    public RenewalsHandler(RenewalService renewals, GroupInvoicing groups, StepRunner.Settings settings) {
        this.renewals = renewals;
        this.groups = groups;
        this.settings = settings;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
        var scope = LogScope.schedule("renewals", scheduledEvent, context);
        return scope.run(() -> {
            var budget = Budget.of(Budget.until(context, settings.budgetMillis(), settings.reserveMillis()));
            // first the billing groups' months that have ended, invoiced to their payers (a month's work: before the renewals,
            // whose rest may go on through the queue; a month the budget did not reach waits for tomorrow's run)
            var invoiced = groups.close(ScheduledEvents.time(scheduledEvent), null, budget);
            var result = renewals.start(ScheduledEvents.time(scheduledEvent), null, ScheduledEvents.lookbackDays(scheduledEvent), budget);
            scope.put("job_id", result.through().toString()).put("items", budget.items()).put("continues", result.continued());
            var map = result.asMap();
            map.put("billingGroups", invoiced.asMap());
            return map;
        });
    }
}
