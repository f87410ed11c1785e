package com.clientele.customers;

import com.clientele.shared.Money;
import java.time.Instant;

/**
 * A customer's aggregates, kept from payment events. {@code ltv} is net collected (succeeded
 * charges minus refunds and what disputes hold or took) in the customer's currency.
 * {@code disputeCount}: chargebacks of the customer's payments; {@code disputedAmount}: what they hold or
 * took (a won dispute's amount is back in {@code ltv} and out of this). Both read as zero from stats
 * written before disputes existed.
 */
public record CustomerStats(Money ltv, long orders, Money averageOrderValue, Instant firstPurchaseAt,
                            Instant lastPurchaseAt, Money lastOrderValue, Money refunded, long failedPayments,
                            Instant lastFailedAt, boolean returning, Long disputeCount, Money disputedAmount) {

    public CustomerStats {
        if (disputeCount == null) {
            disputeCount = 0L;
        }
        if (disputedAmount == null) {
            disputedAmount = Money.zero(ltv == null ? null : ltv.currency());
        }
    }

    /** Stats without disputes. */
    public CustomerStats(Money ltv, long orders, Money averageOrderValue, Instant firstPurchaseAt, Instant lastPurchaseAt,
                         Money lastOrderValue, Money refunded, long failedPayments, Instant lastFailedAt, boolean returning) {
        this(ltv, orders, averageOrderValue, firstPurchaseAt, lastPurchaseAt, lastOrderValue, refunded, failedPayments,
                lastFailedAt, returning, 0L, null);
    }

    public static CustomerStats zero(String currency) {
        return new CustomerStats(Money.zero(currency), 0, Money.zero(currency), null, null, null,
                Money.zero(currency), 0, null, false);
    }
}
