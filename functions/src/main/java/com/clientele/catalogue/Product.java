package com.clientele.catalogue;

import java.time.Instant;
import java.util.Map;

/**
 * What a tenant sells: a name, a description and metadata, with its variants and prices beside it
 * ({@code variantCount}, {@code priceCount}: how many it has; a product that ever had a price is
 * archived, not deleted). An archived product ({@code active} false) takes no new sales; what was sold
 * of it goes on.
 */
public record Product(String id, String name, String description, Map<String, String> metadata, boolean active,
                      int variantCount, int priceCount, Instant createdAt, Instant updatedAt, long version) {

    public Product {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    static Product create(String id, ProductInput valid, Instant now) {
        return new Product(id, valid.name(), valid.description(), valid.metadata(), true, 0, 0, now, now, 1);
    }

    /** The writable fields as a client sends them. */
    ProductInput input() {
        return new ProductInput(name, description, metadata);
    }

    Product edited(ProductInput valid, Instant now) {
        return new Product(id, valid.name(), valid.description(), valid.metadata(), active, variantCount, priceCount, createdAt, now,
                version + 1);
    }

    Product withActive(boolean nowActive, Instant now) {
        return new Product(id, name, description, metadata, nowActive, variantCount, priceCount, createdAt, now, version + 1);
    }

    Product withVariantAdded(Instant now) {
        return new Product(id, name, description, metadata, active, variantCount + 1, priceCount, createdAt, now, version + 1);
    }

    Product withPriceAdded(Instant now) {
        return new Product(id, name, description, metadata, active, variantCount, priceCount + 1, createdAt, now, version + 1);
    }

    public String etag() {
        return "\"" + version + "\"";
    }

    /** The body of {@code POST /products}, and what a merge patch of one is applied to. */
    public record ProductInput(String name, String description, Map<String, String> metadata) {
    }
}
