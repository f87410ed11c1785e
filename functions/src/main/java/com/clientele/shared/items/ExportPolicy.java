package com.clientele.shared.items;

import java.util.Objects;
import java.util.Set;

/**
 * Where an item goes in a customer's data export ({@code GET /customers/{id}/data-export}): a section
 * of the export, holding one object ({@code single}) or a list, with the item's attributes but its
 * keys, index keys, {@link #INTERNAL} attributes and its own {@code hidden} ones (secrets, hashes);
 * or nowhere ({@link #notExported}: not the customer's data, or shown another way).
 */
public record ExportPolicy(String section, boolean single, Set<String> hidden, String notExportedBecause) {

    /** Attributes no exported item shows. */
    public static final Set<String> INTERNAL = Set.of("PK", "SK", "ttl", "entity");

    public ExportPolicy {
        hidden = Set.copyOf(hidden);
        if ((section == null) == (notExportedBecause == null)) {
            throw new IllegalArgumentException("an export policy names a section or says why the item is not exported");
        }
    }

    /** A section that lists every item of the type. */
    public static ExportPolicy list(String section, String... hidden) {
        return new ExportPolicy(Objects.requireNonNull(section), false, Set.of(hidden), null);
    }

    /** A section that is the one item of the type. */
    public static ExportPolicy single(String section, String... hidden) {
        return new ExportPolicy(Objects.requireNonNull(section), true, Set.of(hidden), null);
    }

    public static ExportPolicy notExported(String because) {
        return new ExportPolicy(null, false, Set.of(), Objects.requireNonNull(because));
    }

    public boolean exported() {
        return section != null;
    }
}
