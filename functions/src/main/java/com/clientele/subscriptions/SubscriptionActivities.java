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

    static String period(Subscription s) {
        String unit = s.interval().value();
        return s.intervalCount() == 1 ? unit : s.intervalCount() + " " + unit + "s";
    }

    static String money(Money m) {
        return Activity.money(m.amount(), m.currency());
    }
}
