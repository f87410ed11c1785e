package com.clientele.shared;

/**
 * Every item key of the single table, in one place. Each starts with the tenant, so no key built
 * here can reach another tenant's items. A customer's items share the partition
 * {@link #customer}; lookups and listings go through the overloaded GSIs named in {@link Table}.
 */
public final class Keys {

    /** Sort key of a customer's profile item inside its partition. */
    public static final String PROFILE = "PROFILE";
    public static final String UNIQUE = "UNIQUE";
    /** Shards of the customers-by-LTV index: a page is a scatter-gather over all of them. */
    public static final int LTV_SHARDS = 4;

    private Keys() {
    }

    private static String tenant(String tenantId) {
        return "T#" + tenantId;
    }

    public static String customer(String tenantId, String customerId) {
        return tenant(tenantId) + "#C#" + customerId;
    }

    /** Guard item that makes an email unique among a tenant's live customers. */
    public static String emailGuard(String tenantId, String email) {
        return tenant(tenantId) + "#UNIQUE#EMAIL#" + email;
    }

    /** GSI1: customers by email. */
    public static String byEmail(String tenantId, String email) {
        return tenant(tenantId) + "#EMAIL#" + email;
    }

    /** GSI2: customers by phone (E.164). */
    public static String byPhone(String tenantId, String phone) {
        return tenant(tenantId) + "#PHONE#" + phone;
    }

    /** GSI3 (by join date, sort key = the time-ordered id) and GSI4 (by name) partition. */
    public static String customers(String tenantId) {
        return tenant(tenantId) + "#CUSTOMERS";
    }

    public static String byName(String lastName, String firstName, String customerId) {
        return lastName.toLowerCase(java.util.Locale.ROOT) + " " + firstName.toLowerCase(java.util.Locale.ROOT) + "#" + customerId;
    }

    /** GSI5: customers by LTV, write-sharded by customer id. */
    public static String byLtv(String tenantId, int shard) {
        return tenant(tenantId) + "#LTV#" + shard;
    }

    public static int ltvShard(String customerId) {
        return Math.floorMod(customerId.hashCode(), LTV_SHARDS);
    }

    /** Zero-padded so that string order is numeric order. */
    public static String ltvSortKey(long ltvMinorUnits, String customerId) {
        return String.format("%019d#%s", Math.max(0, ltvMinorUnits), customerId);
    }

    /**
     * Search term items: partition by the term's first character (so one search reads one
     * partition and a tenant's terms spread over many), sort key = term + customer id.
     */
    public static String searchPartition(String tenantId, String term) {
        return tenant(tenantId) + "#SEARCH#" + term.charAt(0);
    }

    public static String searchSortKey(String term, String customerId) {
        return term + "#" + customerId;
    }
}
