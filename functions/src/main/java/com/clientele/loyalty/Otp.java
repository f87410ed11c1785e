package com.clientele.loyalty;

import java.time.Instant;

/**
 * A one-time code sent to a customer to approve a redemption. Only a keyed hash of the code is
 * kept ({@code codeHash}); it is good once ({@code usedAt}, the {@code redemptionId} it approved),
 * until {@code expiresAt}, and for a few wrong guesses ({@code failedAttempts}).
 */
record Otp(String id, String codeHash, Instant issuedAt, Instant expiresAt, Instant usedAt, String redemptionId,
           int failedAttempts, String channel, String sentTo) {

    Otp used(Instant at, String redemption) {
        return new Otp(id, codeHash, issuedAt, expiresAt, at, redemption, failedAttempts, channel, sentTo);
    }

    boolean expiredAt(Instant at) {
        return !expiresAt.isAfter(at);
    }
}
