package com.clientele.e2e;

import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The personal and secret values the tests used: customers' names, emails, phones and addresses,
 * card numbers, CVCs and holders, one-time and referral codes, tokens. {@link Api} registers what
 * goes through it (the fields of that kind in request and response bodies, its bearer token);
 * tests add others. {@link LogScanTest} then checks that none of them is in what the functions logged.
 */
final class SensitiveValues {

    /** The body fields whose values are personal, card data or codes, wherever they sit in a body. */
    static final Set<String> FIELDS = Set.of("firstName", "lastName", "email", "phone", "line1", "line2", "holderName",
            "number", "cvc", "otp", "referralCode", "referredBy");
    /** Shorter values are not looked for: they are everywhere (a two-digit month, a country). */
    static final int MIN_LENGTH = 3;
    /** Shorter values (a CVC, a short code or name) are looked for as a whole JSON string only: as a word, they are part of any count, time or id. */
    static final int MIN_WORD = 6;

    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();

    private SensitiveValues() {
    }

    static void register(String... values) {
        for (String value : values) {
            if (value != null && value.strip().length() >= MIN_LENGTH) {
                VALUES.add(value.strip());
            }
        }
    }

    /** The sensitive fields of a JSON body (not JSON: nothing), and the code an OTP request returned. */
    static void fromBody(String path, String body) {
        if (body == null || body.isBlank()) {
            return;
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            return;
        }
        collect(json);
        String code = json.path("code").asText("");
        if (path != null && path.endsWith("/points/otp") && code.matches("\\d{4,10}")) {
            register(code); // the one-time code (not a refusal's problem code)
        }
    }

    private static void collect(JsonNode node) {
        if (node.isObject()) {
            for (var field : node.properties()) {
                if (FIELDS.contains(field.getKey()) && (field.getValue().isTextual() || field.getValue().isNumber())) {
                    register(field.getValue().asText());
                } else {
                    collect(field.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(SensitiveValues::collect);
        }
    }

    static Set<String> all() {
        return Set.copyOf(VALUES);
    }

    /**
     * Those of {@code values} that are in {@code text}, each as a whole word; a short value (a CVC, a
     * four-character code) as a whole JSON string, since as a word it is part of any id or UUID.
     */
    static List<String> foundIn(String text, Set<String> values) {
        var found = new TreeSet<String>();
        for (String value : values) {
            if (value.length() < MIN_WORD) {
                if (text.contains("\"" + value + "\"")) {
                    found.add(value);
                }
            } else if (wholeWord(text, value)) {
                found.add(value);
            }
        }
        return new ArrayList<>(found);
    }

    /** Whether {@code value} is in {@code text} with no letter or digit right before or after it. */
    static boolean wholeWord(String text, String value) {
        for (int at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
            int end = at + value.length();
            boolean before = at > 0 && Character.isLetterOrDigit(text.charAt(at - 1));
            boolean after = end < text.length() && Character.isLetterOrDigit(text.charAt(end));
            if (!before && !after) {
                return true;
            }
        }
        return false;
    }
}
