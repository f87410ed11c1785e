package com.clientele.invoices;

import com.clientele.customers.Address;
import com.clientele.customers.Balance;
import com.clientele.payments.PaymentCoupon;
import com.clientele.shared.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * An invoice: what a customer is asked to pay, in one currency, line by line ({@link InvoiceLine}), and
 * what became of it. A {@code draft} is edited freely and has no number; finalising it gives it the
 * tenant's next {@code number}, the customer's details as they are then ({@code billTo}), its
 * {@code paymentTerms} and {@code dueDate}, and makes it {@code open}: from then on only payments and
 * credit notes change what it asks. {@code amountDue} is {@code total} less {@code amountPaid} and
 * {@code amountCredited} (credit notes on an open invoice); the invoice is {@code paid} when nothing is
 * left due. {@code amountRefunded} is what credit notes refunded of a paid invoice's payments.
 * {@code orderId}, or {@code subscriptionId} and {@code period}, say what it bills when it was made from
 * an order or a subscription's period; {@code billingGroup}, when it is a billing group's consolidated
 * invoice for a period, to the group's payer. An open invoice whose {@code dueDate} has passed is marked
 * {@code overdue} (since {@code overdueSince}) once, by the daily overdue run; it stays {@code open}, as
 * Stripe keeps it. What it still asks counts in its customer's balance ({@link #share}). {@code discount}: the
 * coupon a draft was given ({@code couponCode}; null: none), taken off what its lines ask with their tax
 * ({@code discount.amountBefore}, {@code subtotal} + {@code tax}): {@code total} is what is left after it. Its use is
 * taken when the invoice is finalised, given back when it is voided.
 */
