package com.clientele.loyalty;

import java.time.Instant;

/**
 * One row of a customer's points statement. {@code points} is signed (EARN positive, CLAWBACK and
 * EXPIRE negative); {@code pointsLeft} is what the line's lot held right after it (0 after EXPIRE,
 * dated when the lot expired); {@code unrecoverable} (CLAWBACK only) what the refund should have
 * taken but the balance no longer held.
 */
public record StatementLine(String type, Instant createdAt, String lotId, String storeId, String terminalId,
                            String transactionId, String refundId, String expiryDate, long points, Long pointsLeft,
                            Long unrecoverable) {

    public static final String EARN = "EARN";
    public static final String CLAWBACK = "CLAWBACK";
    public static final String EXPIRE = "EXPIRE";
}
