package com.clientele.loyalty;

import com.clientele.customers.Customer;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.loyalty.AccrualServiceTest.MemoryStore;
import com.clientele.shared.Keys;
import com.clientele.shared.jobs.Budget;
import com.clientele.shared.jobs.JobMetrics;
import com.clientele.shared.metrics.MetricRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The expiry's rules against the in-memory store (the repository's all-or-nothing, conditional
 * writes) and an in-memory due-lots index that, like GSI1, holds the lots with points left by day
 * and shard, sorted by expiry. The same runs against DynamoDB Local are in infra's PointsExpiryTest.
 */
class ExpiryServiceTest {

    static final String TENANT = AccrualServiceTest.TENANT;
    static final String CUSTOMER = AccrualServiceTest.CUSTOMER;
    static final Instant NOW = Instant.parse("2026-11-23T00:15:00Z");
    private static final Budget NO_LIMIT = Budget.unlimited();

    private final MemoryStore store = new MemoryStore();
    private final MemoryIndex index = new MemoryIndex(store);
    private final List<ExpiryRun> continued = new ArrayList<>();
    private final List<PointsStore.PointsWrite> writes = new ArrayList<>();
    private final List<MetricRecord> metrics = new ArrayList<>();
    /** As if the customer's points changed between every read and write. */
    private boolean refuseEverything;

    private ExpiryService service(int pageSize) {
        PointsStore recording = new PointsStore() {
            @Override
            public Optional<Customer> customer(String tenant, String customerId) {
                return Optional.of(Customer.builder().id(customerId).build());
            }

            @Override
            public LoyaltySettings settings(String tenant) {
                return store.settings(tenant);
            }

            @Override
            public Balance balance(String tenant, String customerId) {
                return store.balance(tenant, customerId);
            }

            @Override
            public java.util.Optional<Lot> lot(String tenant, String customerId, String paymentId) {
                return store.lot(tenant, customerId, paymentId);
            }

            @Override
            public List<Lot> lots(String tenant, String customerId) {
                return store.lots(tenant, customerId);
            }

            @Override
            public void apply(String tenant, PointsWrite write) {
                if (refuseEverything) {
                    throw new com.clientele.shared.events.Refused(com.clientele.shared.events.Refused.Refusal.CONFLICT);
                }
                store.apply(tenant, write);
                writes.add(write);
            }

            @Override
            public java.util.Optional<com.clientele.customers.Referral> referral(String tenant, String customerId) {
                return java.util.Optional.empty();
            }

            @Override
            public boolean holdsCard(String tenant, String customerId, String fingerprint) {
                return false;
            }

            @Override
            public void settleReferral(String tenant, List<PointsWrite> writes, com.clientele.customers.Referral settled) {
                throw new UnsupportedOperationException("the expiry settles no referral");
            }
        };
        return new ExpiryService(recording, index, continued::add, Clock.fixed(NOW, ZoneOffset.UTC), pageSize, 35, 4,
                new JobMetrics(metrics::add, JobMetrics.EXPIRY));
    }

    /** The index as GSI1 holds it: lots with points left, by expiry day and shard, by expiry then id. */
    static final class MemoryIndex implements ExpiryService.DueIndex {
        final MemoryStore store;
        int queries;
        /** When set, what the index shows instead of the store's lots (GSI1 is eventually consistent). */
        List<Lot> stale;
        Instant doneThrough;

        MemoryIndex(MemoryStore store) {
            this.store = store;
        }

        @Override
        public ExpiryService.Page page(String day, int shard, Instant through, Map<String, String> after, int limit) {
            queries++;
            var lots = (stale != null ? stale : List.copyOf(store.account(CUSTOMER).lots.values())).stream()
                    .filter(l -> l.pointsLeft() > 0 && l.expiryDate().equals(day) && LoyaltyItems.lotExpiryShard(l.id()) == shard)
                    .filter(l -> LoyaltyItems.lotExpirySortKey(l.expiresAt(), l.id()).compareTo(LoyaltyItems.lotExpirySortKeyThrough(through)) <= 0)
                    .filter(l -> after == null || LoyaltyItems.lotExpirySortKey(l.expiresAt(), l.id()).compareTo(after.get("GSI1SK")) > 0)
                    .sorted(Comparator.comparing(l -> LoyaltyItems.lotExpirySortKey(l.expiresAt(), l.id())))
                    .limit(limit).toList();
            var next = lots.size() < limit ? null
                    : Map.of("GSI1SK", LoyaltyItems.lotExpirySortKey(lots.getLast().expiresAt(), lots.getLast().id()));
            return new ExpiryService.Page(lots.stream().map(l -> new ExpiryService.Due(TENANT, CUSTOMER, l)).toList(), next);
        }

