package com.clientele.shared.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CursorsTest {

    private final Cursors cursors = new Cursors("secret");
    private final Map<String, String> position = Map.of("PK", "T#acme#C#cus_1", "SK", "PROFILE");

    @Test
    void roundTrips() {
        String cursor = cursors.encode("acme", "customers|-createdAt", position);
        assertThat(cursors.decode("acme", "customers|-createdAt", cursor)).isEqualTo(position);
    }

    @Test
    void refusesTamperingAnotherTenantAnotherListAndAnotherKey() {
        String cursor = cursors.encode("acme", "customers|-createdAt", position);
        String payload = cursor.substring(0, cursor.indexOf('.'));
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(payload)).replace("cus_1", "cus_2").getBytes())
                + cursor.substring(cursor.indexOf('.'));
        for (var call : new Runnable[] {
                () -> cursors.decode("acme", "customers|-createdAt", forged),
                () -> cursors.decode("other", "customers|-createdAt", cursor),
                () -> cursors.decode("acme", "customers|name", cursor),
                () -> new Cursors("another").decode("acme", "customers|-createdAt", cursor),
                () -> cursors.decode("acme", "customers|-createdAt", "garbage"),
                () -> cursors.decode("acme", "customers|-createdAt", "a.b")}) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.errors()).extracting(FieldError::field).containsExactly("cursor");
            });
        }
    }
}
