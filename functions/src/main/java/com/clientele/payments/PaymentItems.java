package com.clientele.payments;

import static com.clientele.shared.Keys.tenant;

import com.clientele.shared.Table;
import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergeContext;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of saved cards and payments: the card, card-guard and payment items of a customer's
 * partition (and their item types), guest payments, the pointers that say where a payment lives and
 * the guest lookup indexes, and the index of every payment of the tenant by time (GSI6: {@link #tenantPayments}).
 */
public final class PaymentItems {

    /** Sort-key prefixes inside a customer's partition (ULIDs after them: oldest first). */
    public static final String CARD = "PM#";
    public static final String PAYMENT = "PAY#";
    /** Sort-key prefix of the guard items that make a card fingerprint unique per customer. */
    public static final String CARD_GUARD = "PMFP#";
    /** Sort-key prefix of a payment's dispute, in the payment's partition. */
    public static final String DISPUTE = "DSP#";
    /** Sort key of the pointer item that says where a payment lives. */
    public static final String POINTER = "POINTER";
    /** The index of every payment of a tenant by creation time ({@link #tenantPayments}, {@link #byTime}). */
    public static final Table.Index BY_TIME = Table.Index.GSI6;

    /** The item types of the customer's partition this capability writes (built once, when the registry loads). */
    public static List<ItemType> types() {
        // The guard that makes a card fingerprint unique per customer (it names the customer's card).
        var cardGuard = ItemType.named("cardGuard").sortKey(SortKey.prefix(CARD_GUARD)).indexKeys()
                .merge(MergePolicy.move(null).deciding((item, merge) -> dropOrMove(dropped(primaryCardGuards(merge),
                        item.path(Table.SK).asText().substring(CARD_GUARD.length()), item.path("paymentMethodId").asText()))))
                .export(ExportPolicy.notExported("a uniqueness guard"))
                .erasure(ErasurePolicy.keep("a fingerprint and a card id"))
                .softDelete(SoftDeletePolicy.KEEP);
        // A saved card; dropped by a merge where the primary holds the same card.
        var card = ItemType.named("card").sortKey(SortKey.prefix(CARD)).indexKeys()
                .merge(MergePolicy.moveAsCustomer("paymentMethods").deciding((item, merge) -> dropOrMove(
                        dropped(primaryCardGuards(merge), item.path("fingerprint").asText(), item.path("id").asText()))))
                .export(ExportPolicy.list("paymentMethods", "cardToken"))
                .erasure(ErasurePolicy.scrub(ErasurePolicy.Scrub.remove("holderName"), ErasurePolicy.Scrub.remove("billingAddress"),
                        ErasurePolicy.Scrub.release("cardToken")))
                .softDelete(SoftDeletePolicy.KEEP);
        // A customer's payment, with its refunds: the ledger. GSI6: in the tenant's payments by time.
        var payment = ItemType.named("payment").sortKey(SortKey.prefix(PAYMENT)).indexKeys(BY_TIME.pk(), BY_TIME.sk())
                .merge(MergePolicy.custom("payments", PaymentRepository::moveIntoPrimary))
                .export(ExportPolicy.list("payments", "cardToken", "gatewayReference"))
                // the ledger (amounts, dates, ids) stays whole; the texts typed about it go
                .erasure(ErasurePolicy.scrub(ErasurePolicy.Scrub.replace("description", ErasurePolicy.ERASED),
                        ErasurePolicy.Scrub.replace("refunds[].reason", ErasurePolicy.ERASED), ErasurePolicy.Scrub.remove("guest")))
                .softDelete(SoftDeletePolicy.KEEP);
        // A payment's dispute: moves with its payment; its amounts stay, the evidence typed about it goes.
        var dispute = ItemType.named("dispute").sortKey(SortKey.prefix(DISPUTE)).indexKeys(Table.Index.GSI1.pk(), Table.Index.GSI1.sk(), Table.Index.GSI2.pk(), Table.Index.GSI2.sk())
                .merge(MergePolicy.custom("disputes", DisputeRepository::moveIntoPrimary))
                .export(ExportPolicy.list("disputes", "processorDisputeId"))
                .erasure(ErasurePolicy.scrub(ErasurePolicy.Scrub.replace("evidence.productDescription", ErasurePolicy.ERASED),
                        ErasurePolicy.Scrub.replace("evidence.customerCommunication", ErasurePolicy.ERASED),
                        ErasurePolicy.Scrub.replace("evidence.shippingTrackingNumber", ErasurePolicy.ERASED),
                        ErasurePolicy.Scrub.replace("evidence.refundPolicy", ErasurePolicy.ERASED),
                        ErasurePolicy.Scrub.replace("evidence.uncategorizedText", ErasurePolicy.ERASED),
                        ErasurePolicy.Scrub.remove("evidence.files")))
                .softDelete(SoftDeletePolicy.KEEP);
        return List.of(cardGuard, card, payment, dispute);
    }

    /**
     * A duplicate's card (or its guard) is dropped by a merge when the primary holds the same card: its
     * guard for that fingerprint names another card ({@code guards}: fingerprint → card id).
     */
    public static boolean dropped(Map<String, String> guards, String fingerprint, String paymentMethodId) {
        String holder = guards.get(fingerprint);
        return holder != null && !holder.equals(paymentMethodId);
    }

    private static MergePolicy.Action dropOrMove(boolean dropped) {
        return dropped ? MergePolicy.Action.DROP : MergePolicy.Action.MOVE;
    }

    /** The primary's card guards: fingerprint → its card's id. */
    private static Map<String, String> primaryCardGuards(MergeContext merge) {
        var guards = new HashMap<String, String>();
        for (ObjectNode item : merge.primaryItems(SortKey.prefix(CARD_GUARD))) {
            guards.put(item.path(Table.SK).asText().substring(CARD_GUARD.length()), item.path("paymentMethodId").asText());
        }
        return guards;
    }

    private PaymentItems() {
    }

    public static String cardSortKey(String paymentMethodId) {
        return CARD + paymentMethodId;
    }

    /** Guard item (in the customer's partition) that makes a card fingerprint unique per customer. */
    public static String cardGuardSortKey(String fingerprint) {
        return CARD_GUARD + fingerprint;
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

    public static String disputeSortKey(String disputeId) {
        return DISPUTE + disputeId;
    }

    /** Pointer item from a dispute id to the partition that holds the dispute. */
    public static String disputePointer(String tenantId, String disputeId) {
        return tenant(tenantId) + "#DISPUTE#" + disputeId;
    }

    /** Pointer item from the processor's id of a dispute to ours: it exists once, so a dispute is recorded once. */
    public static String processorDisputePointer(String tenantId, String processorDisputeId) {
        return tenant(tenantId) + "#DISPUTE#PROC#" + processorDisputeId;
    }

    /** GSI1 of disputes: every dispute of the tenant, newest first. */
    public static String tenantDisputes(String tenantId) {
        return tenant(tenantId) + "#DISPUTES";
    }

    /** GSI2 of disputes: the tenant's disputes in one status, newest first. */
    public static String tenantDisputes(String tenantId, DisputeStatus status) {
        return tenant(tenantId) + "#DISPUTES#" + status.json();
    }

    /** Receipt partition: one pointer item per payment with that receipt id (sort key = payment id). */
    public static String receipt(String tenantId, String receiptId) {
        return tenant(tenantId) + "#RECEIPT#" + receiptId;
    }

    /** GSI6 of every payment, a customer's or a guest's: the tenant's payments, by creation time. */
    public static String tenantPayments(String tenantId) {
        return tenant(tenantId) + "#PAYMENTS";
    }

    /**
     * GSI6 sort key of a payment: its creation time (epoch milliseconds, 15 digits, so that keys sort as
     * times do: the stored ISO-8601 times do not), then its id.
     */
    public static String byTime(Instant createdAt, String paymentId) {
        return millis(createdAt.toEpochMilli()) + "#" + paymentId;
    }

    /** A GSI6 sort key before those of the payments created at {@code from} or later (to the millisecond). */
    public static String byTimeFrom(Instant from) {
        return millis(from.toEpochMilli());
    }

    /** A GSI6 sort key after those of the payments created at {@code to} or earlier (to the millisecond). */
    public static String byTimeTo(Instant to) {
        return millis(to.toEpochMilli()) + "#~";
    }

    private static String millis(long epochMillis) {
        return String.format(java.util.Locale.ROOT, "%015d", epochMillis);
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
}
