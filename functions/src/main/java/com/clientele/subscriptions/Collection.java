package com.clientele.subscriptions;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a subscription's periods are paid: the saved card charged automatically at each period's start,
 * or an invoice sent on the customer's payment terms (the renewal run makes and finalises each period's invoice).
 */
public enum Collection {
    CHARGE_AUTOMATICALLY("charge_automatically"), SEND_INVOICE("send_invoice");

    private final String value;

    Collection(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    @JsonCreator
    public static Collection of(String value) {
        for (var collection : values()) {
            if (collection.value.equals(value)) {
                return collection;
            }
        }
        throw new IllegalArgumentException("no collection " + value);
    }

    @Override
    public String toString() {
        return value;
    }
}
