package com.clientele.payments;

import static com.clientele.shared.Keys.tenant;

/**
 * The keys of saved cards and payments: the card, card-guard and payment items of a customer's
 * partition (and their item types), guest payments, the pointers that say where a payment lives and
 * the guest lookup indexes.
 */
public final class PaymentItems {

    /** Sort-key prefixes inside a customer's partition (ULIDs after them: oldest first). */
    public static final String CARD = "PM#";
    public static final String PAYMENT = "PAY#";
    /** Sort-key prefix of the guard items that make a card fingerprint unique per customer. */
    public static final String CARD_GUARD = "PMFP#";
    /** Sort key of the pointer item that says where a payment lives. */
    public static final String POINTER = "POINTER";

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
}
