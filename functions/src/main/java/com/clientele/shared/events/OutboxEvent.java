package com.clientele.shared.events;

import java.time.Instant;

/**
 * An event the {@link Outbox} carries to the event queues: a {@link PaymentEvent}, or a
 * {@link SubscriptionEvent} for those who follow subscriptions (the outbound webhooks). Its body is its JSON.
 */
public interface OutboxEvent {

    /** Its {@code evt_} id: consumers dedupe by it. */
    String id();

    /** Its dotted type ({@code payment.succeeded}, {@code subscription.renewal_upcoming}, …). */
    String type();

    /** When what it reports happened. */
    Instant occurredAt();
}
