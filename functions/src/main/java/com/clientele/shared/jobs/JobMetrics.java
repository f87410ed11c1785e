package com.clientele.shared.jobs;

import com.clientele.shared.metrics.MetricRecord;
import com.clientele.shared.metrics.Metrics;
import java.time.Duration;
import java.time.Instant;

/**
 * A step job's metrics, per {@code JobKind} ({@code ltv-recompute}, {@code points-reconcile},
 * {@code points-expiry}, {@code export}, {@code renewals}, {@code coupon-run}): {@code JobItems} per step worked (customers checked, lots expired, rows written:
 * their sum over a period is what the jobs did), and when a job ends {@code JobsSucceeded} with its
 * {@code JobDuration} (from its creation, or its scheduled time, to its end), or {@code JobsFailed}.
 * {@link StepRunner} counts a job given up after its last delivery as failed, and the message it
 * leaves to SQS's dead-letter queue as {@code MessagesDeadLettered}.
 */
public record JobMetrics(Metrics metrics, String kind) {

    public static final String RECOMPUTE = "ltv-recompute";
    public static final String POINTS_RECONCILE = "points-reconcile";
    public static final String EXPIRY = "points-expiry";
    public static final String EXPORT = "export";
    public static final String RENEWALS = "renewals";
    public static final String COUPON_RUN = "coupon-run";

    /** A step worked {@code items} (customers, lots, rows); {@code tenant} null for a job over every tenant. */
    public void step(String tenant, long items) {
        metrics.record(record(tenant).per("JobKind", "JobItems", items, MetricRecord.Unit.COUNT));
    }

    public void succeeded(String tenant, Instant startedAt, Instant endedAt) {
        metrics.record(record(tenant).per("JobKind", "JobsSucceeded", 1, MetricRecord.Unit.COUNT)
                .per("JobKind", "JobDuration", Math.max(0, Duration.between(startedAt, endedAt).toMillis()),
                        MetricRecord.Unit.MILLISECONDS));
    }

    public void failed(String tenant) {
        metrics.record(record(tenant).per("JobKind", "JobsFailed", 1, MetricRecord.Unit.COUNT));
    }

    /** The job was given up on its last delivery: failed, and its message left to the dead-letter queue. */
    void gaveUp() {
        metrics.record(record(null).per("JobKind", "JobsFailed", 1, MetricRecord.Unit.COUNT)
                .per("JobKind", "MessagesDeadLettered", 1, MetricRecord.Unit.COUNT));
    }

    private MetricRecord record(String tenant) {
        return MetricRecord.with("JobKind", kind).property("tenantId", tenant);
    }
}
