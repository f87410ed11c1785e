package com.clientele.shared.events;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

/**
 * An invoice's lifecycle, on the same path as the payment events (outbox, then every event queue), for
 * the outbound webhooks to deliver; named as Stripe names its invoice events. The consumers of payment
 * events pass them over ({@link Batches}).
 * <ul>
 *   <li>{@value #FINALIZED}: numbered and open (or paid at once when it asks nothing);</li>
 *   <li>{@value #PAID}: nothing left due (payments and credit notes together);</li>
 *   <li>{@value #PAYMENT_RECORDED}: a payment made outside the processor recorded on it ({@code paymentId},
 *   {@code amount}, {@code method}); a card payment has its {@code payment.succeeded};</li>
 *   <li>{@value #CREDIT_NOTE_CREATED}: a credit note on it ({@code creditNoteId}, {@code amount});</li>
 *   <li>{@value #VOIDED}, {@value #MARKED_UNCOLLECTIBLE};</li>
 *   <li>{@value #OVERDUE}: its due date passed with something still due (the daily overdue run, once).</li>
 * </ul>
 * Amounts are minor units of {@code currency}; {@code amountDue} is what it asks after the change.
 */
public record InvoiceEvent(String id, String type, int schemaVersion, String tenantId, String customerId, String invoiceId,
                           String number, String status, Instant occurredAt, long total, long amountDue, long amountPaid,
                           String currency, LocalDate dueDate, String paymentId, String creditNoteId, Long amount,
                           String method) implements OutboxEvent {

    public static final int SCHEMA_VERSION = 1;
    public static final String FINALIZED = "invoice.finalized";
    public static final String PAID = "invoice.paid";
    public static final String PAYMENT_RECORDED = "invoice.payment_recorded";
    public static final String CREDIT_NOTE_CREATED = "credit_note.created";
    public static final String VOIDED = "invoice.voided";
    public static final String MARKED_UNCOLLECTIBLE = "invoice.marked_uncollectible";
    public static final String OVERDUE = "invoice.overdue";
    /** Every type of this kind of event (what a webhook endpoint may subscribe to). */
    public static final Set<String> TYPES = Set.of(FINALIZED, PAID, PAYMENT_RECORDED, CREDIT_NOTE_CREATED, VOIDED,
            MARKED_UNCOLLECTIBLE, OVERDUE);

    /** Whether {@code type} is an invoice event's. */
    public static boolean isType(String type) {
        return type != null && TYPES.contains(type);
    }
}
