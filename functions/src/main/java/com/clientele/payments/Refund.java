package com.clientele.payments;

import com.clientele.shared.Money;
import java.time.Instant;

/** A refund of (part of) a payment: {@code pending} while the processor works on it, then {@code succeeded} or {@code failed}. */
public record Refund(String id, String paymentId, String status, Money amount, String reason, String failureCode,
                     String failureMessage, Instant createdAt) {

    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
}
