package com.clientele.shared.events;

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

    public static String appliedEntrySortKey(String consumer, String entryId) {
        return appliedEntriesPrefix(consumer) + entryId;
    }

    public static String appliedEntriesPrefix(String consumer) {
        return PREFIX + consumer + "#";
    }
}
