package com.clientele.loyalty;

import com.clientele.loyalty.PointsStore.LotChange;
import com.clientele.loyalty.PointsStore.PointsWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.events.PaymentEvent;
import com.clientele.shared.events.Refused;
import com.clientele.shared.events.Refused.Refusal;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Points from payment events. A succeeded charge creates a lot; a refund claws back the payment's
 * share of its lot's points (refund amount / charge amount x lot points, rounded down), from what
 * is left of that lot first, then from the customer's other lots (soonest expiring first), never
 * below zero: what could not be clawed back is recorded as {@code unrecoverable}. A failed payment
 * earns nothing. Each ledger entry (payment, refund) is applied exactly once: its marker, the
 * balance (version-checked), the lots and the statement line are written in one transaction.
 */
public final class AccrualService {

    /** Version conflicts (concurrent events of one customer) are retried this many times, then the event is. */
    static final int MAX_ATTEMPTS = 5;
    /** A transaction holds 100 items: marker, balance, profile, statement line, the refunded lot and the others taken from. */
    static final int MAX_OTHER_LOTS = 90;
    static final String CONSUMER = "points";

    private final PointsStore store;

    public AccrualService(PointsStore store) {
        this.store = store;
    }

    /** What became of an event. */
    public enum Outcome { APPLIED, DUPLICATE, NO_CUSTOMER, IGNORED }

    /**
     * A refund whose charge has not been applied yet (SQS delivers in any order). The message
     * fails, so SQS delivers it again after its visibility timeout, by when the charge's event has
     * normally been applied; a refund whose charge never earned a lot (a charge from before the
     * programme existed) ends in the DLQ after the queue's receive limit, where it can be inspected.
     */
    public static final class ChargeNotYetApplied extends RuntimeException {
        ChargeNotYetApplied(String paymentId) {
            super("the lot of " + paymentId + " does not exist yet; the refund will be retried", null, false, false);
        }
    }

    public Outcome apply(PaymentEvent event) {
        event.validate();
        if (event.customerId() == null || PaymentEvent.FAILED.equals(event.type())) {
            return Outcome.IGNORED;
        }
        for (int attempt = 1; ; attempt++) {
            if (!store.customerExists(event.tenantId(), event.customerId())) {
                return Outcome.NO_CUSTOMER;
            }
            try {
                if (PaymentEvent.SUCCEEDED.equals(event.type())) {
                    earn(event);
                } else {
                    clawBack(event);
                }
                return Outcome.APPLIED;
            } catch (Refused e) {
                if (e.why == Refusal.DUPLICATE) {
                    return Outcome.DUPLICATE;
                }
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("the points of " + event.customerId() + " kept changing; the event will be retried");
                }
            }
        }
    }

    private void earn(PaymentEvent e) {
        var settings = store.settings(e.tenantId());
        var balance = store.balance(e.tenantId(), e.customerId());
        long points = settings.pointsFor(e.amount(), e.currency());
        var expiresAt = e.occurredAt().atOffset(ZoneOffset.UTC).plusMonths(settings.lotLifetimeMonths()).toInstant();
        var lot = new Lot(Ids.next(Ids.LOT), points, points, e.occurredAt(), expiresAt, e.storeId(), e.terminalId(),
                e.paymentId(), e.receiptId(), e.amount(), e.currency());
        var line = new StatementLine(StatementLine.EARN, e.occurredAt(), lot.id(), e.storeId(), e.terminalId(), e.paymentId(),
                null, lot.expiryDate(), points, points, null, null, null);
        // a charge that earns nothing still gets its (empty) lot: its refunds then find it and claw back nothing
        store.apply(e.tenantId(), new PointsWrite(e.customerId(), e.paymentId(), e.id(), balance, balance.earn(lot),
                List.of(new LotChange(null, lot)), List.of(line)));
    }

    private void clawBack(PaymentEvent e) {
        var balance = store.balance(e.tenantId(), e.customerId());
        var lot = store.lot(e.tenantId(), e.customerId(), e.paymentId()).orElseThrow(() -> new ChargeNotYetApplied(e.paymentId()));
        long due = share(e.amount(), lot);
        long fromLot = Math.min(due, lot.pointsLeft());
        var own = lot.withPointsLeft(lot.pointsLeft() - fromLot);
        var spent = new Spending(List.of(new LotChange(lot, own)), Map.of(lot.expiryDate(), fromLot), fromLot);
        if (due > fromLot) {
            var others = store.lots(e.tenantId(), e.customerId()).stream().filter(l -> !l.id().equals(lot.id())).toList();
            spent = spent.plus(Spending.take(others, due - fromLot, e.occurredAt(), MAX_OTHER_LOTS));
        }
        long lost = due - spent.taken();
        var line = new StatementLine(StatementLine.CLAWBACK, e.occurredAt(), lot.id(), lot.storeId(), lot.terminalId(),
                e.paymentId(), e.refundId(), lot.expiryDate(), -spent.taken(), own.pointsLeft(), lost, null, null);
        store.apply(e.tenantId(), new PointsWrite(e.customerId(), e.refundId(), e.id(), balance, balance.clawBack(spent, lost),
                spent.changes(), List.of(line)));
    }

    /** The refund's share of the lot's points, rounded down; never more than the lot (a refund is at most its charge). */
    static long share(long refundAmount, Lot lot) {
        if (lot.amount() <= 0 || lot.points() == 0) {
            return 0;
        }
        long amount = Math.min(refundAmount, lot.amount());
        return BigInteger.valueOf(amount).multiply(BigInteger.valueOf(lot.points()))
                .divide(BigInteger.valueOf(lot.amount())).longValueExact();
    }
}
