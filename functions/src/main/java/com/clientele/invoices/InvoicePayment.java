package com.clientele.invoices;

import com.clientele.shared.Money;
import java.time.Instant;

/**
 * A payment toward an invoice: {@code pending} while it is being made (its amount reserved, so two
 * payments cannot both take the last cent), then {@code succeeded}; a declined one is dropped.
 * {@code method} is {@code card} or the offline method ({@code bank_transfer}, {@code cash}, {@code cheque}).
 */
public record InvoicePayment(String paymentId, Money amount, String method, String status, Instant createdAt) {

    static final String PENDING = "pending";
    static final String SUCCEEDED = "succeeded";

    boolean pending() {
        return PENDING.equals(status);
    }

    InvoicePayment succeeded() {
        return new InvoicePayment(paymentId, amount, method, SUCCEEDED, createdAt);
    }
}
