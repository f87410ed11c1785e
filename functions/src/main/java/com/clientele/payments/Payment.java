package com.clientele.payments;

import com.clientele.shared.Money;
import com.clientele.shared.events.PaymentEvent;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A charge and what became of it ({@link PaymentStatus}; {@code failureCode} when it failed). {@code amountRefunded} counts
 * succeeded refunds; pending ones are reserved so that refunds can never exceed the amount. {@code orderId},
 * {@code subscriptionId}, {@code period} and {@code invoiceId} say what it paid for ({@link PaymentFor}; null for a plain charge).
 * A payment made outside the processor (a bank transfer, cash, a cheque: "mark as paid") has no
 * {@code paymentMethod} and says how it was paid in {@code offline}. {@code coupon}: the coupon it used (null: none).
 * {@code dispute}: the cardholder's dispute of it (null: none), and {@code disputed} shown true while there is one.
 */
@JsonIgnoreProperties(value = "disputed", allowGetters = true)
public record Payment(String id, String customerId, PaymentStatus status, Money amount, Money amountRefunded,
                      String description, PaymentCard paymentMethod, Offline offline, Guest guest, String storeId, String terminalId,
                      String receiptId, String orderId, String subscriptionId, Integer period, String invoiceId, String failureCode,
                      String failureMessage, List<Refund> refunds, PaymentCoupon coupon, PaymentDispute dispute, Instant createdAt,
                      Instant updatedAt, long version) {

    /** How a payment made outside the processor was paid, and the merchant's reference of it (a transfer's, a cheque's number). */
    public record Offline(OfflineMethod method, String reference) {
    }

    /** Who paid as a guest: the contact details given at checkout. */
    public record Guest(String email, String phone) {
    }

    /**
     * The events this payment's ledger entries emitted, as the payments function sent them but for
     * their ids (each send has its own): its outcome (succeeded or failed; none while pending), then
     * each succeeded refund, timed as the ledger records them. What a recompute or a reconciliation
     * replays; {@code tenant} may be null where only the figures matter.
     */
    public List<PaymentEvent> ledgerEvents(String tenant) {
        var events = new ArrayList<PaymentEvent>();
        switch (status) {
            case SUCCEEDED, PARTIALLY_REFUNDED, REFUNDED -> {
                events.add(event(tenant, PaymentEvent.SUCCEEDED, null, amount.amount(), createdAt));
                for (var r : refunds) {
                    if (r.status() == RefundStatus.SUCCEEDED) {
                        events.add(event(tenant, PaymentEvent.REFUNDED, r.id(), r.amount().amount(), r.createdAt()));
                    }
                }
                if (dispute != null && dispute.heldAt() != null) {
                    events.add(event(tenant, PaymentEvent.DISPUTED, dispute.id(), dispute.amount().amount(), dispute.heldAt()));
                    if (dispute.status() == DisputeStatus.WON || dispute.status() == DisputeStatus.LOST) {
                        events.add(event(tenant, dispute.status() == DisputeStatus.WON ? PaymentEvent.DISPUTE_WON : PaymentEvent.DISPUTE_LOST,
                                dispute.id(), dispute.amount().amount(), dispute.closedAt()));
                    }
                }
            }
            case FAILED -> events.add(event(tenant, PaymentEvent.FAILED, null, amount.amount(), createdAt));
            default -> {
                // pending: no outcome, no event yet
            }
        }
        return events;
    }

    private PaymentEvent event(String tenant, String type, String entryId, long amount, Instant at) {
        boolean refund = PaymentEvent.REFUNDED.equals(type);
        boolean disputeEntry = PaymentEvent.DISPUTE_TYPES.contains(type);
        return PaymentEvent.builder().type(type).tenantId(tenant).customerId(customerId).paymentId(id)
                .refundId(refund ? entryId : null).disputeId(disputeEntry ? entryId : null)
                .amount(amount).currency(this.amount.currency()).occurredAt(at).storeId(storeId).terminalId(terminalId)
                .receiptId(receiptId).failureCode(PaymentEvent.FAILED.equals(type) ? failureCode : null)
                .cardFingerprint(paymentMethod == null ? null : paymentMethod.fingerprint())
                .couponPoints(PaymentEvent.SUCCEEDED.equals(type) ? PaymentCoupon.pointsOf(coupon) : null).build();
    }

    /** Shown (true) while the payment has a dispute; never stored. */
    @JsonProperty("disputed")
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public boolean disputed() {
        return dispute != null;
    }

    /** The payment with its dispute's new state (the ledger entry the dispute makes). */
    Payment withDispute(PaymentDispute changed, Instant at) {
        return toBuilder().dispute(changed).updatedAt(at).version(version + 1).build();
    }

    /** What this payment paid for. */
    public PaymentFor paidFor() {
        return new PaymentFor(orderId, subscriptionId, period, invoiceId);
    }

    Payment settled(GatewayResult result, Instant at) {
        return toBuilder().status(result.succeeded() ? PaymentStatus.SUCCEEDED : PaymentStatus.FAILED)
                .failureCode(result.failureCode()).failureMessage(result.failureMessage()).updatedAt(at).version(version + 1).build();
    }

    /** What can still be refunded: the amount less succeeded and pending refunds, and what a dispute holds. */
    long refundable() {
        long pending = refunds.stream().filter(r -> r.status() == RefundStatus.PENDING).mapToLong(r -> r.amount().amount()).sum();
        return amount.amount() - amountRefunded.amount() - pending - (dispute == null ? 0 : dispute.held());
    }

    /** What a chargeback may still take: the amount less succeeded and pending refunds. */
    long disputable() {
        long pending = refunds.stream().filter(r -> r.status() == RefundStatus.PENDING).mapToLong(r -> r.amount().amount()).sum();
        return amount.amount() - amountRefunded.amount() - pending;
    }

    boolean isRefundable() {
        return status == PaymentStatus.SUCCEEDED || status == PaymentStatus.PARTIALLY_REFUNDED;
    }

    Payment withRefund(Refund refund, Instant at) {
        var all = new ArrayList<Refund>();
        boolean replaced = false;
        for (var r : refunds) {
            if (r.id().equals(refund.id())) {
                all.add(refund);
                replaced = true;
            } else {
                all.add(r);
            }
        }
        if (!replaced) {
            all.add(refund);
        }
        long refunded = all.stream().filter(r -> r.status() == RefundStatus.SUCCEEDED).mapToLong(r -> r.amount().amount()).sum();
        var newStatus = refunded == 0 ? PaymentStatus.SUCCEEDED
                : refunded >= amount.amount() ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED;
        return toBuilder().status(newStatus).amountRefunded(new Money(refunded, amount.currency())).refunds(List.copyOf(all))
                .updatedAt(at).version(version + 1).build();
    }

    /** A payment built field by field: nothing refunded (in the amount's currency), no refunds, version 1 unless said. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this payment's fields, to change some. */
    public Builder toBuilder() {
        return new Builder()
                .id(id)
                .customerId(customerId)
                .status(status)
                .amount(amount)
                .amountRefunded(amountRefunded)
                .description(description)
                .paymentMethod(paymentMethod)
                .offline(offline)
                .guest(guest)
                .storeId(storeId)
                .terminalId(terminalId)
                .receiptId(receiptId)
                .paidFor(paidFor())
                .failureCode(failureCode)
                .failureMessage(failureMessage)
                .refunds(refunds)
                .coupon(coupon)
                .dispute(dispute)
                .createdAt(createdAt)
                .updatedAt(updatedAt)
                .version(version);
    }

    public static final class Builder {

        private String id;
        private String customerId;
        private PaymentStatus status;
        private Money amount;
        private Money amountRefunded;
        private String description;
        private PaymentCard paymentMethod;
        private Offline offline;
        private Guest guest;
        private String storeId;
        private String terminalId;
        private String receiptId;
        private PaymentFor paidFor = PaymentFor.NONE;
        private String failureCode;
        private String failureMessage;
        private List<Refund> refunds = List.of();
        private PaymentCoupon coupon;
        private PaymentDispute dispute;
        private Instant createdAt;
        private Instant updatedAt;
        private long version = 1;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder customerId(String customerId) {
            this.customerId = customerId;
            return this;
        }

        public Builder status(PaymentStatus status) {
            this.status = status;
            return this;
        }

        public Builder amount(Money amount) {
            this.amount = amount;
            return this;
        }

        public Builder amountRefunded(Money amountRefunded) {
            this.amountRefunded = amountRefunded;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder paymentMethod(PaymentCard paymentMethod) {
            this.paymentMethod = paymentMethod;
            return this;
        }

        public Builder offline(Offline offline) {
            this.offline = offline;
            return this;
        }

        public Builder guest(Guest guest) {
            this.guest = guest;
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

        public Builder paidFor(PaymentFor paidFor) {
            this.paidFor = paidFor == null ? PaymentFor.NONE : paidFor;
            return this;
        }

        public Builder failureCode(String failureCode) {
            this.failureCode = failureCode;
            return this;
        }

        public Builder failureMessage(String failureMessage) {
            this.failureMessage = failureMessage;
            return this;
        }

        public Builder refunds(List<Refund> refunds) {
            this.refunds = refunds;
            return this;
        }

        public Builder coupon(PaymentCoupon coupon) {
            this.coupon = coupon;
            return this;
        }

        public Builder dispute(PaymentDispute dispute) {
            this.dispute = dispute;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Builder version(long version) {
            this.version = version;
            return this;
        }

        public Payment build() {
            var refunded = amountRefunded != null || amount == null ? amountRefunded : Money.zero(amount.currency());
            return new Payment(id, customerId, status, amount, refunded, description, paymentMethod, offline, guest, storeId,
                    terminalId, receiptId, paidFor.orderId(), paidFor.subscriptionId(), paidFor.period(), paidFor.invoiceId(), failureCode,
                    failureMessage, refunds, coupon, dispute, createdAt, updatedAt, version);
        }
    }
}
