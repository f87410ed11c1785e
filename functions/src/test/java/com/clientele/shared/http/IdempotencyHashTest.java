package com.clientele.shared.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An idempotency record knows its request by a keyed hash: the same request hashes the same (a
 * replay), another request differently (422), and without the secret a guessed card number cannot
 * be checked against it.
 */
class IdempotencyHashTest {

    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);

    private static ApiRequest guestPayment(String number) {
        return new ApiRequest("POST /guest-payments", "POST", "/guest-payments", Map.of(), Map.of(), Map.of(),
                "{\"card\": {\"number\": \"" + number + "\", \"cvc\": \"123\"}}", "t1", "alice", "r1", java.util.Set.of());
    }

    @Test
    void theSameRequestHashesTheSameAndAnotherDifferently() {
        assertThat(Idempotency.hash(SECRET, guestPayment("4242424242424242")))
                .isEqualTo(Idempotency.hash(SECRET, guestPayment("4242424242424242")))
                .isNotEqualTo(Idempotency.hash(SECRET, guestPayment("4000000000000002")));
    }

    @Test
    void theHashIsKeyedNotAPlainDigestOfTheBody() throws Exception {
        var request = guestPayment("4242424242424242");
        var digest = MessageDigest.getInstance("SHA-256");
        digest.update(request.routeKey().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(request.path().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(request.body().getBytes(StandardCharsets.UTF_8));
        String plain = HexFormat.of().formatHex(digest.digest());
        assertThat(Idempotency.hash(SECRET, request)).isNotEqualTo(plain)
                .isNotEqualTo(Idempotency.hash("another".getBytes(StandardCharsets.UTF_8), request));
    }
}
