package com.clientele.subscriptions;

import com.clientele.billinggroups.BillingGroupRepository;
import com.clientele.billinggroups.BillingGroupService;
import com.clientele.billinggroups.GroupInvoicing;
import com.clientele.billinggroups.GroupPeriodRepository;
import com.clientele.customers.CustomersWiring;
import com.clientele.payments.PaymentsWiring;
import com.clientele.shared.Components;
import com.clientele.shared.events.Sqs;
import com.clientele.shared.jobs.JobMetrics;
import com.clientele.shared.jobs.StepRunner;

/** How recurring billing's parts (settings, renewals, dunning) are built from a function's {@link Components}, each once. */
public final class BillingWiring {

    private BillingWiring() {
    }

    public static BillingRepository repository(Components components) {
        return components.once(BillingRepository.class,
                () -> new BillingRepository(components.enhanced(), components.table(), components.clock()));
    }

    public static BillingGroupService groups(Components components) {
        return components.once(BillingGroupService.class, () -> new BillingGroupService(groupRepository(components),
                CustomersWiring.repository(components), components.cursors(), components.clock()));
    }

    private static BillingGroupRepository groupRepository(Components components) {
        return components.once(BillingGroupRepository.class, () -> new BillingGroupRepository(components.enhanced(), components.table(),
                CustomersWiring.repository(components)));
    }

    /** Billing groups' consolidated invoicing: the renewals' members' periods as lines, and the run that invoices closed periods. */
    public static GroupInvoicing groupInvoicing(Components components) {
        return components.once(GroupInvoicing.class, () -> new GroupInvoicing(groupRepository(components),
                new GroupPeriodRepository(components.dynamoDb(), components.table()), com.clientele.invoices.InvoicesWiring.service(components),
                components.clock(), components.metrics()));
    }

    static BillingService billing(Components components) {
        return components.once(BillingService.class, () -> new BillingService(repository(components), components.clock()));
    }

    static RenewalQueue queue(Components components) {
        return components.once(RenewalQueue.class,
                () -> new RenewalQueue(Sqs.client(components), components.env().require("RENEWALS_QUEUE_URL")));
    }

    /**
     * The renewals as the template configures them, sending the rest of a run that reached its budget to its
     * queue ({@code RENEWALS_QUEUE_URL}, read then: a function that bills one subscription at its start has none).
     */
    public static RenewalService renewals(Components components) {
        var env = components.env();
        return components.once(RenewalService.class, () -> new RenewalService(SubscriptionsWiring.repository(components),
                repository(components), PaymentsWiring.service(components), PaymentsWiring.outbox(components),
                rest -> queue(components).send(rest), components.clock(),
                Integer.parseInt(env.get("RENEWALS_PAGE_SIZE", "100")), Integer.parseInt(env.get("RENEWALS_LOOKBACK_DAYS", "35")),
                Integer.parseInt(env.get("RENEWALS_PARALLELISM", "8")), jobMetrics(components), components.metrics())
                .invoicing(com.clientele.invoices.InvoicesWiring.service(components)).grouping(groupInvoicing(components)));
    }

    static JobMetrics jobMetrics(Components components) {
        return new JobMetrics(components.metrics(), JobMetrics.RENEWALS);
    }

    /** {@code RENEWALS_BUDGET_MILLIS} and {@code RENEWALS_MAX_RECEIVES}, for the scheduled run, the route and the worker alike. */
    static StepRunner.Settings settings(Components components) {
        return StepRunner.Settings.from(components.env(), "RENEWALS", RenewalsHandler.DEFAULT_BUDGET_MILLIS,
                RenewalsHandler.RESERVE_MILLIS);
    }

    static StepRunner<RenewalRun> runner(Components components) {
        return new StepRunner<>(RenewalRun.class, renewals(components), queue(components), settings(components),
                jobMetrics(components));
    }
}
