package com.clientele.customers;

import com.clientele.shared.Money;
import java.time.Instant;

/** A row of the customers page: what the list shows of each customer. */
public record CustomerRow(String id, String type, String name, String email, String phone, String companyName,
                          Money ltv, long orders, Instant lastPurchaseAt, Money lastOrderValue,
                          CardSummary paymentMethod, Instant createdAt) {

    static CustomerRow of(Customer c) {
        return new CustomerRow(c.id(), c.type(), c.firstName() + " " + c.lastName(), c.email(), c.phone(),
                c.company() == null ? null : c.company().name(), c.stats().ltv(), c.stats().orders(),
                c.stats().lastPurchaseAt(), c.stats().lastOrderValue(), c.paymentMethod(), c.createdAt());
    }
}
