package com.clientele.relationship;

import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;
import java.util.List;

/**
 * The keys of the relationship's items in a customer's partition (and their item types): notes, the
 * record of a merge, the lock of a running merge and the marker of an erasure.
 */
public final class RelationshipItems {

    /** Sort key of the record of a merge, in the duplicate's partition: its primary, status and steps done. */
    public static final String MERGE = "MERGE";
    /** Sort key of the lock a running merge holds in the primary's partition: one merge into a customer at a time. */
    public static final String MERGE_INTO = "MERGE#INTO";
    /** Sort key of the item that records a customer's erasure (in the customer's partition). */
    public static final String ERASURE = "ERASURE";
    /** Sort-key prefix of a customer's notes (time-ordered ids: newest last). */
    public static final String NOTE = "NOTE#";

    public static final ItemType NOTE_TYPE = ItemType.named("note").sortKey(SortKey.prefix(NOTE)).indexKeys()
            .merge(MergePolicy.moveAsCustomer("notes"))
            .export(ExportPolicy.list("notes"))
            .erasure(ErasurePolicy.scrub(ErasurePolicy.Scrub.replace("summary", ErasurePolicy.ERASED),
                    ErasurePolicy.Scrub.remove("followUp")))
            .softDelete(SoftDeletePolicy.KEEP);

    /** The record of a merge, in the duplicate's partition (exported, as ever, under "other"). */
    public static final ItemType MERGE_RECORD_TYPE = ItemType.named("merge").sortKey(SortKey.exact(MERGE)).indexKeys()
            .merge(MergePolicy.keep())
            .export(ExportPolicy.list("other"))
            .erasure(ErasurePolicy.keep("ids, figures and dates"))
            .softDelete(SoftDeletePolicy.KEEP);

    /** The lock of a running merge, in the primary's partition (exported, as ever, under "other"). */
    public static final ItemType MERGE_LOCK_TYPE = ItemType.named("mergeLock").sortKey(SortKey.exact(MERGE_INTO)).indexKeys()
            .merge(MergePolicy.keep())
            .export(ExportPolicy.list("other"))
            .erasure(ErasurePolicy.keep("an id"))
            .softDelete(SoftDeletePolicy.KEEP);

    /** When the customer's personal data was erased, and by whom. */
    public static final ItemType ERASURE_TYPE = ItemType.named("erasure").sortKey(SortKey.exact(ERASURE)).indexKeys()
            .merge(MergePolicy.keep())
            .export(ExportPolicy.single("erasure"))
            .erasure(ErasurePolicy.keep("the erasure's own record"))
            .softDelete(SoftDeletePolicy.KEEP);

    public static List<ItemType> types() {
        return List.of(NOTE_TYPE, MERGE_RECORD_TYPE, MERGE_LOCK_TYPE, ERASURE_TYPE);
    }

    private RelationshipItems() {
    }

    public static String noteSortKey(String noteId) {
        return NOTE + noteId;
    }
}
