package com.clientele.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Durations collected by a benchmark, in milliseconds, and their order statistics. */
final class Timings {

    private final List<Double> millis = new ArrayList<>();

    void add(double ms) {
        millis.add(ms);
    }

    void addNanos(long nanos) {
        add(nanos / 1_000_000.0);
    }

    int count() {
        return millis.size();
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

    double min() {
        return sorted().getFirst();
    }

    double max() {
        return sorted().getLast();
    }

    private List<Double> sorted() {
        if (millis.isEmpty()) {
            throw new IllegalStateException("no timings");
        }
        var sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return sorted;
    }
}
