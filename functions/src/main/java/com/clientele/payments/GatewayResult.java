package com.clientele.payments;

/**
 * The processor's answer to a charge or refund: its reference for the operation and, when it
 * declined, a stable failure code ({@code card_declined}, {@code insufficient_funds},
 * {@code expired_card}, {@code processing_error}, ...) and a message fit for the merchant.
 */
public record GatewayResult(String reference, String failureCode, String failureMessage) {

    public static GatewayResult succeeded(String reference) {
        return new GatewayResult(reference, null, null);
    }

    public static GatewayResult declined(String reference, String code, String message) {
        return new GatewayResult(reference, code, message);
    }

    public boolean succeeded() {
        return failureCode == null;
    }
}
