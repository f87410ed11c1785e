package com.clientele.ltv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.customers.CustomerStats;
import com.clientele.payments.Payment;
import com.clientele.payments.PaymentStatus;
import com.clientele.payments.Refund;
import com.clientele.payments.RefundStatus;
import com.clientele.shared.Money;
import com.clientele.shared.events.PaymentEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatsFoldTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Payment payment(int n, PaymentStatus status, long amount, Instant at, List<Refund> refunds) {
        long refunded = refunds.stream().filter(r -> r.status() == RefundStatus.SUCCEEDED).mapToLong(r -> r.amount().amount()).sum();
        return Payment.builder().id("pay_" + n).customerId("cus_1").status(status).amount(new Money(amount, "USD"))
                .amountRefunded(new Money(refunded, "USD")).failureCode(status == PaymentStatus.FAILED ? "card_declined" : null)
                .refunds(refunds).createdAt(at).updatedAt(at).version(2).build();
    }

    @Test
    void theSeedExampleComesOutExact() {
        // 12 months of $89, 6 months of $129, and a $300 one-off: $2,142.00
        var ledger = new ArrayList<Payment>();
        for (int i = 0; i < 12; i++) {
            ledger.add(payment(i, PaymentStatus.SUCCEEDED, 8_900, T0.plusSeconds(86_400L * 30 * i), List.of()));
        }
        for (int i = 0; i < 6; i++) {
            ledger.add(payment(100 + i, PaymentStatus.SUCCEEDED, 12_900, T0.plusSeconds(86_400L * (400 + 30 * i)), List.of()));
        }
        ledger.add(payment(200, PaymentStatus.SUCCEEDED, 30_000, T0.plusSeconds(86_400L * 600), List.of()));
        var stats = StatsFold.fromLedger(ledger);
        assertThat(stats.ltv()).isEqualTo(new Money(214_200, "USD"));
        assertThat(stats.orders()).isEqualTo(19);
        assertThat(stats.averageOrderValue()).isEqualTo(new Money(11_274, "USD"));
        assertThat(stats.firstPurchaseAt()).isEqualTo(T0);
        assertThat(stats.lastPurchaseAt()).isEqualTo(T0.plusSeconds(86_400L * 600));
        assertThat(stats.lastOrderValue()).isEqualTo(new Money(30_000, "USD"));
        assertThat(stats.returning()).isTrue();
    }

    @Test
    void refundsComeOffTheLtvAndFailuresAreCountedApart() {
        var refund = new Refund("re_1", "pay_1", RefundStatus.SUCCEEDED, new Money(2_500, "USD"), null, null, null, T0.plusSeconds(60));
        var failedRefund = new Refund("re_2", "pay_1", RefundStatus.FAILED, new Money(1_000, "USD"), null, null, null, T0.plusSeconds(90));
        var stats = StatsFold.fromLedger(List.of(
                payment(1, PaymentStatus.PARTIALLY_REFUNDED, 10_000, T0, List.of(refund, failedRefund)),
                payment(2, PaymentStatus.FAILED, 5_000, T0.plusSeconds(120), List.of()),
                payment(3, PaymentStatus.PENDING, 7_000, T0.plusSeconds(180), List.of())));
        assertThat(stats.ltv().amount()).isEqualTo(7_500);
        assertThat(stats.refunded().amount()).isEqualTo(2_500);
        assertThat(stats.orders()).isEqualTo(1);
        assertThat(stats.averageOrderValue().amount()).isEqualTo(10_000);
        assertThat(stats.failedPayments()).isEqualTo(1);
        assertThat(stats.lastFailedAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(stats.returning()).isFalse();
    }

    @Test
    void anUnknownEventTypeIsRefused() {
        var event = PaymentEvent.builder().id("evt_1").type("payment.disputed").tenantId("t").customerId("cus_1")
                .paymentId("pay_1").amount(100).currency("USD").occurredAt(T0).build();
        assertThatThrownBy(() -> StatsFold.apply(CustomerStats.zero(null), event)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Thousands of random ledgers; their events delivered in a random order with random
     * duplicates (deduplicated by event id, as the aggregator's marker does): the stats always
     * equal a recompute from the ledger.
     */
    @Test
    void anyDeliveryOrderWithDuplicatesGivesTheLedgersStats() {
        var random = new Random(20261123);
        for (int run = 0; run < 3_000; run++) {
            var ledger = new ArrayList<Payment>();
            int payments = random.nextInt(12);
            for (int n = 0; n < payments; n++) {
                // few distinct instants, so that ties on the last purchase happen
                Instant at = T0.plusSeconds(random.nextInt(6) * 3_600L);
                long amount = 1 + random.nextInt(50_000);
                if (random.nextInt(4) == 0) {
                    ledger.add(payment(n, PaymentStatus.FAILED, amount, at, List.of()));
                    continue;
                }
                var refunds = new ArrayList<Refund>();
                long left = amount;
                while (left > 0 && random.nextInt(3) == 0) {
                    long part = 1 + random.nextInt((int) Math.min(left, Integer.MAX_VALUE));
                    boolean ok = random.nextInt(5) != 0;
                    refunds.add(new Refund("re_" + n + "_" + refunds.size(), "pay_" + n, ok ? RefundStatus.SUCCEEDED : RefundStatus.FAILED,
                            new Money(part, "USD"), null, null, null, at.plusSeconds(random.nextInt(100_000))));
                    if (ok) {
                        left -= part;
                    }
                }
                PaymentStatus status = left == amount ? PaymentStatus.SUCCEEDED : left == 0 ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED;
                ledger.add(payment(n, status, amount, at, refunds));
            }
            var events = StatsFold.events(ledger);
            var ids = new ArrayList<String>();
            for (int i = 0; i < events.size(); i++) {
                ids.add("evt_" + i);
            }
            var deliveries = new ArrayList<Integer>();
            for (int i = 0; i < events.size(); i++) {
                deliveries.add(i);
                while (random.nextInt(4) == 0) {
                    deliveries.add(i);
                }
            }
            Collections.shuffle(deliveries, random);
            var applied = new HashSet<String>();
            var stats = CustomerStats.zero(null);
            for (int i : deliveries) {
                if (applied.add(ids.get(i))) {
                    stats = StatsFold.apply(stats, events.get(i));
                }
            }
            assertThat(stats).as("run %d: %s", run, ledger).isEqualTo(StatsFold.fromLedger(ledger));
        }
    }

    @Test
    void aDisputeIsHeldOutOfLtvWhileOpenAndGivenBackWhenWonInAnyOrder() {
        var charge = PaymentEvent.builder().type(PaymentEvent.SUCCEEDED).paymentId("pay_1").amount(10_000).currency("USD").occurredAt(T0).build();
        var held = PaymentEvent.builder().type(PaymentEvent.DISPUTED).paymentId("pay_1").disputeId("dp_1").amount(4_000).currency("USD")
                .occurredAt(T0.plusSeconds(60)).build();
        var won = held.toBuilder().type(PaymentEvent.DISPUTE_WON).occurredAt(T0.plusSeconds(120)).build();
        var lost = held.toBuilder().type(PaymentEvent.DISPUTE_LOST).occurredAt(T0.plusSeconds(120)).build();
        var open = StatsFold.apply(StatsFold.apply(CustomerStats.zero(null), charge), held);
        assertThat(open.ltv()).isEqualTo(new Money(6_000, "USD"));
        assertThat(open.disputeCount()).isEqualTo(1);
        assertThat(open.disputedAmount()).isEqualTo(new Money(4_000, "USD"));
        assertThat(open.averageOrderValue()).as("the order's value is what it was").isEqualTo(new Money(10_000, "USD"));
        var afterWon = StatsFold.apply(open, won);
        assertThat(afterWon.ltv()).isEqualTo(new Money(10_000, "USD"));
        assertThat(afterWon.disputedAmount()).isEqualTo(new Money(0, "USD"));
        assertThat(StatsFold.apply(open, lost)).isEqualTo(open);
        var reversed = StatsFold.apply(StatsFold.apply(StatsFold.apply(CustomerStats.zero(null), won), held), charge);
        assertThat(reversed).isEqualTo(afterWon);
        for (var event : List.of(held, won, lost)) {
            assertThat(StatsFold.fromPending(StatsFold.pending(event))).satisfies(p -> {
                assertThat(p.type()).isEqualTo(event.type());
                assertThat(p.disputeId()).isEqualTo("dp_1");
                assertThat(StatsFold.entryId(p)).isEqualTo(StatsFold.entryId(event));
            });
        }
        assertThat(StatsFold.entryId(won)).isEqualTo("dp_1:won");
    }

    @Test
    void statsWrittenBeforeDisputesReadAsNone() {
        var old = new CustomerStats(new Money(100, "EUR"), 1, new Money(100, "EUR"), T0, T0, null, new Money(0, "EUR"), 0, null, false, null, null);
        assertThat(old.disputeCount()).isZero();
        assertThat(old.disputedAmount()).isEqualTo(new Money(0, "EUR"));
    }
}
