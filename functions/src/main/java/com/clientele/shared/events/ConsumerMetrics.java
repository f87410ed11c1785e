package com.clientele.shared.events;

import com.clientele.shared.metrics.MetricRecord;
import com.clientele.shared.metrics.Metrics;

/**
 * What became of the payment events a consumer was handed, counted per {@code Consumer}
 * ({@code ltv}, {@code points}): {@code EventsApplied}, and {@code DuplicatesSkipped} for an event
 * whose ledger entry was applied already (SQS's at-least-once delivery, the outbox relay sending
 * again). The tenant and the event's type are properties.
 */
public record ConsumerMetrics(Metrics metrics, String consumer) {

    public void applied(PaymentEvent event) {
        metrics.record(record(event).count("EventsApplied", "Consumer"));
    }

    public void duplicate(PaymentEvent event) {
        metrics.record(record(event).count("DuplicatesSkipped", "Consumer"));
    }

    private MetricRecord record(PaymentEvent event) {
        return MetricRecord.with("Consumer", consumer).property("tenantId", event.tenantId()).property("eventType", event.type());
    }
}
