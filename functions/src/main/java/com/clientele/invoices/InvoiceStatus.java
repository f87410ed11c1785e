package com.clientele.invoices;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where an invoice is: {@code draft} (editable, no number), {@code open} (finalised: numbered, due,
 * collecting), {@code paid} (nothing left due), {@code void} (canceled, nothing owed) or
 * {@code uncollectible} (written off, still payable).
 */
public enum InvoiceStatus {
    DRAFT("draft"), OPEN("open"), PAID("paid"), VOID("void"), UNCOLLECTIBLE("uncollectible");

    private final String value;

    InvoiceStatus(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    @JsonCreator
    public static InvoiceStatus of(String value) {
        return parse(value).orElseThrow(() -> new IllegalArgumentException("no invoice status " + value));
    }

    public static Optional<InvoiceStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }

    /** Whether payments and credit notes reduce what it asks: open, or written off but still payable. */
    boolean collecting() {
        return this == OPEN || this == UNCOLLECTIBLE;
    }
}
