package com.clientele.customers;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A customer as the API shows it and the table stores it. */
public record Customer(String id, String type, String firstName, String lastName, String email, String phone,
                       Company company, String paymentTerms, String billingGroupId, List<Address> addresses,
                       Map<String, String> metadata, String currency, CardSummary paymentMethod,
                       CustomerStats stats, Instant createdAt, Instant updatedAt, long version) {

    /** The same customer with new writable fields, one version later. */
    Customer edit(CustomerInput input, Instant at) {
        return new Customer(id, input.type(), input.firstName(), input.lastName(), input.email(), input.phone(),
                input.company(), input.paymentTerms(), input.billingGroupId(), input.addresses(), input.metadata(),
                currency, paymentMethod, stats, createdAt, at, version + 1);
    }

    public String etag() {
        return "\"" + version + "\"";
    }
}
