package com.clientele.invoices;

import com.clientele.shared.events.InvoiceEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The events a change of an invoice makes ({@link InvoiceEvent}), read off the change itself (the invoice
 * before, none for a new one, and after): every writer of an invoice gets them, none can forget one. They go
 * in the change's own transaction (the outbox), so each is produced once, with the change.
 */
final class InvoiceEvents {

    private static final String CARD = "card";

    private InvoiceEvents() {
    }

    static List<InvoiceEvent> of(String tenant, Invoice before, Invoice after, Supplier<String> ids, Instant at) {
        var events = new ArrayList<InvoiceEvent>();
        var was = before == null ? InvoiceStatus.DRAFT : before.status();
        if (was == InvoiceStatus.DRAFT && after.status() != InvoiceStatus.DRAFT) {
            events.add(event(ids.get(), InvoiceEvent.FINALIZED, tenant, after, at, null, null, null, null));
        }
        if (before != null) {
            for (var payment : after.payments()) {
                var earlier = before.payments().stream().filter(p -> p.paymentId().equals(payment.paymentId())).findFirst();
                if (!payment.pending() && !CARD.equals(payment.method()) && earlier.map(InvoicePayment::pending).orElse(true)) {
                    events.add(event(ids.get(), InvoiceEvent.PAYMENT_RECORDED, tenant, after, at, payment.paymentId(), null,
                            payment.amount().amount(), payment.method()));
                }
            }
            for (var note : after.creditNotes()) {
                if (before.creditNotes().stream().noneMatch(n -> n.id().equals(note.id()))) {
                    events.add(event(ids.get(), InvoiceEvent.CREDIT_NOTE_CREATED, tenant, after, at, note.paymentId(), note.id(),
                            note.amount().amount(), null));
                }
            }
        }
        if (after.overdue() && (before == null || !before.overdue())) {
            events.add(event(ids.get(), InvoiceEvent.OVERDUE, tenant, after, at, null, null, null, null));
        }
        if (after.status() != was) {
            String type = switch (after.status()) {
                case PAID -> InvoiceEvent.PAID;
                case VOID -> InvoiceEvent.VOIDED;
                case UNCOLLECTIBLE -> InvoiceEvent.MARKED_UNCOLLECTIBLE;
                default -> null;
            };
            if (type != null) {
                events.add(event(ids.get(), type, tenant, after, at, null, null, null, null));
            }
        }
        return events;
    }

    private static InvoiceEvent event(String id, String type, String tenant, Invoice invoice, Instant at, String paymentId,
                                      String creditNoteId, Long amount, String method) {
        return new InvoiceEvent(id, type, InvoiceEvent.SCHEMA_VERSION, tenant, invoice.customerId(), invoice.id(),
                Objects.requireNonNull(invoice.number()), invoice.status().value(), at, invoice.total().amount(),
                invoice.amountDue().amount(), invoice.amountPaid().amount(), invoice.currency(), invoice.dueDate(), paymentId,
                creditNoteId, amount, method);
    }
}
