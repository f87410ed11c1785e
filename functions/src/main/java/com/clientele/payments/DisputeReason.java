package com.clientele.payments;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** Why the cardholder's bank disputes a payment (the processor's reason codes, Stripe's names); {@code general} for any other. */
public enum DisputeReason {
    FRAUDULENT, PRODUCT_NOT_RECEIVED, PRODUCT_UNACCEPTABLE, DUPLICATE, SUBSCRIPTION_CANCELED, CREDIT_NOT_PROCESSED, UNRECOGNIZED,
    GENERAL;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason a processor's code stands for; {@code general} for one this version does not know. */
    public static DisputeReason of(String code) {
        return Arrays.stream(values()).filter(r -> r.json().equals(code)).findFirst().orElse(GENERAL);
    }
}