        @Override
        public java.util.Optional<Instant> doneThrough() {
            return java.util.Optional.ofNullable(doneThrough);
        }

        @Override
        public void done(Instant through) {
            if (doneThrough == null || doneThrough.isBefore(through)) {
                doneThrough = through;
            }
        }
    }

    /** A lot of {@code points} earned by charge {@code n}, expiring at {@code expiresAt}, in the store and its balance. */
    private Lot earn(int n, long points, Instant expiresAt) {
        var lot = new Lot(AccrualServiceTest.id("lot_", n), points, points, expiresAt.minus(Duration.ofDays(365)), expiresAt,
                "store_" + n, "term_" + n, AccrualServiceTest.id("pay_", n), "rcpt_" + n, points * 100, "USD");
        store.account(CUSTOMER).lots.put(lot.transactionId(), lot);
        store.account(CUSTOMER).balance = store.account(CUSTOMER).balance.earn(lot);
        return lot;
    }

    /** {@code points} of the lot taken (as a clawback takes them): the lot and the balance both. */
    private Lot take(Lot lot, long points) {
        var after = lot.withPointsLeft(lot.pointsLeft() - points);
        store.account(CUSTOMER).lots.put(lot.transactionId(), after);
        store.account(CUSTOMER).balance = store.account(CUSTOMER).balance.clawBack(
                new Spending(List.of(), Map.of(lot.expiryDate(), points), points), 0);
        return after;
    }

    private long expiredLines() {
        return store.account(CUSTOMER).lines.stream().filter(l -> l.type().equals(StatementLine.EXPIRE)).count();
    }

    @Test
    void theDueLotsLoseWhatTheyHoldAndTheRestStays() {
        var old = earn(1, 100, NOW.minus(Duration.ofDays(30)));
        var partly = take(earn(2, 80, NOW.minus(Duration.ofDays(1))), 30);
        var spent = take(earn(3, 40, NOW.minus(Duration.ofDays(2))), 40);
        var laterToday = earn(4, 7, NOW.plus(Duration.ofHours(20)));
        var nextYear = earn(5, 60, NOW.plus(Duration.ofDays(300)));

        var result = service(100).start(NOW, NO_LIMIT);

        assertThat(result.lots()).isEqualTo(2);
        assertThat(result.points()).isEqualTo(150);
        assertThat(result.writes()).isEqualTo(2); // the two lots are in two partitions (days) of the index
        assertThat(result.continued()).isFalse();
        // one step, the whole run: its lots, then the run done
        assertThat(metrics).extracting(r -> r.value("JobItems")).containsExactly(2L, null);
        assertThat(metrics.get(1).value("JobsSucceeded")).isEqualTo(1);
        assertThat(metrics.get(1).value("JobDuration")).isZero(); // the clock stands still at the run's time
        assertThat(metrics).allSatisfy(r -> assertThat(r.dimensions()).containsEntry("JobKind", "points-expiry"));
        assertThat(store.account(CUSTOMER).lots.get(old.transactionId()).pointsLeft()).isZero();
        assertThat(store.account(CUSTOMER).lots.get(partly.transactionId()).pointsLeft()).isZero();
        assertThat(store.account(CUSTOMER).lots.get(spent.transactionId()).pointsLeft()).isZero();
        assertThat(store.account(CUSTOMER).lots.get(laterToday.transactionId()).pointsLeft()).isEqualTo(7);
        assertThat(store.account(CUSTOMER).balance.available()).isEqualTo(67);
        assertThat(store.account(CUSTOMER).balance.expired()).isEqualTo(150);
        assertThat(store.account(CUSTOMER).balance.clawedBack()).isEqualTo(70);
        assertThat(store.account(CUSTOMER).balance.lifetime()).isEqualTo(store.account(CUSTOMER).balance.available() + store.account(CUSTOMER).balance.expired() + store.account(CUSTOMER).balance.clawedBack());
        assertThat(store.account(CUSTOMER).balance.expiring()).containsOnly(Map.entry(laterToday.expiryDate(), 7L), Map.entry(nextYear.expiryDate(), 60L));
        // an EXPIRE line per lot, dated when the lot expired
        assertThat(writes).extracting(PointsStore.PointsWrite::entryId).containsExactly("exp_" + old.id(), "exp_" + partly.id());
        assertThat(store.account(CUSTOMER).lines).filteredOn(l -> l.type().equals(StatementLine.EXPIRE))
                .extracting(l -> l.lotId() + " " + l.points() + " " + l.pointsLeft() + " " + l.createdAt() + " " + l.expiryDate()
                        + " " + l.storeId() + " " + l.terminalId() + " " + l.transactionId())
                .containsExactly(
                        old.id() + " -100 0 " + old.expiresAt() + " " + old.expiryDate() + " store_1 term_1 " + old.transactionId(),
                        partly.id() + " -50 0 " + partly.expiresAt() + " " + partly.expiryDate() + " store_2 term_2 " + partly.transactionId());

        var again = service(100).start(NOW, NO_LIMIT);
        assertThat(again.lots()).isZero();
        assertThat(writes).hasSize(2);
        assertThat(store.account(CUSTOMER).balance.expired()).isEqualTo(150);
    }

