package com.clientele.customers;

import com.clientele.shared.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * A customer's subscriptions in figures, as the profile and the list rows show them (seed 002's
 * "active subscriptions", "number of subscriptions", "active monthly income", "average subscription
 * value"). Kept by every write that changes a subscription's {@link Share}, in that write's
 * transaction: the figures are the sum of the customer's subscriptions' shares.
 *
 * @param active                   subscriptions trialing, active or past due (paused, canceled and ended ones are not)
 * @param total                    every subscription the customer started (active and ended)
 * @param activeMonthlyIncome      the monthly payments of the active ones (null while there is none)
 * @param collected                what all of them brought in (null while there is none)
 * @param averageSubscriptionValue {@code collected} over {@code total} (null while there is none)
 * @param extensions               contract extensions, all subscriptions together (the "loyal" segment counts them)
 * @param firstStartedAt           when the first subscription started (the "new" segment counts from it)
 */
public record SubscriptionFigures(int active, int total, Money activeMonthlyIncome, Money collected,
                                  Money averageSubscriptionValue, int extensions, Instant firstStartedAt) {

    public static final SubscriptionFigures NONE = new SubscriptionFigures(0, 0, null, null, null, 0, null);

    /**
     * What one subscription adds to its customer's figures.
     *
     * @param active         counts as active (trialing, active, past due)
     * @param monthlyPayment its payment normalised to a month, in the subscription's currency
     * @param collected      what its payments brought in so far, same currency
     */
    public record Share(boolean active, Money monthlyPayment, Money collected, int extensions, Instant startedAt) {
    }

    /**
     * These figures with one subscription's share moved from {@code before} to {@code after}: null
     * before for a subscription that starts, null after for one that leaves the customer (merged away).
     */
    public SubscriptionFigures change(Share before, Share after) {
        int activeNow = active + (after != null && after.active() ? 1 : 0) - (before != null && before.active() ? 1 : 0);
        int totalNow = total + (after != null ? 1 : 0) - (before != null ? 1 : 0);
        Money income = plus(activeMonthlyIncome, after != null && after.active() ? after.monthlyPayment() : null,
                before != null && before.active() ? before.monthlyPayment() : null);
        Money collectedNow = plus(collected, after == null ? null : after.collected(), before == null ? null : before.collected());
        int extensionsNow = extensions + (after == null ? 0 : after.extensions()) - (before == null ? 0 : before.extensions());
        Instant first = firstStartedAt;
        if (after != null && after.startedAt() != null && (first == null || after.startedAt().isBefore(first))) {
            first = after.startedAt();
        }
        if (totalNow == 0) {
            return NONE;
        }
        return new SubscriptionFigures(activeNow, totalNow, income, collectedNow, average(collectedNow, totalNow), extensionsNow, first);
    }

    /** These figures and {@code other}'s together: a merged customer's subscriptions joining the primary's. */
    public SubscriptionFigures plus(SubscriptionFigures other) {
        if (other == null || other.total == 0) {
            return this;
        }
        if (total == 0) {
            return other;
        }
        Money collectedNow = plus(collected, other.collected, null);
        int totalNow = total + other.total;
        Instant first = firstStartedAt == null || other.firstStartedAt != null && other.firstStartedAt.isBefore(firstStartedAt)
                ? other.firstStartedAt : firstStartedAt;
        return new SubscriptionFigures(active + other.active, totalNow, plus(activeMonthlyIncome, other.activeMonthlyIncome, null),
                collectedNow, average(collectedNow, totalNow), extensions + other.extensions, first);
    }

    private static Money average(Money collected, int total) {
        return collected == null ? null : new Money(BigDecimal.valueOf(collected.amount())
                .divide(BigDecimal.valueOf(total), 0, RoundingMode.HALF_EVEN).longValueExact(), collected.currency());
    }

    /** {@code base + add - take}, in the currency of whichever is given (a customer's subscriptions share its currency). */
    private static Money plus(Money base, Money add, Money take) {
        String currency = base != null ? base.currency() : add != null ? add.currency() : take != null ? take.currency() : null;
        if (currency == null) {
            return null;
        }
        long amount = (base == null ? 0 : base.amount()) + (add == null ? 0 : add.amount()) - (take == null ? 0 : take.amount());
        return new Money(amount, currency);
    }
}
