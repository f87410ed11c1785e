package com.clientele.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.loyalty.AccrualServiceTest.MemoryStore;
import com.clientele.shared.events.PaymentEvent;
import com.clientele.shared.http.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The points invariants over random sequences of every operation — charges, duplicated events,
 * partial refunds, redemptions, credit and debit adjustments, the expiry run — with time moving on
 * so that lots expire: after every step, available = Σ pointsLeft of the lots, lifetime = Σ credited, what
 * left the balance adds up, the per-day schedule matches the lots, and nothing is below zero. A
 * refused operation (too few points) changes nothing.
 */
class PointsInvariantTest {

    static final String TENANT = AccrualServiceTest.TENANT;
    static final String CUSTOMER = AccrualServiceTest.CUSTOMER;

    @Test
    void randomOperationSequencesKeepTheBalanceExact() {
        for (long seed = 0; seed < 400; seed++) {
            run(new Random(seed), seed);
        }
    }

    private static void run(Random random, long seed) {
        var store = new MemoryStore();
        store.settings = new LoyaltySettings(java.math.BigDecimal.ONE, "DOWN", 1 + random.nextInt(3), 0, 0, false,
                LoyaltySettings.DEFAULTS.pointValue(), null);
        var accrual = new AccrualService(store);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        var charges = new HashMap<String, Long>(); // payment id -> amount not yet refunded
        var delivered = new ArrayList<PaymentEvent>();
        long credited = 0;
        int n = 0;
        for (int step = 0; step < 60; step++) {
            now = now.plus(Duration.ofHours(random.nextInt(24 * 20)));
            n++;
            switch (random.nextInt(7)) {
                case 0, 1 -> {
                    long amount = 100 + random.nextInt(30_000);
                    var charge = PaymentEvent.builder().id(AccrualServiceTest.id("evt_", n)).type(PaymentEvent.SUCCEEDED)
                            .tenantId(TENANT).customerId(CUSTOMER).paymentId(AccrualServiceTest.id("pay_", n)).amount(amount)
                            .currency("USD").occurredAt(now).storeId("s").terminalId("t").build();
                    accrual.apply(charge);
                    delivered.add(charge);
                    charges.put(charge.paymentId(), amount);
                    credited += amount / 100;
                }
                case 2 -> {
                    var open = charges.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).sorted().toList();
                    if (!open.isEmpty()) {
                        String payment = open.get(random.nextInt(open.size()));
                        long part = 1 + (long) random.nextInt((int) Math.min(charges.get(payment), Integer.MAX_VALUE));
                        charges.merge(payment, -part, Long::sum);
                        var refund = PaymentEvent.builder().id(AccrualServiceTest.id("evt_", n)).type(PaymentEvent.REFUNDED)
                                .tenantId(TENANT).customerId(CUSTOMER).paymentId(payment)
                                .refundId(AccrualServiceTest.id("re_", n)).amount(part).currency("USD").occurredAt(now)
                                .build();
                        accrual.apply(refund);
                        delivered.add(refund);
                    }
                }
                case 3 -> {
                    long points = 1 + random.nextInt(400);
                    Instant at = now;
                    String id = AccrualServiceTest.id("rdm_", n);
                    apply(store, () -> RedemptionService.debit(StatementLine.REDEEM, CUSTOMER, id, store.account(CUSTOMER).balance,
                            List.copyOf(store.account(CUSTOMER).lots.values()), points, at, "s", "t", "r", "u"));
                }
                case 4 -> {
                    long points = random.nextInt(200) - 120;
                    if (points > 0) {
                        store.apply(TENANT, RedemptionService.credit(CUSTOMER, AccrualServiceTest.id("adj_", n), store.account(CUSTOMER).balance, points,
                                store.settings.lotLifetimeMonths(), now, "r", "u"));
                        credited += points;
                    } else if (points < 0) {
                        Instant at = now;
                        String id = AccrualServiceTest.id("adj_", n);
                        apply(store, () -> RedemptionService.debit(StatementLine.ADJUST, CUSTOMER, id, store.account(CUSTOMER).balance,
                                List.copyOf(store.account(CUSTOMER).lots.values()), -points, at, null, null, "r", "u"));
                    }
                }
                case 5 -> { // the daily expiry: every due lot with points left, then available = what unexpired lots hold
                    Instant at = now;
                    var due = store.account(CUSTOMER).lots.values().stream()
                            .filter(l -> l.pointsLeft() > 0 && !l.expiresAt().isAfter(at)).toList();
                    if (!due.isEmpty()) {
                        store.apply(TENANT, ExpiryService.write(CUSTOMER, store.account(CUSTOMER).balance, due));
                    }
                    long unexpired = store.account(CUSTOMER).lots.values().stream().filter(l -> l.expiresAt().isAfter(at))
                            .mapToLong(Lot::pointsLeft).sum();
                    assertThat(store.account(CUSTOMER).balance.available()).as("seed %d: available = Σ unexpired pointsLeft", seed)
                            .isEqualTo(unexpired);
                }
                default -> {
                    if (!delivered.isEmpty()) { // a duplicate delivery changes nothing
                        var before = store.account(CUSTOMER).balance;
                        assertThat(accrual.apply(delivered.get(random.nextInt(delivered.size()))))
                                .isEqualTo(AccrualService.Outcome.DUPLICATE);
                        assertThat(store.account(CUSTOMER).balance).isEqualTo(before);
                    }
                }
            }
            check(store, credited, seed);
        }
    }

    /** Applies a debit if the lots allow it; a refusal must leave everything as it was. */
    private static void apply(MemoryStore store, java.util.function.Supplier<PointsStore.PointsWrite> debit) {
        var before = store.account(CUSTOMER).balance;
        var lots = Map.copyOf(store.account(CUSTOMER).lots);
        PointsStore.PointsWrite write;
        try {
            write = debit.get();
        } catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(409);
            assertThat(store.account(CUSTOMER).balance).isEqualTo(before);
            assertThat(store.account(CUSTOMER).lots).isEqualTo(lots);
            return;
        }
        for (var change : write.lots()) {
            assertThat(change.after().expiresAt()).as("an expired lot is never spent").isAfter(write.lines().get(0).createdAt());
        }
        store.apply(TENANT, write);
    }

    private static void check(MemoryStore store, long credited, long seed) {
        var b = store.account(CUSTOMER).balance;
        long left = store.account(CUSTOMER).lots.values().stream().mapToLong(Lot::pointsLeft).sum();
        assertThat(b.available()).as("seed %d: available = Σ pointsLeft", seed).isEqualTo(left);
        assertThat(b.lifetime()).as("seed %d: lifetime = Σ credited", seed).isEqualTo(credited)
                .isEqualTo(store.account(CUSTOMER).lots.values().stream().mapToLong(Lot::points).sum());
        assertThat(b.available() + b.redeemed() + b.expired() + b.clawedBack() + b.adjustedDown())
                .as("seed %d: what left the balance adds up", seed).isEqualTo(b.lifetime());
        assertThat(store.account(CUSTOMER).lots.values()).allMatch(l -> l.pointsLeft() >= 0 && l.pointsLeft() <= l.points());
        assertThat(List.of(b.available(), b.redeemed(), b.expired(), b.clawedBack(), b.adjustedDown(), b.unrecoverable()))
                .allMatch(v -> v >= 0);
        var days = new TreeMap<String, Long>();
        store.account(CUSTOMER).lots.values().stream().filter(l -> l.pointsLeft() > 0).forEach(l -> days.merge(l.expiryDate(), l.pointsLeft(), Long::sum));
        assertThat(b.expiring()).as("seed %d: the expiry schedule matches the lots", seed).isEqualTo(days);
    }
}
