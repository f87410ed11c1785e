package com.clientele.payments;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What became of a refund: {@code pending} while the processor works on it, then {@code succeeded} or {@code failed}. */
public enum RefundStatus {
    PENDING, SUCCEEDED, FAILED;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
