package com.clientele.catalogue;

import com.clientele.shared.Keys;
import java.util.Locale;

/**
 * The keys of the catalogue's items. They are tenant items, not a customer's: they live in the
 * tenant's catalogue partition ({@link #partition}), outside every customer's partition, and hold no
 * personal data, so they are not item types of the customer-partition registry
 * ({@code CustomerPartition.TYPES}): merging, exporting, erasing or deleting a customer never reaches
 * them, and what a customer bought refers to them by id.
 *
 * <ul>
 *   <li>product: {@code PRODUCT#<prod>}</li>
 *   <li>variant: {@code VARIANT#<prod>#<var>} (a product's variants, in the order they were made)</li>
 *   <li>price: {@code PRICE#<price>} ({@code productId} and {@code variantId} as attributes)</li>
 *   <li>SKU guard: {@code SKU#<sku, upper case>} (the variant that holds the SKU; one per SKU and tenant)</li>
 * </ul>
 */
public final class CatalogueItems {

    static final String PRODUCT = "PRODUCT#";
    static final String VARIANT = "VARIANT#";
    static final String PRICE = "PRICE#";
    static final String SKU = "SKU#";

    private CatalogueItems() {
    }

    /** The partition of a tenant's catalogue. */
    public static String partition(String tenantId) {
        return Keys.tenant(tenantId) + "#CATALOGUE";
    }

    static String product(String productId) {
        return PRODUCT + productId;
    }

    /** The sort-key prefix of a product's variants. */
    static String variants(String productId) {
        return VARIANT + productId + "#";
    }

    static String variant(String productId, String variantId) {
        return variants(productId) + variantId;
    }

    static String price(String priceId) {
        return PRICE + priceId;
    }

    /** SKUs are unique in a tenant whatever their case: {@code ab-1} and {@code AB-1} are one SKU. */
    static String sku(String sku) {
        return SKU + sku.toUpperCase(Locale.ROOT);
    }
}
