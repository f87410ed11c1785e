package com.clientele.payments;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** How a payment made outside the processor was paid, written in lowercase as in the API. */
public enum OfflineMethod {
    BANK_TRANSFER, CASH, CHEQUE, OTHER;

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    public static OfflineMethod of(String value) {
        return parse(value).orElseThrow(() -> new IllegalArgumentException("unknown offline payment method " + value));
    }

    public static Optional<OfflineMethod> parse(String value) {
        return Arrays.stream(values()).filter(m -> m.json().equals(value)).findFirst();
    }

    /** The methods as the API names them, for messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(OfflineMethod::json).toList());
    }
}
