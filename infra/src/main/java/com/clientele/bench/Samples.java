package com.clientele.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Values a benchmark collected (durations in milliseconds, or ratios) and their order statistics. */
final class Samples {

    private final List<Double> values = new ArrayList<>();

    void add(double value) {
        values.add(value);
    }

    /** Adds a duration measured in nanoseconds, as milliseconds. */
    void addNanos(long nanos) {
        add(nanos / 1_000_000.0);
    }

    /** The mean (of durations: what a throughput is the inverse of). */
    double mean() {
        return sorted().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** Middle value; the mean of the two middle values when the count is even. */
    double median() {
        var sorted = sorted();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Nearest-rank percentile: the smallest value with at least {@code p}% of the values at or below it. */
    double percentile(double p) {
        var sorted = sorted();
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private List<Double> sorted() {
        if (values.isEmpty()) {
            throw new IllegalStateException("no samples");
        }
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted;
    }
}
