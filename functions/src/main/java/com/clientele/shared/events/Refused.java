package com.clientele.shared.events;

/**
 * A consumer's exactly-once write wrote nothing: the ledger entry was applied already
 * ({@link Refusal#DUPLICATE}, acknowledge the event) or the state it was computed from moved
 * underneath ({@link Refusal#CONFLICT}, read again and retry).
 */
public final class Refused extends RuntimeException {

    public enum Refusal { DUPLICATE, CONFLICT }

    public final Refusal why;

    public Refused(Refusal why) {
        super(null, null, false, false);
        this.why = why;
    }
}
