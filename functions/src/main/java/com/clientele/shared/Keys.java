package com.clientele.shared;

/**
 * Every item key of the single table, in one place. Each starts with the tenant, so no key built
 * here can reach another tenant's items. A customer's items share the partition
 * {@link #customer}; lookups and listings go through the overloaded GSIs named in {@link Table}.
 */
public final class Keys {

    /** Sort key of a customer's profile item inside its partition. */
    public static final String PROFILE = "PROFILE";
    public static final String UNIQUE = "UNIQUE";
    /** Shards of the customers-by-LTV index: a page is a scatter-gather over all of them. */
    public static final int LTV_SHARDS = 4;

    private Keys() {
    }

    /** Tenant ids go into every key: nothing that could break out of the key's shape. */
    private static final java.util.regex.Pattern TENANT_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public static boolean isTenantId(String tenantId) {
        return tenantId != null && TENANT_ID.matcher(tenantId).matches();
    }

    private static String tenant(String tenantId) {
        return "T#" + tenantId;
    }

    public static String customer(String tenantId, String customerId) {
        return tenant(tenantId) + "#C#" + customerId;
    }

    /** Guard item that makes an email unique among a tenant's live customers. */
    public static String emailGuard(String tenantId, String email) {
        return tenant(tenantId) + "#UNIQUE#EMAIL#" + email;
    }

    /** Guard item that makes a referral code unique among a tenant's live customers (codes stored upper-case). */
    public static String referralCodeGuard(String tenantId, String code) {
        return tenant(tenantId) + "#UNIQUE#REFERRAL#" + code;
    }

    /** Sort key of a customer's referral item: who referred them (at most one) and what became of it. */
    public static final String REFERRAL = "REFERRAL";

    /** GSI1: customers by email. */
    public static String byEmail(String tenantId, String email) {
        return tenant(tenantId) + "#EMAIL#" + email;
    }

    /** GSI2: customers by phone (E.164). */
    public static String byPhone(String tenantId, String phone) {
        return tenant(tenantId) + "#PHONE#" + phone;
    }

    /** GSI3 (by join date, sort key = the time-ordered id) and GSI4 (by name) partition. */
    public static String customers(String tenantId) {
        return tenant(tenantId) + "#CUSTOMERS";
    }

    public static String byName(String lastName, String firstName, String customerId) {
        return lastName.toLowerCase(java.util.Locale.ROOT) + " " + firstName.toLowerCase(java.util.Locale.ROOT) + "#" + customerId;
    }

    /** GSI5: customers by LTV, write-sharded by customer id. */
    public static String byLtv(String tenantId, int shard) {
        return tenant(tenantId) + "#LTV#" + shard;
    }

    public static int ltvShard(String customerId) {
        return Math.floorMod(customerId.hashCode(), LTV_SHARDS);
    }

    /** Zero-padded so that string order is numeric order. */
    public static String ltvSortKey(long ltvMinorUnits, String customerId) {
        return String.format("%019d#%s", Math.max(0, ltvMinorUnits), customerId);
    }

    /** The lowest GSI5 sort key of an LTV of {@code ltvMinorUnits}: a key condition's lower bound. */
    public static String ltvSortKeyFrom(long ltvMinorUnits) {
        return String.format("%019d", Math.max(0, ltvMinorUnits));
    }

    /** Above every GSI5 sort key of an LTV of {@code ltvMinorUnits} ('$' sorts right after '#'): an upper bound. */
    public static String ltvSortKeyThrough(long ltvMinorUnits) {
        return String.format("%019d$", Math.max(0, ltvMinorUnits));
    }

    /**
     * Search term items: partition by the term's first character (so one search reads one
     * partition and a tenant's terms spread over many), sort key = term + customer id.
     */
    public static String searchPartition(String tenantId, String term) {
        return tenant(tenantId) + "#SEARCH#" + term.charAt(0);
    }

    public static String searchSortKey(String term, String customerId) {
        return term + "#" + customerId;
    }

    // ---- tenant settings ------------------------------------------------------------------------

    /** Partition of a tenant's settings: one item per kind of setting. */
    public static String settings(String tenantId) {
        return tenant(tenantId) + "#SETTINGS";
    }

    /** Sort key of the customer-segment thresholds item. */
    public static final String SEGMENT_SETTINGS = "SEGMENTS";

    // ---- saved cards and payments -------------------------------------------------------------

    /** Sort-key prefixes inside a customer's partition (ULIDs after them: oldest first). */
    public static final String CARD = "PM#";
    public static final String PAYMENT = "PAY#";
    /** Sort key of the pointer item that says where a payment lives. */
    public static final String POINTER = "POINTER";

    public static String cardSortKey(String paymentMethodId) {
        return CARD + paymentMethodId;
    }

    /** Guard item (in the customer's partition) that makes a card fingerprint unique per customer. */
    public static String cardGuardSortKey(String fingerprint) {
        return "PMFP#" + fingerprint;
    }

