package com.clientele.shared.jobs;

import java.util.Optional;

/**
 * The protocol of a job whose record says which step may work on it (the recompute, the export).
 * A message works its job only if the record is at the message's step and unfinished; the step's
 * work ends by recording the step, conditional on the record still being at that step, which hands
 * the job to the next step; then the next step's message is sent. So a message delivered twice
 * works its step at most once to the end: the other delivery finds the step taken.
 *
 * <p>A redelivered message (its first run died) that finds the job one step on re-sends the next
 * step's message, in case the run died between the record and the send. A second copy of that
 * message is harmless: only one of them can record the step.
 */
public final class StepRecord {

    private StepRecord() {
    }

    /** A job's record as the protocol reads it. */
    public interface Stored {
        /** The step whose message may work on the job now. */
        long step();

        /** Succeeded or failed: no message works on it any more. */
        boolean finished();
    }

    /** A step's own work on the job's record. */
    @FunctionalInterface
    public interface Work<M, S> {
        /** Works the step and records it; true if it handed the job to the next step, false if it is over or another delivery recorded first. */
        boolean step(M message, S stored);
    }

    /** Works {@code message}'s step on {@code stored} (empty: no such job); returns the message that goes on, if any. */
    public static <M extends StepMessage<M>, S extends Stored> Optional<M> work(M message, boolean redelivered,
                                                                                 Optional<S> stored, Work<M, S> work) {
        var record = stored.orElse(null);
        if (record == null || record.finished()) {
            return Optional.empty();
        }
        if (record.step() != message.step()) {
            return redelivered && record.step() == message.step() + 1 ? Optional.of(message.next()) : Optional.empty();
        }
        return work.step(message, record) ? Optional.of(message.next()) : Optional.empty();
    }
}
