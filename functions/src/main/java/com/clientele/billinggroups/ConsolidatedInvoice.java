package com.clientele.billinggroups;

import java.util.Comparator;
import java.util.List;

/**
 * What a billing group's closed period asks of its payer: the group's invoice for {@code groupPeriod}
 * ({@code yyyy-MM}), to {@code payerId}, in the group's {@code currency}, due on the group's
 * {@code paymentTerms}, a line per member subscription period ({@code lines}, by member, then
 * subscription and period).
 */
public record ConsolidatedInvoice(String groupId, String groupPeriod, String payerId, String currency, String paymentTerms,
                                  List<GroupLine> lines) {

    public ConsolidatedInvoice {
        lines = lines.stream().sorted(Comparator.comparing(GroupLine::customerId).thenComparing(GroupLine::subscriptionId)
                .thenComparingInt(GroupLine::period)).toList();
    }

    static ConsolidatedInvoice of(BillingGroup group, String groupPeriod, List<GroupLine> lines) {
        return new ConsolidatedInvoice(group.id(), groupPeriod, group.payerId(), group.currency(), group.paymentTerms(), lines);
    }

    /** Where a group's closed period is invoiced: made and finalised once per group period, however often asked. */
    public interface Invoicing {

        /** The finalised invoice of the group's period: its id. */
        String invoiceGroupPeriod(String tenant, ConsolidatedInvoice invoice);
    }
}
