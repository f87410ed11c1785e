package com.clientele.shared.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one occurrence measured: metric values, the dimension values they are counted under, and
 * properties that are not dimensions (written with the values, searchable in the logs, not a
 * CloudWatch metric: the tenant, say). Every metric is counted under the function's {@code Service}
 * dimension alone and, for each name in its {@code by}, under {@code Service} and that dimension
 * too; {@link #per} counts it only per value of one dimension (an amount per currency, which added
 * up across currencies means nothing).
 *
 * <p>Dimensions must stay of low cardinality (a decline code, a currency, a consumer, a job kind):
 * each distinct combination is a CloudWatch metric of its own. A tenant is a property, never a dimension.
 */
public final class MetricRecord {

    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds"), NONE("None");

        public final String cloudWatch;

        Unit(String cloudWatch) {
            this.cloudWatch = cloudWatch;
        }
    }

    /** A metric value and the dimension sets (beyond {@code Service}) it is counted under; an empty set is {@code Service} alone. */
    public record Metric(String name, long value, Unit unit, List<List<String>> dimensionSets) {
    }

    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();

    /** A record with {@code name} as a dimension of value {@code value}. */
    public static MetricRecord with(String name, String value) {
        return new MetricRecord().dimension(name, value);
    }

    /** A record without dimensions of its own (only {@code Service}). */
    public static MetricRecord of() {
        return new MetricRecord();
    }

    public MetricRecord dimension(String name, String value) {
        dimensions.put(name, value == null || value.isBlank() ? "none" : value);
        return this;
    }

    /** One occurrence of {@code name}: under {@code Service}, and under {@code Service} and each of {@code by}. */
    public MetricRecord count(String name, String... by) {
        return add(name, 1, Unit.COUNT, by);
    }

    /** {@code value} of {@code name}: under {@code Service}, and under {@code Service} and each of {@code by}. */
    public MetricRecord add(String name, long value, Unit unit, String... by) {
        var sets = new ArrayList<List<String>>();
        sets.add(List.of());
        for (String dimension : by) {
            sets.add(List.of(dimension));
        }
        return put(new Metric(name, value, unit, List.copyOf(sets)));
    }

    /** {@code value} of {@code name}, only per value of {@code dimension} (with {@code Service}). */
    public MetricRecord per(String dimension, String name, long value, Unit unit) {
        return put(new Metric(name, value, unit, List.of(List.of(dimension))));
    }

    /** A value written with the metrics that is not a dimension (a tenant id, a job id). */
    public MetricRecord property(String name, String value) {
        if (value != null) {
            properties.put(name, value);
        }
        return this;
    }

    private MetricRecord put(Metric metric) {
        for (var set : metric.dimensionSets()) {
            for (String dimension : set) {
                if (!dimensions.containsKey(dimension)) {
                    throw new IllegalArgumentException(metric.name() + " is counted by " + dimension + ", which has no value");
                }
            }
        }
        metrics.put(metric.name(), metric);
        return this;
    }

    public Map<String, String> dimensions() {
        return Collections.unmodifiableMap(dimensions);
    }

    public List<Metric> metrics() {
        return List.copyOf(metrics.values());
    }

    public Map<String, String> properties() {
        return Collections.unmodifiableMap(properties);
    }

    /** The value of metric {@code name}, if recorded (for tests). */
    public Long value(String name) {
        var metric = metrics.get(name);
        return metric == null ? null : metric.value();
    }

    @Override
    public String toString() {
        return "MetricRecord" + dimensions + metrics.values().stream().map(m -> m.name() + "=" + m.value()).toList() + properties;
    }
}
