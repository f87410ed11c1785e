package com.clientele.shared.events;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A consumer's exactly-once write wrote nothing: the ledger entry was applied already
 * ({@link Refusal#DUPLICATE}, acknowledge the event) or the state it was computed from moved
 * underneath ({@link Refusal#CONFLICT}, read again and retry). Conflicts are counted (per JVM):
 * each is a write lost to contention, which benchmarks and tests of hot customers read.
 */
public final class Refused extends RuntimeException {

    public enum Refusal { DUPLICATE, CONFLICT }

    private static final AtomicLong CONFLICTS = new AtomicLong();

    public final Refusal why;

    public Refused(Refusal why) {
        super(null, null, false, false);
        this.why = why;
        if (why == Refusal.CONFLICT) {
            CONFLICTS.incrementAndGet();
        }
    }

    /** How many writes this JVM lost to contention so far. */
    public static long conflicts() {
        return CONFLICTS.get();
    }
}
