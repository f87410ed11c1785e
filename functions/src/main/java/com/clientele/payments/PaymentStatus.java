package com.clientele.payments;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What became of a payment: {@code pending} (sent to the processor, outcome not yet known),
 * {@code succeeded}, {@code failed}, then {@code partially_refunded} / {@code refunded} as refunds
 * succeed. Written (and read) in JSON and in the table as those lowercase names.
 */
public enum PaymentStatus {
    PENDING, SUCCEEDED, FAILED, PARTIALLY_REFUNDED, REFUNDED;

    /** The statuses whose money was captured: what a refund, LTV and a merge count. */
    public boolean captured() {
        return this == SUCCEEDED || this == PARTIALLY_REFUNDED || this == REFUNDED;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status a JSON name stands for, if any. */
    public static Optional<PaymentStatus> parse(String json) {
        return Arrays.stream(values()).filter(s -> s.json().equals(json)).findFirst();
    }
}
