package com.clientele.customers;

import java.util.List;
import java.util.Map;

/**
 * The writable fields of a customer, as sent to POST and (after merge patching) PATCH.
 * {@code referredBy} is another customer's referral code (see {@link Referrals}); {@code communicationPreferences}
 * null keeps what the customer had (none for a new one).
 */
public record CustomerInput(String type, String firstName, String lastName, String email, String phone,
                            Company company, String paymentTerms, String billingGroupId, List<Address> addresses,
                            Map<String, String> metadata, String referredBy,
                            CommunicationPreferences communicationPreferences) {

    static CustomerInput of(Customer customer) {
        return new CustomerInput(customer.type().value(), customer.firstName(), customer.lastName(), customer.email(),
                customer.phone(), customer.company(), customer.paymentTerms(), customer.billingGroupId(),
                customer.addresses(), customer.metadata(), customer.referredBy(), customer.communicationPreferences());
    }
}
