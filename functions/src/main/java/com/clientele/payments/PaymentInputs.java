package com.clientele.payments;

import com.clientele.shared.Money;

/** Request bodies of the payments API, and the commands the routes make of them for {@link PaymentService}. */
public final class PaymentInputs {

    private PaymentInputs() {
    }

    public record SaveCard(CardDetails card, BillingAddress billingAddress) {
    }

    /** A charge of a saved card; {@code couponCode}: a coupon to take off the amount (null: none). */
    public record Charge(Money amount, String description, String paymentMethodId, String storeId, String terminalId,
                         String receiptId, String couponCode) {
    }

    public record RefundRequest(Money amount, String reason) {
    }

    /** A charge without a customer; {@code couponCode}: a shared coupon to take off the amount (null: none). */
    public record GuestCharge(String email, String phone, CardDetails card, Money amount, String description, String storeId,
                              String terminalId, String receiptId, String couponCode) {
    }

    public record SaveCardCommand(String tenant, String customerId, SaveCard input) {
    }

    /** A charge of a saved card; {@code paidFor} is set by the service that charges (an order, a subscription), never by a client. */
    public record ChargeCommand(String tenant, String customerId, Charge input, PaymentFor paidFor) {

        public ChargeCommand(String tenant, String customerId, Charge input) {
            this(tenant, customerId, input, PaymentFor.NONE);
        }
    }

    /** A payment made outside the processor: {@code method} ({@link OfflineMethod}) and the merchant's {@code reference} of it. */
    public record OfflinePayment(Money amount, String description, String method, String reference) {
    }

    /** An offline payment to record as paid; {@code paidFor} is set by the service that records it (a subscription's period). */
    public record OfflinePaymentCommand(String tenant, String customerId, OfflinePayment input, PaymentFor paidFor) {
    }

    public record GuestChargeCommand(String tenant, GuestCharge input) {
    }

    public record RefundCommand(String tenant, String paymentId, RefundRequest input) {
    }
}
