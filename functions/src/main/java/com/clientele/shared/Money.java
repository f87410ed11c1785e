package com.clientele.shared;

/** An amount in integer minor units of an ISO 4217 currency. Never floating point. */
public record Money(long amount, String currency) {

    public static Money zero(String currency) {
        return new Money(0, currency);
    }
}
