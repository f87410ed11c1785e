package com.clientele.customers;

import com.clientele.shared.Money;
import java.time.Instant;

/**
 * A customer's aggregates, kept from payment events. {@code ltv} is net collected (succeeded
 * charges minus refunds) in the customer's currency.
 */
public record CustomerStats(Money ltv, long orders, Money averageOrderValue, Instant firstPurchaseAt,
                            Instant lastPurchaseAt, Money lastOrderValue, Money refunded, long failedPayments,
                            Instant lastFailedAt, boolean returning) {

    public static CustomerStats zero(String currency) {
        return new CustomerStats(Money.zero(currency), 0, Money.zero(currency), null, null, null,
                Money.zero(currency), 0, null, false);
    }
}
