package com.clientele.loyalty;

import com.clientele.shared.Ids;
import com.clientele.shared.events.PaymentEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reconciles a customer's points with the payment ledger: each succeeded payment has its lot, each
 * succeeded refund its clawback, exactly once. An entry the points do not count yet (no marker, lot
 * or statement line: {@link LoyaltyRepository#pointsLedger}) is applied as its lost event would
 * have been, through the consumer's own path ({@link AccrualService#apply}): the entry's marker is
 * written in the same transaction as the lot or clawback, on the condition that it is new. So a
 * reconciliation racing the consumer (an event arriving meanwhile) or another reconciliation
 * credits the entry once: whichever writes second finds the marker and does nothing. Charges
 * first, then refunds, so a refund whose lot was missing too finds it.
 *
 * <p>Entries that changed in the last {@value #GRACE_MINUTES} minutes are most likely in flight
 * (their events arrive within seconds) and are left to the consumer, unless {@code includeRecent}:
 * applying them is safe either way, but reporting them as drift would not be true. One entry that
 * cannot be applied (a malformed payment, the customer deleted meanwhile) is reported, not thrown:
 * the others are still applied.
 */
public final class PointsReconciliation {

    static final int GRACE_MINUTES = 15;
    static final Duration PENDING_GRACE = Duration.ofMinutes(GRACE_MINUTES);

    private final LoyaltyRepository repository;
    private final AccrualService accrual;
    private final Clock clock;

    public PointsReconciliation(LoyaltyRepository repository, AccrualService accrual, Clock clock) {
        this.repository = repository;
        this.accrual = accrual;
        this.clock = clock;
    }

    /**
     * A checked customer: the payments that had no lot and the refunds that had no clawback (now
     * applied), the points that added ({@code lifetime}) and clawed back, as the balance moved
     * meanwhile, and the entries that could not be applied ({@code unrepaired}).
     */
    public record Result(String customerId, List<String> missingLots, List<String> missingClawbacks, long pointsAdded,
                         long pointsClawedBack, List<String> unrepaired) {
        public boolean drifted() {
            return !missingLots.isEmpty() || !missingClawbacks.isEmpty() || !unrepaired.isEmpty();
        }
    }

    public boolean exists(String tenant, String customerId) {
        return repository.customer(tenant, customerId).isPresent();
    }

    /** Reconciles the customer's points; empty if there is no such live customer. */
    public Optional<Result> reconcile(String tenant, String customerId, boolean includeRecent) {
        if (repository.customer(tenant, customerId).isEmpty()) {
            return Optional.empty();
        }
        var ledger = repository.pointsLedger(tenant, customerId);
        Instant settledBefore = clock.instant().minus(includeRecent ? Duration.ZERO : PENDING_GRACE);
        var charges = new ArrayList<PaymentEvent>();
        var refunds = new ArrayList<PaymentEvent>();
        for (var payment : ledger.payments()) {
            if (payment.updatedAt().isAfter(settledBefore)) {
                continue;
            }
            for (var event : payment.ledgerEvents(tenant)) {
                String entry = event.entryId();
                if (ledger.applied().contains(entry)) {
                    continue;
                }
                switch (event.type()) {
                    case PaymentEvent.SUCCEEDED -> charges.add(event);
                    case PaymentEvent.REFUNDED, PaymentEvent.DISPUTE_LOST -> refunds.add(event);
                    default -> {
                        // a failed payment earns nothing; a dispute takes points back only when lost
                    }
                }
            }
        }
        if (charges.isEmpty() && refunds.isEmpty()) {
            return Optional.of(new Result(customerId, List.of(), List.of(), 0, 0, List.of()));
        }
        var before = repository.balance(tenant, customerId);
        var lots = new ArrayList<String>();
        var clawbacks = new ArrayList<String>();
        var unrepaired = new ArrayList<String>();
        for (var charge : charges) {
            apply(charge, charge.paymentId(), lots, unrepaired);
        }
        for (var refund : refunds) {
            apply(refund, refund.entryId(), clawbacks, unrepaired);
        }
        var after = repository.balance(tenant, customerId);
        return Optional.of(new Result(customerId, List.copyOf(lots), List.copyOf(clawbacks), after.lifetime() - before.lifetime(),
                after.clawedBack() - before.clawedBack(), List.copyOf(unrepaired)));
    }

    /** Applies one entry as its event would; {@code repaired} gets it if this did, {@code unrepaired} if it failed. */
    private void apply(PaymentEvent entry, String entryId, List<String> repaired, List<String> unrepaired) {
        try {
            if (accrual.apply(entry.toBuilder().id(Ids.next(Ids.EVENT)).build()) == AccrualService.Outcome.APPLIED) {
                repaired.add(entryId);
            }
        } catch (RuntimeException e) {
            unrepaired.add(entryId);
        }
    }
}
