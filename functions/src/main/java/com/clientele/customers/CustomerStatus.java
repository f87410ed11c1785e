package com.clientele.customers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a customer's profile stands: {@code active} (live), {@code deleted} (soft deleted) or
 * {@code merged} (into another customer). Written in lower case, in the profile item and in a data export.
 */
public enum CustomerStatus {
    ACTIVE, DELETED, MERGED;

    /** As stored and shown: {@code active}, {@code deleted}, {@code merged}. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static CustomerStatus of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return value();
    }
}
