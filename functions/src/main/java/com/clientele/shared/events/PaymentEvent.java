package com.clientele.shared.events;

import com.clientele.shared.Ids;
import com.clientele.shared.Keys;
import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param couponPoints a succeeded charge's free-points coupon (its campaign, code and points), credited with the
 *                   charge's points; null for any other event. Optional within schema version 1, like {@code cardFingerprint}
 * @param disputeId  the dispute a {@code payment.dispute_*} event reports (absent from the others' JSON): the ledger
 *                   entry it counts, with the type. Optional within schema version 1
 */
public record PaymentEvent(String id, String type, int schemaVersion, String tenantId, String customerId,
                           String paymentId, String refundId, long amount, String currency, Instant occurredAt,
                           String storeId, String terminalId, String receiptId, String failureCode,
                           String cardFingerprint, CouponPoints couponPoints,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String disputeId) implements OutboxEvent {

    /** The points of a free-points coupon a charge used. */
    public record CouponPoints(String campaignId, String code, long points) {
    }

    public static final int SCHEMA_VERSION = 1;
    public static final String SUCCEEDED = "payment.succeeded";
    public static final String FAILED = "payment.failed";
    public static final String REFUNDED = "payment.refunded";
    /** A chargeback took the disputed amount ({@code amount}) from the merchant: it is held out of the customer's value. */
    public static final String DISPUTED = "payment.dispute_opened";
    /** The merchant won the dispute: the amount held comes back. */
    public static final String DISPUTE_WON = "payment.dispute_won";
    /** The merchant lost the dispute: the amount held is gone for good (the points earned on it are taken back). */
    public static final String DISPUTE_LOST = "payment.dispute_lost";
    /** The types that report a step of a payment's dispute ({@code disputeId}). */
    public static final Set<String> DISPUTE_TYPES = Set.of(DISPUTED, DISPUTE_WON, DISPUTE_LOST);
    /** Every type of this kind of event (what a webhook endpoint may subscribe to). */
    public static final Set<String> TYPES = Set.of(SUCCEEDED, FAILED, REFUNDED, DISPUTED, DISPUTE_WON, DISPUTE_LOST);

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
        if (!Ids.isValid(Ids.PAYMENT, paymentId) || REFUNDED.equals(type) && !Ids.isValid(Ids.REFUND, refundId)
                || DISPUTE_TYPES.contains(type) && !Ids.isValid(Ids.DISPUTE, disputeId)) {
            throw new MalformedEvent("missing or malformed paymentId (or refundId of a refund, disputeId of a dispute)");
        }
    }

    /**
     * The ledger entry this event reports, as consumers key their markers of applied entries: the refund for a refund,
     * the dispute for its chargeback ({@code dp_...}) and its outcome ({@code dp_...:won}, {@code dp_...:lost}), else the
     * payment (a payment settles once, as succeeded or as failed).
     */
    public String entryId() {
        return switch (type) {
            case REFUNDED -> refundId;
            case DISPUTED -> disputeId;
            case DISPUTE_WON -> disputeId + ":won";
            case DISPUTE_LOST -> disputeId + ":lost";
            default -> paymentId;
        };
    }

    /** An event built field by field, of the current schema version unless said. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these fields, to change some. */
    public Builder toBuilder() {
        return new Builder()
                .id(id)
                .type(type)
                .schemaVersion(schemaVersion)
                .tenantId(tenantId)
                .customerId(customerId)
                .paymentId(paymentId)
                .refundId(refundId)
                .amount(amount)
                .currency(currency)
                .occurredAt(occurredAt)
                .storeId(storeId)
                .terminalId(terminalId)
                .receiptId(receiptId)
                .failureCode(failureCode)
                .cardFingerprint(cardFingerprint)
                .couponPoints(couponPoints)
                .disputeId(disputeId);
    }

    public static final class Builder {

        private String id;
        private String type;
        private int schemaVersion = SCHEMA_VERSION;
        private String tenantId;
        private String customerId;
        private String paymentId;
        private String refundId;
        private long amount;
        private String currency;
        private Instant occurredAt;
        private String storeId;
        private String terminalId;
        private String receiptId;
        private String failureCode;
        private String cardFingerprint;
        private CouponPoints couponPoints;
        private String disputeId;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder type(String type) {
            this.type = type;
            return this;
        }

        public Builder schemaVersion(int schemaVersion) {
            this.schemaVersion = schemaVersion;
            return this;
        }

        public Builder tenantId(String tenantId) {
            this.tenantId = tenantId;
            return this;
        }

        public Builder customerId(String customerId) {
            this.customerId = customerId;
            return this;
        }

        public Builder paymentId(String paymentId) {
            this.paymentId = paymentId;
            return this;
        }

        public Builder refundId(String refundId) {
            this.refundId = refundId;
            return this;
        }

        public Builder amount(long amount) {
            this.amount = amount;
            return this;
        }

        public Builder currency(String currency) {
            this.currency = currency;
            return this;
        }

        public Builder occurredAt(Instant occurredAt) {
            this.occurredAt = occurredAt;
            return this;
        }

        public Builder storeId(String storeId) {
            this.storeId = storeId;
            return this;
        }

        public Builder terminalId(String terminalId) {
            this.terminalId = terminalId;
            return this;
        }

        public Builder receiptId(String receiptId) {
            this.receiptId = receiptId;
            return this;
        }

        public Builder failureCode(String failureCode) {
            this.failureCode = failureCode;
            return this;
        }

        public Builder cardFingerprint(String cardFingerprint) {
            this.cardFingerprint = cardFingerprint;
            return this;
        }

        public Builder couponPoints(CouponPoints couponPoints) {
            this.couponPoints = couponPoints;
            return this;
        }

        public Builder disputeId(String disputeId) {
            this.disputeId = disputeId;
            return this;
        }

        public PaymentEvent build() {
            return new PaymentEvent(id, type, schemaVersion, tenantId, customerId, paymentId, refundId, amount,
                    currency, occurredAt, storeId, terminalId, receiptId, failureCode, cardFingerprint, couponPoints, disputeId);
        }
    }
}
