package com.clientele.ltv;

import com.clientele.ltv.LtvRepository.Refusal;
import com.clientele.ltv.LtvRepository.Refused;
import com.clientele.shared.Ids;
import com.clientele.shared.events.PaymentEvent;
import java.time.Clock;
import java.util.Set;
import java.util.regex.Pattern;

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
    private static final Set<String> TYPES = Set.of(PaymentEvent.SUCCEEDED, PaymentEvent.FAILED, PaymentEvent.REFUNDED);
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final LtvRepository repository;
    private final Clock clock;

    public AggregatorService(LtvRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** What became of an event. */
    public enum Outcome { APPLIED, DUPLICATE, NO_CUSTOMER }

    /** A message that is not a payment event this version understands. */
    public static final class MalformedEvent extends RuntimeException {
        public MalformedEvent(String message) {
            super(message, null, false, false);
        }
    }

    public Outcome apply(PaymentEvent event) {
        check(event);
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
    public static void check(PaymentEvent e) {
        if (e.schemaVersion() != PaymentEvent.SCHEMA_VERSION) {
            throw new MalformedEvent("schema version " + e.schemaVersion() + " is not " + PaymentEvent.SCHEMA_VERSION);
        }
        if (!TYPES.contains(e.type())) {
            throw new MalformedEvent("unknown type " + e.type());
        }
        if (!Ids.isValid(Ids.EVENT, e.id()) || e.tenantId() == null || !TENANT.matcher(e.tenantId()).matches()
                || e.customerId() != null && !Ids.isValid(Ids.CUSTOMER, e.customerId())
                || e.occurredAt() == null || e.currency() == null || e.amount() <= 0) {
            throw new MalformedEvent("missing or malformed id, tenantId, customerId, occurredAt, amount or currency");
        }
        // the ledger entry it reports: what the applied marker is keyed by
        if (!Ids.isValid(Ids.PAYMENT, e.paymentId())
                || PaymentEvent.REFUNDED.equals(e.type()) && !Ids.isValid(Ids.REFUND, e.refundId())) {
            throw new MalformedEvent("missing or malformed paymentId (or refundId of a refund)");
        }
    }
}
