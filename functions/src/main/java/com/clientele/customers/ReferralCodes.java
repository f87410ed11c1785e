package com.clientele.customers;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Referral codes: {@value #LENGTH} characters of Crockford's base32 alphabet (digits and letters
 * without I, L, O and U, so nothing is misread or spelled by accident), drawn from a
 * {@link SecureRandom}: 40 bits, short enough to read out at a till and too many to guess (a tenant
 * with a million customers holds one code in a million). Unique per tenant through a guard item
 * written with the customer; a collision (about one creation in a million at that size) draws again.
 * Codes are matched as Crockford reads them: case-insensitive, hyphens and spaces ignored, O read
 * as 0 and I or L as 1.
 */
public final class ReferralCodes {

    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    static final int LENGTH = 8;

    private ReferralCodes() {
    }

    /** A new code. A generator per call: nothing drawn at init that a SnapStart snapshot could repeat. */
    static String next() {
        return next(new SecureRandom());
    }

    static String next(RandomGenerator random) {
        var code = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            code[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(code);
    }

    /** The canonical form of a code as a person typed it, or empty if it cannot be one. */
    static Optional<String> canonical(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        var code = new StringBuilder(LENGTH);
        for (char c : raw.strip().toUpperCase(Locale.ROOT).toCharArray()) {
            char read = switch (c) {
                case '-', ' ' -> 0;
                case 'O' -> '0';
                case 'I', 'L' -> '1';
                default -> c;
            };
            if (read == 0) {
                continue;
            }
            if (ALPHABET.indexOf(read) < 0 || code.length() == LENGTH) {
                return Optional.empty();
            }
            code.append(read);
        }
        return code.length() == LENGTH ? Optional.of(code.toString()) : Optional.empty();
    }
}
