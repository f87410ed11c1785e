package com.clientele.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.shared.http.ApiRoutes;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local authorizer accepts what API Gateway's JWT authorizer accepts, and nothing else. */
class JwtsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private final Jwts jwts = new Jwts(null, "https://issuer.test", "clientele", Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void acceptsItsOwnTokensAndPassesClaimsAsStrings() {
        var claims = jwts.verify("Bearer " + jwts.issue("acme", "alice")).orElseThrow();
        assertThat(claims).containsEntry("tenant_id", "acme").containsEntry("sub", "alice")
                .containsEntry("iss", "https://issuer.test").containsEntry("aud", "clientele");
        assertThat(claims.get("exp")).isEqualTo(Long.toString(NOW.plus(Jwts.TOKEN_LIFETIME).getEpochSecond()));
    }

    @Test
    void tokensCarryTheirScopesSpaceSeparatedAndAnAdminsByDefault() {
        var claims = jwts.verify(jwts.issue("acme", "bob", List.of("customers:read", "points:read"))).orElseThrow();
        assertThat(claims).containsEntry("scope", "customers:read points:read");
        var admin = jwts.verify(jwts.issue("acme", "alice")).orElseThrow();
        assertThat(admin.get("scope").split(" ")).containsExactlyInAnyOrderElementsOf(ApiRoutes.scopes());
    }

    @Test
    void refusesExpiredTokens() {
        String token = jwts.issue("acme", "alice");
        var later = new Jwts(null, "https://issuer.test", "clientele",
                Clock.fixed(NOW.plus(Jwts.TOKEN_LIFETIME).plus(Duration.ofSeconds(1)), ZoneOffset.UTC));
        assertThat(later.verify(token)).isEmpty();
    }

    @Test
    void refusesAnotherIssuerAudienceOrKey(@TempDir Path dir) {
        Path key = dir.resolve("key.json");
        var clock = Clock.fixed(NOW, ZoneOffset.UTC);
        String token = new Jwts(key, "https://issuer.test", "clientele", clock).issue("acme", "alice");
        assertThat(new Jwts(key, "https://issuer.test", "clientele", clock).verify(token)).as("same key, issuer, audience").isPresent();
        assertThat(new Jwts(key, "https://other.test", "clientele", clock).verify(token)).as("other issuer").isEmpty();
        assertThat(new Jwts(key, "https://issuer.test", "billing", clock).verify(token)).as("other audience").isEmpty();
        assertThat(jwts.verify(token)).as("signed by another key").isEmpty();
    }

    @Test
    void refusesTamperedUnsignedAndSymmetricTokens() throws Exception {
        String token = jwts.issue("acme", "alice");
        String[] parts = token.split("\\.");
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"iss\":\"https://issuer.test\",\"aud\":\"clientele\",\"sub\":\"alice\",\"tenant_id\":\"evil\",\"exp\":9999999999}".getBytes());
        assertThat(jwts.verify(parts[0] + "." + otherPayload + "." + parts[2])).isEmpty();
        assertThat(jwts.verify(parts[0] + "." + parts[1] + ".")).isEmpty();
        assertThat(jwts.verify(null)).isEmpty();
        assertThat(jwts.verify("Bearer ")).isEmpty();

        var hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().issuer("https://issuer.test")
                .audience("clientele").subject("alice").claim("tenant_id", "acme")
                .expirationTime(Date.from(NOW.plusSeconds(60))).build());
        hmac.sign(new MACSigner("0123456789abcdef0123456789abcdef"));
        assertThat(jwts.verify(hmac.serialize())).isEmpty();
    }

    @Test
    void theSigningKeySurvivesARestart(@TempDir Path dir) {
        var first = new Jwts(dir.resolve("key.json"), "https://issuer.test", "clientele", Clock.fixed(NOW, ZoneOffset.UTC));
        var second = new Jwts(dir.resolve("key.json"), "https://issuer.test", "clientele", Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(second.verify(first.issue("acme", "alice"))).isPresent();
    }
}
