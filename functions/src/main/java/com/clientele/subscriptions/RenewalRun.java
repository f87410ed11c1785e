package com.clientele.subscriptions;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A renewal run, or where one stopped: it bills the subscriptions due by {@code through} (the run's
 * time), reading the due index day by day from {@code day} up to the UTC day of {@code through}, each
 * day's shards in order from {@code shard}, and in that shard after {@code after} (an index position;
 * null: from its start). {@code tenant}: only that tenant's subscriptions (a run asked for by one
 * tenant's admin), null for every tenant's (the schedule's). {@code left}: due subscriptions the run has
 * left so far for the next one (then it does not record its time as done). {@code reminding}: in the shard's
 * reminders (the reminder index, read after the shard's renewals), {@code after} a position in it (absent: false,
 * as in a message written before reminders). The body of a continuation
 * message on {@code RenewalsQueue}. What a run billed has left the index or moved on in it, so a
 * continuation reading from here never bills a period twice (and each period's claim makes sure of it).
 */
public record RenewalRun(Instant through, String tenant, String day, int shard, Map<String, String> after, long left, Boolean reminding) {

    public RenewalRun {
        if (through == null || day == null || shard < 0 || shard >= SubscriptionItems.DUE_SHARDS || left < 0) {
            throw new IllegalArgumentException("a renewal run needs through, day, a shard from 0 to "
                    + (SubscriptionItems.DUE_SHARDS - 1) + " and left >= 0");
        }
        LocalDate.parse(day);
        after = after == null ? null : Map.copyOf(after);
        reminding = Boolean.TRUE.equals(reminding);
    }

    /** A new run: the subscriptions due by {@code through}, from the start of {@code from}. */
    static RenewalRun start(Instant through, String tenant, LocalDate from) {
        return new RenewalRun(through, tenant, from.toString(), 0, null, 0, false);
    }

    /** The UTC day of {@code at}. */
    static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    LocalDate lastDay() {
        return day(through);
    }
}
