package com.clientele.campaigns;

import com.clientele.shared.Keys;
import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;

/**
 * The keys of campaigns. A campaign is a tenant item, in the tenant's campaigns partition
 * ({@link #partition}; {@code CAMPAIGN#<cmp>}), holding no personal data; what a campaign credited a
 * customer is in the customer's partition: their participation ({@code CAMPAIGN#<cmp>}: points and
 * payments credited, first and last credit, the payment that had the first-purchase bonus), an item type
 * of the customer-partition registry ({@link #participationType}). A campaign's coupon runs are tenant items
 * beside it ({@link #couponRun}, {@link #couponRunLock}): ids, counters and a cursor, no personal data.
 */
public final class CampaignItems {

    static final String CAMPAIGN = "CAMPAIGN#";

    private CampaignItems() {
    }

    /** The partition of a tenant's campaigns. */
    static String partition(String tenantId) {
        return Keys.tenant(tenantId) + "#CAMPAIGNS";
    }

    static String campaign(String campaignId) {
        return CAMPAIGN + campaignId;
    }

    /**
     * A coupon run of a campaign, in the tenant's campaigns partition ({@code CPNRUN#<cmp>#<run>}: a descending
     * Query of the prefix lists a campaign's runs newest first).
     */
    static String couponRun(String campaignId, String runId) {
        return couponRuns(campaignId) + runId;
    }

    static String couponRuns(String campaignId) {
        return "CPNRUN#" + campaignId + "#";
    }

    /** The campaign's one unfinished coupon run ({@code CPNRUN#<cmp>}: the id of the run that holds it). */
    static String couponRunLock(String campaignId) {
        return "CPNRUN#" + campaignId;
    }

    /** A customer's participation in a campaign, in the customer's partition. */
    static String participation(String campaignId) {
        return CAMPAIGN + campaignId;
    }

    /**
     * A customer's participation: moves with a merge, uncounted in the merge's record (the primary's own, if
     * it has one for that campaign, stays as it is), exported, kept by the erasure (figures, dates and ids only), kept with a soft-deleted customer.
     */
    public static ItemType participationType() {
        return ItemType.named("campaignParticipation").sortKey(SortKey.prefix(CAMPAIGN)).indexKeys()
                .merge(MergePolicy.move(null))
                .export(ExportPolicy.list("campaigns"))
                .erasure(ErasurePolicy.keep("figures, dates and ids"))
                .softDelete(SoftDeletePolicy.KEEP);
    }
}
