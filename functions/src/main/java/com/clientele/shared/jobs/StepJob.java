package com.clientele.shared.jobs;

import java.util.Map;
import java.util.Optional;

/**
 * What a job declares to be run by {@link StepRunner}: how to work the step a message carries,
 * and how to record that the job failed. Everything else (the deadline, the receive count, the
 * backoff, sending the next step's message) is the runner's.
 *
 * @param <M> the job's message on its work queue
 */
public interface StepJob<M> {

    /**
     * Works the step {@code message} carries, within {@code budget} (noting there the items it handled). Returns the message that goes
     * on with the job, once this step is recorded (the runner sends it); empty when the job is over,
     * or another delivery of the message carries it on, or there is nothing to do.
     *
     * @param redelivered whether SQS delivered this message before (its first run may have died)
     */
    Optional<M> work(M message, boolean redelivered, Budget budget);

    /**
     * The last delivery of {@code message} failed ({@code reason}: "failed 5 times; the last error: …"): the
     * job is marked failed where it has a record. SQS then moves the message to the queue's DLQ.
     */
    default void giveUp(M message, String reason) {
    }

    /**
     * What the step's log line says of {@code message}: {@code job} (its kind), {@code job_id},
     * {@code tenant}, {@code step} and the like. Ids and positions only, never a personal value.
     */
    Map<String, Object> describe(M message);
}
