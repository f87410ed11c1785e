package com.clientele.subscriptions;

import com.clientele.shared.Activity;
import com.clientele.shared.Money;
import java.time.Instant;

/** What renewals show in the customer's activity feed (amounts, dates, codes and ids: no personal data). */
final class SubscriptionRenewalActivities {

    private SubscriptionRenewalActivities() {
    }

    /** Its last period is over: ended (its contract ran out) or canceled at its period's end. */
    static Activity ended(Subscription s) {
        boolean canceled = s.status() == SubscriptionStatus.CANCELED;
        Instant at = canceled ? s.canceledAt() : s.endedAt();
        return new Activity(at, canceled ? Activity.Kind.SUBSCRIPTION_CANCELED : Activity.Kind.SUBSCRIPTION_ENDED,
                canceled ? "Subscription canceled at its period's end" : "Subscription ended: its contract ran out after "
                        + s.periodsBilled() + " periods", s.id());
    }

    /** Canceled by the run: its customer is deleted. */
    static Activity customerGone(Subscription s) {
        return new Activity(s.canceledAt(), Activity.Kind.SUBSCRIPTION_CANCELED, "Subscription canceled: its customer was deleted", s.id());
    }

    /** A period of a subscription collected by invoice is due (no invoice is made yet: the period is recorded as due). */
    static Activity paymentDue(Subscription s, Money amount, Instant now) {
        return new Activity(now, Activity.Kind.SUBSCRIPTION_PAYMENT_DUE, "Period " + s.periodsBilled() + " due: "
                + SubscriptionActivities.money(amount) + " to be invoiced", s.id());
    }

    /** A period billed to the customer's billing group: a line of the group's period, invoiced to its payer when that period closes. */
    static Activity grouped(Subscription s, Money amount, GroupBilling.Pending line, Instant now) {
        return new Activity(now, Activity.Kind.SUBSCRIPTION_PAYMENT_DUE, "Period " + s.periodsBilled() + " billed to billing group "
                + line.groupId() + ": " + SubscriptionActivities.money(amount) + " on its invoice for " + line.groupPeriod(), s.id());
    }

    /** A renewal or a scheduled retry declined ({@code code}), and what the dunning made of it. */
    static Activity declined(Subscription after, Subscription.Billing claim, String code, Instant now) {
        String then = switch (RenewalRules.dunned(after)) {
            case RETRY_SCHEDULED -> "past due, retry on " + after.nextRetryAt().toString().substring(0, 10);
            case CANCELED -> "canceled after the last retry";
            case LEFT_UNPAID -> "left unpaid after the last retry";
        };
        return new Activity(now, after.status() == SubscriptionStatus.CANCELED ? Activity.Kind.SUBSCRIPTION_CANCELED
                : Activity.Kind.SUBSCRIPTION_PAYMENT_FAILED, "Payment of period " + claim.period() + " failed (" + code + "): " + then,
                claim.paymentId());
    }

    /** A retry asked by hand declined: nothing else changed. */
    static Activity retryDeclined(Subscription after, Subscription.Billing claim, String code, Instant now) {
        return new Activity(now, Activity.Kind.SUBSCRIPTION_PAYMENT_FAILED, "Retry of period " + claim.period() + " failed (" + code
                + ")", claim.paymentId());
    }
}
