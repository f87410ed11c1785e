package com.clientele.subscriptions;

import static com.clientele.shared.Keys.tenant;

import com.clientele.shared.Table.Index;
import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The keys of subscriptions, declared once:
 * <ul>
 *   <li>the subscription: {@code T#<t>#C#<cus>} / {@code SUB#<sub>}, in its customer's partition (its item type below);</li>
 *   <li>its pointer: {@code T#<t>#SUBSCRIPTION#<sub>} / {@code POINTER}, naming the partition that holds it ({@code home}),
 *   so {@code GET /subscriptions/{id}} needs no customer id and a merge can move it;</li>
 *   <li>the due index (GSI1, sparse, every tenant's): {@code SUBDUE#<yyyy-mm-dd>#<shard>} /
 *   {@code <epoch millis, 15 digits>#<sub>} of the subscription's {@link Subscription#dueAt}, present only
 *   while it has one, in {@value #DUE_SHARDS} shards per UTC day, sorted by time, so the renewal run
 *   reads only what is due (as the points expiry reads its {@code PTSEXP#} lots);</li>
 *   <li>the reminder index (GSI2, sparse, every tenant's): {@code SUBREMIND#<yyyy-mm-dd>#<shard>} / the same sort key, of
 *   the subscription's next reminder ({@link SubscriptionReminders#indexAt}), present only while one is to come, so the
 *   run reads only the reminders due.</li>
 * </ul>
 */
public final class SubscriptionItems {

    /** Sort-key prefix of a customer's subscriptions (time-ordered ids: oldest first). */
    public static final String SUBSCRIPTION = "SUB#";
    /** Sort key of a subscription's pointer item. */
    public static final String POINTER = "POINTER";
    /** Shards of a day of the due index. */
    public static final int DUE_SHARDS = 8;

    private SubscriptionItems() {
    }

    /** The item type of the customer's partition this capability writes (built once, when the registry loads). */
    public static ItemType type() {
        // A subscription. A merge moves it to the primary (its customerId and its pointer with it). The erasure
        // removes its shipping address and keeps its asset's serial number: the serial names a thing the merchant
        // owns or sold, and once its holder's name and address are gone it no longer tells who holds it.
        return ItemType.named("subscription").sortKey(SortKey.prefix(SUBSCRIPTION))
                .indexKeys(Index.GSI1.pk(), Index.GSI1.sk(), Index.GSI2.pk(), Index.GSI2.sk())
                .merge(MergePolicy.custom("subscriptions", SubscriptionRepository::moveIntoPrimary))
                .export(ExportPolicy.list("subscriptions"))
                .erasure(ErasurePolicy.scrub(ErasurePolicy.Scrub.remove("shippingAddress")))
                .softDelete(SoftDeletePolicy.KEEP);
    }

    public static String sortKey(String subscriptionId) {
        return SUBSCRIPTION + subscriptionId;
    }

    /** The partition of a subscription's pointer. */
    public static String pointer(String tenantId, String subscriptionId) {
        return tenant(tenantId) + "#SUBSCRIPTION#" + subscriptionId;
    }

    /**
     * The index time of {@code at} for {@code s} as it is written ({@code updatedAt}): {@code at}, or the write's
     * time when {@code at} has passed already (a past-due subscription extended, a reminder whose day is gone), so
     * that it lands in a day the next run reads (from the last finished run's day, less one), never in one
     * that no run reads again. A subscription being billed (a renewal's claim) keeps its time: the run that
     * claimed it is reading its day, and one that dies leaves its day to be read again. Null when {@code at} is.
     */
    static Instant notBeforeItsWrite(Instant at, Subscription s) {
        Instant written = s.updatedAt() != null ? s.updatedAt() : s.createdAt();
        return at != null && written != null && s.billing() == null && at.isBefore(written) ? written : at;
    }

    /** GSI1 partition of the subscriptions due on {@code day} (UTC), one shard of it. */
    public static String due(LocalDate day, int shard) {
        return "SUBDUE#" + day + "#" + shard;
    }

    /** The due index's partition of a subscription due at {@code at}. */
    public static String due(Instant at, String subscriptionId) {
        return due(LocalDate.ofInstant(at, ZoneOffset.UTC), shard(subscriptionId));
    }

    /** GSI2 partition of the reminders due on {@code day} (UTC), one shard of it. */
    public static String reminders(LocalDate day, int shard) {
        return "SUBREMIND#" + day + "#" + shard;
    }

    /** The reminder index's partition of a subscription whose next reminder is at {@code at}. */
    public static String reminder(Instant at, String subscriptionId) {
        return reminders(LocalDate.ofInstant(at, ZoneOffset.UTC), shard(subscriptionId));
    }

    public static int shard(String subscriptionId) {
        return Math.floorMod(subscriptionId.hashCode(), DUE_SHARDS);
    }

    /** GSI1 sort key of a due subscription: its time first (zero-padded epoch millis), so a key condition reads only what is due by then. */
    public static String dueSortKey(Instant at, String subscriptionId) {
        return String.format("%015d", at.toEpochMilli()) + "#" + subscriptionId;
    }

    /** Above every due sort key at or before {@code at}: a key condition's upper bound. */
    public static String dueSortKeyThrough(Instant at) {
        return String.format("%015d", at.toEpochMilli()) + "$";
    }
}
