package com.clientele.shared.events;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

/**
 * A subscription's reminder, on the same path as the payment events (outbox, then every event queue),
 * for the outbound webhooks to deliver: {@value #RENEWAL_UPCOMING} some days before a period is billed,
 * {@value #CONTRACT_ENDING} some days before the contract ends (the tenant's billing settings say how many).
 * The consumers of payment events pass them over ({@link Batches}).
 *
 * @param period          the period about to be billed ({@value #RENEWAL_UPCOMING}); null for {@value #CONTRACT_ENDING}
 * @param renewalAt       when that period is billed ({@value #RENEWAL_UPCOMING}); null for {@value #CONTRACT_ENDING}
 * @param amount          minor units: what that period bills, or (contract end) what a period bills now
 * @param contractEndDate the contract's end (UTC date), or null when it has no contract
 */
public record SubscriptionEvent(String id, String type, int schemaVersion, String tenantId, String customerId, String subscriptionId,
                                Instant occurredAt, Integer period, Instant renewalAt, long amount, String currency,
                                LocalDate contractEndDate) implements OutboxEvent {

    public static final int SCHEMA_VERSION = 1;
    public static final String RENEWAL_UPCOMING = "subscription.renewal_upcoming";
    public static final String CONTRACT_ENDING = "subscription.contract_ending";
    /** Every type of this kind of event (what a webhook endpoint may subscribe to). */
    public static final Set<String> TYPES = Set.of(RENEWAL_UPCOMING, CONTRACT_ENDING);

    /** Whether {@code type} is a subscription event's. */
    public static boolean isType(String type) {
        return type != null && TYPES.contains(type);
    }
}
