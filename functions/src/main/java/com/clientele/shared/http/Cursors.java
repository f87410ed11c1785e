package com.clientele.shared.http;

import com.clientele.shared.Json;
import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque pagination cursors: a position in a list, bound to the tenant and to the list's sort and
 * filters (its scope), signed with HMAC-SHA256. A cursor that was altered, or presented to another
 * tenant or another list, is refused as a 400 on {@code cursor}. Cursors are tamper-evident, not
 * secret: they hold key values the caller can already see.
 */
public final class Cursors {

    private static final TypeReference<Payload> PAYLOAD = new TypeReference<>() { };
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private final SecretKeySpec key;

    public Cursors(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    record Payload(String t, String s, Map<String, String> p) {
    }

    /** Where a page of list {@code scope} starts: after the position its cursor names, or at the start. */
    public Map<String, String> after(String tenant, String scope, ListParams paging) {
        return paging.cursor() == null ? null : decode(tenant, scope, paging.cursor());
    }

    /** The cursor of the page after {@code slice}, or null when it was the last. */
    public String next(String tenant, String scope, com.clientele.shared.Pages.Slice slice) {
        return slice.resumeAfter() == null ? null : encode(tenant, scope, slice.resumeAfter());
    }

    public String encode(String tenant, String scope, Map<String, String> position) {
        byte[] payload = Json.write(new Payload(tenant, scope, position)).getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(sign(payload));
    }

    public Map<String, String> decode(String tenant, String scope, String cursor) {
        int dot = cursor.indexOf('.');
        try {
            if (dot <= 0) {
                throw new IllegalArgumentException("no signature");
            }
            byte[] payload = Base64.getUrlDecoder().decode(cursor.substring(0, dot));
            byte[] signature = Base64.getUrlDecoder().decode(cursor.substring(dot + 1));
            if (!MessageDigest.isEqual(sign(payload), signature)) {
                throw new IllegalArgumentException("bad signature");
            }
            var decoded = Json.MAPPER.readValue(payload, PAYLOAD);
            if (!tenant.equals(decoded.t()) || !scope.equals(decoded.s()) || decoded.p() == null) {
                throw new IllegalArgumentException("other list");
            }
            return decoded.p();
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw ApiException.invalid("cursor", "is not a cursor issued for this list; start again without it");
        }
    }

    private byte[] sign(byte[] payload) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
