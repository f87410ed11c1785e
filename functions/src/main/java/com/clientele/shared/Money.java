package com.clientele.shared;

/** An amount in integer minor units of an ISO 4217 currency. Never floating point. */
public record Money(long amount, String currency) {

    public static Money zero(String currency) {
        return new Money(0, currency);
    }

    /**
     * An ISO 4217 code as the API takes it: three upper-case letters the JDK knows, of a currency that has
     * minor units — not the codes for no currency (XXX), testing (XTS), precious metals (XAU) or
     * special drawing rights (XDR), which money is never charged in.
     */
    public static boolean isCurrency(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            return false;
        }
        try {
            return java.util.Currency.getInstance(code).getDefaultFractionDigits() >= 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
