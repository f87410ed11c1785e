package com.clientele.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The local authorizer: issues development tokens signed with a key pair of its own (kept in the
 * data folder, so tokens survive a restart) and checks presented tokens the way API Gateway's JWT
 * authorizer does: RS256 signature, issuer, audience, expiry and not-before. The route's scopes
 * are checked by the {@link HttpApiGateway}.
 */
final class Jwts {

    static final Duration TOKEN_LIFETIME = Duration.ofHours(12);
    private final RSAKey key;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    Jwts(Path keyFile, String issuer, String audience, Clock clock) {
        this.key = loadOrCreate(keyFile);
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    String issuer() {
        return issuer;
    }

    String audience() {
        return audience;
    }

    /** A token of the {@link Roles#DEFAULT} role. */
    String issue(String tenantId, String userId) {
        return issue(tenantId, userId, Roles.DEFAULT, Roles.PRESETS.get(Roles.DEFAULT));
    }

    /** A token with {@code scopes} in its {@code scope} claim, space-separated as OAuth 2.0 has it. */
    String issue(String tenantId, String userId, Collection<String> scopes) {
        return issue(tenantId, userId, null, scopes);
    }

    /**
     * A token of {@code role} (its {@code role} claim, when not null) with {@code scopes}; without a
     * {@code sub} claim when {@code userId} is null.
     */
    String issue(String tenantId, String userId, String role, Collection<String> scopes) {
        var now = clock.instant();
        var builder = new JWTClaimsSet.Builder()
                .issuer(issuer).audience(audience)
                .claim("tenant_id", tenantId)
                .claim("scope", String.join(" ", scopes))
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
                .jwtID(UUID.randomUUID().toString());
        if (userId != null) {
            builder.subject(userId);
        }
        if (role != null) {
            builder.claim("role", role);
        }
        var claims = builder.build();
        try {
            var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token's claims as API Gateway passes them (all strings), or empty when it must be refused. */
    Optional<Map<String, String>> verify(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String token = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : authorization.trim();
        try {
            var jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))) {
                return Optional.empty();
            }
            var claims = jwt.getJWTClaimsSet();
            var now = Date.from(clock.instant());
            if (!issuer.equals(claims.getIssuer())
                    || claims.getAudience() == null || !claims.getAudience().contains(audience)
                    || claims.getExpirationTime() == null || !claims.getExpirationTime().after(now)
                    || claims.getNotBeforeTime() != null && claims.getNotBeforeTime().after(now)) {
                return Optional.empty();
            }
            var result = new LinkedHashMap<String, String>();
            claims.getClaims().forEach((name, value) -> result.put(name, stringify(value)));
            return Optional.of(result);
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String stringify(Object value) {
        if (value instanceof Date date) {
            return Long.toString(date.toInstant().getEpochSecond());
        }
        if (value instanceof List<?> list) {
            return list.size() == 1 ? String.valueOf(list.get(0)) : "[" + String.join(" ", list.stream().map(String::valueOf).toList()) + "]";
        }
        return String.valueOf(value);
    }

    private static RSAKey loadOrCreate(Path keyFile) {
        try {
            if (keyFile != null && Files.exists(keyFile)) {
                return RSAKey.parse(Files.readString(keyFile));
            }
            var key = new RSAKeyGenerator(2048).keyID("local-" + UUID.randomUUID()).generate();
            if (keyFile != null) {
                Files.createDirectories(keyFile.getParent());
                Files.writeString(keyFile, key.toJSONString());
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot load the local signing key " + keyFile, e);
        }
    }
}
