package com.clientele.payments;

/**
 * What a payment pays for: an order, or a period of a subscription (its number, from 1), or a
 * subscription's buyout (its id without a period). Set by the service that charges, never taken from a
 * client's body; the payment shows it as {@code orderId}, {@code subscriptionId} and {@code period}.
 */
public record PaymentFor(String orderId, String subscriptionId, Integer period) {

    public static final PaymentFor NONE = new PaymentFor(null, null, null);

    public PaymentFor {
        if (period != null && (subscriptionId == null || period < 1)) {
            throw new IllegalArgumentException("a period is a subscription's, from 1");
        }
    }

    public static PaymentFor order(String orderId) {
        return new PaymentFor(orderId, null, null);
    }

    public static PaymentFor period(String subscriptionId, int period) {
        return new PaymentFor(null, subscriptionId, period);
    }

    /** A payment of a subscription outside its periods (a buyout). */
    public static PaymentFor subscription(String subscriptionId) {
        return new PaymentFor(null, subscriptionId, null);
    }
}
