package com.clientele.catalogue;

import java.time.Instant;
import java.util.Map;

/**
 * One form of a product (a size, a colour, a model): a name, an optional SKU (unique in the tenant,
 * compared without regard to case) and free attributes. An archived variant takes no new sales.
 */
public record Variant(String id, String productId, String name, String sku, Map<String, String> attributes, boolean active,
                      Instant createdAt, Instant updatedAt, long version) {

    public Variant {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    static Variant create(String id, String productId, VariantInput valid, Instant now) {
        return new Variant(id, productId, valid.name(), valid.sku(), valid.attributes(), true, now, now, 1);
    }

    VariantInput input() {
        return new VariantInput(name, sku, attributes);
    }

    Variant edited(VariantInput valid, Instant now) {
        return new Variant(id, productId, valid.name(), valid.sku(), valid.attributes(), active, createdAt, now, version + 1);
    }

    Variant withActive(boolean nowActive, Instant now) {
        return new Variant(id, productId, name, sku, attributes, nowActive, createdAt, now, version + 1);
    }

    public String etag() {
        return "\"" + version + "\"";
    }

    /** The body of {@code POST /products/{id}/variants}, and what a merge patch of one is applied to. */
    public record VariantInput(String name, String sku, Map<String, String> attributes) {
    }
}
