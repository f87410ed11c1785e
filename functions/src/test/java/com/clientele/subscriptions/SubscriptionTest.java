package com.clientele.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.catalogue.Price;
import com.clientele.shared.Json;
import com.clientele.shared.Money;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of one subscription: its amounts, periods, contract, what is due, and each change's next state. */
class SubscriptionTest {

    static final Instant NOW = Instant.parse("2026-01-31T10:00:00Z");

    static Price price(long unit, Price.Interval interval, int count, Integer contractMonths, Long assetCost) {
        var recurring = new Price.Recurring(interval, count, contractMonths);
        return new Price("price_01KB2C6F8H0K2M4N6P8R0S2T4V", "prod_01KB2C4D6F8G0H2J4K6M8N0P2Q", null, "USD", unit,
                Price.Type.RECURRING, recurring, null, assetCost, null, Map.of(), true, NOW, NOW, 1);
    }

    static Subscription start(Price price, int quantity, int trialDays) {
        return Subscription.start(new Subscription.Start("sub_01KB2C8H0K2M4N6P8R0S2T4V6W", "cus_01KB2CAJ2M4N6P8R0S2T4V6W8X", null,
                price, quantity, Collection.CHARGE_AUTOMATICALLY, "pm_01KB2CBK3N5P7R9S1T3V5W7X9Y", null, "SN-1", trialDays), NOW);
    }

    static Subscription monthly12() {
        return start(price(8900, Price.Interval.MONTH, 1, 12, 80000L), 1, 0);
    }

    @Test
    void aPeriodsAmountIsTheUnitTimesTheQuantityAndItsMonthlyPaymentThatPerMonth() {
        var s = start(price(8900, Price.Interval.MONTH, 1, null, null), 3, 0);
        assertThat(s.amount()).isEqualTo(new Money(26700, "USD"));
        assertThat(s.monthlyPayment()).isEqualTo(new Money(26700, "USD"));
        var quarterly = start(price(10000, Price.Interval.MONTH, 3, null, null), 1, 0);
        assertThat(quarterly.monthlyPayment()).as("10000 / 3, half-even").isEqualTo(new Money(3333, "USD"));
        var yearly = start(price(99900, Price.Interval.YEAR, 1, null, null), 2, 0);
        assertThat(yearly.amount()).isEqualTo(new Money(199800, "USD"));
        assertThat(yearly.monthlyPayment()).isEqualTo(new Money(16650, "USD"));
        assertThat(Subscription.monthly(new Money(250, "USD"), 12)).as("20.83 → 21 half-even").isEqualTo(new Money(21, "USD"));
        assertThat(Subscription.monthly(new Money(30, "USD"), 12)).as("2.5 → 2 half-even").isEqualTo(new Money(2, "USD"));
    }

    @Test
    void aNewSubscriptionWithoutTrialIsDueAtOnceAndItsContractEndsAfterItsMonths() {
        var s = monthly12();
        assertThat(s.status()).isEqualTo(SubscriptionStatus.ACTIVE);
        assertThat(s.nextPaymentAt()).isEqualTo(NOW);
        assertThat(s.isDue(NOW)).isTrue();
        assertThat(s.isDue(NOW.minusMillis(1))).isFalse();
        assertThat(s.currentPeriodStart()).isEqualTo(NOW);
        assertThat(s.currentPeriodEnd()).as("calendar months from the 31st: the last day of February")
                .isEqualTo(Instant.parse("2026-02-28T10:00:00Z"));
        assertThat(s.periodStart(3)).as("back on the 31st after a short month").isEqualTo(Instant.parse("2026-03-31T10:00:00Z"));
        assertThat(s.contractEndDate()).isEqualTo(LocalDate.parse("2027-01-31"));
        assertThat(s.contractPeriods()).isEqualTo(12);
        assertThat(s.collected()).isEqualTo(new Money(0, "USD"));
        assertThat(s.version()).isEqualTo(1);
    }

    @Test
    void aContractIsRoundedUpToWholePeriods() {
        var s = start(price(30000, Price.Interval.MONTH, 3, 10, null), 1, 0);
        assertThat(s.contractPeriods()).isEqualTo(4);
        assertThat(s.contractEndDate()).isEqualTo(LocalDate.parse("2027-01-31"));
    }

