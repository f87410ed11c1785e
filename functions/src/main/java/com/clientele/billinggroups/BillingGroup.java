package com.clientele.billinggroups;

import com.clientele.shared.Actor;
import java.time.Instant;

/**
 * A billing group (seed 002's consolidated invoicing): business customers, its {@code members}, whose
 * subscriptions are invoiced together to the {@code payerId} customer, in {@code currency}, under
 * {@code paymentTerms} ({@code NET_7}, {@code NET_14}, {@code NET_30}). The members are the customers whose
 * {@code billingGroupId} names the group: a customer belongs to one group at most, by construction. The
 * currency never changes (a member's charges are in it); the name, the payer and the terms may.
 */
public record BillingGroup(String id, String name, String payerId, String currency, String paymentTerms,
                           Instant createdAt, Instant updatedAt, Actor updatedBy, long version) {

    /** The group's ETag: its version. */
    public String etag() {
        return "\"" + version + "\"";
    }

    BillingGroup edited(String name, String payerId, String paymentTerms, Instant at, Actor by) {
        return new BillingGroup(id, name, payerId, currency, paymentTerms, createdAt, at, by, version + 1);
    }
}