    @Test
    void theFirstRunReadsTheLookBackDaysAndTheRunsTimeIsNeverLaterThanNow() {
        var inWindow = earn(1, 10, NOW.minus(Duration.ofDays(35)));
        var beforeWindow = earn(2, 20, NOW.minus(Duration.ofDays(37)));
        var inAnHour = earn(3, 30, NOW.plus(Duration.ofHours(1)));

        // a schedule time in the future is taken as now: the lot due in an hour stays
        var result = service(100).start(NOW.plus(Duration.ofDays(2)), NO_LIMIT);

        assertThat(result.through()).isEqualTo(NOW);
        assertThat(store.account(CUSTOMER).lots.get(inWindow.transactionId()).pointsLeft()).isZero();
        assertThat(store.account(CUSTOMER).lots.get(beforeWindow.transactionId()).pointsLeft()).isEqualTo(20);
        assertThat(store.account(CUSTOMER).lots.get(inAnHour.transactionId()).pointsLeft()).isEqualTo(30);
        // 36 days of 8 shards, one Query each (all but one empty); the run is recorded as done
        assertThat(index.queries).isEqualTo(36 * LoyaltyItems.LOT_EXPIRY_SHARDS);
        assertThat(index.doneThrough).isEqualTo(NOW);
    }

    @Test
    void aRunReadsFromTheDayBeforeTheLastFinishedRunsSoItCatchesUpAfterAnOutage() {
        index.doneThrough = NOW.minus(Duration.ofDays(10));
        var sinceTheLastRun = earn(1, 10, NOW.minus(Duration.ofDays(10)).plus(Duration.ofHours(1)));
        var writtenLateDayBefore = earn(2, 20, NOW.minus(Duration.ofDays(11)));
        var older = earn(3, 30, NOW.minus(Duration.ofDays(12)));

        var result = service(100).start(NOW, NO_LIMIT);

        assertThat(result.lots()).isEqualTo(2);
        assertThat(store.account(CUSTOMER).lots.get(sinceTheLastRun.transactionId()).pointsLeft()).isZero();
        assertThat(store.account(CUSTOMER).lots.get(writtenLateDayBefore.transactionId()).pointsLeft()).isZero();
        assertThat(store.account(CUSTOMER).lots.get(older.transactionId()).pointsLeft()).isEqualTo(30);
        assertThat(index.queries).isEqualTo(12 * LoyaltyItems.LOT_EXPIRY_SHARDS);
        assertThat(index.doneThrough).isEqualTo(NOW);

        // a run right after it reads its day and the day before; one asked to look back further finds the older lot
        index.queries = 0;
        service(100).start(NOW, NO_LIMIT);
        assertThat(index.queries).isEqualTo(2 * LoyaltyItems.LOT_EXPIRY_SHARDS);
        var backfill = service(100).start(NOW, 40, NO_LIMIT);
        assertThat(backfill.lots()).isEqualTo(1);
        assertThat(store.account(CUSTOMER).lots.get(older.transactionId()).pointsLeft()).isZero();
    }

    @Test
    void lotsLeftBecauseTheirPointsKeptChangingKeepTheRunFromBeingRecordedDone() {
        index.doneThrough = NOW.minus(Duration.ofDays(1));
        var lot = earn(1, 10, NOW.minus(Duration.ofHours(2)));
        refuseEverything = true;

        var result = service(100).start(NOW, NO_LIMIT);

        assertThat(result.lots()).isZero();
        assertThat(result.skipped()).isEqualTo(1);
        assertThat(store.account(CUSTOMER).lots.get(lot.transactionId()).pointsLeft()).isEqualTo(10);
        assertThat(index.doneThrough).isEqualTo(NOW.minus(Duration.ofDays(1)));
    }

    @Test
    void manyDueLotsOfOneCustomerAreExpiredInWritesOfAtMost45() {
        for (int n = 1; n <= 100; n++) {
            earn(n, n, NOW.minus(Duration.ofHours(n)));
        }

        var result = service(1_000).start(NOW, NO_LIMIT);

        assertThat(result.lots()).isEqualTo(100);
        assertThat(result.points()).isEqualTo(5_050);
        assertThat(writes).allSatisfy(w -> assertThat(w.lots()).hasSizeLessThanOrEqualTo(ExpiryService.MAX_LOTS_PER_WRITE));
        assertThat(writes.stream().mapToInt(w -> w.lots().size()).sum()).isEqualTo(100);
        assertThat(store.account(CUSTOMER).balance.available()).isZero();
        assertThat(store.account(CUSTOMER).balance.expired()).isEqualTo(5_050);
        assertThat(store.account(CUSTOMER).balance.expiring()).isEmpty();
        assertThat(expiredLines()).isEqualTo(100);
    }

