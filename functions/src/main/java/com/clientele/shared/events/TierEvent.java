package com.clientele.shared.events;

import java.time.Instant;

/**
 * A customer's loyalty tier changed ({@value #TIER_CHANGED}): written to the outbox in the transaction
 * of the change, so it goes to every event queue once the relay sends it, like the payment events (the
 * consumers of payment events pass it over, {@link Batches}). {@code from} or {@code to} is null when
 * the customer had or has no tier; {@code reason} is {@code upgrade}, {@code downgrade}, {@code override}
 * or {@code override_removed}.
 */
public record TierEvent(String id, String type, int schemaVersion, String tenantId, String customerId, Instant occurredAt,
                        Tier from, Tier to, String reason) implements OutboxEvent {

    public static final int SCHEMA_VERSION = 1;
    public static final String TIER_CHANGED = "customer.tier_changed";

    /** A tier as the event names it. */
    public record Tier(String key, String name) {
    }
}
