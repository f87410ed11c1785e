package com.clientele.shared.items;

import java.util.Objects;

/**
 * The sort keys of one item type inside a customer's partition: one exact key ({@code PROFILE}) or
 * every key that begins with a prefix ({@code PM#}).
 */
public record SortKey(String value, boolean isPrefix) {

    public SortKey {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a sort key shape may not be empty: it would hold the whole partition");
        }
    }

    public static SortKey exact(String key) {
        return new SortKey(key, false);
    }

    public static SortKey prefix(String prefix) {
        return new SortKey(prefix, true);
    }

    public boolean matches(String sortKey) {
        return isPrefix ? sortKey.startsWith(value) : sortKey.equals(value);
    }

    /** Whether some sort key would match both shapes. */
    public boolean overlaps(SortKey other) {
        if (isPrefix && other.isPrefix) {
            return value.startsWith(other.value) || other.value.startsWith(value);
        }
        return isPrefix ? matches(other.value) : other.matches(value);
    }

    @Override
    public String toString() {
        return isPrefix ? value + "…" : value;
    }
}
