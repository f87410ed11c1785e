package com.clientele.payments;

import com.clientele.shared.Text;
import com.clientele.shared.http.FieldError;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * What makes a submitted card acceptable before it goes to the processor: a Luhn-valid number of
 * 12 to 19 digits, an expiry that has not passed, a CVC of the brand's length. Reports every
 * offending field at once; never echoes the number or CVC in a message.
 */
public final class CardRules {

    public static final int MAX_HOLDER_NAME = 100;

    private CardRules() {
    }

    /**
     * The card's offending fields, as paths under {@code prefix} ({@code card} gives
     * {@code card.number}); empty when the card is acceptable. A card is still valid through the
     * last day of its expiry month, so {@code now} equal to the expiry is fine.
     */
    public static List<FieldError> validate(CardDetails card, YearMonth now, String prefix) {
        String at = prefix == null || prefix.isEmpty() ? "" : prefix + ".";
        var errors = new ArrayList<FieldError>();
        if (card == null) {
            errors.add(new FieldError(prefix == null || prefix.isEmpty() ? "card" : prefix, "is required"));
            return errors;
        }
        String number = normalise(card.number());
        if (number == null || number.isEmpty()) {
            errors.add(new FieldError(at + "number", "is required"));
        } else if (!digits(number)) {
            errors.add(new FieldError(at + "number", "must contain only digits, spaces and dashes"));
        } else if (number.length() < 12 || number.length() > 19) {
            errors.add(new FieldError(at + "number", "must have 12 to 19 digits"));
        } else if (!luhnValid(number)) {
            errors.add(new FieldError(at + "number", "is not a valid card number"));
        }

        Integer month = card.expMonth();
        Integer year = card.expYear();
        boolean monthOk = false;
        if (month == null) {
            errors.add(new FieldError(at + "expMonth", "is required"));
        } else if (month < 1 || month > 12) {
            errors.add(new FieldError(at + "expMonth", "must be between 1 and 12"));
        } else {
            monthOk = true;
        }
        if (year == null) {
            errors.add(new FieldError(at + "expYear", "is required"));
        } else if (year < 1000 || year > 9999) {
            errors.add(new FieldError(at + "expYear", "must have 4 digits"));
        } else if (year < now.getYear()) {
            errors.add(new FieldError(at + "expYear", "is in the past"));
        } else if (monthOk && YearMonth.of(year, month).isBefore(now)) {
            errors.add(new FieldError(at + "expMonth", "is in the past"));
        }

        String cvc = card.cvc();
        int cvcLength = "amex".equals(brand(number)) ? 4 : 3;
        if (cvc == null || cvc.isEmpty()) {
            errors.add(new FieldError(at + "cvc", "is required"));
        } else if (cvc.length() != cvcLength || !digits(cvc)) {
            errors.add(new FieldError(at + "cvc", "must be " + cvcLength + " digits"));
        }

        String holderFault = card.holderName() == null ? null : Text.fault(card.holderName(), false);
        if (holderFault != null) {
            errors.add(new FieldError(at + "holderName", holderFault));
        } else if (card.holderName() != null && card.holderName().length() > MAX_HOLDER_NAME) {
            errors.add(new FieldError(at + "holderName", "must be at most " + MAX_HOLDER_NAME + " characters"));
        }
        return errors;
    }

    /** The number without the spaces and dashes people type into it; null stays null. */
    public static String normalise(String number) {
        if (number == null) {
            return null;
        }
        var out = new StringBuilder(number.length());
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c != ' ' && c != '-') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The card brand its number's prefix announces: {@code visa}, {@code mastercard},
     * {@code amex}, {@code discover}, {@code jcb}, {@code diners}, {@code unionpay}, or
     * {@code unknown} (also for anything that is not a number).
     */
    public static String brand(String number) {
        String n = normalise(number);
        if (n == null || n.length() < 4 || !digits(n)) {
            return "unknown";
        }
        int two = Integer.parseInt(n.substring(0, 2));
        int three = Integer.parseInt(n.substring(0, 3));
        int four = Integer.parseInt(n.substring(0, 4));
        if (n.charAt(0) == '4') {
            return "visa";
        }
        if (two == 34 || two == 37) {
            return "amex";
        }
        if (two == 36 || (three >= 300 && three <= 305)) {
            return "diners";
        }
        if (four >= 3528 && four <= 3589) {
            return "jcb";
        }
        if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) {
            return "mastercard";
        }
        if (four == 6011 || two == 65 || (three >= 644 && three <= 649)) {
            return "discover";
        }
        if (two == 62) {
            return "unionpay";
        }
        return "unknown";
    }

    /** Whether a string of digits passes the Luhn (mod 10) check. */
    public static boolean luhnValid(String digits) {
        if (digits == null || digits.isEmpty() || !digits(digits)) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    private static boolean digits(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