    public static String paymentSortKey(String paymentId) {
        return PAYMENT + paymentId;
    }

    /** Partition of a guest payment: it has no customer. */
    public static String guestPayment(String tenantId, String paymentId) {
        return tenant(tenantId) + "#GUEST#" + paymentId;
    }

    /** Pointer item from a payment id to the partition that holds the payment. */
    public static String paymentPointer(String tenantId, String paymentId) {
        return tenant(tenantId) + "#PAYMENT#" + paymentId;
    }

    /** Receipt partition: one pointer item per payment with that receipt id (sort key = payment id). */
    public static String receipt(String tenantId, String receiptId) {
        return tenant(tenantId) + "#RECEIPT#" + receiptId;
    }

    /** GSI1 / GSI2 / GSI4 of guest payments: by email, phone (E.164) and card fingerprint. */
    public static String guestsByEmail(String tenantId, String email) {
        return tenant(tenantId) + "#GUEST#EMAIL#" + email;
    }

    public static String guestsByPhone(String tenantId, String phone) {
        return tenant(tenantId) + "#GUEST#PHONE#" + phone;
    }

    public static String guestsByCard(String tenantId, String fingerprint) {
        return tenant(tenantId) + "#GUEST#CARD#" + fingerprint;
    }

    // ---- idempotency and the outbox ----------------------------------------------------------

    public static final String IDEMPOTENCY = "IDEMPOTENCY";

    public static String idempotencyKey(String tenantId, String key) {
        return tenant(tenantId) + "#IDEM#" + key;
    }

    /** An outbox item sits beside what it reports (same partition) until it is relayed. */
    public static String outboxSortKey(String eventId) {
        return "OUTBOX#" + eventId;
    }

    /**
     * GSI3 partitions of pending outbox items, for the relay. The one key without a tenant: the
     * relay serves every tenant, and reads only these sparse shards.
     */
    public static final int OUTBOX_SHARDS = 4;

    public static String outboxShard(int shard) {
        return "OUTBOX#" + shard;
    }

    public static int outboxShardOf(String eventId) {
        return Math.floorMod(eventId.hashCode(), OUTBOX_SHARDS);
    }

    // ---- aggregates ----------------------------------------------------------------------------

    /**
     * Marker of a ledger entry a consumer counted in this customer's aggregates: a payment's outcome
     * (succeeded or failed: a payment settles once) by payment id, a refund by refund id. Keyed by
     * what the event reports rather than by the event's id, so that a recompute, which sees only the
     * ledger, can mark what it counted and an event still in flight then finds itself a duplicate.
     */
    public static String appliedEntrySortKey(String consumer, String entryId) {
        return appliedEntriesPrefix(consumer) + entryId;
    }

    public static String appliedEntriesPrefix(String consumer) {
        return "APPLIED#" + consumer + "#";
    }

    // ---- loyalty points --------------------------------------------------------------------------

    /** Sort key of the loyalty programme settings item (in the tenant's {@link #settings} partition). */
    public static final String LOYALTY_SETTINGS = "LOYALTY";
    /** Sort key of a customer's points balance item (in the customer's partition). */
    public static final String POINTS_BALANCE = "PTS#BALANCE";
    /** Sort-key prefixes of a customer's point lots and statement lines. */
    public static final String POINT_LOT = "PTS#LOT#";
    public static final String STATEMENT_LINE = "PTS#LINE#";

    /**
     * A lot is keyed by the ledger entry that credited it (the payment that earned it, an
     * adjustment, a referral bonus), so that a refund finds its payment's lot with one GetItem.
     */
    public static String lotSortKey(String sourceId) {
        return POINT_LOT + sourceId;
    }

    /** Sort-key prefix of a customer's redemption OTPs (time-ordered ids: newest last). */
    public static final String POINTS_OTP = "PTS#OTP#";

    public static String otpSortKey(String otpId) {
        return POINTS_OTP + otpId;
    }

    /**
     * Shards of the due-lots index (GSI1): every lot that still holds points is in the partition of
     * the UTC day it expires, spread over this many shards; a lot that holds none leaves the index.
     */
    public static final int LOT_EXPIRY_SHARDS = 8;

    /** GSI1 partition of the lots that expire on {@code day} ({@code yyyy-MM-dd}, UTC), one shard of it. */
    public static String lotsExpiring(String day, int shard) {
        return "PTSEXP#" + day + "#" + shard;
    }

    public static int lotExpiryShard(String lotId) {
        return Math.floorMod(lotId.hashCode(), LOT_EXPIRY_SHARDS);
    }

    /**
     * The points expiry's record of how far its runs got: one item (PK, with SK {@code DONE}), not a
     * tenant's, as the due-lots index it walks serves every tenant.
     */
    public static final String POINTS_EXPIRY_RUNS = "PTSEXP#RUNS";
    public static final String POINTS_EXPIRY_DONE = "DONE";

    /** A customer partition key ({@link #customer}) read back: whose lot the due-lots index returned. */
    public record CustomerKey(String tenantId, String customerId) {
    }

