package com.clientele.payments;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Card fingerprints: HMAC-SHA256 of the card number under a per-tenant key (itself an HMAC of the
 * tenant id under the master secret). The same card gives the same fingerprint within a tenant,
 * and nothing that can be matched across tenants or reversed without the secret.
 */
public final class Fingerprints {

    private final byte[] master;

    public Fingerprints(String masterSecret) {
        this.master = masterSecret.getBytes(StandardCharsets.UTF_8);
    }

    public String of(String tenant, String cardNumber) {
        byte[] tenantKey = hmac(master, "card-fingerprint:" + tenant);
        byte[] digest = hmac(tenantKey, cardNumber);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 24);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
