package com.clientele.invoices;

import com.clientele.shared.Futures;
import com.clientele.shared.jobs.Budget;
import com.clientele.shared.logs.Log;
import com.clientele.shared.metrics.MetricRecord;
import com.clientele.shared.metrics.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daily overdue run: marks the open invoices whose due date has passed ({@link InvoiceService#markOverdue}),
 * reading only those: the due index ({@link InvoiceRepository#due}, {@code INVDUE#<day>#<shard>}), day by day from
 * the last finished run's day ({@value #GRACE_DAYS} day earlier; {@code lookbackDays} back before any run finished)
 * to the day before the run's, each day's shards one after the other, a page at a time. The index's items are the
 * invoices themselves: no second read unless one changed since the index showed it. A marked invoice leaves the
 * index, and so does one paid, voided or written off; so a run that stops half-way (its budget spent, a crash)
 * leaves the rest where the next run reads, and one that runs at the same time as another marks nothing twice
 * (each mark is written at the invoice's version). A run that finished every day over every tenant without a
 * failure records its last day; an invoice that failed stays in the index for the next run.
 */
public final class OverdueRun {

    /** Days before the last finished run's day that a run reads again. */
    static final int GRACE_DAYS = 1;

    /** What a run (or the part its budget allowed) did: invoices marked, skipped (not due any more, or marked by another), failed. */
    public record Result(LocalDate through, long marked, long skipped, long failed, boolean finished) {

        public Map<String, Object> asMap() {
            var map = new LinkedHashMap<String, Object>();
            map.put("through", through.toString());
            map.put("marked", marked);
            map.put("skipped", skipped);
            map.put("failed", failed);
            map.put("finished", finished);
            return map;
        }
    }

    private final InvoiceRepository repository;
    private final InvoiceService invoices;
    private final Clock clock;
    private final Metrics metrics;
    private final int pageSize;
    private final int lookbackDays;
    private final int parallelism;

    /**
     * @param pageSize     due invoices read per Query
     * @param lookbackDays days before the run's day that a first run reads
     * @param parallelism  due invoices of a page marked at once
     */
    public OverdueRun(InvoiceRepository repository, InvoiceService invoices, Clock clock, Metrics metrics, int pageSize, int lookbackDays,
                      int parallelism) {
        this.repository = repository;
        this.invoices = invoices;
        this.clock = clock;
        this.metrics = metrics;
        this.pageSize = pageSize;
        this.lookbackDays = lookbackDays;
        this.parallelism = Math.max(1, parallelism);
    }

    /**
     * A scheduled or on-demand run at {@code at} (the schedule's time; now when null, never later than now): the
     * invoices due before that day, of {@code tenant} only when set (a run asked for by one tenant's admin), read
     * from the last finished run's day, or {@code lookback} days back when set (a backfill).
     */
    public Result run(Instant at, String tenant, Integer lookback, Budget budget) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(at == null || at.isAfter(now) ? now : at, ZoneOffset.UTC);
        LocalDate last = today.minusDays(1);
        LocalDate from = lookback != null ? today.minusDays(lookback)
                : repository.overdueDoneThrough().map(d -> (d.isAfter(last) ? last : d).minusDays(GRACE_DAYS))
                .orElse(today.minusDays(lookbackDays));
        var marked = new AtomicLong();
        var skipped = new AtomicLong();
        var failed = new AtomicLong();
        boolean finished = true;
        days:
        for (LocalDate day = from; !day.isAfter(last); day = day.plusDays(1)) {
            for (int shard = 0; shard < InvoiceItems.DUE_SHARDS; shard++) {
                Map<String, String> after = null;
                do {
                    if (!budget.another()) {
                        finished = false;
                        break days;
                    }
                    var page = repository.due(day, shard, after, pageSize);
                    for (String unreadable : page.unreadable()) {
                        Log.warn("a due invoice item could not be read: left in the index", Map.of("item", unreadable));
                        failed.incrementAndGet();
                    }
                    var mine = page.due().stream().filter(d -> tenant == null || tenant.equals(d.tenant())).toList();
                    Futures.each(mine, parallelism, due -> {
                        try {
                            (invoices.markOverdue(due.tenant(), due.invoice(), today) ? marked : skipped).incrementAndGet();
                        } catch (RuntimeException e) {
                            Log.warn("an invoice could not be marked overdue: left for the next run", Map.of("invoice_id",
                                    due.invoice().id(), "error_type", e.getClass().getName()));
                            failed.incrementAndGet();
                        }
                    });
                    budget.worked(mine.size());
                    after = page.next();
                } while (after != null);
            }
        }
        if (finished && tenant == null && failed.get() == 0) {
            repository.overdueDone(last, clock.instant());
        }
        var record = MetricRecord.of();
        record.add("OverdueRunFailed", failed.get(), MetricRecord.Unit.COUNT);
        metrics.record(record);
        return new Result(last, marked.get(), skipped.get(), failed.get(), finished);
    }
}
