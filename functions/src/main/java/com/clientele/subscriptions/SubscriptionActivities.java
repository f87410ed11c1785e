package com.clientele.subscriptions;

import com.clientele.shared.Activity;
import com.clientele.shared.Money;

/** What a subscription's changes show in its customer's activity feed (no personal data: amounts, dates, ids). */
public final class SubscriptionActivities {

    private SubscriptionActivities() {
    }

    /** Started: its amount per period, and its trial when it has one. */
    public static Activity started(Subscription s) {
        String summary = "Subscription started: " + s.quantity() + " × " + money(s.unitAmount()) + " every " + period(s)
                + (s.trialEnd() == null ? "" : ", trial until " + s.trialEnd().toString().substring(0, 10));
        return new Activity(s.createdAt(), Activity.Kind.SUBSCRIPTION_STARTED, summary, s.id());
    }

    public static Activity paused(Subscription s) {
        return new Activity(s.updatedAt(), Activity.Kind.SUBSCRIPTION_PAUSED, "Subscription paused: not billed until resumed", s.id());
    }

    public static Activity resumed(Subscription s) {
        return new Activity(s.updatedAt(), Activity.Kind.SUBSCRIPTION_RESUMED, "Subscription resumed"
                + (s.nextPaymentAt() == null ? "" : ": next payment " + day(s.nextPaymentAt())), s.id());
    }

    /** Canceled now, or set to cancel at its period's end. */
    public static Activity canceled(Subscription s) {
        String summary = s.status() == SubscriptionStatus.CANCELED ? "Subscription canceled"
                : "Subscription set to cancel at its period's end, " + day(s.currentPeriodEnd());
        return new Activity(s.updatedAt(), Activity.Kind.SUBSCRIPTION_CANCELED, summary, s.id());
    }

    public static Activity extended(Subscription s) {
        return new Activity(s.updatedAt(), Activity.Kind.SUBSCRIPTION_EXTENDED, "Contract extended to " + s.contractEndDate()
                + " (" + s.contractMonths() + " months)", s.id());
    }

    /** A change from the next period (or its withdrawal). */
    public static Activity changed(Subscription s) {
        var change = s.pendingChange();
        String summary = change == null ? "Subscription change withdrawn"
                : "Subscription changes from " + day(s.nextPaymentAt() == null ? s.currentPeriodEnd() : s.nextPaymentAt()) + ": "
                + change.quantity() + " × " + money(change.unitAmount()) + " every " + period(s);
        return new Activity(s.updatedAt(), Activity.Kind.SUBSCRIPTION_CHANGED, summary, s.id());
    }

    public static Activity boughtOut(Subscription s) {
        return new Activity(s.updatedAt(), Activity.Kind.SUBSCRIPTION_BOUGHT_OUT, "Bought out for " + money(s.buyout().amount()), s.id());
    }

    /** Its last period over: ended (its contract ran out) or canceled (a cancellation at the period's end). */
    public static Activity periodEnded(Subscription s) {
        return s.status() == SubscriptionStatus.CANCELED
                ? new Activity(s.updatedAt(), Activity.Kind.SUBSCRIPTION_CANCELED, "Subscription canceled at its period's end", s.id())
                : new Activity(s.updatedAt(), Activity.Kind.SUBSCRIPTION_ENDED, "Subscription ended: its contract ran out", s.id());
    }

    private static String day(java.time.Instant at) {
        return at.toString().substring(0, 10);
    }

    static String period(Subscription s) {
        String unit = s.interval().value();
        return s.intervalCount() == 1 ? unit : s.intervalCount() + " " + unit + "s";
    }

    static String money(Money m) {
        return Activity.money(m.amount(), m.currency());
    }
}
