package com.clientele.shared.jobs;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * What a daily job reads of its EventBridge event, taken as a plain map (no Joda-Time in the jar): its
 * {@code time}, the run's "now", and the {@code lookbackDays} an invocation by hand may add to read that
 * many days back, whatever ran before (a backfill).
 */
public final class ScheduledEvents {

    /** A bound on a number typed by hand: about ten years. */
    public static final int MAX_LOOKBACK_DAYS = 3_700;

    private ScheduledEvents() {
    }

    /** The event's {@code time}; null when it has none. */
    public static Instant time(Map<String, Object> event) {
        Object time = event == null ? null : event.get("time");
        if (time == null) {
            return null;
        }
        try {
            return Instant.parse(time.toString());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the event's time is not an ISO-8601 instant: " + time);
        }
    }

    /** The event's {@code lookbackDays}, 0 to {@value #MAX_LOOKBACK_DAYS}; null when it has none. */
    public static Integer lookbackDays(Map<String, Object> event) {
        Object days = event == null ? null : event.get("lookbackDays");
        if (days == null) {
            return null;
        }
        if (!(days instanceof Integer || days instanceof Long) || ((Number) days).longValue() < 0
                || ((Number) days).longValue() > MAX_LOOKBACK_DAYS) {
            throw new IllegalArgumentException("lookbackDays must be a whole number of days from 0 to " + MAX_LOOKBACK_DAYS
                    + ": " + days);
        }
        return ((Number) days).intValue();
    }
}
