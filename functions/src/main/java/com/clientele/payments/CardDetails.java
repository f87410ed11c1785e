package com.clientele.payments;

/**
 * A card as a caller submits it. Lives only for the request: the number and CVC go to the
 * gateway and nowhere else, so {@link #toString()} never shows them.
 */
public record CardDetails(String number, Integer expMonth, Integer expYear, String cvc, String holderName) {

    public String last4() {
        return number == null || number.length() < 4 ? null : number.substring(number.length() - 4);
    }

    public String bin() {
        return number == null || number.length() < 6 ? null : number.substring(0, 6);
    }

    @Override
    public String toString() {
        return "CardDetails[last4=" + last4() + ", expMonth=" + expMonth + ", expYear=" + expYear + "]";
    }
}
