package com.clientele.customers;

import com.clientele.shared.Money;
import java.time.Instant;
import java.util.List;

/** A row of the customers page: what the list shows of each customer, with the segments it is in and its tier. */
public record CustomerRow(String id, CustomerType type, String name, String email, String phone, String companyName,
                          Money ltv, long orders, Instant lastPurchaseAt, Money lastOrderValue,
                          CardSummary paymentMethod, long pointsAvailable, int activeSubscriptions, int subscriptions,
                          Money activeMonthlyIncome, Balance balance, List<String> segments, CustomerTier tier, Instant createdAt) {

    static CustomerRow of(Customer c, List<String> segments) {
        var figures = c.subscriptions();
        return new CustomerRow(c.id(), c.type(), c.firstName() + " " + c.lastName(), c.email(), c.phone(),
                c.company() == null ? null : c.company().name(), c.stats().ltv(), c.stats().orders(),
                c.stats().lastPurchaseAt(), c.stats().lastOrderValue(), c.paymentMethod(), c.pointsAvailable(),
                figures.active(), figures.total(), figures.activeMonthlyIncome(), c.balance(), segments, c.tier(), c.createdAt());
    }
}
