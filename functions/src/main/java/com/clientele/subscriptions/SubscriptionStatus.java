package com.clientele.subscriptions;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a subscription is in its life: {@code trialing} (its first period not yet begun), {@code active},
 * {@code past_due} (a renewal failed; dunning retries it), {@code paused} (not billed until resumed),
 * {@code canceled} (stopped before its time) and {@code ended} (its contract ran out, or it was bought out).
 * The last two are final.
 */
public enum SubscriptionStatus {
    TRIALING("trialing"), ACTIVE("active"), PAST_DUE("past_due"), PAUSED("paused"), CANCELED("canceled"), ENDED("ended");

    private final String value;

    SubscriptionStatus(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    @JsonCreator
    public static SubscriptionStatus of(String value) {
        for (var status : values()) {
            if (status.value.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("no subscription status " + value);
    }

    /** Canceled or ended: nothing more happens to it. */
    public boolean isFinal() {
        return this == CANCELED || this == ENDED;
    }

    @Override
    public String toString() {
        return value;
    }
}
