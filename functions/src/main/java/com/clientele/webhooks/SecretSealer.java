package com.clientele.webhooks;

/**
 * Seals the endpoints' signing secrets for storage and opens them to sign: KMS in AWS ({@link KmsSealer}),
 * a fixed development key in the local cloud ({@link LocalSealer}). Each sealed secret is bound to its
 * tenant and endpoint (KMS's encryption context, AES-GCM's associated data): moved to another item, it
 * does not open.
 */
public interface SecretSealer {

    String seal(String secret, String tenantId, String endpointId);

    String open(String sealed, String tenantId, String endpointId);
}
