package com.clientele.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.catalogue.Price;
import com.clientele.shared.events.SubscriptionEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The reminders' rules: when each is due, once per period and per contract end, and none where nothing is ahead. */
class SubscriptionRemindersTest {

    private static final Instant START = Instant.parse("2027-03-10T09:00:00Z");
    private static final BillingSettings.Reminders DAYS_5_AND_40 = new BillingSettings.Reminders(5, 40);

    /** A three-month contract at $89, its first period paid at {@link #START}. */
    private static Subscription threeMonths() {
        var s = Subscription.start(new Subscription.Start("sub_01KB2C8H0K2M4N6P8R0S2T4V6W", "cus_01KB2CAJ2M4N6P8R0S2T4V6W8X", null,
                SubscriptionTest.price(8900, Price.Interval.MONTH, 1, 3, null), 1, Collection.CHARGE_AUTOMATICALLY,
                "pm_01KB2CBK3N5P7R9S1T3V5W7X9Y", null, null, 0), START);
        return RenewalRules.paid(RenewalRules.claimed(s, "pay_1", START), s.amount(), START);
    }

    @Test
    void theRenewalIsAnnouncedTheTenantsDaysAheadOncePerPeriod() {
        var s = threeMonths();
        Instant renewal = Instant.parse("2027-04-10T09:00:00Z");
        assertThat(s.nextPaymentAt()).isEqualTo(renewal);
        assertThat(SubscriptionReminders.renewalAt(s, DAYS_5_AND_40)).isEqualTo(renewal.minus(Duration.ofDays(5)));
        assertThat(SubscriptionReminders.due(s, DAYS_5_AND_40, renewal.minus(Duration.ofDays(5)).minusSeconds(1))).isEmpty();
        Instant at = renewal.minus(Duration.ofDays(5));
        assertThat(SubscriptionReminders.due(s, DAYS_5_AND_40, at)).containsExactly(SubscriptionReminders.Kind.RENEWAL_UPCOMING);

        var event = SubscriptionReminders.event("evt_1", "acme", s, SubscriptionReminders.Kind.RENEWAL_UPCOMING, at);
        assertThat(event.type()).isEqualTo(SubscriptionEvent.RENEWAL_UPCOMING);
        assertThat(event.period()).isEqualTo(2);
        assertThat(event.renewalAt()).isEqualTo(renewal);
        assertThat(event.amount()).isEqualTo(8900);
        assertThat(event.currency()).isEqualTo("USD");
        assertThat(event.contractEndDate()).isEqualTo(LocalDate.parse("2027-06-10"));

        var reminded = SubscriptionReminders.reminded(s, SubscriptionReminders.Kind.RENEWAL_UPCOMING, at);
        assertThat(reminded.version()).isEqualTo(s.version() + 1);
        assertThat(reminded.reminded().renewalPeriod()).isEqualTo(2);
        assertThat(SubscriptionReminders.due(reminded, DAYS_5_AND_40, at.plusSeconds(60))).as("once per period").isEmpty();
        assertThat(SubscriptionReminders.renewalAt(reminded, DAYS_5_AND_40)).isNull();

        // period 2 billed: period 3's renewal is to be announced in its turn
        var next = RenewalRules.paid(RenewalRules.claimed(reminded, "pay_2", renewal), s.amount(), renewal);
        assertThat(SubscriptionReminders.renewalAt(next, DAYS_5_AND_40)).isEqualTo(Instant.parse("2027-05-05T09:00:00Z"));
    }

    @Test
    void theContractsEndIsAnnouncedOncePerEndDateAndAgainAfterAnExtension() {
        var s = threeMonths();
        Instant end = Instant.parse("2027-06-10T09:00:00Z");
        Instant at = end.minus(Duration.ofDays(40));
        assertThat(SubscriptionReminders.contractEndAt(s, DAYS_5_AND_40)).isEqualTo(at);
        assertThat(SubscriptionReminders.nextAt(s, DAYS_5_AND_40)).as("the renewal comes first")
                .isEqualTo(Instant.parse("2027-04-05T09:00:00Z"));
        var reminded = SubscriptionReminders.reminded(s, SubscriptionReminders.Kind.CONTRACT_ENDING, at);
        assertThat(reminded.reminded().contractEnd()).isEqualTo(LocalDate.parse("2027-06-10"));
        assertThat(SubscriptionReminders.contractEndAt(reminded, DAYS_5_AND_40)).isNull();

        var extended = reminded.extended(3, at.plusSeconds(60));
        assertThat(extended.contractEndDate()).isEqualTo(LocalDate.parse("2027-09-10"));
        assertThat(SubscriptionReminders.contractEndAt(extended, DAYS_5_AND_40)).as("a new end, a new reminder")
                .isEqualTo(Instant.parse("2027-09-10T09:00:00Z").minus(Duration.ofDays(40)));
    }

