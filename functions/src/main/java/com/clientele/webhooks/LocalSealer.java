package com.clientele.webhooks;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The local cloud's sealer ({@code WEBHOOK_SECRET_SEALER=local}): AES-256-GCM under a fixed development
 * key, the tenant and endpoint as associated data. It keeps secrets out of the table's clear text, not
 * away from whoever has this code: never the sealer of a deployment (the template says {@code kms}).
 */
final class LocalSealer implements SecretSealer {

    static final String PREFIX = "local:";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    LocalSealer() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest("clientele local webhook secrets".getBytes(StandardCharsets.UTF_8));
            this.key = new SecretKeySpec(digest, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String seal(String secret, String tenantId, String endpointId) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            var cipher = cipher(Cipher.ENCRYPT_MODE, iv, tenantId, endpointId);
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal", e);
        }
    }

    @Override
    public String open(String sealed, String tenantId, String endpointId) {
        if (!sealed.startsWith(PREFIX)) {
            throw new IllegalStateException("not sealed by the local sealer");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            var cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(bytes, 12), tenantId, endpointId);
            return new String(cipher.doFinal(bytes, 12, bytes.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot open a sealed secret", e);
        }
    }

    private Cipher cipher(int mode, byte[] iv, String tenantId, String endpointId) throws GeneralSecurityException {
        var cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(128, iv));
        cipher.updateAAD((tenantId + "/" + endpointId).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
