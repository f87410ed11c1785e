package com.clientele.loyalty;

import com.clientele.shared.events.Refused;
import com.clientele.shared.events.Refused.Refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.shared.events.PaymentEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Points from payment events, against an in-memory store with the repository's all-or-nothing writes. */
class AccrualServiceTest {

    static final String TENANT = "t1";
    static final String CUSTOMER = "cus_01KB0000000000000000000001";

    /** One customer's items, written as the repository's transaction would write them. */
    static final class MemoryStore implements PointsStore {
        LoyaltySettings settings = LoyaltySettings.DEFAULTS;
        Balance balance = Balance.EMPTY;
        final Map<String, Lot> lots = new HashMap<>();
        final Set<String> markers = new HashSet<>();
        final List<StatementLine> lines = new ArrayList<>();

        @Override
        public boolean customerExists(String tenant, String customerId) {
            return true;
        }

        @Override
        public LoyaltySettings settings(String tenant) {
            return settings;
        }

        @Override
        public Balance balance(String tenant, String customerId) {
            return balance;
        }

        @Override
        public Optional<Lot> lot(String tenant, String customerId, String paymentId) {
            return Optional.ofNullable(lots.get(paymentId));
        }

        @Override
        public List<Lot> lots(String tenant, String customerId) {
            return List.copyOf(lots.values());
        }

        @Override
        public void apply(String tenant, PointsWrite write) {
            var changes = write.lots();
            if (markers.contains(write.entryId())) {
                throw new Refused(Refusal.DUPLICATE);
            }
            if (balance.version() != write.before().version()) {
                throw new Refused(Refusal.CONFLICT);
            }
            for (var change : changes) {
                var stored = lots.get(change.after().transactionId());
                if (change.before() == null ? stored != null : stored == null || stored.pointsLeft() != change.before().pointsLeft()) {
                    throw new Refused(Refusal.CONFLICT);
                }
            }
            markers.add(write.entryId());
            balance = write.after();
            changes.forEach(c -> lots.put(c.after().transactionId(), c.after()));
            lines.addAll(write.lines());
        }
    }

    private final MemoryStore store = new MemoryStore();
    private final AccrualService accrual = new AccrualService(store);