    @Test
    void noReminderWithZeroDaysWhilePausedDunningOrCanceledAtThePeriodsEndOrOnceWhatItAnnouncesHasPassed() {
        var s = threeMonths();
        assertThat(SubscriptionReminders.nextAt(s, new BillingSettings.Reminders(0, 0))).isNull();
        assertThat(SubscriptionReminders.nextAt(s.paused(START.plusSeconds(5)), DAYS_5_AND_40)).isNull();
        var canceling = s.canceled(true, START.plusSeconds(5));
        assertThat(SubscriptionReminders.contractEndAt(canceling, DAYS_5_AND_40)).isNull();
        assertThat(SubscriptionReminders.renewalAt(canceling, DAYS_5_AND_40)).as("no renewal follows").isNull();
        var dunned = RenewalRules.declined(RenewalRules.claimed(s, "pay_2", s.nextPaymentAt()), BillingSettings.DEFAULTS.dunning(),
                s.nextPaymentAt());
        assertThat(SubscriptionReminders.renewalAt(dunned, DAYS_5_AND_40)).as("a retry is no renewal").isNull();
        // a run that comes after the renewal's time: nothing to announce any more
        assertThat(SubscriptionReminders.due(s, DAYS_5_AND_40, s.nextPaymentAt())).isEmpty();
    }

    @Test
    void aPastDueSubscriptionExtendedKeepsItsRetryAndAnIndexTimeThatHasPassedIsTheWritesUnlessItIsBeingBilled() {
        var s = threeMonths();
        Instant renewal = s.nextPaymentAt();
        var dunned = RenewalRules.declined(RenewalRules.claimed(s, "pay_2", renewal), BillingSettings.DEFAULTS.dunning(), renewal);
        Instant later = renewal.plus(Duration.ofHours(5));
        var extended = dunned.extended(6, later);
        assertThat(extended.contractEndDate()).isEqualTo(LocalDate.parse("2027-12-10"));
        assertThat(extended.nextPaymentAt()).as("the retry, not the unpaid period's start").isEqualTo(dunned.nextRetryAt());
        assertThat(extended.dueAt()).isAfter(later);

        var overdue = s.toBuilder().updatedAt(later).build();
        assertThat(SubscriptionItems.notBeforeItsWrite(renewal, overdue)).isEqualTo(later);
        assertThat(SubscriptionItems.notBeforeItsWrite(later.plusSeconds(1), overdue)).isEqualTo(later.plusSeconds(1));
        var claimed = RenewalRules.claimed(s, "pay_2", later);
        assertThat(SubscriptionItems.notBeforeItsWrite(renewal, claimed)).as("a claim keeps its day").isEqualTo(renewal);
        assertThat(SubscriptionItems.notBeforeItsWrite(null, overdue)).isNull();
    }

    @Test
    void aReminderWhoseTimeHasPassedAtAWriteIsIndexedAtThatWriteNotInADayNoRunReadsAgain() {
        var s = threeMonths();
        var ninety = new BillingSettings.Reminders(90, 0);
        assertThat(SubscriptionReminders.renewalAt(s, ninety)).isBefore(s.updatedAt());
        assertThat(SubscriptionReminders.indexAt(s, ninety)).isEqualTo(s.updatedAt());
        assertThat(SubscriptionReminders.due(s, ninety, s.updatedAt())).containsExactly(SubscriptionReminders.Kind.RENEWAL_UPCOMING);
        assertThat(SubscriptionReminders.indexAt(s, DAYS_5_AND_40)).isEqualTo(Instant.parse("2027-04-05T09:00:00Z"));
    }
}
