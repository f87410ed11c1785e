package com.clientele.tiers;

import com.clientele.shared.Keys;
import com.clientele.shared.Table.Index;
import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The keys of tiers and journeys: the tenant's tier settings; in each customer's partition its
 * lifecycle (tier, stage, journeys now, next review day), its tier history and one item per journey
 * it ever entered; the review index (GSI1, sparse) and the tenant's stage counts.
 */
public final class TierItems {

    /** Sort key of the tier settings item (in the tenant's settings partition). */
    public static final String TIER_SETTINGS = "TIERS";
    /** Sort key of a customer's lifecycle item. */
    public static final String LIFECYCLE = "LIFECYCLE";
    /** Sort-key prefix of a customer's tier changes (time-ordered). */
    public static final String TIER_HISTORY = "TIER#HIST#";
    /** Sort-key prefix of a customer's journeys, one item per journey. */
    public static final String JOURNEY = "JOURNEY#";
    /** Sort-key prefix of the tenant's stage counts, one item per shard (in the tenant's settings partition). */
    public static final String STAGE_COUNT = "STAGECOUNT#";
    /** Shards of the review index's days, and of the stage counts. */
    public static final int SHARDS = 8;

    /** The item types of the customer's partition this capability writes (built once, when the registry loads). */
    public static List<ItemType> types() {
        // The customer's tier and stage now, and its next review (in the review index, GSI1, while it has one).
        // A merge leaves the duplicate's (its review then finds the customer gone, and takes it out of the counts).
        var lifecycle = ItemType.named("lifecycle").sortKey(SortKey.exact(LIFECYCLE))
                .indexKeys(Index.GSI1.pk(), Index.GSI1.sk())
                .merge(MergePolicy.keep())
                .export(ExportPolicy.single("lifecycle"))
                .erasure(ErasurePolicy.scrub(ErasurePolicy.Scrub.replace("overrideReason", ErasurePolicy.ERASED)))
                .softDelete(SoftDeletePolicy.KEEP);
        // One change of tier: from, to, why (an override's reason is the user's text). Moved on a merge, not counted.
        var history = ItemType.named("tierChange").sortKey(SortKey.prefix(TIER_HISTORY)).indexKeys()
                .merge(MergePolicy.move(null))
                .export(ExportPolicy.list("tierHistory"))
                .erasure(ErasurePolicy.scrub(ErasurePolicy.Scrub.replace("note", ErasurePolicy.ERASED)))
                .softDelete(SoftDeletePolicy.KEEP);
        // A journey the customer entered: times, first and last; the primary's own stay its own on a merge.
        var journey = ItemType.named("journey").sortKey(SortKey.prefix(JOURNEY)).indexKeys()
                .merge(MergePolicy.keep())
                .export(ExportPolicy.list("journeys"))
                .erasure(ErasurePolicy.keep("stage names and dates"))
                .softDelete(SoftDeletePolicy.KEEP);
        return List.of(lifecycle, history, journey);
    }

    private TierItems() {
    }

    public static String historySortKey(Instant at, String eventId) {
        return TIER_HISTORY + String.format("%015d", at.toEpochMilli()) + "#" + eventId;
    }

    public static String journeySortKey(String journey) {
        return JOURNEY + journey;
    }

    /** GSI1 partition of the customers to review on {@code day}, one shard of it (no tenant: the run serves every tenant). */
    public static String reviewDay(LocalDate day, int shard) {
        return "TIERREV#" + day + "#" + shard;
    }

    public static int shardOf(String customerId) {
        return Math.floorMod(customerId.hashCode(), SHARDS);
    }

    public static String stageCountSortKey(int shard) {
        return STAGE_COUNT + shard;
    }

    static String settingsPartition(String tenant) {
        return Keys.settings(tenant);
    }
}
