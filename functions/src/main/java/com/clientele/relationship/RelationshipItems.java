package com.clientele.relationship;

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

    private RelationshipItems() {
    }

    public static String noteSortKey(String noteId) {
        return NOTE + noteId;
    }
}
