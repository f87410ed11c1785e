package com.clientele.subscriptions;

import com.clientele.catalogue.Price;
import com.clientele.customers.Address;
import com.clientele.customers.SubscriptionFigures;
import com.clientele.shared.Money;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A customer's subscription to a recurring price, and its rules: each method that changes it returns
 * its next state (one version later) or refuses ({@link Refused}) where the change does not apply.
 *
 * <p>The price's terms are copied at start ({@code unitAmount}, {@code interval}, {@code intervalCount},
 * {@code contractMonths}, {@code assetCost}), so an archived price keeps serving it and a new price never
 * changes what it was sold at. {@code amount} is what one period bills ({@code unitAmount × quantity});
 * {@code monthlyPayment} is that normalised to one month (half-even).
 *
 * <p>Billing is in advance: period {@code n} (1-based) is billed at its start. Periods start at
 * {@link #periodStart}: {@code billingAnchor} is the start of period {@code anchorPeriod}, and each
 * period is {@code interval × intervalCount} months after the one before (calendar months from the
 * anchor, so a period that starts on the 31st starts on the last day of a shorter month and on the
 * 31st again after it). A new subscription's period 1 starts at once, or when its trial ends.
 * {@code nextPaymentAt} is the start of the next period to bill ({@code periodsBilled + 1}); null when
 * nothing is to be billed: paused, canceled, ended, the contract's last period billed, or a cancellation
 * at the period's end pending. {@link #dueAt} is when the renewal run must next look at it (the due
 * index's time): the next payment or retry, or the end of the current period where it ends then.
 *
 * <p>A contract of {@code contractMonths} is that many months of periods rounded up to whole periods,
 * and ends ({@code contractEndDate}, UTC) at the end of its last period; once that period is billed, no
 * payment follows and the subscription ends at the period's end, unless the contract is extended.
 * A pause moves the contract's end by the time paused (the periods still to bill move).
 */
@JsonIgnoreProperties(value = "costRecovery", allowGetters = true)
public record Subscription(String id,
                           String customerId,
                           String orderId,
                           String productId,
                           String variantId,
                           String priceId,
                           int quantity,
                           Money unitAmount,
                           Money amount,
                           Price.Interval interval,
                           int intervalCount,
                           Money monthlyPayment,
                           Integer contractMonths,
                           LocalDate contractEndDate,
                           String assetSerialNumber,
                           Money assetCost,
                           Money collected,
                           SubscriptionStatus status,
                           Collection collection,
                           String paymentMethodId,
                           Address shippingAddress,
                           Instant trialEnd,
                           Instant billingAnchor,
                           int anchorPeriod,
                           Instant currentPeriodStart,
                           Instant currentPeriodEnd,
                           int periodsBilled,
                           Instant nextPaymentAt,
                           Billing billing,
                           int failedAttempts,
                           Instant nextRetryAt,
                           boolean cancelAtPeriodEnd,
                           PendingChange pendingChange,
                           Instant pausedAt,
                           Instant canceledAt,
                           Instant endedAt,
                           int extensions,
                           Buyout buyout,
                           Reminded reminded,
                           Instant createdAt,
                           Instant updatedAt,
                           long version) {

    /** The most months a contract may run, extensions included. */
    public static final int MAX_CONTRACT_MONTHS = 240;

    /** The period being billed right now and the id of its payment: the renewal's claim, so that a period is billed once. */
    public record Billing(int period, String paymentId, Instant startedAt) {
    }

    /** The terms that take over when the next period starts (a new quantity, or a price of another variant). */
    public record PendingChange(String priceId, String variantId, int quantity, Money unitAmount, Money amount,
                                Money monthlyPayment, Instant requestedAt) {
    }

    /** The one-off payment that ended the contract with the asset bought. */
    public record Buyout(Money amount, String paymentId, Instant at) {
    }

    /**
     * The reminders produced so far ({@link SubscriptionReminders}): the last period whose upcoming renewal
     * was announced, and the contract end date whose approach was (a contract extended has a new one).
     */
    public record Reminded(Integer renewalPeriod, LocalDate contractEnd) {
    }

    /** How much of the asset's cost the subscription's payments have brought in ({@code percent}: one decimal). */
    public record CostRecovery(Money assetCost, Money collected, Money remaining, BigDecimal percent) {
    }

    /** A change that does not apply to the subscription as it is: {@code code} says why, {@code message} names its state. */
    public static final class Refused extends RuntimeException {
        private final String code;
        private final SubscriptionStatus status;

        Refused(String code, SubscriptionStatus status, String message) {
            super(message, null, false, false);
            this.code = code;
            this.status = status;
        }

        public String code() {
            return code;
        }

        public SubscriptionStatus status() {
            return status;
        }
    }

    /** What a new subscription is made of: a recurring price and the customer's choices, all validated. */
    public record Start(String id, String customerId, String orderId, Price price, int quantity, Collection collection,
                        String paymentMethodId, Address shippingAddress, String assetSerialNumber, int trialDays) {
    }

    /**
     * A new subscription at {@code now}: {@code active} and due at once (its first period starts now),
     * or {@code trialing} until its trial's end, when its first period starts and is due.
     */
    public static Subscription start(Start start, Instant now) {
        var price = start.price();
        var recurring = price.recurring();
        if (recurring == null) {
            throw new IllegalArgumentException("a subscription needs a recurring price: " + price.id());
        }
        boolean trial = start.trialDays() > 0;
        Instant first = trial ? now.plus(start.trialDays(), ChronoUnit.DAYS) : now;
        Money amount = times(price.unit(), start.quantity());
        var subscription = builder()
                .id(start.id()).customerId(start.customerId()).orderId(start.orderId())
                .productId(price.productId()).variantId(price.variantId()).priceId(price.id())
                .quantity(start.quantity()).unitAmount(price.unit()).amount(amount)
                .interval(recurring.interval()).intervalCount(recurring.intervalCount())
                .monthlyPayment(monthly(amount, recurring.months()))
                .contractMonths(recurring.contractMonths())
                .assetSerialNumber(start.assetSerialNumber())
                .assetCost(price.assetCost() == null ? null : new Money(price.assetCost(), price.currency()))
                .collected(Money.zero(price.currency()))
                .status(trial ? SubscriptionStatus.TRIALING : SubscriptionStatus.ACTIVE)
                .collection(start.collection()).paymentMethodId(start.paymentMethodId()).shippingAddress(start.shippingAddress())
                .trialEnd(trial ? first : null).billingAnchor(first).anchorPeriod(1)
                .currentPeriodStart(now)
                .createdAt(now).updatedAt(now).version(1)
                .build();
        return subscription.toBuilder()
                .currentPeriodEnd(trial ? first : subscription.periodStart(2))
                .contractEndDate(subscription.contractEnd())
                .nextPaymentAt(subscription.nextPayment())
                .build();
    }

    // ---- periods -----------------------------------------------------------------------------------

    /** How many months one period spans. */
    public int periodMonths() {
        return new Price.Recurring(interval, intervalCount, null).months();
    }

    /** When period {@code period} (1-based) starts. */
    public Instant periodStart(int period) {
        return billingAnchor.atOffset(ZoneOffset.UTC).plusMonths((long) (period - anchorPeriod) * periodMonths()).toInstant();
    }

    /** The next period to bill. */
    public int nextPeriod() {
        return periodsBilled + 1;
    }

    /** How many periods the contract holds (its months rounded up to whole periods); null without a contract. */
    public Integer contractPeriods() {
        return contractMonths == null ? null : Math.ceilDiv(contractMonths, periodMonths());
    }

    /** Whether the contract's last period is billed: no payment follows, unless the contract is extended. */
    public boolean contractBilled() {
        return contractMonths != null && periodsBilled >= contractPeriods();
    }

    /**
     * When the renewal run must next look at it: the earlier of the next payment and the next retry,
     * or, where no payment follows (cancellation at the period's end, contract billed), the end of the
     * current period, where it ends; null when paused, canceled or ended.
     */
    public Instant dueAt() {
        if (status.isFinal() || status == SubscriptionStatus.PAUSED) {
            return null;
        }
        Instant at = nextPaymentAt;
        if (nextRetryAt != null && (at == null || nextRetryAt.isBefore(at))) {
            at = nextRetryAt;
        }
        if (at == null && (cancelAtPeriodEnd || contractBilled())) {
            at = currentPeriodEnd;
        }
        return at;
    }

    /** Whether the renewal run has something to do with it at {@code now}. */
    public boolean isDue(Instant now) {
        Instant at = dueAt();
        return at != null && !at.isAfter(now);
    }

    /** What the next period bills: the pending change's amount, or the current one. */
    public Money nextAmount() {
        return pendingChange == null ? amount : pendingChange.amount();
    }

    /**
     * Period {@code period} billed (its payment taken, or its invoice due): it becomes the current
     * period, the pending change (if any) takes effect, dunning is over ({@code active} again), and the
     * next payment is the next period's start, unless none follows.
     */
    public Subscription renewedFor(int period, Instant now) {
        if (status.isFinal() || status == SubscriptionStatus.PAUSED) {
            throw new IllegalStateException(id + " is " + status + ": no period is billed");
        }
        if (period != nextPeriod()) {
            throw new IllegalStateException(id + " bills period " + nextPeriod() + ", not " + period);
        }
        var next = toBuilder();
        if (pendingChange != null) {
            next.priceId(pendingChange.priceId()).variantId(pendingChange.variantId()).quantity(pendingChange.quantity())
                    .unitAmount(pendingChange.unitAmount()).amount(pendingChange.amount())
                    .monthlyPayment(pendingChange.monthlyPayment()).pendingChange(null);
        }
        return next.status(SubscriptionStatus.ACTIVE).periodsBilled(period)
                .currentPeriodStart(periodStart(period)).currentPeriodEnd(periodStart(period + 1))
                .billing(null).failedAttempts(0).nextRetryAt(null)
                .changed(now).scheduled();
    }

    /** {@code amount} more collected (less, when negative: a refund): cost recovery. */
    public Subscription collectedMore(Money amount, Instant now) {
        return toBuilder().collected(plusCollected(amount)).changed(now).build();
    }

    private Money plusCollected(Money amount) {
        if (!amount.currency().equals(collected.currency())) {
            throw new IllegalArgumentException(amount.currency() + " is not " + id + "'s currency");
        }
        return new Money(collected.amount() + amount.amount(), collected.currency());
    }

    /**
     * The current period is over and none follows: canceled (a cancellation at the period's end) or
     * ended (the contract's last period), as of the period's end.
     */
    public Subscription periodEnded(Instant now) {
        if (status.isFinal() || status == SubscriptionStatus.PAUSED || nextPaymentAt != null) {
            throw new IllegalStateException(id + " is " + status + (nextPaymentAt == null ? "" : ", next billed at " + nextPaymentAt)
                    + ": its period does not end it");
        }
        var next = toBuilder().nextRetryAt(null).pendingChange(null).billing(null);
        if (cancelAtPeriodEnd) {
            next.status(SubscriptionStatus.CANCELED).canceledAt(currentPeriodEnd);
        } else {
            next.status(SubscriptionStatus.ENDED).endedAt(currentPeriodEnd);
        }
        return next.changed(now).build();
    }

    // ---- what a user changes -------------------------------------------------------------------------

    /** Paused: not billed (it leaves the due index) until resumed. Only an active subscription pauses. */
    public Subscription paused(Instant now) {
        allowedIn("paused", "only an active subscription can be paused", SubscriptionStatus.ACTIVE);
        notBilling();
        return toBuilder().status(SubscriptionStatus.PAUSED).pausedAt(now).changed(now).scheduled();
    }

    /**
     * Resumed at {@code now}: the time that was left of the paid period when it was paused is served
     * first, so the next period starts that long after {@code now} (at once, when the period was not
     * paid or had run out); the periods after it, and the contract's end, move with it.
     */
    public Subscription resumed(Instant now) {
        allowedIn("resumed", "only a paused subscription can be resumed", SubscriptionStatus.PAUSED);
        Duration left = periodsBilled > 0 && currentPeriodEnd.isAfter(pausedAt) ? Duration.between(pausedAt, currentPeriodEnd) : Duration.ZERO;
        Instant next = now.plus(left);
        var moved = toBuilder().status(SubscriptionStatus.ACTIVE).pausedAt(null).billingAnchor(next).anchorPeriod(nextPeriod()).build();
        var periods = moved.toBuilder();
        if (left.isZero()) {
            periods.currentPeriodStart(now).currentPeriodEnd(moved.periodStart(moved.nextPeriod() + 1));
        } else {
            periods.currentPeriodEnd(next);
        }
        return periods.contractEndDate(moved.contractEnd()).changed(now).scheduled();
    }

    /**
     * Canceled now (nothing more is billed), or at the current period's end ({@code cancelAtPeriodEnd}:
     * the period is served, none follows; a trial canceled so ends without a payment). A paused or past-due
     * subscription is canceled now. Asking again for a cancellation at the period's end changes nothing.
     */
    public Subscription canceled(boolean atPeriodEnd, Instant now) {
        if (!atPeriodEnd) {
            allowedIn("canceled", "it is over already", SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE,
                    SubscriptionStatus.PAST_DUE, SubscriptionStatus.PAUSED);
            notBilling();
            return toBuilder().status(SubscriptionStatus.CANCELED).canceledAt(now).nextRetryAt(null).pendingChange(null)
                    .changed(now).scheduled();
        }
        allowedIn("canceled at the period's end", "only a trialing or active subscription can be; cancel it now instead",
                SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE);
        if (cancelAtPeriodEnd) {
            return this;
        }
        return toBuilder().cancelAtPeriodEnd(true).pendingChange(null).changed(now).scheduled();
    }

    /**
     * The contract {@code months} longer: its end date moves, the periods it adds are billed, and it
     * counts as an extension ({@code extensions}). Only a subscription with a contract that is not over.
     */
    public Subscription extended(int months, Instant now) {
        allowedIn("extended", "it is over", SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE,
                SubscriptionStatus.PAST_DUE, SubscriptionStatus.PAUSED);
        if (contractMonths == null) {
            throw new Refused("no_contract", status, "Subscription " + id + " has no contract to extend");
        }
        if (months < 1 || contractMonths + months > MAX_CONTRACT_MONTHS) {
            throw new IllegalArgumentException("months " + months + " out of range");
        }
        var longer = toBuilder().contractMonths(contractMonths + months).extensions(extensions + 1).build();
        var extended = longer.toBuilder().contractEndDate(longer.contractEnd()).changed(now);
        // past due: the dunning keeps its schedule (the next retry, or none when left unpaid), not the unpaid period's start
        return status == SubscriptionStatus.PAST_DUE ? extended.build() : extended.scheduled();
    }

    /**
     * A new quantity or price (of the same product, currency and billing period) from the next period:
     * {@code pendingChange}, applied when that period is billed ({@link #renewedFor}). Terms equal to the
     * current ones withdraw a pending change. Refused when no period follows the current one.
     */
    public Subscription changedFromNextPeriod(Price price, int newQuantity, Instant now) {
        allowedIn("changed", "it is over", SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE,
                SubscriptionStatus.PAST_DUE, SubscriptionStatus.PAUSED);
        if (cancelAtPeriodEnd || contractBilled()) {
            throw new Refused("no_next_period", status, "Subscription " + id + " has no next period to change: "
                    + (cancelAtPeriodEnd ? "it is canceled at the current period's end" : "its contract's last period is billed"));
        }
        if (!price.productId().equals(productId) || !price.currency().equals(unitAmount.currency()) || price.recurring() == null
                || price.recurring().interval() != interval || price.recurring().intervalCount() != intervalCount) {
            throw new IllegalArgumentException(price.id() + " does not bill " + id + "'s product, currency and period");
        }
        PendingChange change = null;
        if (!price.id().equals(priceId) || newQuantity != quantity) {
            Money newAmount = times(price.unit(), newQuantity);
            change = new PendingChange(price.id(), price.variantId(), newQuantity, price.unit(), newAmount,
                    monthly(newAmount, periodMonths()), now);
        }
        return toBuilder().pendingChange(change).changed(now).build();
    }

    /**
     * Bought out: the asset is the customer's, paid by one payment of {@code paid} ({@code paymentId});
     * the contract ends now and nothing more is billed. What the buyout paid counts as collected.
     */
    public Subscription boughtOut(Money paid, String paymentId, Instant now) {
        allowedIn("bought out", "it is over already", SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE,
                SubscriptionStatus.PAST_DUE, SubscriptionStatus.PAUSED);
        notBilling();
        return toBuilder().collected(plusCollected(paid)).status(SubscriptionStatus.ENDED).endedAt(now)
                .buyout(new Buyout(paid, paymentId, now)).nextRetryAt(null).pendingChange(null).cancelAtPeriodEnd(false)
                .changed(now).scheduled();
    }

    // ---- figures -------------------------------------------------------------------------------------

    /** Collected so far against the asset's cost; null when the price names no asset cost. */
    @JsonProperty("costRecovery")
    public CostRecovery costRecovery() {
        if (assetCost == null) {
            return null;
        }
        long remaining = Math.max(0, assetCost.amount() - collected.amount());
        BigDecimal percent = assetCost.amount() == 0 ? BigDecimal.valueOf(100).setScale(1)
                : BigDecimal.valueOf(collected.amount()).multiply(BigDecimal.valueOf(100))
                        .divide(BigDecimal.valueOf(assetCost.amount()), 1, RoundingMode.HALF_EVEN);
        return new CostRecovery(assetCost, collected, new Money(remaining, assetCost.currency()), percent);
    }

    /**
     * What it adds to its customer's subscription figures (active: trialing, active or past due; its
     * monthly payment, what it collected, its extensions, when it started): every write that changes
     * it moves the profile's figures from the share before to the share after, in the same transaction.
     */
    public SubscriptionFigures.Share share() {
        boolean active = status == SubscriptionStatus.TRIALING || status == SubscriptionStatus.ACTIVE
                || status == SubscriptionStatus.PAST_DUE;
        return new SubscriptionFigures.Share(active, monthlyPayment, collected, extensions, createdAt);
    }

    /** {@code amount} per month of a period of {@code months}, half-even. */
    static Money monthly(Money amount, int months) {
        return new Money(BigDecimal.valueOf(amount.amount()).divide(BigDecimal.valueOf(months), 0, RoundingMode.HALF_EVEN)
                .longValueExact(), amount.currency());
    }

    static Money times(Money unit, int quantity) {
        return new Money(Math.multiplyExact(unit.amount(), quantity), unit.currency());
    }

    public String etag() {
        return "\"" + version + "\"";
    }

    // ---- inside -------------------------------------------------------------------------------------

    /** The start of the next period to bill, as the state has it; null when none is to be billed. */
    private Instant nextPayment() {
        if (status.isFinal() || status == SubscriptionStatus.PAUSED || contractBilled()) {
            return null;
        }
        Instant at = periodStart(nextPeriod());
        return cancelAtPeriodEnd && !at.isBefore(currentPeriodEnd) ? null : at;
    }

    /** The contract's end: the end of its last period; null without a contract. */
    private LocalDate contractEnd() {
        return contractMonths == null ? null : LocalDate.ofInstant(periodStart(contractPeriods() + 1), ZoneOffset.UTC);
    }

    private void allowedIn(String action, String why, SubscriptionStatus... statuses) {
        for (var allowed : statuses) {
            if (status == allowed) {
                return;
            }
        }
        throw new Refused("invalid_state", status, "Subscription " + id + " is " + status + " and cannot be " + action + ": " + why);
    }

    private void notBilling() {
        if (billing != null) {
            throw new Refused("billing_in_progress", status, "Subscription " + id + " is being billed for period "
                    + billing.period() + " right now; retry in a moment");
        }
    }

    /** A builder holding this subscription's fields, to change some. */
    public Builder toBuilder() {
        return new Builder()
                .id(id)
                .customerId(customerId)
                .orderId(orderId)
                .productId(productId)
                .variantId(variantId)
                .priceId(priceId)
                .quantity(quantity)
                .unitAmount(unitAmount)
                .amount(amount)
                .interval(interval)
                .intervalCount(intervalCount)
                .monthlyPayment(monthlyPayment)
                .contractMonths(contractMonths)
                .contractEndDate(contractEndDate)
                .assetSerialNumber(assetSerialNumber)
                .assetCost(assetCost)
                .collected(collected)
                .status(status)
                .collection(collection)
                .paymentMethodId(paymentMethodId)
                .shippingAddress(shippingAddress)
                .trialEnd(trialEnd)
                .billingAnchor(billingAnchor)
                .anchorPeriod(anchorPeriod)
                .currentPeriodStart(currentPeriodStart)
                .currentPeriodEnd(currentPeriodEnd)
                .periodsBilled(periodsBilled)
                .nextPaymentAt(nextPaymentAt)
                .billing(billing)
                .failedAttempts(failedAttempts)
                .nextRetryAt(nextRetryAt)
                .cancelAtPeriodEnd(cancelAtPeriodEnd)
                .pendingChange(pendingChange)
                .pausedAt(pausedAt)
                .canceledAt(canceledAt)
                .endedAt(endedAt)
                .extensions(extensions)
                .buyout(buyout)
                .reminded(reminded)
                .createdAt(createdAt)
                .updatedAt(updatedAt)
                .version(version);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A subscription built field by field (what {@link #toBuilder} starts from to change some). */
    public static final class Builder {

        private String id;
        private String customerId;
        private String orderId;
        private String productId;
        private String variantId;
        private String priceId;
        private int quantity;
        private Money unitAmount;
        private Money amount;
        private Price.Interval interval;
        private int intervalCount;
        private Money monthlyPayment;
        private Integer contractMonths;
        private LocalDate contractEndDate;
        private String assetSerialNumber;
        private Money assetCost;
        private Money collected;
        private SubscriptionStatus status;
        private Collection collection;
        private String paymentMethodId;
        private Address shippingAddress;
        private Instant trialEnd;
        private Instant billingAnchor;
        private int anchorPeriod;
        private Instant currentPeriodStart;
        private Instant currentPeriodEnd;
        private int periodsBilled;
        private Instant nextPaymentAt;
        private Billing billing;
        private int failedAttempts;
        private Instant nextRetryAt;
        private boolean cancelAtPeriodEnd;
        private PendingChange pendingChange;
        private Instant pausedAt;
        private Instant canceledAt;
        private Instant endedAt;
        private int extensions;
        private Buyout buyout;
        private Reminded reminded;
        private Instant createdAt;
        private Instant updatedAt;
        private long version;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder customerId(String customerId) {
            this.customerId = customerId;
            return this;
        }

        public Builder orderId(String orderId) {
            this.orderId = orderId;
            return this;
        }

        public Builder productId(String productId) {
            this.productId = productId;
            return this;
        }

        public Builder variantId(String variantId) {
            this.variantId = variantId;
            return this;
        }

        public Builder priceId(String priceId) {
            this.priceId = priceId;
            return this;
        }

        public Builder quantity(int quantity) {
            this.quantity = quantity;
            return this;
        }

        public Builder unitAmount(Money unitAmount) {
            this.unitAmount = unitAmount;
            return this;
        }

        public Builder amount(Money amount) {
            this.amount = amount;
            return this;
        }

        public Builder interval(Price.Interval interval) {
            this.interval = interval;
            return this;
        }

        public Builder intervalCount(int intervalCount) {
            this.intervalCount = intervalCount;
            return this;
        }

        public Builder monthlyPayment(Money monthlyPayment) {
            this.monthlyPayment = monthlyPayment;
            return this;
        }

        public Builder contractMonths(Integer contractMonths) {
            this.contractMonths = contractMonths;
            return this;
        }

        public Builder contractEndDate(LocalDate contractEndDate) {
            this.contractEndDate = contractEndDate;
            return this;
        }

        public Builder assetSerialNumber(String assetSerialNumber) {
            this.assetSerialNumber = assetSerialNumber;
            return this;
        }

        public Builder assetCost(Money assetCost) {
            this.assetCost = assetCost;
            return this;
        }

        public Builder collected(Money collected) {
            this.collected = collected;
            return this;
        }

        public Builder status(SubscriptionStatus status) {
            this.status = status;
            return this;
        }

        public Builder collection(Collection collection) {
            this.collection = collection;
            return this;
        }

        public Builder paymentMethodId(String paymentMethodId) {
            this.paymentMethodId = paymentMethodId;
            return this;
        }

        public Builder shippingAddress(Address shippingAddress) {
            this.shippingAddress = shippingAddress;
            return this;
        }

        public Builder trialEnd(Instant trialEnd) {
            this.trialEnd = trialEnd;
            return this;
        }

        public Builder billingAnchor(Instant billingAnchor) {
            this.billingAnchor = billingAnchor;
            return this;
        }

        public Builder anchorPeriod(int anchorPeriod) {
            this.anchorPeriod = anchorPeriod;
            return this;
        }

        public Builder currentPeriodStart(Instant currentPeriodStart) {
            this.currentPeriodStart = currentPeriodStart;
            return this;
        }

        public Builder currentPeriodEnd(Instant currentPeriodEnd) {
            this.currentPeriodEnd = currentPeriodEnd;
            return this;
        }

        public Builder periodsBilled(int periodsBilled) {
            this.periodsBilled = periodsBilled;
            return this;
        }

        public Builder nextPaymentAt(Instant nextPaymentAt) {
            this.nextPaymentAt = nextPaymentAt;
            return this;
        }

        public Builder billing(Billing billing) {
            this.billing = billing;
            return this;
        }

        public Builder failedAttempts(int failedAttempts) {
            this.failedAttempts = failedAttempts;
            return this;
        }

        public Builder nextRetryAt(Instant nextRetryAt) {
            this.nextRetryAt = nextRetryAt;
            return this;
        }

        public Builder cancelAtPeriodEnd(boolean cancelAtPeriodEnd) {
            this.cancelAtPeriodEnd = cancelAtPeriodEnd;
            return this;
        }

        public Builder pendingChange(PendingChange pendingChange) {
            this.pendingChange = pendingChange;
            return this;
        }

        public Builder pausedAt(Instant pausedAt) {
            this.pausedAt = pausedAt;
            return this;
        }

        public Builder canceledAt(Instant canceledAt) {
            this.canceledAt = canceledAt;
            return this;
        }

        public Builder endedAt(Instant endedAt) {
            this.endedAt = endedAt;
            return this;
        }

        public Builder extensions(int extensions) {
            this.extensions = extensions;
            return this;
        }

        public Builder buyout(Buyout buyout) {
            this.buyout = buyout;
            return this;
        }

        public Builder reminded(Reminded reminded) {
            this.reminded = reminded;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Builder version(long version) {
            this.version = version;
            return this;
        }

        /** Changed at {@code now}: one version later. */
        Builder changed(Instant now) {
            return updatedAt(now).version(version + 1);
        }

        /** Built, with {@code nextPaymentAt} as the new state has it. */
        Subscription scheduled() {
            var built = build();
            return built.toBuilder().nextPaymentAt(built.nextPayment()).build();
        }

        public Subscription build() {
            return new Subscription(id, customerId, orderId, productId, variantId, priceId, quantity, unitAmount, amount, interval,
                    intervalCount, monthlyPayment, contractMonths, contractEndDate, assetSerialNumber, assetCost, collected, status,
                    collection, paymentMethodId, shippingAddress, trialEnd, billingAnchor, anchorPeriod, currentPeriodStart,
                    currentPeriodEnd, periodsBilled, nextPaymentAt, billing, failedAttempts, nextRetryAt, cancelAtPeriodEnd,
                    pendingChange, pausedAt, canceledAt, endedAt, extensions, buyout, reminded, createdAt, updatedAt, version);
        }
    }
}
