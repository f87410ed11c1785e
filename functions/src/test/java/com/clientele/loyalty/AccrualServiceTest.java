package com.clientele.loyalty;

import com.clientele.customers.Customer;

import com.clientele.shared.events.Refused;
import com.clientele.shared.events.Refused.Refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.customers.Referral;
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

    /** Customers' items, written as the repository's transaction would write them: all of a write or nothing. */
    static final class MemoryStore implements PointsStore {
        /** One customer's points items. */
        static final class Account {
            Balance balance = Balance.EMPTY;
            final Map<String, Lot> lots = new HashMap<>();
            final Set<String> markers = new HashSet<>();
            final List<StatementLine> lines = new ArrayList<>();
        }

        LoyaltySettings settings = LoyaltySettings.DEFAULTS;
        final Map<String, Account> accounts = new HashMap<>();
        final Set<String> deleted = new HashSet<>();
        final Map<String, Referral> referrals = new HashMap<>();
        final Map<String, Set<String>> cards = new HashMap<>();
        /** Runs once, between a referral's read and its return (as another delivery would, concurrently). */
        Runnable afterReferralRead;
        /** Fails the next referral settlement before it writes anything, as a crash would. */
        boolean crashBeforeSettling;

        Account account(String customerId) {
            return accounts.computeIfAbsent(customerId, id -> new Account());
        }

        @Override
        public Optional<Customer> customer(String tenant, String customerId) {
            return deleted.contains(customerId) ? Optional.empty() : Optional.of(Customer.builder().id(customerId).build());
        }

        @Override
        public LoyaltySettings settings(String tenant) {
            return settings;
        }

        @Override
        public Balance balance(String tenant, String customerId) {
            return account(customerId).balance;
        }

        @Override
        public Optional<Lot> lot(String tenant, String customerId, String paymentId) {
            return Optional.ofNullable(account(customerId).lots.get(paymentId));
        }

        @Override
        public List<Lot> lots(String tenant, String customerId) {
            return List.copyOf(account(customerId).lots.values());
        }

        @Override
        public Optional<Referral> referral(String tenant, String customerId) {
            var read = Optional.ofNullable(referrals.get(customerId));
            if (afterReferralRead != null) {
                var hook = afterReferralRead;
                afterReferralRead = null;
                hook.run();
            }
            return read;
        }

        @Override
        public boolean holdsCard(String tenant, String customerId, String fingerprint) {
            return cards.getOrDefault(customerId, Set.of()).contains(fingerprint);
        }

        @Override
        public void apply(String tenant, PointsWrite write) {
            write(List.of(write), null);
        }

        @Override
        public void settleReferral(String tenant, List<PointsWrite> writes, Referral settled) {
            if (crashBeforeSettling) {
                crashBeforeSettling = false;
                throw new IllegalStateException("the function died");
            }
            write(writes, settled);
        }

        /**
         * Every condition is checked before anything is written. As in the repository, the first
         * write's marker failing is a duplicate; any other failed condition (a marker, a balance
         * version, a lot, the referral no longer pending) a conflict — unless the referral is all
         * there is, when it is a duplicate too.
         */
        private void write(List<PointsWrite> writes, Referral settled) {
            boolean first = true;
            boolean failed = false;
            for (var write : writes) {
                var account = account(write.customerId());
                if (account.markers.contains(write.entryId())) {
                    if (first) {
                        throw new Refused(Refusal.DUPLICATE);
                    }
                    failed = true;
                }
                first = false;
                failed |= !write.commutes() && account.balance.version() != write.before().version();
                for (var change : write.lots()) {
                    var stored = account.lots.get(change.after().transactionId());
                    failed |= change.before() == null ? stored != null
                            : stored == null || stored.pointsLeft() != change.before().pointsLeft();
                }
            }
            if (settled != null) {
                var current = referrals.get(settled.customerId());
                if (current == null || !current.isPending()) {
                    if (writes.isEmpty()) {
                        throw new Refused(Refusal.DUPLICATE);
                    }
                    failed = true;
                }
            }
            if (failed) {
                throw new Refused(Refusal.CONFLICT);
            }
            for (var write : writes) {
                var account = account(write.customerId());
                account.markers.add(write.entryId());
                account.balance = write.commutes() ? account.balance.plus(write.after().minus(write.before())) : write.after();
                write.lots().forEach(c -> account.lots.put(c.after().transactionId(), c.after()));
                account.lines.addAll(write.lines());
            }
            if (settled != null) {
                referrals.put(settled.customerId(), settled);
            }
        }
    }

    private final MemoryStore store = new MemoryStore();
    private final MemoryStore.Account mine = store.account(CUSTOMER);
    private final AccrualService accrual = new AccrualService(store);

    static PaymentEvent charge(int n, long amount) {
        return PaymentEvent.builder().id(id("evt_", n)).type(PaymentEvent.SUCCEEDED).tenantId(TENANT).customerId(CUSTOMER)
                .paymentId(id("pay_", n)).amount(amount).currency("USD")
                .occurredAt(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n * 60L)).storeId("store_1")
                .terminalId("term_1").receiptId("rcpt_" + n).cardFingerprint("fp_card" + n).build();
    }

    static PaymentEvent refund(int n, int k, long amount) {
        return PaymentEvent.builder().id(id("evt_", 1000 + n * 10 + k)).type(PaymentEvent.REFUNDED).tenantId(TENANT)
                .customerId(CUSTOMER).paymentId(id("pay_", n)).refundId(id("re_", n * 10 + k)).amount(amount).currency("USD")
                .occurredAt(Instant.parse("2026-02-01T00:00:00Z").plusSeconds(n * 60L + k)).build();
    }

    static String id(String prefix, int n) {
        return prefix + String.format("%026d", n);
    }

    @Test
    void aChargeEarnsALotThatExpiresAfterTheLotLifetime() {
        assertThat(accrual.apply(charge(1, 8_950))).isEqualTo(AccrualService.Outcome.APPLIED);
        var lot = mine.lots.get(id("pay_", 1));
        assertThat(lot.points()).isEqualTo(89);
        assertThat(lot.pointsLeft()).isEqualTo(89);
        assertThat(lot.id()).startsWith("lot_");
        assertThat(lot.expiresAt()).isEqualTo(Instant.parse("2027-01-01T00:01:00Z"));
        assertThat(lot.storeId()).isEqualTo("store_1");
        assertThat(lot.receiptId()).isEqualTo("rcpt_1");
        assertThat(mine.balance.available()).isEqualTo(89);
        assertThat(mine.balance.expiring()).containsEntry("2027-01-01", 89L);
        assertThat(mine.lines).extracting(StatementLine::type).containsExactly("EARN");
        assertThat(accrual.apply(charge(1, 8_950))).isEqualTo(AccrualService.Outcome.DUPLICATE);
        assertThat(mine.balance.available()).isEqualTo(89);
    }

    @Test
    void campaignPointsGoIntoTheChargesLotOnLinesOfTheirOwnAndARefundTakesItsShareOfThem() {
        var credits = List.of(new com.clientele.campaigns.CampaignCredit("cmp_A", 89, "Double: x2 +89", false),
                new com.clientele.campaigns.CampaignCredit("cmp_B", 30, "Big basket: from 5000 USD +30", false));
        var withCampaigns = new AccrualService(store, (event, customer, base, stacking) -> {
            assertThat(base).isEqualTo(89);
            assertThat(stacking).isEqualTo("all");
            return credits;
        }, TierEarning.NONE);
        assertThat(withCampaigns.apply(charge(1, 8_950))).isEqualTo(AccrualService.Outcome.APPLIED);
        assertThat(mine.lots.get(id("pay_", 1)).points()).isEqualTo(208);
        assertThat(mine.balance.available()).isEqualTo(208);
        assertThat(mine.balance.lifetime()).isEqualTo(208);
        assertThat(mine.lines).extracting(l -> l.points() + " " + l.pointsLeft() + " " + l.campaignId())
                .containsExactly("89 89 null", "89 178 cmp_A", "30 208 cmp_B");
        assertThat(mine.lines.get(1).description()).isEqualTo("Double: x2 +89");
        assertThat(mine.lines).extracting(StatementLine::lotId).containsOnly(mine.lots.get(id("pay_", 1)).id());
        // once per payment: the duplicate is refused with every campaign line
        assertThat(withCampaigns.apply(charge(1, 8_950))).isEqualTo(AccrualService.Outcome.DUPLICATE);
        assertThat(mine.lines).hasSize(3);
        // a refund of half the charge claws back half of the lot: campaign points with the charge's own
        withCampaigns.apply(refund(1, 1, 4_475));
        assertThat(mine.balance.available()).isEqualTo(104);
        assertThat(mine.balance.clawedBack()).isEqualTo(104);
        assertThat(mine.balance.available() + mine.balance.clawedBack()).isEqualTo(mine.balance.lifetime());
    }

    @Test
    void theTiersMultiplierAndTheCampaignsEachAddTheirLineOnceOnTheChargesOwnPoints() {
        var changed = new ArrayList<String>();
        var gold = new TierEarning() {
            @Override
            public Optional<Bonus> bonus(String tenant, String customerId, long base) {
                return Optional.of(new Bonus("gold", "Gold", new BigDecimal("1.5"), base / 2));
            }

            @Override
            public void changed(String tenant, String customerId) {
                changed.add(customerId);
            }
        };
        var both = new AccrualService(store, (event, customer, base, stacking) -> {
            assertThat(base).isEqualTo(100);
            return List.of(new com.clientele.campaigns.CampaignCredit("cmp_A", 100, "Double: x2 +100", false));
        }, gold);
        assertThat(both.apply(charge(1, 10_000))).isEqualTo(AccrualService.Outcome.APPLIED);
        assertThat(mine.lines).extracting(l -> l.type() + " " + l.points() + " " + l.pointsLeft() + " " + l.campaignId())
                .containsExactly("EARN 100 100 null", "TIER 50 150 null", "EARN 100 250 cmp_A");
        assertThat(mine.lines.get(1).reason()).isEqualTo("Tier Gold (gold) x1.5");
        assertThat(mine.lots.get(id("pay_", 1)).points()).isEqualTo(250);
        assertThat(mine.balance.lifetime()).isEqualTo(250);
        // the duplicate adds neither again; the tier is looked at after each (a crash between the two is repaired)
        assertThat(both.apply(charge(1, 10_000))).isEqualTo(AccrualService.Outcome.DUPLICATE);
        assertThat(mine.lines).hasSize(3);
        assertThat(mine.balance.lifetime()).isEqualTo(250);
        assertThat(changed).containsExactly(CUSTOMER, CUSTOMER);
    }

    @Test
    void theRateAndRoundingAreTheTenantsAndFailedPaymentsEarnNothing() {
        store.settings = new LoyaltySettings(new BigDecimal("2.5"), "HALF_UP", 6, 0, 0, false, LoyaltySettings.DEFAULTS.pointValue(), null);
        accrual.apply(charge(1, 1_010));
        assertThat(mine.balance.available()).isEqualTo(25); // 10.10 x 2.5 = 25.25
        var failed = PaymentEvent.builder().id(id("evt_", 9)).type(PaymentEvent.FAILED).tenantId(TENANT).customerId(CUSTOMER)
                .paymentId(id("pay_", 9)).amount(500).currency("USD").occurredAt(Instant.parse("2026-01-01T00:00:00Z"))
                .failureCode("card_declined").build();
        assertThat(accrual.apply(failed)).isEqualTo(AccrualService.Outcome.IGNORED);
        assertThat(mine.lots).hasSize(1);
        assertThat(mine.lots.get(id("pay_", 1)).expiresAt()).isEqualTo(Instant.parse("2026-07-01T00:01:00Z"));
    }

    @Test
    void aRefundClawsBackItsShareFromItsLotThenOtherLotsAndRecordsTheRest() {
        accrual.apply(charge(1, 10_000)); // 100 points
        accrual.apply(charge(2, 5_000));  // 50 points
        accrual.apply(refund(1, 1, 2_550));
        assertThat(mine.lots.get(id("pay_", 1)).pointsLeft()).isEqualTo(75); // 25.5 -> 25
        // lot 1 spent elsewhere (as a redemption would), then refunded in full: 75 due, 0 left in
        // its lot, 50 taken from lot 2, 25 unrecoverable
        mine.lots.put(id("pay_", 1), mine.lots.get(id("pay_", 1)).withPointsLeft(0));
        mine.balance = new Balance(50, 150, 75, 0, 25, 0, 0, Map.of("2027-01-01", 50L), mine.balance.version());
        accrual.apply(refund(1, 2, 7_450));
        assertThat(mine.lots.get(id("pay_", 2)).pointsLeft()).isZero();
        assertThat(mine.balance.available()).isZero();
        assertThat(mine.balance.unrecoverable()).isEqualTo(24); // 7450 x 100 / 10000 = 74.5 -> 74, of which 50 taken
        var last = mine.lines.get(mine.lines.size() - 1);
        assertThat(last.type()).isEqualTo("CLAWBACK");
        assertThat(last.points()).isEqualTo(-50);
        assertThat(last.unrecoverable()).isEqualTo(24);
    }

    @Test
    void aRefundBeforeItsChargeFailsSoThatItIsRetried() {
        assertThatThrownBy(() -> accrual.apply(refund(1, 1, 1_000))).isInstanceOf(AccrualService.ChargeNotYetApplied.class);
        accrual.apply(charge(1, 10_000));
        accrual.apply(refund(1, 1, 1_000));
        assertThat(mine.balance.available()).isEqualTo(90);
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
            var store = new MemoryStore();
            var s = store.account(CUSTOMER);
            var service = new AccrualService(store);
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

    // ---- referrals ---------------------------------------------------------------------------

    static final String REFERRER = "cus_01KB0000000000000000000002";
    static final String REFERRAL = "ref_01KB0000000000000000000001";

    private void referred(long referrerBonus, long refereeBonus) {
        store.settings = new LoyaltySettings(BigDecimal.ONE, "DOWN", 12, referrerBonus, refereeBonus, false,
                LoyaltySettings.DEFAULTS.pointValue(), null);
        store.referrals.put(CUSTOMER, new Referral(REFERRAL, CUSTOMER, REFERRER, "7K3M9QXR", Referral.PENDING, null, null,
                null, null, Instant.parse("2025-12-01T00:00:00Z"), null));
    }

    private static List<String> rows(MemoryStore.Account account) {
        return account.lines.stream().map(l -> l.type() + " " + l.points() + " " + l.transactionId()).toList();
    }

    @Test
    void theFirstChargePaysBothSidesOnceAndLaterChargesNoMore() {
        referred(100, 50);
        store.account(REFERRER).balance = Balance.EMPTY;
        accrual.apply(charge(1, 1_000));
        var referrer = store.account(REFERRER);
        assertThat(rows(mine)).containsExactly("EARN 10 " + id("pay_", 1), "REFERRAL 50 " + REFERRAL);
        assertThat(rows(referrer)).containsExactly("REFERRAL 100 " + REFERRAL);
        var lot = mine.lots.get(REFERRAL);
        assertThat(lot.points()).isEqualTo(50);
        assertThat(lot.transactionId()).isEqualTo(REFERRAL);
        assertThat(lot.earnedAt()).isEqualTo(charge(1, 1_000).occurredAt());
        assertThat(lot.expiresAt()).isEqualTo(Instant.parse("2027-01-01T00:01:00Z"));
        assertThat(mine.balance.available()).isEqualTo(60);
        assertThat(mine.balance.lifetime()).as("bonus points are earned points").isEqualTo(60);
        assertThat(referrer.balance.available()).isEqualTo(100);
        assertThat(referrer.balance.expiring()).containsEntry("2027-01-01", 100L);
        assertThat(referrer.markers).containsExactly(AccrualService.referralEntry(REFERRAL, "referrer"));
        var settled = store.referrals.get(CUSTOMER);
        assertThat(settled.status()).isEqualTo(Referral.REWARDED);
        assertThat(settled.paymentId()).isEqualTo(id("pay_", 1));
        assertThat(settled.refereePoints()).isEqualTo(50);
        assertThat(settled.referrerPoints()).isEqualTo(100);

        assertThat(accrual.apply(charge(1, 1_000))).isEqualTo(AccrualService.Outcome.DUPLICATE);
        accrual.apply(charge(2, 2_000));
        assertThat(rows(mine)).containsExactly("EARN 10 " + id("pay_", 1), "REFERRAL 50 " + REFERRAL, "EARN 20 " + id("pay_", 2));
        assertThat(referrer.balance.available()).isEqualTo(100);
    }

    @Test
    void aCrashBetweenTheChargeAndTheBonusIsRepairedWhenTheEventComesAgain() {
        referred(100, 50);
        store.crashBeforeSettling = true;
        assertThatThrownBy(() -> accrual.apply(charge(1, 1_000))).isInstanceOf(IllegalStateException.class);
        assertThat(rows(mine)).containsExactly("EARN 10 " + id("pay_", 1));
        assertThat(store.referrals.get(CUSTOMER).isPending()).isTrue();
        assertThat(accrual.apply(charge(1, 1_000))).isEqualTo(AccrualService.Outcome.DUPLICATE);
        assertThat(rows(mine)).containsExactly("EARN 10 " + id("pay_", 1), "REFERRAL 50 " + REFERRAL);
        assertThat(store.account(REFERRER).balance.available()).isEqualTo(100);
    }

    @Test
    void aSecondDeliveryRacingTheFirstPaysNothingMore() {
        referred(100, 50);
        // the first delivery reads the referral as pending; before it writes, another delivery of the same
        // charge, and one of a second charge, settle it
        store.afterReferralRead = () -> {
            accrual.apply(charge(1, 1_000));
            accrual.apply(charge(2, 1_000));
        };
        accrual.apply(charge(1, 1_000));
        assertThat(rows(mine)).filteredOn(r -> r.startsWith("REFERRAL")).hasSize(1);
        assertThat(store.account(REFERRER).lines).hasSize(1);
        assertThat(store.account(REFERRER).balance.available()).isEqualTo(100);
        assertThat(mine.balance.available()).isEqualTo(70);
    }

    @Test
    void aBonusOfZeroWritesNothingForItsSide() {
        referred(0, 50);
        accrual.apply(charge(1, 1_000));
        assertThat(rows(mine)).containsExactly("EARN 10 " + id("pay_", 1), "REFERRAL 50 " + REFERRAL);
        assertThat(store.account(REFERRER).lines).isEmpty();
        assertThat(store.account(REFERRER).balance).isEqualTo(Balance.EMPTY);
        assertThat(store.referrals.get(CUSTOMER).status()).isEqualTo(Referral.REWARDED);

        // both zero: the referral is still settled by the first charge (a later programme does not pay it)
        var other = new MemoryStore();
        other.referrals.put(CUSTOMER, new Referral(REFERRAL, CUSTOMER, REFERRER, "7K3M9QXR", Referral.PENDING, null, null,
                null, null, Instant.EPOCH, null));
        new AccrualService(other).apply(charge(1, 1_000));
        assertThat(other.referrals.get(CUSTOMER).status()).isEqualTo(Referral.REWARDED);
        assertThat(other.referrals.get(CUSTOMER).refereePoints()).isZero();
        assertThat(rows(other.account(CUSTOMER))).containsExactly("EARN 10 " + id("pay_", 1));
    }

    @Test
    void aChargeWithACardTheReferrerHoldsRefusesTheReferral() {
        referred(100, 50);
        store.cards.put(REFERRER, Set.of("fp_card1"));
        accrual.apply(charge(1, 1_000));
        var refused = store.referrals.get(CUSTOMER);
        assertThat(refused.status()).isEqualTo(Referral.REFUSED);
        assertThat(refused.reason()).isEqualTo(Referral.SAME_CARD);
        assertThat(refused.paymentId()).isEqualTo(id("pay_", 1));
        assertThat(rows(mine)).containsExactly("EARN 10 " + id("pay_", 1));
        assertThat(store.account(REFERRER).lines).isEmpty();
        accrual.apply(charge(2, 1_000)); // another card later: still nothing
        assertThat(mine.lots).doesNotContainKey(REFERRAL);
    }

    @Test
    void aDeletedReferrerGetsNothingAndTheReferredCustomerStillDoes() {
        referred(100, 50);
        store.deleted.add(REFERRER);
        accrual.apply(charge(1, 1_000));
        assertThat(rows(mine)).containsExactly("EARN 10 " + id("pay_", 1), "REFERRAL 50 " + REFERRAL);
        assertThat(store.account(REFERRER).lines).isEmpty();
        var settled = store.referrals.get(CUSTOMER);
        assertThat(settled.referrerPoints()).isZero();
        assertThat(settled.reason()).isEqualTo(Referral.REFERRER_DELETED);
    }

    @Test
    void refundsAndFailedChargesDoNotSettleAReferral() {
        referred(100, 50);
        var failed = PaymentEvent.builder().id(id("evt_", 9)).type(PaymentEvent.FAILED).tenantId(TENANT).customerId(CUSTOMER)
                .paymentId(id("pay_", 9)).amount(500).currency("USD").occurredAt(Instant.parse("2026-01-01T00:00:00Z"))
                .failureCode("card_declined").cardFingerprint("fp_card9").build();
        accrual.apply(failed);
        assertThatThrownBy(() -> accrual.apply(refund(1, 1, 100))).isInstanceOf(AccrualService.ChargeNotYetApplied.class);
        assertThat(store.referrals.get(CUSTOMER).isPending()).isTrue();
        store.deleted.add(CUSTOMER);
        assertThat(accrual.apply(charge(1, 1_000))).isEqualTo(AccrualService.Outcome.NO_CUSTOMER);
        assertThat(store.referrals.get(CUSTOMER).isPending()).isTrue();
    }

    /**
     * A referred customer's charges, duplicated, shuffled, with a crash before the bonus now and
     * then: the bonus is paid exactly once to each side, and both balances equal their lots.
     */
    @Test
    void anyOrderOfDuplicatedChargesWithCrashesPaysTheBonusOnce() {
        for (long seed = 0; seed < 200; seed++) {
            var random = new Random(seed);
            var s = new MemoryStore();
            s.settings = new LoyaltySettings(BigDecimal.ONE, "DOWN", 12, 1 + random.nextInt(500), random.nextInt(3) * 25L,
                    false, LoyaltySettings.DEFAULTS.pointValue(), null);
            s.referrals.put(CUSTOMER, new Referral(REFERRAL, CUSTOMER, REFERRER, "7K3M9QXR", Referral.PENDING, null, null,
                    null, null, Instant.EPOCH, null));
            var service = new AccrualService(s);
            var events = new ArrayList<PaymentEvent>();
            long charged = 0;
            for (int n = 1; n <= 1 + random.nextInt(5); n++) {
                long amount = 100 + random.nextInt(10_000);
                charged += amount / 100;
                events.add(charge(n, amount));
                if (random.nextBoolean()) {
                    events.add(charge(n, amount));
                }
            }
            Collections.shuffle(events, random);
            var queue = new ArrayDeque<>(events);
            while (!queue.isEmpty()) {
                var e = queue.poll();
                s.crashBeforeSettling = random.nextInt(4) == 0;
                try {
                    service.apply(e);
                } catch (IllegalStateException crashed) {
                    queue.add(e); // SQS delivers it again
                }
            }
            var referee = s.account(CUSTOMER);
            var referrer = s.account(REFERRER);
            assertThat(s.referrals.get(CUSTOMER).status()).as("seed %d", seed).isEqualTo(Referral.REWARDED);
            assertThat(referee.balance.lifetime()).as("seed %d", seed).isEqualTo(charged + s.settings.refereeBonus());
            assertThat(referrer.balance.lifetime()).as("seed %d", seed).isEqualTo(s.settings.referrerBonus());
            for (var account : List.of(referee, referrer)) {
                assertThat(account.balance.available()).isEqualTo(account.lots.values().stream().mapToLong(Lot::pointsLeft).sum());
                assertThat(account.lines.stream().mapToLong(StatementLine::points).sum()).isEqualTo(account.balance.lifetime());
            }
            assertThat(referee.lines.stream().filter(l -> l.type().equals(StatementLine.REFERRAL)).count())
                    .isEqualTo(s.settings.refereeBonus() > 0 ? 1 : 0);
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
