package com.clientele.shared.events;

import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;

/**
 * Marker of a ledger entry a consumer counted in this customer's aggregates: a payment's outcome
 * (succeeded or failed: a payment settles once) by payment id, a refund by refund id. Keyed by
 * what the event reports rather than by the event's id, so that a recompute, which sees only the
 * ledger, can mark what it counted and an event still in flight then finds itself a duplicate.
 */
public final class AppliedEntries {

    /** Sort-key prefix of every consumer's markers. */
    public static final String PREFIX = "APPLIED#";

    private AppliedEntries() {
    }

    /** The item type of the customer's partition this declares (built once, when the registry loads). */
    public static ItemType itemType() {
        return ItemType.named("appliedEntry").sortKey(SortKey.prefix(PREFIX)).indexKeys()
                .merge(MergePolicy.keep()) // the merge's recompute marks the moved ledger in the primary's partition
                .export(ExportPolicy.notExported("a consumer's record of the entries it counted"))
                .erasure(ErasurePolicy.keep("ids only"))
                .softDelete(SoftDeletePolicy.KEEP);
    }

    public static String appliedEntrySortKey(String consumer, String entryId) {
        return appliedEntriesPrefix(consumer) + entryId;
    }

    public static String appliedEntriesPrefix(String consumer) {
        return PREFIX + consumer + "#";
    }
}
