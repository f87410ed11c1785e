package com.clientele.ltv;

import com.clientele.customers.CustomersWiring;
import com.clientele.loyalty.LoyaltyWiring;
import com.clientele.shared.Components;
import com.clientele.shared.events.Sqs;
import com.clientele.shared.jobs.JobMetrics;
import com.clientele.shared.jobs.StepRunner;

/** How the lifetime-value capability's parts are built from a function's {@link Components}, each once. */
public final class LtvWiring {

    /** Kept back from the function's timeout for the step's record and the next message. */
    static final long RESERVE_MILLIS = 10_000;
    static final long DEFAULT_BUDGET_MILLIS = 600_000;

    private LtvWiring() {
    }

    public static LtvRepository repository(Components components) {
        return components.once(LtvRepository.class, () -> new LtvRepository(components.dynamoDb(), components.table(),
                CustomersWiring.repository(components)));
    }

    public static RecomputeService recompute(Components components) {
        return components.once(RecomputeService.class, () -> new RecomputeService(repository(components), components.clock()));
    }

    static AggregatorService aggregator(Components components) {
        return components.once(AggregatorService.class, () -> new AggregatorService(repository(components), components.clock()));
    }

    static RecomputeQueue queue(Components components) {
        return components.once(RecomputeQueue.class,
                () -> new RecomputeQueue(Sqs.client(components), components.env().require("RECOMPUTE_QUEUE_URL")));
    }

    /** The recompute and reconciliation jobs as the template configures them (the API's, the schedule's, the worker's). */
    static RecomputeJobs jobs(Components components) {
        var env = components.env();
        return components.once(RecomputeJobs.class, () -> new RecomputeJobs(
                new JobRepository(components.dynamoDb(), components.enhanced(), components.table()), recompute(components),
                LoyaltyWiring.reconciliation(components), queue(components), components.clock(),
                Integer.parseInt(env.get("RECOMPUTE_PAGE_SIZE", "100")),
                Integer.parseInt(env.get("RECOMPUTE_SCAN_SEGMENTS", "4")), components.metrics()));
    }

    static JobMetrics metrics(Components components) {
        return new JobMetrics(components.metrics(), JobMetrics.RECOMPUTE);
    }

    static StepRunner<RecomputeMessage> runner(Components components) {
        return new StepRunner<>(RecomputeMessage.class, jobs(components), queue(components),
                StepRunner.Settings.from(components.env(), "RECOMPUTE", DEFAULT_BUDGET_MILLIS, RESERVE_MILLIS),
                metrics(components));
    }
}
