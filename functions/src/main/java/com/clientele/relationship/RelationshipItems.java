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

    /** The item types of the customer's partition this capability writes (built once, when the registry loads). */
    public static List<ItemType> types() {
        var note = ItemType.named("note").sortKey(SortKey.prefix(NOTE)).indexKeys()
                .merge(MergePolicy.moveAsCustomer("notes"))
                .export(ExportPolicy.list("notes"))
                .erasure(ErasurePolicy.scrub(ErasurePolicy.Scrub.replace("summary", ErasurePolicy.ERASED),
                        ErasurePolicy.Scrub.remove("followUp")))
                .softDelete(SoftDeletePolicy.KEEP);
        // The record of a merge, in the duplicate's partition (exported, as ever, under "other").
        var mergeRecord = ItemType.named("merge").sortKey(SortKey.exact(MERGE)).indexKeys()
                .merge(MergePolicy.keep())
                .export(ExportPolicy.list("other"))
                .erasure(ErasurePolicy.keep("ids, figures and dates"))
                .softDelete(SoftDeletePolicy.KEEP);
        // The lock of a running merge, in the primary's partition (exported, as ever, under "other").
        var mergeLock = ItemType.named("mergeLock").sortKey(SortKey.exact(MERGE_INTO)).indexKeys()
                .merge(MergePolicy.keep())
                .export(ExportPolicy.list("other"))
                .erasure(ErasurePolicy.keep("an id"))
                .softDelete(SoftDeletePolicy.KEEP);
        // When the customer's personal data was erased, and by whom.
        var erasure = ItemType.named("erasure").sortKey(SortKey.exact(ERASURE)).indexKeys()
                .merge(MergePolicy.keep())
                .export(ExportPolicy.single("erasure"))
                .erasure(ErasurePolicy.keep("the erasure's own record"))
                .softDelete(SoftDeletePolicy.KEEP);
        return List.of(note, mergeRecord, mergeLock, erasure);
    }

    private RelationshipItems() {
    }

    public static String noteSortKey(String noteId) {
        return NOTE + noteId;
    }
}
