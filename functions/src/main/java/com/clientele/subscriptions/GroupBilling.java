package com.clientele.subscriptions;

import com.clientele.customers.Customer;
import com.clientele.shared.Money;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Where the renewal run sends a period of a subscription whose customer belongs to a billing group when
 * the period is billed: not to the member's card or invoice, but to a pending line of the group's current
 * period, invoiced to the group's payer when that period closes. The line's writes commit with the
 * subscription's advance to that period (or not at all), so a period is a line once however often it is
 * billed again after a crash.
 */
public interface GroupBilling {

    /** The line of a member's period: its group, and the writes that record it (to commit with the subscription's advance). */
    record Pending(String groupId, String groupPeriod, List<TransactWriteItem> writes) {
    }

    /**
     * The pending line of {@code subscriptionId}'s {@code period} ({@code start} to {@code end}, billing
     * {@code amount}) for {@code customer}'s billing group, billed at {@code now}; empty when the customer
     * is in no group (or in one that cannot take it: another currency), so the period is billed on its own.
     */
    Optional<Pending> pending(String tenant, Customer customer, String subscriptionId, int period, Instant start, Instant end,
                              Money amount, Instant now);

    /** No billing groups: every period billed on its own. */
    GroupBilling NONE = (tenant, customer, subscriptionId, period, start, end, amount, now) -> Optional.empty();
}
