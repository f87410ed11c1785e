package com.clientele.shared.jobs;

/**
 * A message that names the step of its job it works: the job's record says which step may work on
 * it now, so a redelivered or stale message is recognised ({@link StepRecord}).
 */
public interface StepMessage<M extends StepMessage<M>> {

    long step();

    /** The message of the step after this one. */
    M next();
}
