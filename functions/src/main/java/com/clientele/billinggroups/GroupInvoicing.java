package com.clientele.billinggroups;

import com.clientele.customers.Customer;
import com.clientele.shared.Money;
import com.clientele.shared.jobs.Budget;
import com.clientele.shared.logs.Log;
import com.clientele.shared.metrics.MetricRecord;
import com.clientele.shared.metrics.Metrics;
import com.clientele.subscriptions.GroupBilling;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Consolidated invoicing of billing groups. A group's period is a calendar month (UTC). When the
 * renewal run bills a period of a subscription whose customer is a member at that moment
 * ({@link #pending}), the period becomes a pending line of the group's current period instead of a
 * charge or an invoice of the member's own; so a change of membership counts from the member's next
 * billed period. A period that has closed already (its invoice being made) takes no more lines: a
 * line billed then goes to the next month's.
 *
 * <p>{@link #close} makes the invoices of the periods that have ended: it reads only the periods not
 * invoiced yet of earlier months (the due index), and for each closes it to new lines, reads its lines
 * and makes one invoice for the payer ({@link ConsolidatedInvoice.Invoicing}: once per group period,
 * whatever the redelivery, overlap or crash), then takes the period out of the index. A period that
 * cannot be invoiced (its payer deleted, erased or merged away, the group gone) keeps its lines and stays
 * in the index for the next run; it is logged and counted ({@code BillingGroupInvoicesFailed}), and the
 * run goes on with the other groups.
 */
public final class GroupInvoicing implements GroupBilling {

    private static final int PAGE = 100;
    /** Months a line moves forward at most when the periods before are closed (a run billing across a month's end). */
    private static final int MONTHS_AHEAD = 2;

    private final BillingGroupRepository groups;
    private final GroupPeriodRepository periods;
    private final ConsolidatedInvoice.Invoicing invoices;
    private final Clock clock;
    private final Metrics metrics;

    public GroupInvoicing(BillingGroupRepository groups, GroupPeriodRepository periods, ConsolidatedInvoice.Invoicing invoices, Clock clock,
                          Metrics metrics) {
        this.groups = groups;
        this.periods = periods;
        this.invoices = invoices;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** What a run did: group periods invoiced, closed without a line, failed (left for the next run). */
    public record Result(long invoiced, long empty, long failed) {

        public Map<String, Object> asMap() {
            var map = new LinkedHashMap<String, Object>();
            map.put("invoiced", invoiced);
            map.put("empty", empty);
            map.put("failed", failed);
            return map;
        }
    }

    /** The calendar month (UTC) {@code at} falls in: a group's period. */
    static String month(Instant at) {
        return YearMonth.from(at.atZone(ZoneOffset.UTC)).toString();
    }

    @Override
    public Optional<Pending> pending(String tenant, Customer customer, String subscriptionId, int period, Instant start, Instant end,
                                     Money amount, Instant now) {
        if (customer.billingGroupId() == null) {
            return Optional.empty();
        }
        var group = groups.find(tenant, customer.billingGroupId());
        if (group.isEmpty() || !group.get().currency().equals(amount.currency())) {
            // a group cannot take a period in another currency (joining checks the customer's, fixed by its first charge)
            Log.warn("a member's period is billed on its own: its group is gone or invoices in another currency", Map.of("tenant", tenant,
                    "billing_group_id", customer.billingGroupId(), "subscription_id", subscriptionId, "currency", amount.currency()));
            return Optional.empty();
        }
        String month = month(now);
        for (int ahead = 0; !periods.open(tenant, group.get().id(), month, now); ahead++) {
            if (ahead == MONTHS_AHEAD) {
                throw new IllegalStateException("billing group " + group.get().id() + " has no open period from " + month(now));
            }
            month = YearMonth.parse(month).plusMonths(1).toString();
        }
        var line = new GroupLine(group.get().id(), month, customer.id(), subscriptionId, period, start, end, amount, now);
        return Optional.of(new Pending(group.get().id(), month, periods.lineWrites(tenant, line)));
    }

    /**
     * The invoices of the group periods that ended before {@code at} (now when null or later), of
     * {@code tenant} only when it is set, while {@code budget} lasts; what is left stays for the next run.
     */
    public Result close(Instant at, String tenant, Budget budget) {
        Instant now = clock.instant();
        Instant through = at == null || at.isAfter(now) ? now : at;
        String month = month(through);
        long invoiced = 0;
        long empty = 0;
        long failed = 0;
        Map<String, AttributeValue> start = null;
        do {
            var page = periods.due(month, start, PAGE);
            for (var due : page.due()) {
                if (tenant != null && !tenant.equals(due.tenant())) {
                    continue;
                }
                if (!budget.another()) {
                    return new Result(invoiced, empty, failed);
                }
                try {
                    if (close(due, now)) {
                        invoiced++;
                    } else {
                        empty++;
                    }
                    budget.worked(1);
                } catch (RuntimeException e) {
                    failed++;
                    Log.warn("a billing group's period could not be invoiced: its lines stay for the next run", Map.of("tenant", due.tenant(),
                            "billing_group_id", due.groupId(), "group_period", due.groupPeriod(), "error_type", e.getClass().getName(),
                            "error", String.valueOf(e.getMessage())));
                    metrics.record(MetricRecord.of().count("BillingGroupInvoicesFailed"));
                }
            }
            start = page.next();
        } while (start != null);
        return new Result(invoiced, empty, failed);
    }

    /** One group period: closed, its lines read, invoiced to the payer (once), out of the index. Whether it had lines. */
    private boolean close(GroupPeriodRepository.Due due, Instant now) {
        var group = groups.find(due.tenant(), due.groupId())
                .orElseThrow(() -> new IllegalStateException("billing group " + due.groupId() + " is gone"));
        periods.close(due.tenant(), due.groupId(), due.groupPeriod(), now);
        var lines = periods.lines(due.tenant(), due.groupId(), due.groupPeriod());
        if (lines.isEmpty()) {
            periods.invoiced(due.tenant(), due.groupId(), due.groupPeriod(), null);
            return false;
        }
        String invoiceId = invoices.invoiceGroupPeriod(due.tenant(), ConsolidatedInvoice.of(group, due.groupPeriod(), lines));
        periods.invoiced(due.tenant(), due.groupId(), due.groupPeriod(), invoiceId);
        metrics.record(MetricRecord.of().count("BillingGroupInvoicesMade"));
        return true;
    }
}
