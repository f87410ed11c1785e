package com.clientele.loyalty;

import java.util.List;
import java.util.Optional;

/** What the accrual needs of storage ({@link LoyaltyRepository}; an in-memory one in tests). */
interface PointsStore {

    boolean customerExists(String tenant, String customerId);

    LoyaltySettings settings(String tenant);

    Balance balance(String tenant, String customerId);

    Optional<Lot> lot(String tenant, String customerId, String paymentId);

    /** Every lot of the customer (for a clawback larger than what is left of its own lot). */
    List<Lot> lots(String tenant, String customerId);

    /**
     * All of it in one transaction, or nothing: the marker of {@code entryId} (refused if there
     * already), the balance (refused unless still at {@code before}'s version), each lot (new, or
     * still holding what it held before the change) and the statement line.
     */
    void apply(String tenant, String customerId, String entryId, String eventId, Balance before, Balance after,
               List<LotChange> lots, StatementLine line);

    /** A lot written by an entry: {@code before} is null for a new lot. */
    record LotChange(Lot before, Lot after) {
    }
}