    static PaymentEvent charge(int n, long amount) {
        return new PaymentEvent(id("evt_", n), PaymentEvent.SUCCEEDED, 1, TENANT, CUSTOMER, id("pay_", n), null, amount, "USD",
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n * 60L), "store_1", "term_1", "rcpt_" + n, null);
    }

    static PaymentEvent refund(int n, int k, long amount) {
        return new PaymentEvent(id("evt_", 1000 + n * 10 + k), PaymentEvent.REFUNDED, 1, TENANT, CUSTOMER, id("pay_", n),
                id("re_", n * 10 + k), amount, "USD", Instant.parse("2026-02-01T00:00:00Z").plusSeconds(n * 60L + k), null, null, null, null);
    }

    static String id(String prefix, int n) {
        return prefix + String.format("%026d", n);
    }

    @Test
    void aChargeEarnsALotThatExpiresAfterTheLotLifetime() {
        assertThat(accrual.apply(charge(1, 8_950))).isEqualTo(AccrualService.Outcome.APPLIED);
        var lot = store.lots.get(id("pay_", 1));
        assertThat(lot.points()).isEqualTo(89);
        assertThat(lot.pointsLeft()).isEqualTo(89);
        assertThat(lot.id()).startsWith("lot_");
        assertThat(lot.expiresAt()).isEqualTo(Instant.parse("2027-01-01T00:01:00Z"));
        assertThat(lot.storeId()).isEqualTo("store_1");
        assertThat(lot.receiptId()).isEqualTo("rcpt_1");
        assertThat(store.balance.available()).isEqualTo(89);
        assertThat(store.balance.expiring()).containsEntry("2027-01-01", 89L);
        assertThat(store.lines).extracting(StatementLine::type).containsExactly("EARN");
        assertThat(accrual.apply(charge(1, 8_950))).isEqualTo(AccrualService.Outcome.DUPLICATE);
        assertThat(store.balance.available()).isEqualTo(89);
    }

    @Test
    void theRateAndRoundingAreTheTenantsAndFailedPaymentsEarnNothing() {
        store.settings = new LoyaltySettings(new BigDecimal("2.5"), "HALF_UP", 6, 0, 0, false, LoyaltySettings.DEFAULTS.pointValue(), null);
        accrual.apply(charge(1, 1_010));
        assertThat(store.balance.available()).isEqualTo(25); // 10.10 x 2.5 = 25.25
        var failed = new PaymentEvent(id("evt_", 9), PaymentEvent.FAILED, 1, TENANT, CUSTOMER, id("pay_", 9), null, 500, "USD",
                Instant.parse("2026-01-01T00:00:00Z"), null, null, null, "card_declined");
        assertThat(accrual.apply(failed)).isEqualTo(AccrualService.Outcome.IGNORED);
        assertThat(store.lots).hasSize(1);
        assertThat(store.lots.get(id("pay_", 1)).expiresAt()).isEqualTo(Instant.parse("2026-07-01T00:01:00Z"));
    }

    @Test
    void aRefundClawsBackItsShareFromItsLotThenOtherLotsAndRecordsTheRest() {
        accrual.apply(charge(1, 10_000)); // 100 points
        accrual.apply(charge(2, 5_000));  // 50 points
        accrual.apply(refund(1, 1, 2_550));
        assertThat(store.lots.get(id("pay_", 1)).pointsLeft()).isEqualTo(75); // 25.5 -> 25
        // lot 1 spent elsewhere (as a redemption would), then refunded in full: 75 due, 0 left in
        // its lot, 50 taken from lot 2, 25 unrecoverable
        store.lots.put(id("pay_", 1), store.lots.get(id("pay_", 1)).withPointsLeft(0));
        store.balance = new Balance(50, 150, 75, 0, 25, 0, 0, Map.of("2027-01-01", 50L), store.balance.version());
        accrual.apply(refund(1, 2, 7_450));
        assertThat(store.lots.get(id("pay_", 2)).pointsLeft()).isZero();
        assertThat(store.balance.available()).isZero();
        assertThat(store.balance.unrecoverable()).isEqualTo(24); // 7450 x 100 / 10000 = 74.5 -> 74, of which 50 taken
        var last = store.lines.get(store.lines.size() - 1);
        assertThat(last.type()).isEqualTo("CLAWBACK");
        assertThat(last.points()).isEqualTo(-50);
        assertThat(last.unrecoverable()).isEqualTo(24);
    }

    @Test
    void aRefundBeforeItsChargeFailsSoThatItIsRetried() {
        assertThatThrownBy(() -> accrual.apply(refund(1, 1, 1_000))).isInstanceOf(AccrualService.ChargeNotYetApplied.class);
        accrual.apply(charge(1, 10_000));
        accrual.apply(refund(1, 1, 1_000));
        assertThat(store.balance.available()).isEqualTo(90);
    }

    /**
     * Random charges and partial refunds, shuffled and duplicated, delivered as SQS would (a failed
     * message comes back later): every entry applies once, whatever the order, and the balance
     * always equals its lots.
     */
    @Test
    void anyOrderOfDuplicatedEventsKeepsTheBalanceEqualToItsLots() {
        for (long seed = 0; seed < 300; seed++) {
            var random = new Random(seed);
            var s = new MemoryStore();
            var service = new AccrualService(s);
            var events = new ArrayList<PaymentEvent>();
            var charged = new HashMap<Integer, Long>();
            int charges = 1 + random.nextInt(8);
            for (int n = 1; n <= charges; n++) {
                long amount = 1 + random.nextInt(50_000);
                charged.put(n, amount);
                events.add(charge(n, amount));
                long left = amount;
                for (int k = 1; k <= random.nextInt(4) && left > 0; k++) {
                    long part = 1 + (long) random.nextInt((int) Math.min(left, Integer.MAX_VALUE));
                    left -= part;
                    events.add(refund(n, k, part));
                }
            }
            var delivered = new ArrayList<>(events);
            for (var e : events) {
                if (random.nextInt(3) == 0) {
                    delivered.add(e);
                }
            }
            Collections.shuffle(delivered, random);
            var queue = new ArrayDeque<>(delivered);
            int deliveries = 0;
            while (!queue.isEmpty()) {
                var e = queue.poll();
                assertThat(++deliveries).as("seed %d never settles", seed).isLessThan(10_000);
                try {
                    service.apply(e);
                } catch (AccrualService.ChargeNotYetApplied retried) {
                    queue.add(e);
                }
                long sumLeft = s.lots.values().stream().mapToLong(Lot::pointsLeft).sum();
                long earned = s.lots.values().stream().mapToLong(Lot::points).sum();
                assertThat(s.balance.available()).as("seed %d", seed).isEqualTo(sumLeft).isNotNegative();
                assertThat(s.balance.lifetime()).as("seed %d", seed).isEqualTo(earned);
                assertThat(s.balance.available() + s.balance.clawedBack()).isEqualTo(s.balance.lifetime());
                assertThat(s.lots.values()).allSatisfy(l -> assertThat(l.pointsLeft()).isBetween(0L, l.points()));
                assertThat(s.balance.expiring().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(sumLeft);
            }
            // each entry once: one lot per charge, one statement line per distinct entry
            assertThat(s.lots).hasSize(charges);
            assertThat(s.lines).hasSize(events.size());
            long expectedLifetime = charged.values().stream().mapToLong(a -> a / 100).sum();
            assertThat(s.balance.lifetime()).isEqualTo(expectedLifetime);
        }
    }

    @Test
    void settingsNameEveryBadField() {
        var input = new LoyaltySettings.Input(new BigDecimal("-1"), "SIDEWAYS", 0, -1L, null, null,
                new LoyaltySettings.AmountInput(0L, "usd"));
        assertThatThrownBy(() -> LoyaltySettings.of(input, Instant.EPOCH))
                .isInstanceOfSatisfying(com.clientele.shared.http.ApiException.class, e -> assertThat(e.errors())
                        .extracting(com.clientele.shared.http.FieldError::field)
                        .containsExactly("pointsPerUnit", "rounding", "lotLifetimeMonths", "referrerBonus", "refereeBonus",
                                "otpRequired", "pointValue.amount", "pointValue.currency"));
    }
}
