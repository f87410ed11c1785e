package com.clientele.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Clientele-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}, the
 * key being the whole secret ({@code whsec_…}) as UTF-8; a second {@code v1} while a rolled secret's
 * previous one still signs. A receiver accepts the request if any {@code v1} matches and {@code t} is recent.
 */
final class Signatures {

    static final String HEADER = "Clientele-Signature";
    static final String SECRET_PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signatures() {
    }

    /** A new signing secret: {@code whsec_} and 32 random bytes in hex. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return SECRET_PREFIX + HexFormat.of().formatHex(bytes);
    }

    /** The header's value for {@code body} sent at {@code unixSeconds}, signed by each of {@code secrets} (nulls skipped). */
    static String header(long unixSeconds, String body, String... secrets) {
        var header = new StringBuilder("t=").append(unixSeconds);
        for (String secret : secrets) {
            if (secret != null) {
                header.append(",v1=").append(hmac(secret, unixSeconds + "." + body));
            }
        }
        return header.toString();
    }

    static String hmac(String secret, String payload) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
