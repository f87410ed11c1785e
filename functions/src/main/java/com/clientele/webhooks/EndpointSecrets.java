package com.clientele.webhooks;

import java.time.Instant;

/**
 * An endpoint's signing secrets as stored: sealed ({@link SecretSealer}), never in clear. After a roll the
 * previous secret signs too until {@code previousExpiresAt}, so that a receiver can switch without a gap.
 */
record EndpointSecrets(String current, String previous, Instant previousExpiresAt) {

    /** The previous secret if it still signs at {@code now}. */
    String previousAt(Instant now) {
        return previous != null && previousExpiresAt != null && now.isBefore(previousExpiresAt) ? previous : null;
    }
}