    @Test
    void aTrialDelaysTheFirstPeriodAndTheContract() {
        var s = start(price(8900, Price.Interval.MONTH, 1, 12, null), 1, 14);
        Instant trialEnd = NOW.plus(14, ChronoUnit.DAYS);
        assertThat(s.status()).isEqualTo(SubscriptionStatus.TRIALING);
        assertThat(s.trialEnd()).isEqualTo(trialEnd);
        assertThat(s.currentPeriodEnd()).isEqualTo(trialEnd);
        assertThat(s.nextPaymentAt()).isEqualTo(trialEnd);
        assertThat(s.isDue(NOW)).isFalse();
        assertThat(s.isDue(trialEnd)).isTrue();
        assertThat(s.contractEndDate()).isEqualTo(LocalDate.parse("2027-02-14"));
        var first = s.renewedFor(1, trialEnd);
        assertThat(first.status()).isEqualTo(SubscriptionStatus.ACTIVE);
        assertThat(first.currentPeriodStart()).isEqualTo(trialEnd);
        assertThat(first.nextPaymentAt()).isEqualTo(Instant.parse("2026-03-14T10:00:00Z"));
    }

    @Test
    void eachRenewalBillsTheNextPeriodOnceAndTheContractsLastEndsIt() {
        var s = monthly12();
        assertThatThrownBy(() -> monthly12().renewedFor(2, NOW)).isInstanceOf(IllegalStateException.class).hasMessageContaining("period 1");
        for (int n = 1; n <= 12; n++) {
            s = s.renewedFor(n, s.nextPaymentAt());
            assertThat(s.periodsBilled()).isEqualTo(n);
            assertThat(s.version()).isEqualTo(1 + n);
        }
        assertThat(s.contractBilled()).isTrue();
        assertThat(s.nextPaymentAt()).as("nothing more to bill").isNull();
        assertThat(s.dueAt()).as("due once more: to end at the period's end").isEqualTo(Instant.parse("2027-01-31T10:00:00Z"));
        assertThat(s.currentPeriodEnd()).isEqualTo(s.contractEndDate().atTime(10, 0).toInstant(java.time.ZoneOffset.UTC));
        var ended = s.periodEnded(s.dueAt());
        assertThat(ended.status()).isEqualTo(SubscriptionStatus.ENDED);
        assertThat(ended.endedAt()).isEqualTo(s.currentPeriodEnd());
        assertThat(ended.dueAt()).isNull();
        assertThatThrownBy(() -> ended.renewedFor(13, NOW)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void pausingLeavesTheDueIndexAndResumingServesWhatWasLeftOfThePaidPeriodFirst() {
        var s = monthly12().renewedFor(1, NOW);
        Instant pausedAt = NOW.plus(10, ChronoUnit.DAYS);
        var paused = s.paused(pausedAt);
        assertThat(paused.status()).isEqualTo(SubscriptionStatus.PAUSED);
        assertThat(paused.nextPaymentAt()).isNull();
        assertThat(paused.dueAt()).isNull();
        Duration left = Duration.between(pausedAt, s.currentPeriodEnd());
        Instant resumedAt = pausedAt.plus(40, ChronoUnit.DAYS);
        var resumed = paused.resumed(resumedAt);
        assertThat(resumed.status()).isEqualTo(SubscriptionStatus.ACTIVE);
        assertThat(resumed.nextPaymentAt()).isEqualTo(resumedAt.plus(left));
        assertThat(resumed.currentPeriodEnd()).isEqualTo(resumedAt.plus(left));
        assertThat(resumed.contractEndDate()).as("moved by the pause").isAfter(s.contractEndDate());
        assertThat(resumed.renewedFor(2, resumed.nextPaymentAt()).currentPeriodStart()).isEqualTo(resumedAt.plus(left));

        var unpaid = monthly12().paused(NOW.plusSeconds(60));
        var again = unpaid.resumed(NOW.plus(5, ChronoUnit.DAYS));
        assertThat(again.nextPaymentAt()).as("the first period was never paid: due at once").isEqualTo(NOW.plus(5, ChronoUnit.DAYS));
        assertThat(again.currentPeriodEnd()).isEqualTo(NOW.plus(5, ChronoUnit.DAYS).atOffset(java.time.ZoneOffset.UTC).plusMonths(1).toInstant());
    }

    @Test
    void eachChangeIsRefusedWhereItDoesNotApplyNamingTheState() {
        var canceled = monthly12().canceled(false, NOW);
        assertThat(canceled.status()).isEqualTo(SubscriptionStatus.CANCELED);
        assertThat(canceled.canceledAt()).isEqualTo(NOW);
        assertThat(canceled.dueAt()).isNull();
        assertThatThrownBy(() -> canceled.paused(NOW)).isInstanceOf(Subscription.Refused.class)
                .hasMessage("Subscription sub_01KB2C8H0K2M4N6P8R0S2T4V6W is canceled and cannot be paused: only an active subscription can be paused")
                .extracting(e -> ((Subscription.Refused) e).code()).isEqualTo("invalid_state");
        assertThatThrownBy(() -> canceled.resumed(NOW)).isInstanceOf(Subscription.Refused.class).hasMessageContaining("is canceled");
        assertThatThrownBy(() -> canceled.canceled(false, NOW)).hasMessageContaining("is canceled");
        assertThatThrownBy(() -> canceled.extended(6, NOW)).hasMessageContaining("is canceled");
        assertThatThrownBy(() -> monthly12().resumed(NOW)).hasMessageContaining("is active and cannot be resumed");
        assertThatThrownBy(() -> start(price(100, Price.Interval.MONTH, 1, null, null), 1, 0).extended(6, NOW))
                .isInstanceOf(Subscription.Refused.class).extracting(e -> ((Subscription.Refused) e).code()).isEqualTo("no_contract");
        var billing = monthly12().toBuilder().billing(new Subscription.Billing(1, "pay_1", NOW)).build();
        assertThatThrownBy(() -> billing.paused(NOW)).extracting(e -> ((Subscription.Refused) e).code()).isEqualTo("billing_in_progress");
    }

    @Test
    void aCancellationAtThePeriodsEndServesThePeriodThenCancels() {
        var s = monthly12().renewedFor(1, NOW).canceled(true, NOW.plusSeconds(5));
        assertThat(s.status()).isEqualTo(SubscriptionStatus.ACTIVE);
        assertThat(s.cancelAtPeriodEnd()).isTrue();
        assertThat(s.nextPaymentAt()).isNull();
        assertThat(s.dueAt()).isEqualTo(s.currentPeriodEnd());
        assertThat(s.canceled(true, NOW)).as("asked again: unchanged").isSameAs(s);
        var over = s.periodEnded(s.currentPeriodEnd());
        assertThat(over.status()).isEqualTo(SubscriptionStatus.CANCELED);
        assertThat(over.canceledAt()).isEqualTo(s.currentPeriodEnd());

        var fresh = monthly12().canceled(true, NOW);
        assertThat(fresh.nextPaymentAt()).as("the first period is still billed").isEqualTo(NOW);
        var trial = start(price(8900, Price.Interval.MONTH, 1, null, null), 1, 7).canceled(true, NOW);
        assertThat(trial.nextPaymentAt()).as("a trial canceled at its end is never billed").isNull();
        assertThat(trial.dueAt()).isEqualTo(trial.trialEnd());
        assertThatThrownBy(() -> monthly12().paused(NOW).canceled(true, NOW)).hasMessageContaining("is paused");
    }

    @Test
    void anExtensionMovesTheContractsEndCountsAndBillsAgain() {
        var s = monthly12();
        for (int n = 1; n <= 12; n++) {
            s = s.renewedFor(n, s.nextPaymentAt());
        }
        var extended = s.extended(6, NOW);
        assertThat(extended.contractMonths()).isEqualTo(18);
        assertThat(extended.contractEndDate()).isEqualTo(LocalDate.parse("2027-07-31"));
        assertThat(extended.extensions()).isEqualTo(1);
        assertThat(extended.nextPaymentAt()).as("period 13 is billed now").isEqualTo(s.currentPeriodEnd());
        assertThat(extended.extended(1, NOW).extensions()).isEqualTo(2);
    }

    @Test
    void aChangeTakesEffectWhenTheNextPeriodIsBilled() {
        var s = monthly12().renewedFor(1, NOW);
        var other = new Price("price_01KB2CCM4P6R8S0T2V4W6X8Y0Z", s.productId(), "var_01KB2CDN5Q7S9T1V3W5X7Y9Z1A", "USD", 12900,
                Price.Type.RECURRING, new Price.Recurring(Price.Interval.MONTH, 1, 12), null, null, null, Map.of(), true, NOW, NOW, 1);
        var changed = s.changedFromNextPeriod(other, 2, NOW);
        assertThat(changed.amount()).as("this period is unchanged").isEqualTo(new Money(8900, "USD"));
        assertThat(changed.pendingChange().amount()).isEqualTo(new Money(25800, "USD"));
        assertThat(changed.nextAmount()).isEqualTo(new Money(25800, "USD"));
        var renewed = changed.renewedFor(2, changed.nextPaymentAt());
        assertThat(renewed.priceId()).isEqualTo(other.id());
        assertThat(renewed.variantId()).isEqualTo("var_01KB2CDN5Q7S9T1V3W5X7Y9Z1A");
        assertThat(renewed.quantity()).isEqualTo(2);
        assertThat(renewed.amount()).isEqualTo(new Money(25800, "USD"));
        assertThat(renewed.monthlyPayment()).isEqualTo(new Money(25800, "USD"));
        assertThat(renewed.pendingChange()).isNull();
        assertThat(changed.changedFromNextPeriod(price(8900, Price.Interval.MONTH, 1, 12, null), 1, NOW).pendingChange())
                .as("back to the current terms: nothing pending").isNull();
        assertThatThrownBy(() -> s.canceled(true, NOW).changedFromNextPeriod(other, 2, NOW))
                .extracting(e -> ((Subscription.Refused) e).code()).isEqualTo("no_next_period");
    }

    @Test
    void aBuyoutEndsTheContractAndCountsTowardsCostRecovery() {
        var s = monthly12().renewedFor(1, NOW).collectedMore(new Money(8900, "USD"), NOW);
        assertThat(s.costRecovery()).isEqualTo(new Subscription.CostRecovery(new Money(80000, "USD"), new Money(8900, "USD"),
                new Money(71100, "USD"), new BigDecimal("11.1")));
        var bought = s.boughtOut(new Money(71100, "USD"), "pay_01KB2CEP6R8T0V2W4X6Y8Z0A2B", NOW.plusSeconds(60));
        assertThat(bought.status()).isEqualTo(SubscriptionStatus.ENDED);
        assertThat(bought.endedAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(bought.dueAt()).isNull();
        assertThat(bought.buyout().amount()).isEqualTo(new Money(71100, "USD"));
        assertThat(bought.costRecovery().remaining()).isEqualTo(new Money(0, "USD"));
        assertThat(bought.costRecovery().percent()).isEqualByComparingTo("100.0");
        assertThat(bought.version()).isEqualTo(s.version() + 1);
        assertThat(start(price(100, Price.Interval.MONTH, 1, null, null), 1, 0).costRecovery()).isNull();
    }

    @Test
    void itsJsonShowsCostRecoveryAndReadsBackWithoutIt() throws Exception {
        var s = monthly12();
        var json = Json.MAPPER.valueToTree(s);
        assertThat(json.path("costRecovery").path("remaining").path("amount").asLong()).isEqualTo(80000);
        assertThat(json.path("status").asText()).isEqualTo("active");
        assertThat(json.path("collection").asText()).isEqualTo("charge_automatically");
        assertThat(json.path("interval").asText()).isEqualTo("month");
        assertThat(json.path("contractEndDate").asText()).isEqualTo("2027-01-31");
        assertThat(Json.MAPPER.treeToValue(json, Subscription.class)).isEqualTo(s);
    }

    @Test
    void itsShareOfTheCustomersFiguresIsActiveUntilPausedCanceledOrEnded() {
        var s = monthly12().renewedFor(1, NOW).collectedMore(new Money(8900, "USD"), NOW).extended(6, NOW);
        assertThat(s.share()).isEqualTo(new com.clientele.customers.SubscriptionFigures.Share(true, new Money(8900, "USD"),
                new Money(8900, "USD"), 1, NOW));
        assertThat(s.paused(NOW).share().active()).isFalse();
        assertThat(s.canceled(false, NOW).share().active()).isFalse();
        assertThat(s.canceled(true, NOW).share()).as("active until its period ends").isEqualTo(s.share());
        assertThat(start(price(8900, Price.Interval.MONTH, 1, null, null), 1, 7).share().active()).as("trialing").isTrue();
    }
}
