package com.clientele.loyalty;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A run of the points expiry, or where one stopped: it expires the lots due by {@code through}
 * (the run's scheduled time), reading the due-lots index day by day from {@code day} up to the UTC
 * day of {@code through}, each day's shards in order from {@code shard}, and in that shard after
 * {@code after} (an index position; null: from its start). {@code skipped}: due lots the run has
 * left so far for the next one (then it does not record its time as done). The body of a
 * continuation message on {@code PointsExpiryQueue}. Lots expired before the stop have left the
 * index, so a continuation reading from here can never expire one twice.
 */
public record ExpiryRun(Instant through, String day, int shard, Map<String, String> after, long skipped) {

    public ExpiryRun {
        if (through == null || day == null || shard < 0 || shard >= LoyaltyItems.LOT_EXPIRY_SHARDS || skipped < 0) {
            throw new IllegalArgumentException("an expiry run needs through, day, a shard from 0 to "
                    + (LoyaltyItems.LOT_EXPIRY_SHARDS - 1) + " and skipped >= 0");
        }
        LocalDate.parse(day);
        after = after == null ? null : Map.copyOf(after);
    }

    /** A new run: lots due by {@code through}, from the start of {@code from}. */
    static ExpiryRun start(Instant through, LocalDate from) {
        return new ExpiryRun(through, from.toString(), 0, null, 0);
    }

    /** The UTC day of {@code at}. */
    static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    LocalDate lastDay() {
        return day(through);
    }
}
