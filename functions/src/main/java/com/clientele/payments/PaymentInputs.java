package com.clientele.payments;

import com.clientele.shared.Money;

/** Request bodies of the payments API. */
final class PaymentInputs {

    private PaymentInputs() {
    }

    record SaveCard(CardDetails card, BillingAddress billingAddress) {
    }

    record Charge(Money amount, String description, String paymentMethodId, String storeId, String terminalId,
                  String receiptId) {
    }

    record RefundRequest(Money amount, String reason) {
    }

    record GuestCharge(String email, String phone, CardDetails card, Money amount, String description, String storeId,
                       String terminalId, String receiptId) {
    }
}
