package com.clientele.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.catalogue.Price;
import com.clientele.shared.Money;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The renewal's rules: a period claimed, paid or declined; the dunning schedule; periods across month ends, leap years and contracts. */
class RenewalRulesTest {

    private static final BillingSettings.Dunning DEFAULT = BillingSettings.DEFAULTS.dunning();
    private static final BillingSettings.Dunning UNPAID = new BillingSettings.Dunning(List.of(2, 5), BillingSettings.AfterLastRetry.leave_unpaid);

    private static Subscription start(Price price, Instant at) {
        return Subscription.start(new Subscription.Start("sub_01KB2C8H0K2M4N6P8R0S2T4V6W", "cus_01KB2CAJ2M4N6P8R0S2T4V6W8X", null,
                price, 1, Collection.CHARGE_AUTOMATICALLY, "pm_01KB2CBK3N5P7R9S1T3V5W7X9Y", null, null, 0), at);
    }

    /** Bills every period due through {@code until}, each at its start, paid; the payment times. */
    private static List<Instant> billThrough(Subscription[] s, Instant until) {
        var paidAt = new ArrayList<Instant>();
        while (RenewalRules.paymentDue(s[0], until) || (s[0].nextPaymentAt() != null && !s[0].nextPaymentAt().isAfter(until))) {
            Instant at = s[0].nextPaymentAt();
            var claimed = RenewalRules.claimed(s[0], "pay_" + paidAt.size(), at);
            assertThat(claimed.billing().period()).isEqualTo(s[0].periodsBilled() + 1);
            assertThat(claimed.version()).isEqualTo(s[0].version() + 1);
            s[0] = RenewalRules.paid(claimed, claimed.nextAmount(), at);
            paidAt.add(at);
        }
        return paidAt;
    }

    @Test
    void aTwelveMonthContractFromJanuaryThe31stIsBilledTwelveTimesThenEnds() {
        Instant start = Instant.parse("2027-01-31T09:00:00Z");
        var s = new Subscription[]{start(SubscriptionTest.price(8900, Price.Interval.MONTH, 1, 12, null), start)};
        var paid = billThrough(s, Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(paid).hasSize(12);
        assertThat(paid.subList(0, 4)).containsExactly(start, Instant.parse("2027-02-28T09:00:00Z"),
                Instant.parse("2027-03-31T09:00:00Z"), Instant.parse("2027-04-30T09:00:00Z"));
        assertThat(paid.get(11)).isEqualTo(Instant.parse("2027-12-31T09:00:00Z"));
        var last = s[0];
        assertThat(last.periodsBilled()).isEqualTo(12);
        assertThat(last.collected()).isEqualTo(new Money(12 * 8900, "USD"));
        assertThat(last.nextPaymentAt()).as("no payment after the contract's last period").isNull();
        assertThat(last.contractEndDate()).isEqualTo(LocalDate.parse("2028-01-31"));
        assertThat(last.dueAt()).as("due again when its last period ends").isEqualTo(Instant.parse("2028-01-31T09:00:00Z"));

        assertThat(RenewalRules.periodOver(last, Instant.parse("2028-01-31T08:59:59Z"))).isFalse();
        assertThat(RenewalRules.periodOver(last, Instant.parse("2028-01-31T09:00:00Z"))).isTrue();
        var ended = last.periodEnded(Instant.parse("2028-02-01T00:30:00Z"));
        assertThat(ended.status()).isEqualTo(SubscriptionStatus.ENDED);
        assertThat(ended.endedAt()).isEqualTo(Instant.parse("2028-01-31T09:00:00Z"));
        assertThat(ended.dueAt()).isNull();
    }

    @Test
    void periodsFromALeapDayAndYearlyPeriodsKeepTheirDay() {
        Instant leapDay = Instant.parse("2028-02-29T12:00:00Z");
        var monthly = new Subscription[]{start(SubscriptionTest.price(1000, Price.Interval.MONTH, 1, null, null), leapDay)};
        assertThat(billThrough(monthly, Instant.parse("2028-05-01T00:00:00Z"))).containsExactly(leapDay,
                Instant.parse("2028-03-29T12:00:00Z"), Instant.parse("2028-04-29T12:00:00Z"));
        var yearly = new Subscription[]{start(SubscriptionTest.price(99900, Price.Interval.YEAR, 1, 36, null), leapDay)};
        assertThat(billThrough(yearly, Instant.parse("2040-01-01T00:00:00Z"))).containsExactly(leapDay,
                Instant.parse("2029-02-28T12:00:00Z"), Instant.parse("2030-02-28T12:00:00Z"));
        assertThat(yearly[0].contractEndDate()).isEqualTo(LocalDate.parse("2031-02-28"));
        assertThat(yearly[0].collected()).isEqualTo(new Money(3 * 99900, "USD"));
        var quarterly = new Subscription[]{start(SubscriptionTest.price(30000, Price.Interval.MONTH, 3, null, null),
                Instant.parse("2027-11-30T00:00:00Z"))};
        assertThat(billThrough(quarterly, Instant.parse("2028-09-01T00:00:00Z"))).containsExactly(Instant.parse("2027-11-30T00:00:00Z"),
                Instant.parse("2028-02-29T00:00:00Z"), Instant.parse("2028-05-30T00:00:00Z"), Instant.parse("2028-08-30T00:00:00Z"));
    }

    @Test
    void aDeclinedRenewalIsRetriedOnDaysOneThreeAndSevenAfterItsFirstFailureThenCanceled() {
        Instant due = Instant.parse("2027-03-01T00:30:00Z");
        var s = start(SubscriptionTest.price(8900, Price.Interval.MONTH, 1, 12, null), due);
        var failed = RenewalRules.declined(RenewalRules.claimed(s, "pay_1", due), DEFAULT, due);
        assertThat(failed.status()).isEqualTo(SubscriptionStatus.PAST_DUE);
        assertThat(failed.failedAttempts()).isEqualTo(1);
        assertThat(failed.billing()).as("the claim is released: a retry is a new payment").isNull();
        assertThat(failed.periodsBilled()).isZero();
        assertThat(failed.nextRetryAt()).isEqualTo(due.plus(Duration.ofDays(1)));
        assertThat(failed.dueAt()).isEqualTo(due.plus(Duration.ofDays(1)));
        assertThat(RenewalRules.dunned(failed)).isEqualTo(RenewalRules.Dunned.RETRY_SCHEDULED);
        assertThat(RenewalRules.paymentDue(failed, due.plus(Duration.ofDays(1)))).isTrue();

        // the retry on day 1 runs late (at 02:00), yet the next is still on day 3 after the first failure
        Instant day1 = due.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(90));
        var second = RenewalRules.declined(RenewalRules.claimed(failed, "pay_2", day1), DEFAULT, day1);
        assertThat(second.failedAttempts()).isEqualTo(2);
        assertThat(second.nextRetryAt()).isEqualTo(due.plus(Duration.ofDays(3)));
        var third = RenewalRules.declined(RenewalRules.claimed(second, "pay_3", second.nextRetryAt()), DEFAULT, second.nextRetryAt());
        assertThat(third.nextRetryAt()).isEqualTo(due.plus(Duration.ofDays(7)));
        assertThat(third.status()).isEqualTo(SubscriptionStatus.PAST_DUE);
        var last = RenewalRules.declined(RenewalRules.claimed(third, "pay_4", third.nextRetryAt()), DEFAULT, third.nextRetryAt());
        assertThat(last.status()).isEqualTo(SubscriptionStatus.CANCELED);
        assertThat(last.canceledAt()).isEqualTo(due.plus(Duration.ofDays(7)));
        assertThat(last.failedAttempts()).isEqualTo(4);
        assertThat(last.nextPaymentAt()).isNull();
        assertThat(last.dueAt()).isNull();
        assertThat(RenewalRules.dunned(last)).isEqualTo(RenewalRules.Dunned.CANCELED);
    }

