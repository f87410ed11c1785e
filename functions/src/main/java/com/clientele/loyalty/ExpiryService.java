package com.clientele.loyalty;

import com.clientele.loyalty.PointsStore.LotChange;
import com.clientele.loyalty.PointsStore.PointsWrite;
import com.clientele.shared.Futures;
import com.clientele.shared.events.Refused;
import com.clientele.shared.jobs.Budget;
import com.clientele.shared.jobs.JobMetrics;
import com.clientele.shared.jobs.StepJob;
import com.clientele.shared.logs.Log;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Points expiry: every lot whose {@code expiresAt} has passed with points left loses them; they
 * move to the balance's {@code expired}, with an EXPIRE line on the statement.
 *
 * <p>A run reads only what is due: the due-lots index ({@link DueIndex}), day by day over a
 * look-back window ending on the day of the run, each day's shards one after the other, each a
 * Query of the lots due by the run's time, a page at a time. A page's lots are grouped by customer;
 * per customer one read of the balance, then one points write ({@link PointsStore#apply}, the shape
 * of every points change) expiring its lots, at most {@value #MAX_LOTS_PER_WRITE} at a time. Each
 * lot is written on condition that it still holds what the index showed, so a lot expires once
 * however many runs meet it: when a write is refused (another run got there first, or a
 * redemption or a refund changed the customer's points) the lots are read again, consistently,
 * and what still holds points is expired, from the balance read again. An expired lot leaves the
 * index, so a run never meets it again.
 *
 * <p>A run stops when its time budget is spent (after at least one Query, so it always gets on:
 * {@link Budget}) and sends the rest of itself ({@link ExpiryRun}: the day, the shard and the
 * position in it) to {@link Continuation}. Its worker runs that rest the same way, as a step job
 * ({@link StepJob}): what is left then goes on through the worker's runner.
 *
 * <p>The days a run reads: from the day of the last run that finished ({@link DueIndex#doneThrough},
 * recorded when a run ends having left nothing), {@value #GRACE_DAYS} day earlier, to the run's own
 * day; so a run after days without one (an outage) catches up by itself. Without a record (the
 * first run), or when the caller asks for it, {@code lookbackDays} days before the run's day. A lot
 * is written due only if it arrives after its expiry: lots live at least a month and events reach
 * the accrual within about four weeks (the queue's and its DLQ's retention), so that takes a
 * backfill, which is what a run with a wider {@code lookbackDays} is for. An empty day costs an
 * empty Query per shard, no item.
 */
public final class ExpiryService implements StepJob<ExpiryRun> {

    /** A transaction holds 100 items: a lot and its EXPIRE line per lot, plus the marker, the balance and the profile. */
    static final int MAX_LOTS_PER_WRITE = 45;
    /** Refused writes for one customer in one run (each after reading again); then its lots wait for the next run. */
    static final int MAX_ATTEMPTS = 5;
    /** Days before the last finished run's day that a run reads again: lots written already due since. */
    static final int GRACE_DAYS = 1;
    /** The ledger entry of an expiry write: {@code exp_<id of its first lot>} (its marker, its lines' keys). */
    static final String ENTRY_PREFIX = "exp_";

    /** A lot the index says is due, and whose it is. */
    public record Due(String tenantId, String customerId, Lot lot) {
    }

    /** One page of the index; {@code next} is where the next page starts, null after the last. */
    public record Page(List<Due> lots, Map<String, String> next) {
    }

    /** The due-lots index and the record of finished runs ({@link DueLots}; an in-memory one in tests). */
    public interface DueIndex {
        Page page(String day, int shard, Instant through, Map<String, String> after, int limit);

        /** The time of the latest run that finished without leaving a due lot, if any. */
        Optional<Instant> doneThrough();

        /** Records that a run expired every lot due by {@code through} (never moves the record back). */
        void done(Instant through);
    }

    /** Where the rest of a run goes when its budget is spent ({@link ExpiryQueue}). */
    public interface Continuation {
        void send(ExpiryRun rest);
    }

    /**
     * What a run (or the part of it one invocation worked) did: lots expired, their points, the
     * points writes that did it (one per customer and page, more for over {@value #MAX_LOTS_PER_WRITE}
     * lots), and due lots left for the next run (a customer whose points kept changing).
     */
    public record Result(Instant through, long lots, long points, long writes, long skipped, boolean continued) {

        public Map<String, Object> asMap() {
            var map = new LinkedHashMap<String, Object>();
            map.put("through", through.toString());
            map.put("lots", lots);
            map.put("points", points);
            map.put("writes", writes);
            map.put("skipped", skipped);
            map.put("continued", continued);
            return map;
        }
    }

    private final PointsStore store;
    private final DueIndex index;
    private final Continuation continuation;
    private final Clock clock;
    private final int pageSize;
    private final int lookbackDays;
    private final int parallelism;
    private final JobMetrics metrics;

    /**
     * @param pageSize     due lots read per Query
     * @param lookbackDays days before the run's day that a first run reads too
     * @param parallelism  customers of a page expired at once
     */
    public ExpiryService(PointsStore store, DueIndex index, Continuation continuation, Clock clock, int pageSize,
                         int lookbackDays, int parallelism, JobMetrics metrics) {
        this.store = store;
        this.index = index;
        this.continuation = continuation;
        this.clock = clock;
        this.pageSize = pageSize;
        this.lookbackDays = lookbackDays;
        this.parallelism = Math.max(1, parallelism);
        this.metrics = metrics;
    }

    /**
     * A scheduled or on-demand run: the lots due by {@code at} (the schedule's time; now when null,
     * and never later than now), from the last finished run's day (less {@value #GRACE_DAYS}).
     */
    public Result start(Instant at, Budget budget) {
        return start(at, null, budget);
    }

    /** A run that reads {@code lookbackDays} days back (the configured number when null) whatever ran before. */
    public Result start(Instant at, Integer lookbackDays, Budget budget) {
        Instant now = clock.instant();
        Instant through = at == null || at.isAfter(now) ? now : at;
        LocalDate day = ExpiryRun.day(through);
        var done = lookbackDays != null ? Optional.<Instant>empty() : index.doneThrough();
        LocalDate from = done.map(d -> (d.isBefore(through) ? ExpiryRun.day(d) : day).minusDays(GRACE_DAYS))
                .orElse(day.minusDays(lookbackDays != null ? lookbackDays : this.lookbackDays));
        return run(ExpiryRun.start(through, from), budget);
    }

    /**
     * Works {@code run} from where it stands until it is done (and records it done, if no due lot was
     * left) or the budget is spent (and sends the rest on).
     */
    public Result run(ExpiryRun run, Budget budget) {
        var step = step(run, budget);
        if (step.rest() != null) {
            continuation.send(step.rest());
        }
        return step.result();
    }

    /** The worker's step ({@link com.clientele.shared.jobs.StepRunner}): the rest of a run; what is left of it goes on. */
    @Override
    public Optional<ExpiryRun> work(ExpiryRun run, boolean redelivered, Budget budget) {
        return Optional.ofNullable(step(run, budget).rest());
    }

    /** A run by its time (the lots due by then) and where it stands: day and shard. */
    @Override
    public Map<String, Object> describe(ExpiryRun run) {
        return Map.of("job", "points-expiry", "job_id", run.through().toString(), "day", run.day(), "shard", run.shard());
    }

    /** What a step of a run did, and the rest of the run (null when it is over). */
    private record Step(Result result, ExpiryRun rest) {
    }

    private Step step(ExpiryRun run, Budget budget) {
        var tally = new Tally();
        tally.skipped.addAndGet(run.skipped());
        LocalDate last = run.lastDay();
        LocalDate day = LocalDate.parse(run.day());
        int shard = run.shard();
        Map<String, String> after = run.after();
        while (!day.isAfter(last)) {
            do {
                if (!budget.another()) {
                    metrics.step(null, tally.lots.get());
                    budget.worked(tally.lots.get());
                    return new Step(tally.result(run.through(), true),
                            new ExpiryRun(run.through(), day.toString(), shard, after, tally.skipped.get()));
                }
                var page = index.page(day.toString(), shard, run.through(), after, pageSize);
                expire(page.lots(), run.through(), tally);
                after = page.next();
            } while (after != null);
            if (++shard == LoyaltyItems.LOT_EXPIRY_SHARDS) {
                shard = 0;
                day = day.plusDays(1);
            }
        }
        if (tally.skipped.get() == 0) {
            index.done(run.through());
        }
        metrics.step(null, tally.lots.get());
        metrics.succeeded(null, run.through(), clock.instant());
        budget.worked(tally.lots.get());
        return new Step(tally.result(run.through(), false), null);
    }

    private record Owner(String tenantId, String customerId) {
    }

    /** A page's lots, customer by customer, {@code parallelism} customers at once. */
    private void expire(List<Due> page, Instant through, Tally tally) {
        var byOwner = new LinkedHashMap<Owner, List<Lot>>();
        for (var due : page) {
            byOwner.computeIfAbsent(new Owner(due.tenantId(), due.customerId()), k -> new ArrayList<>()).add(due.lot());
        }
        Futures.each(List.copyOf(byOwner.entrySet()), parallelism, entry -> expire(entry.getKey(), entry.getValue(), through, tally));
    }

    /** One customer's due lots: read the balance, expire; refused, read both again and expire what is left. */
    private void expire(Owner owner, List<Lot> lots, Instant through, Tally tally) {
        var due = lots;
        for (int attempt = 1; ; attempt++) {
            var balance = store.balance(owner.tenantId(), owner.customerId());
            if (balance.version() == 0) {
                // lots are written with their balance, so this is not a state the app leaves; never invent one
                Log.warn("no points balance: due lots left as they are",
                        Map.of("tenant", owner.tenantId(), "customer_id", owner.customerId(), "lots", due.size()));
                tally.skipped.addAndGet(due.size());
                return;
            }
            try {
                for (int from = 0; from < due.size(); from += MAX_LOTS_PER_WRITE) {
                    var chunk = due.subList(from, Math.min(due.size(), from + MAX_LOTS_PER_WRITE));
                    var write = write(owner.customerId(), balance, chunk);
                    store.apply(owner.tenantId(), write);
                    tally.add(chunk);
                    balance = write.after();
                }
                return;
            } catch (Refused refused) {
                due = due.stream().map(lot -> store.lot(owner.tenantId(), owner.customerId(), lot.transactionId()))
                        .flatMap(Optional::stream)
                        .filter(lot -> lot.pointsLeft() > 0 && !lot.expiresAt().isAfter(through))
                        .toList();
                if (due.isEmpty()) {
                    return;
                }
                if (attempt == MAX_ATTEMPTS) {
                    Log.warn("points kept changing: due lots left for the next run",
                            Map.of("tenant", owner.tenantId(), "customer_id", owner.customerId(), "lots", due.size()));
                    tally.skipped.addAndGet(due.size());
                    return;
                }
            }
        }
    }

    /**
     * The write that expires {@code lots} (each at what it holds now) from {@code balance}: each lot
     * to 0 (so it leaves the index), an EXPIRE line per lot dated when it expired, the points to
     * {@code expired}, the lots' days out of the expiry schedule.
     */
    static PointsWrite write(String customerId, Balance balance, List<Lot> lots) {
        var sorted = lots.stream().sorted(Comparator.comparing(Lot::id)).toList();
        var days = new TreeMap<String, Long>();
        var changes = new ArrayList<LotChange>();
        var lines = new ArrayList<StatementLine>();
        long points = 0;
        for (var lot : sorted) {
            days.merge(lot.expiryDate(), lot.pointsLeft(), Long::sum);
            points += lot.pointsLeft();
            changes.add(new LotChange(lot, lot.withPointsLeft(0)));
            lines.add(new StatementLine(StatementLine.EXPIRE, lot.expiresAt(), lot.id(), lot.storeId(), lot.terminalId(),
                    lot.transactionId(), null, lot.expiryDate(), -lot.pointsLeft(), 0L, null, null, null));
        }
        return new PointsWrite(customerId, ENTRY_PREFIX + sorted.get(0).id(), null, balance, balance.expire(days, points),
                changes, lines);
    }

    /** Counts, from the page's customers at once. */
    private static final class Tally {
        final AtomicLong lots = new AtomicLong();
        final AtomicLong points = new AtomicLong();
        final AtomicLong writes = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();

        void add(List<Lot> expired) {
            writes.incrementAndGet();
            lots.addAndGet(expired.size());
            points.addAndGet(expired.stream().mapToLong(Lot::pointsLeft).sum());
        }

        Result result(Instant through, boolean continued) {
            return new Result(through, lots.get(), points.get(), writes.get(), skipped.get(), continued);
        }
    }
}
