package com.clientele.shared.events;

import java.time.Instant;

/**
 * A payment state change, as the consuming functions receive it on SQS. Delivery is at least once
 * and in any order: consumers dedupe by {@code id} and must not rely on arrival order.
 *
 * @param amount   minor units: the charge's amount, or the refund's for {@code payment.refunded}
 * @param occurredAt when the change happened: the payment's {@code createdAt} for a charge, the
 *                   refund's {@code createdAt} for a refund (as in the ledger; not the send's time)
 */
public record PaymentEvent(String id, String type, int schemaVersion, String tenantId, String customerId,
                           String paymentId, String refundId, long amount, String currency, Instant occurredAt,
                           String storeId, String terminalId, String receiptId, String failureCode) {

    public static final int SCHEMA_VERSION = 1;
    public static final String SUCCEEDED = "payment.succeeded";
    public static final String FAILED = "payment.failed";
    public static final String REFUNDED = "payment.refunded";
}
