package com.clientele.webhooks;

import com.clientele.shared.metrics.MetricRecord;
import com.clientele.shared.metrics.Metrics;

/**
 * {@code WebhookDeliveries} per {@code Outcome} of each attempt: {@code delivered} (a 2xx), {@code retrying}
 * (failed, to be tried again), {@code failed} (failed for good: 3 days over, or the endpoint disabled); with
 * the attempt's latency ({@code WebhookLatency}). The tenant and event type are properties, not dimensions.
 */
record WebhookMetrics(Metrics metrics) {

    void attempt(String outcome, String tenant, String eventType, long latencyMs) {
        metrics.record(MetricRecord.with("Outcome", outcome).count("WebhookDeliveries", "Outcome")
                .add("WebhookLatency", latencyMs, MetricRecord.Unit.MILLISECONDS, "Outcome")
                .property("tenantId", tenant).property("eventType", eventType));
    }
}
