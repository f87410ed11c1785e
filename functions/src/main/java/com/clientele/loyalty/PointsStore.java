package com.clientele.loyalty;

import com.clientele.campaigns.CampaignCredit;
import com.clientele.customers.Customer;
import com.clientele.customers.Referral;
import java.util.List;
import java.util.Optional;

/** What the accrual needs of storage ({@link LoyaltyRepository}; an in-memory one in tests). */
interface PointsStore {

    /** The live customer's profile, or empty for an unknown, deleted or merged-away one. */
    Optional<Customer> customer(String tenant, String customerId);

    LoyaltySettings settings(String tenant);

    Balance balance(String tenant, String customerId);

    Optional<Lot> lot(String tenant, String customerId, String paymentId);

    /** Every lot of the customer (for a clawback larger than what is left of its own lot). */
    List<Lot> lots(String tenant, String customerId);

    /** All of the write in one transaction, or nothing ({@link LoyaltyRepository#apply(String, List, List)}). */
    void apply(String tenant, PointsWrite write);

    /** The customer's referral (who referred them), if any. */
    Optional<Referral> referral(String tenant, String customerId);

    /** Whether the customer has a saved card with this fingerprint. */
    boolean holdsCard(String tenant, String customerId, String fingerprint);

    /**
     * Settles a pending referral: the bonus {@code writes} (none when refused) and the referral's new
     * state, which is refused unless it is still pending, in one transaction
     * ({@link LoyaltyRepository#apply(String, List, List)}).
     */
    void settleReferral(String tenant, List<PointsWrite> writes, Referral settled);

    /** A lot written by an entry: {@code before} is null for a new lot. */
    record LotChange(Lot before, Lot after) {
    }

    /**
     * One customer's side of a points change: the ledger entry applied ({@code entryId}, once), the
     * balance from {@code before} to {@code after}, the lots it changed and its statement lines. A write
     * that {@code commutes} adds {@code after - before} to the balance whatever its version (an accrual:
     * its lots' own conditions keep it exact); any other is refused unless the balance is still {@code before}.
     * {@code campaigns}: what campaigns added to an accrued charge, credited to the customer's participations.
     */
    record PointsWrite(String customerId, String entryId, String eventId, Balance before, Balance after,
                       List<LotChange> lots, List<StatementLine> lines, boolean commutes, List<CampaignCredit> campaigns) {

        PointsWrite(String customerId, String entryId, String eventId, Balance before, Balance after,
                    List<LotChange> lots, List<StatementLine> lines) {
            this(customerId, entryId, eventId, before, after, lots, lines, false, List.of());
        }

        /** The same write, crediting the customer's participation in these campaigns too. */
        PointsWrite crediting(List<CampaignCredit> credits) {
            return new PointsWrite(customerId, entryId, eventId, before, after, lots, lines, commutes, List.copyOf(credits));
        }

        /** The same write, commuting with every other write of the balance. */
        PointsWrite commuting() {
            return new PointsWrite(customerId, entryId, eventId, before, after, lots, lines, true, campaigns);
        }
    }
}