public record Invoice(String id, String number, String customerId, InvoiceStatus status, String currency, List<InvoiceLine> lines,
                      Money subtotal, Money tax, PaymentCoupon discount, Money total, Money amountPaid, Money amountCredited, Money amountRefunded,
                      Money amountDue, String memo, BillTo billTo, String paymentTerms, LocalDate dueDate, String orderId,
                      String subscriptionId, Integer period, Consolidation billingGroup, List<InvoicePayment> payments, List<CreditNote> creditNotes,
                      Instant createdAt, Instant updatedAt, Instant finalizedAt, Instant paidAt, Instant voidedAt,
                      Instant markedUncollectibleAt, boolean overdue, Instant overdueSince, long version) {

    /** Payment terms of a customer who has none: due the day the invoice is finalised. */
    public static final String DUE_ON_RECEIPT = "DUE_ON_RECEIPT";

    public Invoice {
        lines = List.copyOf(lines);
        payments = List.copyOf(payments);
        creditNotes = List.copyOf(creditNotes);
    }

    /** Who an invoice is for, as the customer's profile said when it was finalised. */
    public record BillTo(String name, String email, String company, String vatNumber, Address address) {
    }

    /**
     * What an invoice bills besides its lines: an order, or a subscription's period, or a billing group's
     * period ({@code groupPeriod}: {@code BG#<bg>#<yyyy-MM>}), or nothing more.
     */
    public record Source(String orderId, String subscriptionId, Integer period, String groupPeriod) {

        public static final Source NONE = new Source(null, null, null);

        public Source(String orderId, String subscriptionId, Integer period) {
            this(orderId, subscriptionId, period, null);
        }

        /** The key of the guard that lets one invoice only be made of it; null for none. */
        String key() {
            return orderId != null ? orderId : subscriptionId != null ? subscriptionId + "#" + period : groupPeriod;
        }
    }

    /**
     * A consolidated invoice's billing group ({@code billingGroupId}) and period ({@code billingPeriod},
     * {@code yyyy-MM}), and each member's lines and their total ({@code members}, by customer id).
     */
    public record Consolidation(String billingGroupId, String billingPeriod, List<MemberTotal> members) {

        public Consolidation {
            members = List.copyOf(members);
        }

        String key() {
            return "BG#" + billingGroupId + "#" + billingPeriod;
        }
    }

    /** A member's part of a consolidated invoice: its lines (member subscription periods) and what they come to. */
    public record MemberTotal(String customerId, int lines, Money total) {
    }

    static Invoice draft(String id, String customerId, String currency, InvoiceTotals totals, PaymentCoupon discount, String memo,
                         Source source, Instant now) {
        var zero = Money.zero(currency);
        long total = after(totals, discount);
        return new Invoice(id, null, customerId, InvoiceStatus.DRAFT, currency, totals.lines(), money(totals.subtotal(), currency),
                money(totals.tax(), currency), discount, money(total, currency), zero, zero, zero, money(total, currency), memo,
                null, null, null, source.orderId(), source.subscriptionId(), source.period(), null, List.of(), List.of(), now, now, null,
                null, null, null, false, null, 1);
    }

    /**
     * A billing group's period invoiced to its payer ({@code customerId}): a draft of its lines, which says
     * which group and period it bills and what each member's lines come to ({@link Consolidation}).
     */
    static Invoice consolidated(String id, String customerId, String currency, InvoiceTotals totals, Consolidation group, Instant now) {
        var zero = Money.zero(currency);
        return new Invoice(id, null, customerId, InvoiceStatus.DRAFT, currency, totals.lines(), money(totals.subtotal(), currency),
                money(totals.tax(), currency), null, money(totals.total(), currency), zero, zero, zero, money(totals.total(), currency), null,
                null, null, null, null, null, null, group, List.of(), List.of(), now, now, null, null, null, null, false, null, 1);
    }

    public String etag() {
        return "\"" + version + "\"";
    }

    Source source() {
        return new Source(orderId, subscriptionId, period, billingGroup == null ? null : billingGroup.key());
    }

    /** What can still be paid or credited now: what is due less the payments being made. */
    long available() {
        return amountDue.amount() - payments.stream().filter(InvoicePayment::pending).mapToLong(p -> p.amount().amount()).sum();
    }

    /** What credit notes may still refund: what was paid less what was refunded. */
    long refundable() {
        return amountPaid.amount() - amountRefunded.amount();
    }

    /** What is asked of {@code totals} after {@code discount} (none: all of it). */
    private static long after(InvoiceTotals totals, PaymentCoupon discount) {
        return discount == null ? totals.total() : totals.total() - discount.discount().amount();
    }

    /** A draft with other lines, currency, coupon or memo. */
    Invoice edited(String newCurrency, InvoiceTotals totals, PaymentCoupon newDiscount, String newMemo, Instant at) {
        var zero = Money.zero(newCurrency);
        long total = after(totals, newDiscount);
        return new Invoice(id, number, customerId, status, newCurrency, totals.lines(), money(totals.subtotal(), newCurrency),
                money(totals.tax(), newCurrency), newDiscount, money(total, newCurrency), zero, zero, zero,
                money(total, newCurrency), newMemo, billTo, paymentTerms, dueDate, orderId, subscriptionId, period, billingGroup, payments,
                creditNotes, createdAt, at, finalizedAt, paidAt, voidedAt, markedUncollectibleAt, overdue, overdueSince, version + 1);
    }

    /** Finalised: numbered, billed to the customer as they are now, due on its terms; paid at once when it asks nothing. */
    Invoice finalized(String newNumber, BillTo to, String terms, LocalDate due, Instant at) {
        boolean nothingDue = amountDue.amount() == 0;
        return new Invoice(id, newNumber, customerId, nothingDue ? InvoiceStatus.PAID : InvoiceStatus.OPEN, currency, lines, subtotal,
                tax, discount, total, amountPaid, amountCredited, amountRefunded, amountDue, memo, to, terms, due, orderId, subscriptionId, period, billingGroup,
                payments, creditNotes, createdAt, at, at, nothingDue ? at : null, voidedAt, markedUncollectibleAt, overdue, overdueSince, version + 1);
    }

    /** Its share of its customer's balance: what an open invoice asks, overdue too once marked (see {@link Balance}). */
    Balance share() {
        return Balance.of(status == InvoiceStatus.OPEN, overdue, amountDue.amount(), currency);
    }

    /** Whether it is open, not marked overdue yet, and its due date is before {@code today}: the overdue run marks it. */
    boolean pastDue(LocalDate today) {
        return status == InvoiceStatus.OPEN && !overdue && dueDate != null && dueDate.isBefore(today);
    }

    /** Whether the overdue run is to find it: open, not marked overdue, with a due date (the due index holds it). */
    boolean awaitingDue() {
        return status == InvoiceStatus.OPEN && !overdue && dueDate != null;
    }

    /** Marked overdue at {@code at} (still open). */
    Invoice markedOverdue(Instant at) {
        return new Invoice(id, number, customerId, status, currency, lines, subtotal, tax, discount, total, amountPaid, amountCredited,
                amountRefunded, amountDue, memo, billTo, paymentTerms, dueDate, orderId, subscriptionId, period, billingGroup, payments, creditNotes,
                createdAt, at, finalizedAt, paidAt, voidedAt, markedUncollectibleAt, true, at, version + 1);
    }

    /** A payment being made: its amount reserved. */
    Invoice paying(InvoicePayment payment, Instant at) {
        var all = new ArrayList<>(payments);
        all.add(payment);
        return withPayments(all, amountPaid.amount(), amountDue.amount(), at);
    }

    /** The payment {@code paymentId} succeeded: paid, and the invoice paid when nothing is left due. */
    Invoice settled(String paymentId, Instant at) {
        var all = new ArrayList<InvoicePayment>();
        long paid = 0;
        for (var p : payments) {
            if (p.paymentId().equals(paymentId) && p.pending()) {
                all.add(p.succeeded());
                paid = p.amount().amount();
            } else {
                all.add(p);
            }
        }
        return withPayments(all, amountPaid.amount() + paid, amountDue.amount() - paid, at);
    }

    /** The payment {@code paymentId} did not happen (declined, or abandoned): its reservation dropped. */
    Invoice released(String paymentId, Instant at) {
        var all = payments.stream().filter(p -> !(p.paymentId().equals(paymentId) && p.pending())).toList();
        return withPayments(all, amountPaid.amount(), amountDue.amount(), at);
    }

    /** A credit note: off what is due (paid when nothing is left), or, refunded, counted as refunded. */
    Invoice credited(CreditNote note, Instant at) {
        var notes = new ArrayList<>(creditNotes);
        notes.add(note);
        long credit = note.refunded() ? 0 : note.amount().amount();
        long due = amountDue.amount() - credit;
        boolean nowPaid = status.collecting() && due == 0;
        return new Invoice(id, number, customerId, nowPaid ? InvoiceStatus.PAID : status, currency, lines, subtotal, tax, discount, total,
                amountPaid, money(amountCredited.amount() + credit, currency),
                money(amountRefunded.amount() + (note.refunded() ? note.amount().amount() : 0), currency), money(due, currency), memo,
                billTo, paymentTerms, dueDate, orderId, subscriptionId, period, billingGroup, payments, notes, createdAt, at, finalizedAt,
                nowPaid ? at : paidAt, voidedAt, markedUncollectibleAt, overdue, overdueSince, version + 1);
    }

    Invoice voided(Instant at) {
        return new Invoice(id, number, customerId, InvoiceStatus.VOID, currency, lines, subtotal, tax, discount, total, amountPaid, amountCredited,
                amountRefunded, money(0, currency), memo, billTo, paymentTerms, dueDate, orderId, subscriptionId, period, billingGroup, payments,
                creditNotes, createdAt, at, finalizedAt, paidAt, at, markedUncollectibleAt, overdue, overdueSince, version + 1);
    }

    Invoice uncollectible(Instant at) {
        return new Invoice(id, number, customerId, InvoiceStatus.UNCOLLECTIBLE, currency, lines, subtotal, tax, discount, total, amountPaid,
                amountCredited, amountRefunded, amountDue, memo, billTo, paymentTerms, dueDate, orderId, subscriptionId, period, billingGroup,
                payments, creditNotes, createdAt, at, finalizedAt, paidAt, voidedAt, at, overdue, overdueSince, version + 1);
    }

    private Invoice withPayments(List<InvoicePayment> all, long paid, long due, Instant at) {
        boolean nowPaid = status.collecting() && due == 0;
        return new Invoice(id, number, customerId, nowPaid ? InvoiceStatus.PAID : status, currency, lines, subtotal, tax, discount, total,
                money(paid, currency), amountCredited, amountRefunded, money(due, currency), memo, billTo, paymentTerms, dueDate,
                orderId, subscriptionId, period, billingGroup, all, creditNotes, createdAt, at, finalizedAt, nowPaid ? at : paidAt, voidedAt,
                markedUncollectibleAt, overdue, overdueSince, version + 1);
    }

    private static Money money(long amount, String currency) {
        return new Money(amount, currency);
    }
}
