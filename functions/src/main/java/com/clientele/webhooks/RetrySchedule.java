package com.clientele.webhooks;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: exponential backoff with jitter, for {@code window} (3 days) from
 * its first attempt. The n-th wait is {@code first x 3^(n-1)} capped at {@code cap} (1 min, 3, 9, 27, 81 min,
 * 4 h, then every 12 h: about 12 attempts in 3 days), of which a random half is taken off ("equal jitter"),
 * so that the retries of an endpoint that was down for everyone do not all come back at once.
 *
 * <p>SQS delays a message by at most 15 minutes ({@code maxQueueDelay}): a wait up to that goes back on the
 * delivery queue with that delay; a longer one waits in the table's due shards, which a sweep reads every
 * minute (and which back every short wait too, should its message be lost).
 */
record RetrySchedule(Duration first, Duration cap, Duration window, Duration maxQueueDelay, DoubleSupplier random) {

    static RetrySchedule standard(Duration maxQueueDelay) {
        return new RetrySchedule(Duration.ofMinutes(1), Duration.ofHours(12), Duration.ofDays(3), maxQueueDelay, Math::random);
    }

    /** The wait after {@code attempts} failed attempts. */
    Duration waitAfter(int attempts) {
        long base = first.toMillis();
        for (int i = 1; i < attempts && base < cap.toMillis(); i++) {
            base *= 3;
        }
        base = Math.min(base, cap.toMillis());
        return Duration.ofMillis(base / 2 + (long) (random.getAsDouble() * (base / 2)));
    }

    /** Whether a wait goes back on the queue (true) or to the due shards. */
    boolean onQueue(Duration wait) {
        return wait.compareTo(maxQueueDelay) <= 0 && !maxQueueDelay.isZero();
    }
}