    @Test
    void aRetryPaidMakesItActiveAgainAndAfterTheLastRetryItMayBeLeftUnpaid() {
        Instant due = Instant.parse("2027-03-01T00:30:00Z");
        var s = start(SubscriptionTest.price(8900, Price.Interval.MONTH, 1, 12, null), due);
        var failed = RenewalRules.declined(RenewalRules.claimed(s, "pay_1", due), UNPAID, due);
        assertThat(failed.nextRetryAt()).isEqualTo(due.plus(Duration.ofDays(2)));
        var paid = RenewalRules.paid(RenewalRules.claimed(failed, "pay_2", failed.nextRetryAt()), new Money(8900, "USD"),
                failed.nextRetryAt());
        assertThat(paid.status()).isEqualTo(SubscriptionStatus.ACTIVE);
        assertThat(paid.failedAttempts()).isZero();
        assertThat(paid.nextRetryAt()).isNull();
        assertThat(paid.periodsBilled()).isEqualTo(1);
        assertThat(paid.nextPaymentAt()).as("the next period keeps its day").isEqualTo(Instant.parse("2027-04-01T00:30:00Z"));

        var second = RenewalRules.declined(RenewalRules.claimed(failed, "pay_3", failed.nextRetryAt()), UNPAID, failed.nextRetryAt());
        assertThat(second.nextRetryAt()).isEqualTo(due.plus(Duration.ofDays(5)));
        var unpaid = RenewalRules.declined(RenewalRules.claimed(second, "pay_4", second.nextRetryAt()), UNPAID, second.nextRetryAt());
        assertThat(unpaid.status()).isEqualTo(SubscriptionStatus.PAST_DUE);
        assertThat(unpaid.nextPaymentAt()).isNull();
        assertThat(unpaid.dueAt()).as("out of the due index until paid by hand").isNull();
        assertThat(RenewalRules.dunned(unpaid)).isEqualTo(RenewalRules.Dunned.LEFT_UNPAID);
        var released = RenewalRules.released(RenewalRules.claimed(unpaid, "pay_5", due), due);
        assertThat(released.billing()).isNull();
        assertThat(released.failedAttempts()).as("a retry by hand that fails changes no schedule").isEqualTo(3);

        var none = new BillingSettings.Dunning(List.of(), BillingSettings.AfterLastRetry.cancel);
        assertThat(RenewalRules.declined(RenewalRules.claimed(s, "pay_6", due), none, due).status())
                .as("no retries: canceled at the first failure").isEqualTo(SubscriptionStatus.CANCELED);
    }

    @Test
    void aPeriodIsClaimedOnceAndOnlyAClaimIsPaidOrDeclined() {
        Instant due = Instant.parse("2027-03-01T00:30:00Z");
        var s = start(SubscriptionTest.price(8900, Price.Interval.MONTH, 1, 12, null), due);
        var claimed = RenewalRules.claimed(s, "pay_1", due);
        assertThat(claimed.billing()).isEqualTo(new Subscription.Billing(1, "pay_1", due));
        assertThat(RenewalRules.paymentDue(claimed, due)).as("claimed: not due for another claim").isFalse();
        assertThatThrownBy(() -> RenewalRules.claimed(claimed, "pay_2", due)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RenewalRules.paid(s, new Money(8900, "USD"), due)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RenewalRules.declined(s, DEFAULT, due)).isInstanceOf(IllegalStateException.class);
    }
}
