package com.clientele.ltv;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerStats;
import com.clientele.shared.events.Refused;
import com.clientele.shared.events.PaymentEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rebuilds one customer's stats from the ledger, reports whether they had drifted, and repairs them.
 *
 * <p>The ledger is ahead of the stats by the events still in flight: a payment is committed
 * before its event is sent. So the stats are compared with the fold of the entries the aggregator
 * has counted (their marker is there) or should have by now (older than {@code pendingGrace});
 * only a difference there is drift. A repair writes the fold of the whole ledger and, in the same
 * transaction, marks every entry whose event could still arrive (younger than the markers'
 * retention) as applied: a late event then finds itself a duplicate instead of counting twice.
 * The write is conditional on the profile's version and on each marker being new; if the
 * aggregator applied anything since the reads, it fails and the customer is read again. Either
 * order of the two therefore ends at the ledger's figures.
 */
public final class RecomputeService {

    static final int MAX_ATTEMPTS = 5;
    /** Events arrive within seconds; an entry unmarked for longer than this is counted as due. */
    static final Duration PENDING_GRACE = Duration.ofMinutes(15);

    private final LtvRepository repository;
    private final Clock clock;
    private final Duration pendingGrace;
    private final AggregatorService pending;

    public RecomputeService(LtvRepository repository, Clock clock) {
        this(repository, clock, PENDING_GRACE);
    }

    /**
     * A recompute that counts every entry of the ledger at once, in flight or not, and marks each as
     * applied: for a ledger that just changed hands (a merge), whose events, if any are still in
     * flight, name the other customer and will be dropped.
     */
    public static RecomputeService countingEverything(LtvRepository repository, Clock clock) {
        return new RecomputeService(repository, clock, Duration.ZERO);
    }

    RecomputeService(LtvRepository repository, Clock clock, Duration pendingGrace) {
        this.repository = repository;
        this.clock = clock;
        this.pendingGrace = pendingGrace;
        this.pending = new AggregatorService(repository, clock);
    }

    /** A checked customer: {@code before} is what was stored, {@code after} what the ledger says (equal if no drift). */
    public record Result(String customerId, CustomerStats before, CustomerStats after) {
        public boolean drifted() {
            return !before.equals(after);
        }
    }

    /** An entry of the ledger: the event it emitted, and when its payment last changed (an upper bound of when). */
    private record Entry(String id, PaymentEvent event, Instant changedAt) {
    }

    /** Whether the tenant has this live customer. */
    public boolean exists(String tenant, String customerId) {
        return repository.customer(tenant, customerId).isPresent();
    }

    /** Checks (and repairs) the customer's stats; empty if there is no such live customer. */
    public Optional<Result> recompute(String tenant, String customerId) {
        return recompute(tenant, customerId, false);
    }

    /**
     * Checks (and repairs) the customer's stats, counting the entries still in flight too when
     * {@code includeRecent}: the whole ledger is then due, however recent, and every entry not yet
     * marked is marked in the repair's transaction. That is safe against the aggregator: an event
     * it applies first leaves its marker, which fails the repair's condition on that marker (and on
     * the profile's version), so the customer is read again with the event counted; an event that
     * comes after the repair finds its marker and is a duplicate. Either way each entry counts once.
     */
    public Optional<Result> recompute(String tenant, String customerId, boolean includeRecent) {
        return recompute(tenant, customerId, includeRecent, null);
    }

    /**
     * As {@link #recompute(String, String, boolean)}, starting from {@code seen}, the customer as a
     * walk of the customers index read it (the index projects the whole profile, but is eventually
     * consistent): when the ledger agrees with it and nothing needs marking, that is the answer,
     * with no read of the profile — a job checks most customers with the one Query of their ledger.
     * Anything else (drift, entries to mark) is decided on the profile read from the table, as
     * without {@code seen}: a copy a moment old can make a customer look drifted, never make a write.
     */
    public Optional<Result> recompute(String tenant, String customerId, boolean includeRecent, Customer seen) {
        Duration grace = includeRecent ? Duration.ZERO : pendingGrace;
        CustomerStats driftedFrom = null;
        Customer fromIndex = seen;
        for (int attempt = 1; ; attempt++) {
            Optional<Customer> found;
            if (fromIndex != null) {
                found = Optional.of(fromIndex);
            } else {
                // Events recorded but not folded yet are folded first: a whole-profile write refuses to drop them.
                pending.foldAll(tenant, customerId);
                // The profile first, then the ledger: whatever is applied after the profile read moves its version
                // (or, while not folded yet, is pending on it), and either fails the write.
                found = repository.customer(tenant, customerId);
            }
            if (found.isEmpty()) {
                return Optional.empty();
            }
            var customer = found.get();
            var ledger = repository.ledgerAndMarkers(tenant, customerId);
            Instant now = clock.instant();
            var entries = entries(ledger);
            var due = new ArrayList<PaymentEvent>();
            var toMark = new ArrayList<String>();
            boolean unguarded = false;
            for (var entry : entries) {
                boolean marked = ledger.applied().contains(entry.id());
                boolean pending = entry.changedAt().isAfter(now.minus(grace));
                if (marked || !pending) {
                    due.add(entry.event());
                }
                if (!marked && entry.changedAt().isAfter(now.minus(LtvRepository.MARKER_RETENTION))) {
                    toMark.add(entry.id());
                    // counted as due but not marked: its event, should it still come, would count twice
                    unguarded |= !pending;
                }
            }
            var whole = fold(entries.stream().map(Entry::event).toList());
            boolean drifted = !customer.stats().equals(fold(due));
            if (!drifted && !unguarded) {
                return Optional.of(new Result(customerId, driftedFrom != null ? driftedFrom : customer.stats(),
                        driftedFrom != null ? whole : customer.stats()));
            }
            if (fromIndex != null) {
                fromIndex = null; // decided on the table's profile, read again with the ledger
                attempt = 0;
                continue;
            }
            var batch = toMark.subList(0, Math.min(toMark.size(), LtvRepository.MAX_MARKERS_PER_WRITE));
            try {
                repository.replaceStats(tenant, customer, customer.withStats(whole), List.copyOf(batch), now);
                if (drifted && driftedFrom == null) {
                    driftedFrom = customer.stats();
                }
                if (batch.size() == toMark.size()) {
                    return Optional.of(new Result(customerId, driftedFrom != null ? driftedFrom : whole, whole));
                }
                attempt = 0; // progress: the next round marks the rest
            } catch (Refused conflict) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("customer " + customerId + " kept changing; it will be checked again");
                }
            }
        }
    }

    private static List<Entry> entries(LtvRepository.Ledger ledger) {
        var entries = new ArrayList<Entry>();
        for (var payment : ledger.payments()) {
            for (var event : StatsFold.events(List.of(payment))) {
                entries.add(new Entry(StatsFold.entryId(event), event, payment.updatedAt()));
            }
        }
        return entries;
    }

    private static CustomerStats fold(List<PaymentEvent> events) {
        var stats = CustomerStats.zero(null);
        for (var event : events) {
            stats = StatsFold.apply(stats, event);
        }
        return stats;
    }
}
