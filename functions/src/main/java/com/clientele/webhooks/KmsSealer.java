package com.clientele.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Seals with KMS ({@code WEBHOOK_SECRET_SEALER=kms}, the template's): Encrypt under the key
 * {@code WEBHOOK_KMS_KEY_ID} with the tenant and endpoint as encryption context (CloudTrail shows each
 * Decrypt with them). A secret is 32 bytes, far under KMS's 4 KB, so no data key is needed. Opened
 * secrets are kept by a warm function (at most {@value #CACHED}), so a delivery does not cost a KMS call.
 */
final class KmsSealer implements SecretSealer {

    static final String PREFIX = "kms:";
    private static final int CACHED = 1_000;
    private final KmsClient kms;
    private final String keyId;
    private final Map<String, String> opened = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CACHED;
        }
    };

    KmsSealer(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    @Override
    public String seal(String secret, String tenantId, String endpointId) {
        var blob = kms.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromString(secret, StandardCharsets.UTF_8))
                .encryptionContext(context(tenantId, endpointId))).ciphertextBlob();
        return PREFIX + Base64.getEncoder().encodeToString(blob.asByteArrayUnsafe());
    }

    @Override
    public String open(String sealed, String tenantId, String endpointId) {
        if (!sealed.startsWith(PREFIX)) {
            throw new IllegalStateException("not sealed by KMS");
        }
        synchronized (opened) {
            String known = opened.get(sealed);
            if (known != null) {
                return known;
            }
        }
        var blob = SdkBytes.fromByteArray(Base64.getDecoder().decode(sealed.substring(PREFIX.length())));
        String secret = kms.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(context(tenantId, endpointId)))
                .plaintext().asUtf8String();
        synchronized (opened) {
            opened.put(sealed, secret);
        }
        return secret;
    }

    private static Map<String, String> context(String tenantId, String endpointId) {
        return Map.of("tenantId", tenantId, "endpointId", endpointId);
    }
}
