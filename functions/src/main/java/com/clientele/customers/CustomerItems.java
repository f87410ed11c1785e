package com.clientele.customers;

import static com.clientele.shared.Keys.tenant;

import com.clientele.shared.Table.Index;
import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;
import java.util.List;

/**
 * The keys of customers: the profile and referral items of a customer's partition (and their item
 * types), the uniqueness guards, the lookup indexes, the search terms and the segment settings.
 */
public final class CustomerItems {

    /** Sort key of a customer's profile item inside its partition. */
    public static final String PROFILE = "PROFILE";
    public static final String UNIQUE = "UNIQUE";
    /** Shards of the customers-by-LTV index: a page is a scatter-gather over all of them. */
    public static final int LTV_SHARDS = 4;
    /** Sort key of a customer's referral item: who referred them (at most one) and what became of it. */
    public static final String REFERRAL = "REFERRAL";
    /** Sort key of the customer-segment thresholds item (in the tenant's settings partition). */
    public static final String SEGMENT_SETTINGS = "SEGMENTS";

    /** The item types of the customer's partition this capability writes (built once, when the registry loads). */
    public static List<ItemType> types() {
        // The profile: the customer as the API shows it, projected into every customer index.
        var profile = ItemType.named("profile").sortKey(SortKey.exact(PROFILE))
                .indexKeys(Index.GSI1.pk(), Index.GSI1.sk(), Index.GSI2.pk(), Index.GSI2.sk(), Index.GSI3.pk(), Index.GSI3.sk(),
                        Index.GSI4.pk(), Index.GSI4.sk(), Index.GSI5.pk(), Index.GSI5.sk(), Index.GSI6.pk(), Index.GSI6.sk(), Index.GSI7.pk(), Index.GSI7.sk(),
                        Index.GSI8.pk(), Index.GSI8.sk())
                .merge(MergePolicy.keep()) // the merge's first step marks the duplicate's merged
                .export(ExportPolicy.notExported("the export's customer is the profile as the API shows it"))
                .erasure(ErasurePolicy.keep("the erasure's first step anonymises it, with the erasure's marker"))
                .softDelete(SoftDeletePolicy.MARK_DELETED);
        // Who referred the customer and what became of it.
        var referral = ItemType.named("referral").sortKey(SortKey.exact(REFERRAL)).indexKeys()
                .merge(MergePolicy.keep())
                .export(ExportPolicy.single("referral"))
                .erasure(ErasurePolicy.keep("ids, a code and a status"))
                .softDelete(SoftDeletePolicy.KEEP);
        return List.of(profile, referral);
    }

    private CustomerItems() {
    }

    /** Guard item that makes an email unique among a tenant's live customers. */
    public static String emailGuard(String tenantId, String email) {
        return tenant(tenantId) + "#UNIQUE#EMAIL#" + email;
    }

    /** Guard item that makes a referral code unique among a tenant's live customers (codes stored upper-case). */
    public static String referralCodeGuard(String tenantId, String code) {
        return tenant(tenantId) + "#UNIQUE#REFERRAL#" + code;
    }

    /** GSI1: customers by email. */
    public static String byEmail(String tenantId, String email) {
        return tenant(tenantId) + "#EMAIL#" + email;
    }

    /** GSI2: customers by phone (E.164). */
    public static String byPhone(String tenantId, String phone) {
        return tenant(tenantId) + "#PHONE#" + phone;
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

    /** The lowest GSI5 sort key of an LTV of {@code ltvMinorUnits}: a key condition's lower bound. */
    public static String ltvSortKeyFrom(long ltvMinorUnits) {
        return String.format("%019d", Math.max(0, ltvMinorUnits));
    }

    /** Above every GSI5 sort key of an LTV of {@code ltvMinorUnits} ('$' sorts right after '#'): an upper bound. */
    public static String ltvSortKeyThrough(long ltvMinorUnits) {
        return String.format("%019d$", Math.max(0, ltvMinorUnits));
    }

    /** GSI8 (partition {@code T#t#CUSTOMERS}): customers by their outstanding balance (minor units, zero-padded to 15 digits). */
    public static String byBalance(long outstanding, String customerId) {
        return String.format("%015d#%s", Math.max(0, outstanding), customerId);
    }

    /** GSI6 (partition {@code T#t#CUSTOMERS}): customers by their number of subscriptions, zero-padded. */
    public static String bySubscriptions(int subscriptions, String customerId) {
        return String.format("%06d#%s", Math.max(0, subscriptions), customerId);
    }

    /**
     * Search term items: partition by the term's first character, a whole code point (so one search
     * reads one partition and a tenant's terms spread over many), sort key = term + customer id.
     */
    public static String searchPartition(String tenantId, String term) {
        return tenant(tenantId) + "#SEARCH#" + term.substring(0, Character.charCount(term.codePointAt(0)));
    }

    public static String searchSortKey(String term, String customerId) {
        return term + "#" + customerId;
    }
}
