package com.clientele.shared.events;

import com.clientele.shared.Ids;
import com.clientele.shared.Keys;
import java.time.Instant;
import java.util.Set;

/**
 * A payment state change, as the consuming functions receive it on SQS. Delivery is at least once
 * and in any order: consumers dedupe by {@code id} and must not rely on arrival order.
 *
 * @param amount   minor units: the charge's amount, or the refund's for {@code payment.refunded}
 * @param occurredAt when the change happened: the payment's {@code createdAt} for a charge, the
 *                   refund's {@code createdAt} for a refund (as in the ledger; not the send's time)
 * @param cardFingerprint the fingerprint of the card the payment was made with (the tenant-keyed
 *                   HMAC the table keeps, never the number), or null: an optional field added within
 *                   schema version 1, absent from events written before it (read as null)
 */
public record PaymentEvent(String id, String type, int schemaVersion, String tenantId, String customerId,
                           String paymentId, String refundId, long amount, String currency, Instant occurredAt,
                           String storeId, String terminalId, String receiptId, String failureCode,
                           String cardFingerprint) {

    public static final int SCHEMA_VERSION = 1;
    public static final String SUCCEEDED = "payment.succeeded";
    public static final String FAILED = "payment.failed";
    public static final String REFUNDED = "payment.refunded";
    private static final Set<String> TYPES = Set.of(SUCCEEDED, FAILED, REFUNDED);

    /** A message that is not a payment event this version understands: consumers park it in the DLQ. */
    public static final class MalformedEvent extends RuntimeException {
        public MalformedEvent(String message) {
            super(message, null, false, false);
        }
    }

    /** Checks what every consumer relies on, including the ledger entry (payment, refund) it reports. */
    public void validate() {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new MalformedEvent("schema version " + schemaVersion + " is not " + SCHEMA_VERSION);
        }
        if (!TYPES.contains(type)) {
            throw new MalformedEvent("unknown type " + type);
        }
        if (!Ids.isValid(Ids.EVENT, id) || !Keys.isTenantId(tenantId)
                || customerId != null && !Ids.isValid(Ids.CUSTOMER, customerId)
                || occurredAt == null || currency == null || amount <= 0) {
            throw new MalformedEvent("missing or malformed id, tenantId, customerId, occurredAt, amount or currency");
        }
        if (!Ids.isValid(Ids.PAYMENT, paymentId) || REFUNDED.equals(type) && !Ids.isValid(Ids.REFUND, refundId)) {
            throw new MalformedEvent("missing or malformed paymentId (or refundId of a refund)");
        }
    }
}
