package com.clientele.tiers;

import com.clientele.shared.jobs.Budget;
import com.clientele.shared.logs.Log;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The daily review of tiers and journeys: reads only the review index (GSI1, sparse): the customers whose
 * review day has come, day by day from {@code lookbackDays} back to today, shard by shard; and evaluates
 * each ({@link TierService#evaluate}: down as the tenant's policy says, journeys entered and left by time).
 * Each customer's evaluation writes its next review day (or takes it out of the index) in the transaction of
 * its change, so the index is the run's progress: a run that stops (its budget spent, a crash) is carried
 * on by the next one (or one started by hand), and a change is written once. A customer whose evaluation
 * fails is logged and counted and stays where it is, for the next run: it never stops the others.
 */
public final class TierReview {

    private final TierRepository repository;
    private final TierService tiers;
    private final java.time.Clock clock;
    private final int pageSize;
    private final int lookbackDays;

    public TierReview(TierRepository repository, TierService tiers, java.time.Clock clock, int pageSize, int lookbackDays) {
        this.repository = repository;
        this.tiers = tiers;
        this.clock = clock;
        this.pageSize = pageSize;
        this.lookbackDays = lookbackDays;
    }

    /** What a run did. */
    public record Result(String through, long reviewed, long changed, long failed, boolean stopped) {

        public Map<String, Object> asMap() {
            var map = new LinkedHashMap<String, Object>();
            map.put("through", through);
            map.put("reviewed", reviewed);
            map.put("changed", changed);
            map.put("failed", failed);
            map.put("stopped", stopped);
            return map;
        }
    }

    /**
     * Reviews the customers due by {@code time}'s day (the clock's when null), {@code lookback} days back
     * (or the configured number), within {@code budget}.
     */
    public Result run(Instant time, Integer lookback, Budget budget) {
        Instant now = time == null ? clock.instant() : time;
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        long reviewed = 0;
        long changed = 0;
        long failed = 0;
        for (LocalDate day = today.minusDays(lookback == null ? lookbackDays : lookback); !day.isAfter(today); day = day.plusDays(1)) {
            for (int shard = 0; shard < TierItems.SHARDS; shard++) {
                Map<String, String> after = null;
                do {
                    if (!budget.another()) {
                        return new Result(today.toString(), reviewed, changed, failed, true);
                    }
                    var page = repository.due(day, shard, after, pageSize);
                    for (var customer : page.customers()) {
                        reviewed++;
                        try {
                            if (tiers.evaluate(customer.tenantId(), customer.customerId(), true) == TierService.Outcome.CHANGED) {
                                changed++;
                            }
                        } catch (RuntimeException e) {
                            failed++;
                            Log.warn("tier review failed for a customer; it stays due", Map.of("customer_id", customer.customerId(),
                                    "error", e.getClass().getSimpleName()));
                        }
                    }
                    budget.worked(page.customers().size());
                    after = page.next();
                } while (after != null);
            }
        }
        return new Result(today.toString(), reviewed, changed, failed, false);
    }
}
