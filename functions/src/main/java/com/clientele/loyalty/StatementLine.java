package com.clientele.loyalty;

import java.time.Instant;

/**
 * One row of a customer's points statement. {@code points} is signed (EARN and REFERRAL positive,
 * CLAWBACK negative); {@code pointsLeft} is what the line's lot held right after it; {@code unrecoverable}
 * (CLAWBACK only) what the refund should have taken but the balance no longer held. A REFERRAL line's
 * {@code transactionId} is the referral ({@code ref_…}) that paid the bonus.
 */
public record StatementLine(String type, Instant createdAt, String lotId, String storeId, String terminalId,
                            String transactionId, String refundId, String expiryDate, long points, Long pointsLeft,
                            Long unrecoverable) {

    public static final String EARN = "EARN";
    public static final String CLAWBACK = "CLAWBACK";
    public static final String REFERRAL = "REFERRAL";
}
