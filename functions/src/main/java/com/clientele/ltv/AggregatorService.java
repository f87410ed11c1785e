package com.clientele.ltv;

import com.clientele.shared.events.Refused.Refusal;
import com.clientele.shared.events.Refused;
import com.clientele.shared.events.PaymentEvent;
import java.time.Clock;

/**
 * Keeps each customer's stats from payment events: per event, the marker "applied" (keyed by the
 * ledger entry the event reports: a payment's outcome, a refund) and the new stats in one
 * transaction. A duplicate (the same event again, or an entry a recompute already counted) is a
 * no-op; an event for a customer that is gone (deleted) or for a guest (no customer) is
 * acknowledged and dropped; anything malformed is refused, so that SQS retries it and then parks
 * it in the DLQ.
 */
public final class AggregatorService {

    /** Version conflicts (concurrent events of one customer) are retried this many times, then the event is. */
    static final int MAX_ATTEMPTS = 5;

    private final LtvRepository repository;
    private final Clock clock;

    public AggregatorService(LtvRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** What became of an event. */
    public enum Outcome { APPLIED, DUPLICATE, NO_CUSTOMER }


    public Outcome apply(PaymentEvent event) {
        event.validate();
        if (event.customerId() == null) {
            return Outcome.NO_CUSTOMER;
        }
        for (int attempt = 1; ; attempt++) {
            var customer = repository.customer(event.tenantId(), event.customerId());
            if (customer.isEmpty()) {
                return Outcome.NO_CUSTOMER;
            }
            var before = customer.get();
            var after = before.withStats(StatsFold.apply(before.stats(), event));
            try {
                repository.applyEvent(event.tenantId(), before, after, event, clock.instant());
                return Outcome.APPLIED;
            } catch (Refused e) {
                if (e.why == Refusal.DUPLICATE) {
                    return Outcome.DUPLICATE;
                }
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("customer " + event.customerId() + " kept changing; the event will be retried");
                }
            }
        }
    }

    /** Refuses ({@link MalformedEvent}) what is not a payment event this version understands; shared by the consumers. */
}
