package com.clientele.ltv;

import com.clientele.customers.CustomerStats;
import com.clientele.payments.Payment;
import com.clientele.shared.Money;
import com.clientele.shared.events.PaymentEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/**
 * A customer's aggregates as a fold over payment events, in any order: sums are commutative, and
 * first/last times are min/max (a tie on the last purchase keeps the larger amount), so every
 * order of the same set of events gives the same stats. The ledger (the customer's payments with
 * their refunds) maps to the very events that were emitted, so a recompute from the ledger gives
 * what the aggregator kept — or shows the drift.
 */
public final class StatsFold {

    private StatsFold() {
    }

    public static CustomerStats apply(CustomerStats s, PaymentEvent e) {
        String currency = s.ltv().currency() != null ? s.ltv().currency() : e.currency();
        long ltv = s.ltv().amount();
        long orders = s.orders();
        long refunded = s.refunded() == null ? 0 : s.refunded().amount();
        long failed = s.failedPayments();
        Instant first = s.firstPurchaseAt();
        Instant last = s.lastPurchaseAt();
        Money lastValue = s.lastOrderValue();
        Instant lastFailed = s.lastFailedAt();
        long disputes = s.disputeCount();
        long disputed = s.disputedAmount().amount();
        Instant at = e.occurredAt();
        switch (e.type()) {
            case PaymentEvent.SUCCEEDED -> {
                ltv += e.amount();
                orders++;
                first = first == null || at.isBefore(first) ? at : first;
                if (last == null || at.isAfter(last) || at.equals(last) && e.amount() > lastValue.amount()) {
                    last = at;
                    lastValue = new Money(e.amount(), currency);
                }
            }
            case PaymentEvent.REFUNDED -> {
                ltv -= e.amount();
                refunded += e.amount();
            }
            case PaymentEvent.FAILED -> {
                failed++;
                lastFailed = lastFailed == null || at.isAfter(lastFailed) ? at : lastFailed;
            }
            case PaymentEvent.DISPUTED -> {
                // held out of the value from the chargeback on
                ltv -= e.amount();
                disputes++;
                disputed += e.amount();
            }
            case PaymentEvent.DISPUTE_WON -> {
                ltv += e.amount();
                disputed -= e.amount();
            }
            case PaymentEvent.DISPUTE_LOST -> {
                // out for good: it was held out already
            }
            default -> throw new IllegalArgumentException("unknown payment event type " + e.type());
        }
        return stats(currency, ltv, orders, refunded, failed, first, last, lastValue, lastFailed, disputes, disputed);
    }

    /**
     * The event as the profile keeps it until it is folded into the stats ({@link #fromPending}): what
     * {@link #apply} reads of it, and the entry it reports, which makes it unique.
     */
    public static String pending(PaymentEvent e) {
        return String.join(" ", entryId(e), e.type(), Long.toString(e.amount()), e.currency(), e.occurredAt().toString());
    }

    /** A pending event ({@link #pending}) as the event {@link #apply} folds. */
    static PaymentEvent fromPending(String pending) {
        String[] f = pending.split(" ");
        if (f.length != 5) {
            throw new IllegalArgumentException("not a pending payment event: " + pending);
        }
        var event = PaymentEvent.builder().type(f[1]).amount(Long.parseLong(f[2])).currency(f[3]).occurredAt(Instant.parse(f[4]));
        if (PaymentEvent.DISPUTE_TYPES.contains(f[1])) {
            int cut = f[0].indexOf(':');
            return event.disputeId(cut < 0 ? f[0] : f[0].substring(0, cut)).build();
        }
        return PaymentEvent.REFUNDED.equals(f[1]) ? event.refundId(f[0]).build() : event.paymentId(f[0]).build();
    }

    /** The stats the ledger says a customer has: the fold of the events its payments emitted. */
    public static CustomerStats fromLedger(List<Payment> payments) {
        var stats = CustomerStats.zero(null);
        for (var event : events(payments)) {
            stats = apply(stats, event);
        }
        return stats;
    }

    /**
     * The ledger entry an event reports, as markers of applied entries are keyed: the refund for a
     * refund, else the payment (a payment settles once, as succeeded or as failed).
     */
    public static String entryId(PaymentEvent e) {
        return e.entryId();
    }

    /** The events a customer's settled payments emitted (ids aside): a charge each, a refund each. */
    static List<PaymentEvent> events(List<Payment> payments) {
        return payments.stream().flatMap(p -> p.ledgerEvents(null).stream()).toList();
    }

    private static CustomerStats stats(String currency, long ltv, long orders, long refunded, long failed, Instant first,
                                       Instant last, Money lastValue, Instant lastFailed, long disputes, long disputed) {
        long gross = ltv + refunded + disputed;
        long average = orders == 0 ? 0 : BigDecimal.valueOf(gross)
                .divide(BigDecimal.valueOf(orders), 0, RoundingMode.HALF_EVEN).longValueExact();
        return new CustomerStats(new Money(ltv, currency), orders, new Money(average, currency), first, last, lastValue,
                new Money(refunded, currency), failed, lastFailed, orders >= 2, disputes, new Money(disputed, currency));
    }
}
