package com.clientele.orders;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where an order is: {@code pending} (placed, nothing paid), {@code paid}, {@code fulfilled} (shipped or
 * handed over), {@code canceled} (before it was paid) or {@code refunded} (canceled after it was paid:
 * its payment refunded in full).
 */
public enum OrderStatus {
    PENDING("pending"), PAID("paid"), FULFILLED("fulfilled"), CANCELED("canceled"), REFUNDED("refunded");

    private final String value;

    OrderStatus(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    @JsonCreator
    public static OrderStatus of(String value) {
        for (var status : values()) {
            if (status.value.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("no order status " + value);
    }
}