    @Test
    void aLotChangedSinceTheIndexShowedItIsReadAgainAndLosesOnlyWhatItHoldsNow() {
        var lot = earn(1, 50, NOW.minus(Duration.ofDays(3)));
        index.stale = List.of(lot);  // the index still shows 50
        take(lot, 20);                // a clawback took 20 since

        var result = service(100).start(NOW, NO_LIMIT);

        assertThat(result.lots()).isEqualTo(1);
        assertThat(result.points()).isEqualTo(30);
        assertThat(store.account(CUSTOMER).balance.expired()).isEqualTo(30);
        assertThat(store.account(CUSTOMER).balance.available()).isZero();
        assertThat(store.account(CUSTOMER).lines.getLast().points()).isEqualTo(-30);

        // a stale index entry of a lot already expired costs a refused write and a read, and expires nothing
        var before = store.account(CUSTOMER).lines.size();
        var rerun = service(100).start(NOW, NO_LIMIT);
        assertThat(rerun.lots()).isZero();
        assertThat(store.account(CUSTOMER).lines).hasSize(before);
        assertThat(store.account(CUSTOMER).balance.expired()).isEqualTo(30);
    }

    @Test
    void aRunOutOfBudgetSendsTheRestWhichExpiresEveryDueLotOnce() {
        long sum = 0;
        for (int n = 1; n <= 9; n++) {
            earn(n, 10 * n, NOW.minus(Duration.ofDays(n % 3)).minus(Duration.ofMinutes(n)));
            sum += 10 * n;
        }
        var service = service(2);

        var first = service.start(NOW, Budget.of(() -> false)); // out of budget at once: one Query, then the rest goes on
        assertThat(first.continued()).isTrue();
        assertThat(index.queries).isEqualTo(1);
        assertThat(continued).hasSize(1);
        long lots = first.lots();
        int invocations = 1;
        while (!continued.isEmpty()) {
            var rest = continued.removeFirst();
            assertThat(rest.through()).isEqualTo(NOW);
            var queries = new int[] {3}; // each invocation's budget: three Queries after its first
            var part = service.run(rest, Budget.of(() -> queries[0]-- > 0));
            lots += part.lots();
            invocations++;
        }
        assertThat(invocations).isGreaterThan(2);
        assertThat(lots).isEqualTo(9);
        assertThat(expiredLines()).isEqualTo(9);
        assertThat(store.account(CUSTOMER).balance.expired()).isEqualTo(sum);
        assertThat(store.account(CUSTOMER).balance.available()).isZero();
        assertThat(store.account(CUSTOMER).lines.stream().filter(l -> l.type().equals(StatementLine.EXPIRE)).map(StatementLine::lotId).distinct())
                .hasSize(9);
    }

    @Test
    void theIndexSaysWhoseALotIsByItsPartitionKey() {
        assertThat(Keys.customerOf(Keys.customer("acme-1", CUSTOMER))).contains(new Keys.CustomerKey("acme-1", CUSTOMER));
        assertThat(Keys.customerOf(LoyaltyItems.lotsExpiring("2026-11-23", 3))).isEmpty();
        assertThat(Keys.customerOf(Keys.settings("acme"))).isEmpty();
        assertThat(Keys.customerOf("T#acme#C#")).isEmpty();
        assertThat(Keys.customerOf("T#ac#me#C#cus_1")).isEmpty();
        assertThat(Keys.customerOf(null)).isEmpty();
    }

    @Test
    void theBalanceKeepsEveryPointAccountedFor() {
        var balance = Balance.EMPTY;
        var a = new Lot("lot_a", 100, 100, NOW, NOW.plus(Duration.ofDays(1)), null, null, "pay_a", null, 10_000, "USD");
        var b = new Lot("lot_b", 50, 50, NOW, NOW.plus(Duration.ofDays(1)), null, null, "pay_b", null, 5_000, "USD");
        balance = balance.earn(a).earn(b);
        var expired = balance.expire(Map.of(a.expiryDate(), 120L), 120);
        assertThat(expired.available()).isEqualTo(30);
        assertThat(expired.expired()).isEqualTo(120);
        assertThat(expired.lifetime()).isEqualTo(150);
        assertThat(expired.expiring()).containsExactly(Map.entry(a.expiryDate(), 30L));
        assertThat(expired.version()).isEqualTo(balance.version() + 1);
        assertThat(balance.expired()).isZero(); // immutable
    }
}
