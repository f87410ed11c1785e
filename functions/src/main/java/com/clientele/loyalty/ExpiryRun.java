package com.clientele.loyalty;

import com.clientele.shared.Keys;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A run of the points expiry, or where one stopped: it expires the lots due by {@code through}
 * (the run's scheduled time), reading the due-lots index day by day from {@code day} up to the UTC
 * day of {@code through}, each day's shards in order from {@code shard}, and in that shard after
 * {@code after} (an index position; null: from its start). The body of a continuation message on
 * {@code PointsExpiryQueue}. Lots expired before the stop have left the index, so a continuation
 * reading from here can never expire one twice.
 */
public record ExpiryRun(Instant through, String day, int shard, Map<String, String> after) {

    public ExpiryRun {
        if (through == null || day == null || shard < 0 || shard >= Keys.LOT_EXPIRY_SHARDS) {
            throw new IllegalArgumentException("an expiry run needs through, day and a shard from 0 to "
                    + (Keys.LOT_EXPIRY_SHARDS - 1));
        }
        LocalDate.parse(day);
        after = after == null ? null : Map.copyOf(after);
    }

    /** A new run: lots due by {@code through}, from {@code lookbackDays} days before its day. */
    static ExpiryRun start(Instant through, int lookbackDays) {
        return new ExpiryRun(through, lastDay(through).minusDays(lookbackDays).toString(), 0, null);
    }

    LocalDate lastDay() {
        return lastDay(through);
    }

    private static LocalDate lastDay(Instant through) {
        return LocalDate.ofInstant(through, ZoneOffset.UTC);
    }
}
