package com.clientele.loyalty;

import java.time.Instant;

/**
 * Points earned by one succeeded charge: what is left of them ({@code pointsLeft}) goes down with
 * clawbacks (and later redemptions and expiry). {@code amount} and {@code currency} are the
 * charge's, kept so that a refund claws back its share of the lot.
 */
public record Lot(String id, long points, long pointsLeft, Instant earnedAt, Instant expiresAt, String storeId,
                  String terminalId, String transactionId, String receiptId, long amount, String currency) {

    Lot withPointsLeft(long left) {
        return new Lot(id, points, left, earnedAt, expiresAt, storeId, terminalId, transactionId, receiptId, amount, currency);
    }

    /** The UTC day the lot expires: the key of the balance's expiry schedule and the statement's expiryDate. */
    String expiryDate() {
        return expiresAt.toString().substring(0, 10);
    }
}
