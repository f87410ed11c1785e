package com.clientele.messages;

import com.clientele.shared.metrics.MetricRecord;
import com.clientele.shared.metrics.Metrics;

/**
 * What became of messages, counted by {@code Channel} and {@code Template} (a handful of values each):
 * {@code MessagesQueued}, {@code MessagesSkipped} (opted out, no address), {@code MessagesSent},
 * {@code MessagesRetried} (a provider failure with tries left), {@code MessagesFailed} and {@code MessagesBounced}
 * (SES reported a bounce). The tenant is a
 * property, not a dimension.
 */
record MessageMetrics(Metrics metrics) {

    void queued(String tenant, Communication c) {
        count("MessagesQueued", tenant, c);
    }

    void skipped(String tenant, Communication c) {
        count("MessagesSkipped", tenant, c);
    }

    void sent(String tenant, Communication c) {
        count("MessagesSent", tenant, c);
    }

    void retried(String tenant, Communication c) {
        count("MessagesRetried", tenant, c);
    }

    void failed(String tenant, Communication c) {
        count("MessagesFailed", tenant, c);
    }

    void bounced(String tenant, Communication c) {
        count("MessagesBounced", tenant, c);
    }

    private void count(String name, String tenant, Communication c) {
        metrics.record(MetricRecord.with("Channel", c.channel()).dimension("Template", c.template().value())
                .count(name, "Channel", "Template").property("tenantId", tenant));
    }
}
