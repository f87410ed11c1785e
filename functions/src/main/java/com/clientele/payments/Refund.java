package com.clientele.payments;

import com.clientele.shared.Money;
import java.time.Instant;

/** A refund of (part of) a payment, and what became of it ({@link RefundStatus}; {@code failureCode} when it failed). */
public record Refund(String id, String paymentId, RefundStatus status, Money amount, String reason, String failureCode,
                     String failureMessage, Instant createdAt) {
}
