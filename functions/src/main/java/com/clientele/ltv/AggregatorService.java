package com.clientele.ltv;

import com.clientele.shared.events.Refused.Refusal;
import com.clientele.shared.events.Refused;
import com.clientele.customers.CustomerRepository.PendingStats;
import com.clientele.shared.events.PaymentEvent;
import java.time.Clock;

/**
 * Keeps each customer's stats from payment events: per event, the marker "applied" (keyed by the
 * ledger entry the event reports: a payment's outcome, a refund) and the event among the profile's
 * pending ones in one transaction, then the pending events folded into the stats. A duplicate (the
 * same event again, or an entry a recompute already counted) adds nothing; an event for a customer
 * that is gone (deleted) or for a guest (no customer) is
 * acknowledged and dropped; anything malformed is refused, so that SQS retries it and then parks
 * it in the DLQ.
 */
public final class AggregatorService {

    /** A fold is tried this many times while a recompute's folds move the profile. */
    static final int MAX_ATTEMPTS = 5;

    private final LtvRepository repository;
    private final Clock clock;

    public AggregatorService(LtvRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** What became of an event. */
    public enum Outcome { APPLIED, DUPLICATE, NO_CUSTOMER }

    /**
     * Records the event on its customer's profile (with its marker, once), then, if no event of the
     * customer was recorded after it, folds every pending event into the stats. The record commutes
     * with every other; the fold is the one read-then-write, and only the handler of the event recorded
     * last makes it: a fold is refused once another event is recorded, and that event's handler folds
     * after its own record, so it counts everything. No write is ever tried again for contention. A
     * duplicate folds too (if still the last), so an event whose function died between its record and
     * its fold is folded when it comes again, or by the next event's fold, or by a recompute.
     */
    public Outcome apply(PaymentEvent event) {
        event.validate();
        if (event.customerId() == null) {
            return Outcome.NO_CUSTOMER;
        }
        Outcome outcome;
        try {
            if (!repository.record(event.tenantId(), event, clock.instant())) {
                return Outcome.NO_CUSTOMER;
            }
            outcome = Outcome.APPLIED;
        } catch (Refused e) {
            if (e.why != Refusal.DUPLICATE) {
                throw e;
            }
            outcome = Outcome.DUPLICATE;
        }
        String mine = StatsFold.pending(event);
        for (int attempt = 1; ; attempt++) {
            var pending = repository.pending(event.tenantId(), event.customerId());
            if (pending.isEmpty() || !mine.equals(pending.get().last()) || fold(event.tenantId(), pending.get(), true)) {
                return outcome;
            }
            // still the last event, yet the profile moved: a recompute folded meanwhile
            if (attempt == MAX_ATTEMPTS) {
                throw new IllegalStateException("customer " + event.customerId() + " kept changing; the event will be retried");
            }
        }
    }

    /**
     * Folds whatever events are pending on the customer's profile into its stats, whoever recorded them
     * (a recompute, before it reads): tried again while other writes move the profile.
     */
    void foldAll(String tenant, String customerId) {
        for (int attempt = 1; ; attempt++) {
            var pending = repository.pending(tenant, customerId);
            if (pending.isEmpty() || fold(tenant, pending.get(), false)) {
                return;
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new IllegalStateException("customer " + customerId + " kept changing; it will be checked again");
            }
        }
    }

    /** Folds the pending events read into the stats; false if the profile moved since (nothing written). */
    private boolean fold(String tenant, PendingStats pending, boolean lastOnly) {
        if (pending.events().isEmpty()) {
            return true;
        }
        var before = pending.customer();
        var stats = before.stats();
        for (String event : pending.events()) {
            stats = StatsFold.apply(stats, StatsFold.fromPending(event));
        }
        return repository.fold(tenant, pending, before.withStats(stats), lastOnly);
    }

    /** Refuses ({@link MalformedEvent}) what is not a payment event this version understands; shared by the consumers. */
}
