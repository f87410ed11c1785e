package com.clientele.subscriptions;

import com.clientele.shared.Activity;
import com.clientele.shared.Money;
import com.clientele.shared.events.SubscriptionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The reminders' rules on a {@link Subscription}, by the tenant's {@link BillingSettings.Reminders}:
 * <ul>
 *   <li>an upcoming renewal: {@code renewalDaysAhead} days before the next period is billed
 *   ({@code nextPaymentAt}), once per period; none while dunning (a retry is no renewal), billing or paused;</li>
 *   <li>a contract's end: {@code contractEndDaysAhead} days before the end of its last period, once per
 *   end date (an extension makes a new one); none when it is canceled at its period's end;</li>
 * </ul>
 * 0 days: none. {@link Subscription#reminded} records what was produced, so each is produced once: the
 * write that records it is conditioned on the version read, like every subscription write. A reminder
 * whose time has come is produced while what it announces is still ahead; one found later (a run that
 * did not run for days) is passed over. {@link #indexAt} is where the reminder index holds it.
 */
final class SubscriptionReminders {

    /** What a reminder announces. */
    enum Kind {
        RENEWAL_UPCOMING(SubscriptionEvent.RENEWAL_UPCOMING, Activity.Kind.SUBSCRIPTION_RENEWAL_UPCOMING),
        CONTRACT_ENDING(SubscriptionEvent.CONTRACT_ENDING, Activity.Kind.SUBSCRIPTION_CONTRACT_ENDING);

        final String eventType;
        final Activity.Kind activity;

        Kind(String eventType, Activity.Kind activity) {
            this.eventType = eventType;
            this.activity = activity;
        }
    }

    private SubscriptionReminders() {
    }

    /** When the next period's renewal is to be announced; null when it is not (none, or announced already). */
    static Instant renewalAt(Subscription s, BillingSettings.Reminders reminders) {
        if (reminders.renewalDaysAhead() == 0 || !open(s) || s.nextPaymentAt() == null || s.nextRetryAt() != null
                || s.billing() != null) {
            return null;
        }
        if (s.reminded() != null && s.reminded().renewalPeriod() != null && s.reminded().renewalPeriod() >= s.nextPeriod()) {
            return null;
        }
        return s.nextPaymentAt().minus(Duration.ofDays(reminders.renewalDaysAhead()));
    }

    /** When the contract's end is to be announced; null when it is not (no contract, canceled at the period's end, or announced already). */
    static Instant contractEndAt(Subscription s, BillingSettings.Reminders reminders) {
        if (reminders.contractEndDaysAhead() == 0 || !open(s) || s.contractEndDate() == null || s.cancelAtPeriodEnd()) {
            return null;
        }
        if (s.reminded() != null && s.contractEndDate().equals(s.reminded().contractEnd())) {
            return null;
        }
        return contractEnd(s).minus(Duration.ofDays(reminders.contractEndDaysAhead()));
    }

    /** The earlier of the two; null when neither is to come. */
    static Instant nextAt(Subscription s, BillingSettings.Reminders reminders) {
        Instant renewal = renewalAt(s, reminders);
        Instant end = contractEndAt(s, reminders);
        return renewal == null ? end : end == null || renewal.isBefore(end) ? renewal : end;
    }

    /**
     * The reminder index's time of the subscription as written at {@code s.updatedAt()}: its next reminder,
     * or that write's time when the reminder's time has passed already (so that it lands where the next
     * run reads, not in a day no run reads again); null when none is to come.
     */
    static Instant indexAt(Subscription s, BillingSettings.Reminders reminders) {
        return SubscriptionItems.notBeforeItsWrite(nextAt(s, reminders), s);
    }

    /** The reminders to produce at {@code now}: their time has come and what they announce is still ahead. */
    static List<Kind> due(Subscription s, BillingSettings.Reminders reminders, Instant now) {
        var due = new ArrayList<Kind>();
        Instant renewal = renewalAt(s, reminders);
        if (renewal != null && !renewal.isAfter(now) && s.nextPaymentAt().isAfter(now)) {
            due.add(Kind.RENEWAL_UPCOMING);
        }
        Instant end = contractEndAt(s, reminders);
        if (end != null && !end.isAfter(now) && contractEnd(s).isAfter(now)) {
            due.add(Kind.CONTRACT_ENDING);
        }
        return due;
    }

    /** {@code kind} recorded as produced at {@code now}: one version later. */
    static Subscription reminded(Subscription s, Kind kind, Instant now) {
        var was = s.reminded() == null ? new Subscription.Reminded(null, null) : s.reminded();
        var reminded = kind == Kind.RENEWAL_UPCOMING ? new Subscription.Reminded(s.nextPeriod(), was.contractEnd())
                : new Subscription.Reminded(was.renewalPeriod(), s.contractEndDate());
        return s.toBuilder().reminded(reminded).changed(now).build();
    }

    /** The event of {@code kind} about {@code s} (as it was before the reminder was recorded). */
    static SubscriptionEvent event(String eventId, String tenant, Subscription s, Kind kind, Instant now) {
        boolean renewal = kind == Kind.RENEWAL_UPCOMING;
        Money amount = renewal ? s.nextAmount() : s.amount();
        return new SubscriptionEvent(eventId, kind.eventType, SubscriptionEvent.SCHEMA_VERSION, tenant, s.customerId(), s.id(), now,
                renewal ? s.nextPeriod() : null, renewal ? s.nextPaymentAt() : null, amount.amount(), amount.currency(),
                s.contractEndDate());
    }

    /** Its activity in the customer's feed (dates and amounts: no personal data). */
    static Activity activity(Subscription s, Kind kind, Instant now) {
        String summary = kind == Kind.RENEWAL_UPCOMING
                ? "Renewal of period " + s.nextPeriod() + " on " + s.nextPaymentAt().toString().substring(0, 10) + ": "
                        + SubscriptionActivities.money(s.nextAmount())
                : "Contract ends on " + s.contractEndDate();
        return new Activity(now, kind.activity, summary, s.id());
    }

    /** The end of the contract's last period. */
    private static Instant contractEnd(Subscription s) {
        return s.periodStart(s.contractPeriods() + 1);
    }

    private static boolean open(Subscription s) {
        return !s.status().isFinal() && s.status() != SubscriptionStatus.PAUSED;
    }
}
