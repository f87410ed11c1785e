package com.clientele.customers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** An {@code individual} or a {@code business} (which has a company). Written in lower case, in the table and in the API alike. */
public enum CustomerType {
    INDIVIDUAL, BUSINESS;

    /** As stored and shown: {@code individual}, {@code business}. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static CustomerType of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return value();
    }
}
