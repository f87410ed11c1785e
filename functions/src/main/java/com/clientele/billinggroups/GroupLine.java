package com.clientele.billinggroups;

import com.clientele.shared.Money;
import java.time.Instant;

/**
 * A pending line of a billing group's period ({@code groupPeriod}, {@code yyyy-MM}): a member's
 * ({@code customerId}) subscription period billed to the group at {@code billedAt}, {@code amount} for
 * {@code periodStart} to {@code periodEnd}. Ids, amounts and dates only: the member is named on the
 * payer's invoice by its id, so no personal data of a member lands in the group's or the payer's items.
 */
public record GroupLine(String groupId, String groupPeriod, String customerId, String subscriptionId, int period, Instant periodStart,
                        Instant periodEnd, Money amount, Instant billedAt) {

    /** The line's description on the consolidated invoice: the member, the subscription, the period and its dates. */
    public String description() {
        return "Member " + customerId + ": subscription " + subscriptionId + ", period " + period + " (" + day(periodStart) + " to "
                + day(periodEnd) + ")";
    }

    private static String day(Instant at) {
        return at == null ? "?" : at.toString().substring(0, 10);
    }
}
