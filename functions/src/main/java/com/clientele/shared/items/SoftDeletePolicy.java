package com.clientele.shared.items;

/**
 * What {@code DELETE /customers/{id}} (a soft delete) does to an item of the customer's partition:
 * the profile is marked deleted (it leaves the indexes, frees its email); everything else stays, so
 * the ledger and history of a deleted customer are still there.
 */
public enum SoftDeletePolicy {
    /** Left as it is. */
    KEEP,
    /** The item the delete marks deleted: the profile. */
    MARK_DELETED
}
