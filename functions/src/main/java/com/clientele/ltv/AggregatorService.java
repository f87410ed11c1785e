package com.clientele.ltv;

import com.clientele.analytics.AnalyticsKeys;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository.PendingStats;
import com.clientele.shared.Keys.CustomerKey;
import com.clientele.shared.events.PaymentEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps each customer's stats from payment events, a batch of them at a time: per event, the marker
 * "applied" (keyed by the ledger entry the event reports: a payment's outcome, a refund), written in
 * one transaction with the stats that count it (a batch's customers read at once, their stats written
 * at once), or, for a customer another handler is at work on, with the event among the profile's
 * pending ones, folded into the stats after. A
 * duplicate (the same event again, or an entry a recompute already counted) adds nothing; an event
 * for a customer that is gone (deleted) or for a guest (no customer) is acknowledged and dropped;
 * anything malformed is refused, so that SQS retries it and then parks it in the DLQ.
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

    /** What became of one event of a batch: its outcome, or the error it failed with (it is to be received again). */
    public record Result(Outcome outcome, RuntimeException failure) {

        static Result of(Outcome outcome) {
            return new Result(outcome, null);
        }

        static Result failed(RuntimeException failure) {
            return new Result(null, failure);
        }
    }

    /**
     * Applies a batch's events. First at once: the batch's customers are read (one batch read), and the
     * events of those with nothing pending are folded into their stats and written with their markers in
     * one transaction, each profile on condition that it is still at the version read with nothing
     * pending. The events of the others (something pending: another handler is at work on them), and of
     * any whose profile moved in between, are recorded and folded: each event recorded on its customer's
     * profile (with its marker, once), then, for each customer whose last recorded event is one of the
     * batch's, every pending event folded into the stats. The record commutes with every other; the fold
     * is the one read-then-write, and only the handler of the event recorded last makes it: a fold is
     * refused once another event is recorded, and that event's handler folds after its own record, so it
     * counts everything; and no write at once can land while anything is pending. So no write is ever
     * tried again for contention: a profile that moved sends its events down the commutative path. A
     * duplicate folds too (if still the last), so an event whose function died between its record and
     * its fold is folded when it comes again, or by the next event's fold, or by a recompute. Answers
     * each event's result, in order.
     */
    public List<Result> apply(List<PaymentEvent> events) {
        var results = new Result[events.size()];
        var open = new ArrayList<Integer>();
        var firstOfEntry = new HashMap<String, Integer>();
        var again = new HashMap<Integer, Integer>();
        for (int i = 0; i < events.size(); i++) {
            var event = events.get(i);
            try {
                event.validate();
            } catch (RuntimeException e) {
                results[i] = Result.failed(e);
                continue;
            }
            if (event.customerId() == null) {
                results[i] = Result.of(Outcome.NO_CUSTOMER);
                continue;
            }
            // the same entry twice in one batch: applied once, the second a duplicate of the first
            Integer first = firstOfEntry.putIfAbsent(String.join("/", event.tenantId(), event.customerId(), StatsFold.entryId(event)), i);
            if (first == null) {
                open.add(i);
            } else {
                again.put(i, first);
            }
        }
        try {
            recordAndFold(events, writeAtOnce(events, open, results), results);
        } catch (RuntimeException e) {
            open.stream().filter(i -> results[i] == null).forEach(i -> results[i] = Result.failed(e));
        }
        again.forEach((i, first) -> results[i] = results[first].outcome() == Outcome.APPLIED ? Result.of(Outcome.DUPLICATE) : results[first]);
        return List.of(results);
    }

    /**
     * The write at once of the events at {@code open} whose customer has nothing pending; sets their
     * results, and answers the events left to {@link #recordAndFold}.
     */
    private List<Integer> writeAtOnce(List<PaymentEvent> events, List<Integer> open, Result[] results) {
        var byCustomer = new LinkedHashMap<CustomerKey, List<Integer>>();
        open.forEach(i -> byCustomer.computeIfAbsent(key(events.get(i)), k -> new ArrayList<>()).add(i));
        var left = new ArrayList<Integer>();
        if (byCustomer.isEmpty()) {
            return left;
        }
        var read = repository.pending(byCustomer.keySet());
        var direct = new LinkedHashMap<CustomerKey, List<Integer>>();
        var tenants = new HashSet<String>();
        int items = 0;
        for (var entry : byCustomer.entrySet()) {
            var pending = read.get(entry.getKey());
            int needs = entry.getValue().size() + 1 + (tenants.contains(entry.getKey().tenantId()) ? 0 : AnalyticsKeys.ANALYTICS_SHARDS);
            if (pending == null) {
                entry.getValue().forEach(i -> results[i] = Result.of(Outcome.NO_CUSTOMER));
            } else if (!pending.events().isEmpty() || items + needs > LtvRepository.MAX_ITEMS) {
                left.addAll(entry.getValue());
            } else {
                direct.put(entry.getKey(), entry.getValue());
                tenants.add(entry.getKey().tenantId());
                items += needs;
            }
        }
        while (!direct.isEmpty()) {
            var writes = new ArrayList<LtvRepository.Direct>();
            direct.forEach((customer, positions) -> {
                var before = read.get(customer);
                var applying = positions.stream().map(events::get).toList();
                var stats = before.customer().stats();
                for (var event : applying) {
                    stats = StatsFold.apply(stats, event);
                }
                writes.add(new LtvRepository.Direct(customer, before, positions, applying, before.customer().withStats(stats)));
            });
            var declined = repository.writeAtOnce(writes, clock.instant());
            if (declined == null) {
                direct.values().forEach(positions -> positions.forEach(i -> results[i] = Result.of(Outcome.APPLIED)));
                break;
            }
            declined.duplicates().forEach(i -> results[i] = Result.of(Outcome.DUPLICATE));
            direct.values().forEach(positions -> positions.removeIf(declined.duplicates()::contains));
            declined.customers().forEach(customer -> left.addAll(direct.remove(customer)));
            direct.values().removeIf(List::isEmpty);
        }
        return left;
    }

    /** Records the events at {@code positions} on their customers' profiles, then folds them (see {@link #apply}); sets their results. */
    private void recordAndFold(List<PaymentEvent> events, List<Integer> positions, Result[] results) {
        if (positions.isEmpty()) {
            return;
        }
        var outcomes = repository.record(positions.stream().map(events::get).toList(), clock.instant());
        for (int j = 0; j < positions.size(); j++) {
            results[positions.get(j)] = Result.of(outcomes.get(j));
        }
        var mine = new LinkedHashMap<CustomerKey, Set<String>>();
        for (int i : positions) {
            var outcome = results[i].outcome();
            if (outcome == Outcome.APPLIED || outcome == Outcome.DUPLICATE) {
                mine.computeIfAbsent(key(events.get(i)), k -> new LinkedHashSet<>()).add(StatsFold.pending(events.get(i)));
            }
        }
        var unfolded = fold(mine, true);
        for (int i : positions) {
            var event = events.get(i);
            if (unfolded.contains(key(event))) {
                results[i] = Result.failed(new IllegalStateException("customer " + event.customerId() + " kept changing; the event will be retried"));
            }
        }
    }

    private static CustomerKey key(PaymentEvent event) {
        return new CustomerKey(event.tenantId(), event.customerId());
    }

    /**
     * Folds whatever events are pending on the customer's profile into its stats, whoever recorded them
     * (a recompute, before it reads): tried again while other writes move the profile.
     */
    void foldAll(String tenant, String customerId) {
        var customer = new CustomerKey(tenant, customerId);
        if (!fold(Map.of(customer, Set.of()), false).isEmpty()) {
            throw new IllegalStateException("customer " + customerId + " kept changing; it will be checked again");
        }
    }

    /**
     * Folds the pending events of each customer (with {@code lastOnly}, only of those whose last recorded
     * event is one of theirs in {@code customers}), reading them again while a fold is refused because the
     * profile moved; answers the customers still unfolded after {@link #MAX_ATTEMPTS} reads.
     */
    private Set<CustomerKey> fold(Map<CustomerKey, Set<String>> customers, boolean lastOnly) {
        Set<CustomerKey> open = new LinkedHashSet<>(customers.keySet());
        for (int attempt = 1; attempt <= MAX_ATTEMPTS && !open.isEmpty(); attempt++) {
            var read = repository.pending(open);
            var folds = new ArrayList<LtvRepository.Fold>();
            for (var customer : open) {
                var pending = read.get(customer);
                if (pending != null && !pending.events().isEmpty() && (!lastOnly || customers.get(customer).contains(pending.last()))) {
                    folds.add(new LtvRepository.Fold(customer, pending, folded(pending), lastOnly));
                }
            }
            open = repository.fold(folds);
        }
        return open;
    }

    /** The profile with its pending events folded into its stats. */
    private static Customer folded(PendingStats pending) {
        var stats = pending.customer().stats();
        for (String event : pending.events()) {
            stats = StatsFold.apply(stats, StatsFold.fromPending(event));
        }
        return pending.customer().withStats(stats);
    }
}