    /** The tenant and customer of a customer partition key; empty for any other key. */
    public static java.util.Optional<CustomerKey> customerOf(String partitionKey) {
        int at = partitionKey == null || !partitionKey.startsWith("T#") ? -1 : partitionKey.indexOf("#C#", 2);
        if (at < 0) {
            return java.util.Optional.empty();
        }
        String tenantId = partitionKey.substring(2, at);
        String customerId = partitionKey.substring(at + 3);
        return isTenantId(tenantId) && !customerId.isEmpty() && !customerId.contains("#")
                ? java.util.Optional.of(new CustomerKey(tenantId, customerId)) : java.util.Optional.empty();
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

    /** The {@code n}th line of an entry that writes several (a redemption: one line per lot it used). */
    public static String statementLineSortKey(java.time.Instant occurredAt, String entryId, int n) {
        return n == 0 ? statementLineSortKey(occurredAt, entryId) : statementLineSortKey(occurredAt, entryId) + "#" + n;
    }

    // ---- activity feed -----------------------------------------------------------------------------

    /** Sort-key prefix of a customer's activities: time-ordered, so a descending Query is newest first. */
    public static final String ACTIVITY = "ACT#";

    /** By time, then kind: a charge and the points it earned share their time and ref, not their kind. */
    public static String activitySortKey(java.time.Instant at, String kind, String ref) {
        return ACTIVITY + String.format("%015d", at.toEpochMilli()) + "#" + kind + "#" + ref;
    }

    // ---- merging duplicates ----------------------------------------------------------------------

    /** Sort key of the record of a merge, in the duplicate's partition: its primary, status and steps done. */
    public static final String MERGE = "MERGE";
    /** Sort key of the lock a running merge holds in the primary's partition: one merge into a customer at a time. */
    public static final String MERGE_INTO = "MERGE#INTO";

    // ---- notes -------------------------------------------------------------------------------------

    /** Sort key of the item that records a customer's erasure (in the customer's partition). */
    public static final String ERASURE = "ERASURE";

    /** Sort-key prefix of a customer's notes (time-ordered ids: newest last). */
    public static final String NOTE = "NOTE#";

    public static String noteSortKey(String noteId) {
        return NOTE + noteId;
    }

    // ---- LTV recompute jobs --------------------------------------------------------------------

    /** Sort key of a job item (its partition is {@link #recomputeJob}). */
    public static final String JOB = "JOB";

    public static String recomputeJob(String tenantId, String jobId) {
        return tenant(tenantId) + "#JOB#" + jobId;
    }

    /** Guard item: the one scheduled recompute job of a tenant for a day (UTC, {@code yyyy-MM-dd}). */
    public static String dailyRecompute(String tenantId, String day) {
        return tenant(tenantId) + "#JOB#DAILY#" + day;
    }

    /**
     * The tenant a GSI3 partition key belongs to, if it is a tenant's customers partition
     * ({@link #customers}); empty for the other partitions of the index (outbox shards).
     */
    public static java.util.Optional<String> tenantOfCustomers(String gsi3PartitionKey) {
        String suffix = "#CUSTOMERS";
        if (gsi3PartitionKey == null || !gsi3PartitionKey.startsWith("T#") || !gsi3PartitionKey.endsWith(suffix)
                || gsi3PartitionKey.length() <= 2 + suffix.length()) {
            return java.util.Optional.empty();
        }
        String tenantId = gsi3PartitionKey.substring(2, gsi3PartitionKey.length() - suffix.length());
        return tenantId.contains("#") ? java.util.Optional.empty() : java.util.Optional.of(tenantId);
    }

    /** A tenant's analytics counters, sharded by customer; the sort key of every shard item. */
    public static final String COUNTERS = "COUNTERS";
    public static final int ANALYTICS_SHARDS = 4;

    public static String analytics(String tenantId, int shard) {
        return tenant(tenantId) + "#ANALYTICS#" + shard;
    }

    public static int analyticsShard(String customerId) {
        return Math.floorMod(customerId.hashCode(), ANALYTICS_SHARDS);
    }

    // ---- CSV exports ----------------------------------------------------------------------------

    /**
     * A tenant's exports: one partition, one item per export with its id (time-ordered) as the
     * sort key, so {@code GET /exports/{id}} is one GetItem and the newest first one Query. A
     * tenant starts few exports, and a running one writes its item once per uploaded part.
     */
    public static String exports(String tenantId) {
        return tenant(tenantId) + "#EXPORTS";
    }

    /**
     * The S3 object of an export, under the prefix the export functions may write: the tenant in
     * the key, like every key here.
     */
    public static String exportObject(String tenantId, String exportId) {
        return EXPORT_PREFIX + tenantId + "/" + exportId + ".csv";
    }

    /** The bucket prefix of every export object (the IAM policies grant this prefix only). */
    public static final String EXPORT_PREFIX = "exports/";
}
