package com.clientele.shared.jobs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a step job (a recompute job, an export) stands: {@code queued}, {@code running}, then
 * {@code succeeded} or {@code failed}; an export that succeeded becomes {@code purged} when its file
 * is deleted. Written in lower case, in the table and in the API alike.
 */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED,
    /** An export's only: succeeded, then its file deleted (a customer in it had their personal data erased). */
    PURGED;

    /** As stored and shown: {@code queued}, {@code running}, {@code succeeded}, {@code failed}. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static JobStatus of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Succeeded or failed: no step works on it any more, and its slot is free. */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED;
    }

    @Override
    public String toString() {
        return value();
    }
}
