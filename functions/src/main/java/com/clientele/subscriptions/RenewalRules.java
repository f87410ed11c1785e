package com.clientele.subscriptions;

import com.clientele.shared.Money;
import java.time.Duration;
import java.time.Instant;

/**
 * The renewal's rules on a {@link Subscription}: each returns the subscription's next state (one
 * version later, written at the version it was made from, so that of two runs at once one wins).
 *
 * <ul>
 *   <li>{@link #claimed}: the period about to be billed and its payment's id ({@code billing}), written
 *   before the processor is asked, so a run that dies after the charge is resumed by the next with the
 *   same payment id (the processor is asked under it: charged once);</li>
 *   <li>{@link #paid}: the period billed ({@link Subscription#renewedFor}), what it brought in {@code collected};</li>
 *   <li>{@link #declined}: dunning, by the tenant's {@link BillingSettings.Dunning}: {@code past_due}, the
 *   retry {@code failedAttempts} after the first failure on day {@code retryAfterDays[failedAttempts - 1]};
 *   after the last one {@code canceled}, or left {@code past_due} and unpaid (out of the due index);</li>
 *   <li>{@link #released}: a claim given up without an outcome (a retry by hand that the processor declined).</li>
 * </ul>
 */
final class RenewalRules {

    private RenewalRules() {
    }

    /** Whether the subscription's next period is due for payment at {@code now} (a renewal, or a scheduled retry). */
    static boolean paymentDue(Subscription s, Instant now) {
        return !s.status().isFinal() && s.status() != SubscriptionStatus.PAUSED && s.billing() == null
                && s.nextPaymentAt() != null && !s.nextPaymentAt().isAfter(now);
    }

    /** Whether the subscription's last period is over with none to follow: it ends (or is canceled at its period's end). */
    static boolean periodOver(Subscription s, Instant now) {
        return !s.status().isFinal() && s.status() != SubscriptionStatus.PAUSED && s.billing() == null && s.nextPaymentAt() == null
                && s.nextRetryAt() == null && (s.cancelAtPeriodEnd() || s.contractBilled())
                && s.currentPeriodEnd() != null && !s.currentPeriodEnd().isAfter(now);
    }

    /** Period {@link Subscription#nextPeriod} claimed for billing under {@code paymentId}. */
    static Subscription claimed(Subscription s, String paymentId, Instant now) {
        if (s.billing() != null) {
            throw new IllegalStateException(s.id() + " is being billed for period " + s.billing().period() + " already");
        }
        return s.toBuilder().billing(new Subscription.Billing(s.nextPeriod(), paymentId, now)).changed(now).build();
    }

    /** The claimed period paid ({@code amount}): the next state as {@link Subscription#renewedFor} makes it, plus what it collected. */
    static Subscription paid(Subscription s, Money amount, Instant now) {
        int period = claim(s).period();
        var renewed = s.renewedFor(period, now);
        return renewed.toBuilder().collected(new Money(renewed.collected().amount() + amount.amount(), amount.currency())).build();
    }

    /** What became of a subscription whose payment was declined, by the tenant's dunning. */
    enum Dunned { RETRY_SCHEDULED, CANCELED, LEFT_UNPAID }

    /**
     * The claimed period's payment declined at {@code now}: {@code past_due}, one more failed attempt,
     * and the next retry by {@code dunning}, counted from the first failure; after the last retry,
     * {@code canceled} or left unpaid. Either way the claim is released (a retry makes a new payment).
     */
    static Subscription declined(Subscription s, BillingSettings.Dunning dunning, Instant now) {
        claim(s);
        int attempts = s.failedAttempts() + 1;
        Integer days = dunning.daysToRetry(attempts);
        var next = s.toBuilder().billing(null).failedAttempts(attempts);
        if (days != null) {
            Instant retry = nextRetry(s, dunning, attempts, now);
            return next.status(SubscriptionStatus.PAST_DUE).nextRetryAt(retry).nextPaymentAt(retry).changed(now).build();
        }
        if (dunning.afterLastRetry() == BillingSettings.AfterLastRetry.cancel) {
            return next.status(SubscriptionStatus.CANCELED).canceledAt(now).nextRetryAt(null).nextPaymentAt(null).pendingChange(null)
                    .changed(now).build();
        }
        return next.status(SubscriptionStatus.PAST_DUE).nextRetryAt(null).nextPaymentAt(null).changed(now).build();
    }

    /** What {@link #declined} made of {@code s}. */
    static Dunned dunned(Subscription s) {
        return s.status() == SubscriptionStatus.CANCELED ? Dunned.CANCELED
                : s.nextRetryAt() != null ? Dunned.RETRY_SCHEDULED : Dunned.LEFT_UNPAID;
    }

    /**
     * When retry {@code attempts} (1-based) is due: {@code retryAfterDays[attempts - 1]} days after the
     * first failure. The first failure is now; a later one was the retry due at {@code nextRetryAt},
     * {@code retryAfterDays[attempts - 2]} days after the first failure.
     */
    static Instant nextRetry(Subscription s, BillingSettings.Dunning dunning, int attempts, Instant now) {
        int days = dunning.daysToRetry(attempts);
        if (attempts == 1 || s.nextRetryAt() == null) {
            return now.plus(Duration.ofDays(days));
        }
        Instant firstFailure = s.nextRetryAt().minus(Duration.ofDays(dunning.daysToRetry(attempts - 1)));
        Instant at = firstFailure.plus(Duration.ofDays(days));
        return at.isAfter(now) ? at : now.plus(Duration.ofDays(days - dunning.daysToRetry(attempts - 1)));
    }

    /** The claim released without changing the dunning (a retry asked by hand that was declined). */
    static Subscription released(Subscription s, Instant now) {
        claim(s);
        return s.toBuilder().billing(null).changed(now).build();
    }

    private static Subscription.Billing claim(Subscription s) {
        if (s.billing() == null) {
            throw new IllegalStateException(s.id() + " has no period claimed for billing");
        }
        return s.billing();
    }
}
