package com.clientele.loyalty;

import java.time.Instant;

/**
 * One row of a customer's points statement. {@code points} is signed (credits positive, debits
 * negative); {@code lotId} and {@code pointsLeft} are the lot the line credited or took from and
 * what it held right after (a redemption writes one line per lot it used); {@code unrecoverable}
 * (CLAWBACK only) what the refund should have taken but the balance no longer held; {@code reason}
 * and {@code userId} (redemptions, adjustments) why and by whom (the caller's JWT subject). A
 * REFERRAL line's {@code transactionId} is the referral ({@code ref_…}) that paid the bonus; an EXPIRE
 * line is dated when its lot expired and leaves it at 0. An EARN line of a campaign (after the
 * payment's own EARN line, on the same lot) names the campaign ({@code campaignId}) and says what it
 * added ({@code description}); both are null on every other line.
 */
public record StatementLine(String type, Instant createdAt, String lotId, String storeId, String terminalId,
                            String transactionId, String refundId, String expiryDate, long points, Long pointsLeft,
                            Long unrecoverable, String reason, String userId, String campaignId, String description) {

    public StatementLine(String type, Instant createdAt, String lotId, String storeId, String terminalId, String transactionId,
                         String refundId, String expiryDate, long points, Long pointsLeft, Long unrecoverable, String reason,
                         String userId) {
        this(type, createdAt, lotId, storeId, terminalId, transactionId, refundId, expiryDate, points, pointsLeft, unrecoverable,
                reason, userId, null, null);
    }

    public static final String EARN = "EARN";
    public static final String CLAWBACK = "CLAWBACK";
    public static final String REDEEM = "REDEEM";
    public static final String ADJUST = "ADJUST";
    public static final String REFERRAL = "REFERRAL";
    public static final String EXPIRE = "EXPIRE";
    /** The extra points of the customer's tier on what a charge earned (its {@code reason} names the tier and its multiplier). */
    public static final String TIER = "TIER";
}
