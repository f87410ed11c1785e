package com.clientele.shared;

/**
 * The keys every capability shares: the tenant prefix every key starts with (so no key can reach
 * another tenant's items), the customer's partition (a customer's items share it: each capability
 * declares its own item types there, see {@link com.clientele.shared.items.ItemType}), the tenant's
 * customers partition of GSI3 and the tenant's settings partition. Each capability's own keys are in
 * its package ({@code CustomerItems}, {@code PaymentItems}, {@code LoyaltyItems}, …).
 */
public final class Keys {

    private Keys() {
    }

    /** Tenant ids go into every key: nothing that could break out of the key's shape. */
    private static final java.util.regex.Pattern TENANT_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public static boolean isTenantId(String tenantId) {
        return tenantId != null && TENANT_ID.matcher(tenantId).matches();
    }

    /** The start of every key of a tenant. */
    public static String tenant(String tenantId) {
        return "T#" + tenantId;
    }

    public static String customer(String tenantId, String customerId) {
        return tenant(tenantId) + "#C#" + customerId;
    }

    /** A customer partition key ({@link #customer}) read back: whose lot the due-lots index returned. */
    public record CustomerKey(String tenantId, String customerId) {
    }

    /** The tenant and customer of a customer partition key; empty for any other key. */
    public static java.util.Optional<CustomerKey> customerOf(String partitionKey) {
        int at = partitionKey == null || !partitionKey.startsWith("T#") ? -1 : partitionKey.indexOf("#C#", 2);
        if (at < 0) {
            return java.util.Optional.empty();
        }
        String tenantId = partitionKey.substring(2, at);
        String customerId = partitionKey.substring(at + 3);
        return isTenantId(tenantId) && !customerId.isEmpty() && !customerId.contains("#")
                ? java.util.Optional.of(new CustomerKey(tenantId, customerId)) : java.util.Optional.empty();
    }

    /** GSI3 (by join date, sort key = the time-ordered id) and GSI4 (by name) partition. */
    public static String customers(String tenantId) {
        return tenant(tenantId) + "#CUSTOMERS";
    }

    /**
     * The tenant a GSI3 partition key belongs to, if it is a tenant's customers partition
     * ({@link #customers}); empty for the other partitions of the index (outbox shards).
     */
    public static java.util.Optional<String> tenantOfCustomers(String gsi3PartitionKey) {
        String suffix = "#CUSTOMERS";
        if (gsi3PartitionKey == null || !gsi3PartitionKey.startsWith("T#") || !gsi3PartitionKey.endsWith(suffix)
                || gsi3PartitionKey.length() <= 2 + suffix.length()) {
            return java.util.Optional.empty();
        }
        String tenantId = gsi3PartitionKey.substring(2, gsi3PartitionKey.length() - suffix.length());
        return tenantId.contains("#") ? java.util.Optional.empty() : java.util.Optional.of(tenantId);
    }

    /** Partition of a tenant's settings: one item per kind of setting (segments, loyalty). */
    public static String settings(String tenantId) {
        return tenant(tenantId) + "#SETTINGS";
    }
}
