package com.clientele.shared.metrics;

/**
 * The port services and handlers record metrics through: one {@link MetricRecord} per thing that
 * happened (a charge settled, an event applied, a job finished). In a function it is
 * {@link EmfMetrics} (CloudWatch embedded metric format on standard output); in unit tests a list
 * ({@code List<MetricRecord>::add}) or {@link #NONE}.
 */
@FunctionalInterface
public interface Metrics {

    /** Records nothing. */
    Metrics NONE = record -> { };

    void record(MetricRecord record);
}
