package com.clientele.payments;

/**
 * What a payment pays for: an order, or a period of a subscription (its number, from 1), or a
 * subscription's buyout (its id without a period), and the invoice it pays when it pays one (with the
 * order or the period the invoice bills). Set by the service that charges, never taken from a client's
 * body; the payment shows it as {@code orderId}, {@code subscriptionId}, {@code period} and {@code invoiceId}.
 */
public record PaymentFor(String orderId, String subscriptionId, Integer period, String invoiceId) {

    public static final PaymentFor NONE = new PaymentFor(null, null, null, null);

    public PaymentFor {
        if (period != null && (subscriptionId == null || period < 1)) {
            throw new IllegalArgumentException("a period is a subscription's, from 1");
        }
    }

    public static PaymentFor order(String orderId) {
        return new PaymentFor(orderId, null, null, null);
    }

    public static PaymentFor period(String subscriptionId, int period) {
        return new PaymentFor(null, subscriptionId, period, null);
    }

    /** A payment of a subscription outside its periods (a buyout). */
    public static PaymentFor subscription(String subscriptionId) {
        return new PaymentFor(null, subscriptionId, null, null);
    }

    /** A payment of an invoice, which bills {@code billed} (an order, a subscription's period, or nothing more: {@link #NONE}). */
    public static PaymentFor invoice(String invoiceId, PaymentFor billed) {
        return new PaymentFor(billed.orderId(), billed.subscriptionId(), billed.period(), invoiceId);
    }
}
