package com.clientele.loyalty;

import com.clientele.shared.Table.Index;
import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;
import java.util.List;

/**
 * The keys of loyalty points: the balance, lots, statement lines and OTPs of a customer's partition
 * (and their item types), the programme settings, the due-lots index and the expiry's record.
 */
public final class LoyaltyItems {

    /** Sort key of the loyalty programme settings item (in the tenant's settings partition). */
    public static final String LOYALTY_SETTINGS = "LOYALTY";
    /** Sort key of a customer's points balance item (in the customer's partition). */
    public static final String POINTS_BALANCE = "PTS#BALANCE";
    /** Sort-key prefixes of a customer's point lots and statement lines. */
    public static final String POINT_LOT = "PTS#LOT#";
    public static final String STATEMENT_LINE = "PTS#LINE#";
    /** Sort-key prefix of a customer's redemption OTPs (time-ordered ids: newest last). */
    public static final String POINTS_OTP = "PTS#OTP#";
    /**
     * Shards of the due-lots index (GSI1): every lot that still holds points is in the partition of
     * the UTC day it expires, spread over this many shards; a lot that holds none leaves the index.
     */
    public static final int LOT_EXPIRY_SHARDS = 8;
    /**
     * The points expiry's record of how far its runs got: one item (PK, with SK {@code DONE}), not a
     * tenant's, as the due-lots index it walks serves every tenant.
     */
    public static final String POINTS_EXPIRY_RUNS = "PTSEXP#RUNS";
    public static final String POINTS_EXPIRY_DONE = "DONE";

    /** The item types of the customer's partition this capability writes (built once, when the registry loads). */
    public static List<ItemType> types() {
        // The points balance; a merge adds the duplicate's to the primary's in a step of its own.
        var balance = ItemType.named("pointsBalance").sortKey(SortKey.exact(POINTS_BALANCE)).indexKeys()
                .merge(MergePolicy.keep())
                .export(ExportPolicy.single("points", "entryId"))
                .erasure(ErasurePolicy.keep("figures only"))
                .softDelete(SoftDeletePolicy.KEEP);
        // A lot of points (in the due-lots index while it holds any).
        var lot = ItemType.named("pointLot").sortKey(SortKey.prefix(POINT_LOT))
                .indexKeys(Index.GSI1.pk(), Index.GSI1.sk())
                .merge(MergePolicy.custom("pointLots", LoyaltyRepository::moveLotIntoPrimary))
                .export(ExportPolicy.list("pointLots", "entryId"))
                .erasure(ErasurePolicy.keep("figures, dates and ids"))
                .softDelete(SoftDeletePolicy.KEEP);
        var statementLine = ItemType.named("statementLine").sortKey(SortKey.prefix(STATEMENT_LINE))
                .indexKeys()
                .merge(MergePolicy.move("statementLines"))
                .export(ExportPolicy.list("pointsStatement", "entryId"))
                .erasure(ErasurePolicy.scrub(ErasurePolicy.Scrub.replace("reason", ErasurePolicy.ERASED)))
                .softDelete(SoftDeletePolicy.KEEP);
        // A redemption's one-time password: only its hash is kept.
        var otp = ItemType.named("pointsOtp").sortKey(SortKey.prefix(POINTS_OTP)).indexKeys()
                .merge(MergePolicy.keep())
                .export(ExportPolicy.list("pointsOtps", "codeHash", "entryId"))
                .erasure(ErasurePolicy.scrub(ErasurePolicy.Scrub.replace("sentTo", ErasurePolicy.ERASED)))
                .softDelete(SoftDeletePolicy.KEEP);
        return List.of(balance, lot, statementLine, otp);
    }

    private LoyaltyItems() {
    }

    /**
     * A lot is keyed by the ledger entry that credited it (the payment that earned it, an
     * adjustment, a referral bonus), so that a refund finds its payment's lot with one GetItem.
     */
    public static String lotSortKey(String sourceId) {
        return POINT_LOT + sourceId;
    }

    public static String otpSortKey(String otpId) {
        return POINTS_OTP + otpId;
    }

    /** GSI1 partition of the lots that expire on {@code day} ({@code yyyy-MM-dd}, UTC), one shard of it. */
    public static String lotsExpiring(String day, int shard) {
        return "PTSEXP#" + day + "#" + shard;
    }

    public static int lotExpiryShard(String lotId) {
        return Math.floorMod(lotId.hashCode(), LOT_EXPIRY_SHARDS);
    }

    /** GSI1 sort key of a due lot: its expiry (zero-padded epoch millis) first, so a key condition reads only lots due by then. */
    public static String lotExpirySortKey(java.time.Instant expiresAt, String lotId) {
        return String.format("%015d", expiresAt.toEpochMilli()) + "#" + lotId;
    }

    /** Above every GSI1 sort key of a lot expiring at or before {@code at}: a key condition's upper bound. */
    public static String lotExpirySortKeyThrough(java.time.Instant at) {
        return String.format("%015d", at.toEpochMilli()) + "$";
    }

    /**
     * Statement lines sort by when their ledger entry happened (zero-padded epoch millis, so string
     * order is time order), then by the entry's id; the key is the same however often the entry's
     * event is delivered.
     */
    public static String statementLineSortKey(java.time.Instant occurredAt, String entryId) {
        return STATEMENT_LINE + String.format("%015d", occurredAt.toEpochMilli()) + "#" + entryId;
    }

    /**
     * The ledger entry a lot or a statement line was written for, from its sort key: a lot's
     * source ({@code PTS#LOT#<sourceId>}), a line's entry ({@code PTS#LINE#<millis>#<entryId>[#n]});
     * empty for any other key.
     */
    static java.util.Optional<String> entryOf(String sortKey) {
        if (sortKey.startsWith(POINT_LOT)) {
            return java.util.Optional.of(sortKey.substring(POINT_LOT.length()));
        }
        if (sortKey.startsWith(STATEMENT_LINE)) {
            String[] parts = sortKey.substring(STATEMENT_LINE.length()).split("#");
            return parts.length >= 2 ? java.util.Optional.of(parts[1]) : java.util.Optional.empty();
        }
        return java.util.Optional.empty();
    }

    /** The {@code n}th line of an entry that writes several (a redemption: one line per lot it used). */
    public static String statementLineSortKey(java.time.Instant occurredAt, String entryId, int n) {
        return n == 0 ? statementLineSortKey(occurredAt, entryId) : statementLineSortKey(occurredAt, entryId) + "#" + n;
    }
}
