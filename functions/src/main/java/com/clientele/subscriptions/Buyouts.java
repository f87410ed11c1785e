package com.clientele.subscriptions;

import com.clientele.payments.Payment;
import com.clientele.payments.PaymentFor;
import com.clientele.payments.PaymentInputs.Charge;
import com.clientele.payments.PaymentInputs.ChargeCommand;
import com.clientele.payments.PaymentService;
import com.clientele.payments.PaymentStatus;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Money;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A buyout: one payment that ends a subscription's contract with the asset the customer's (the seed's
 * $300). The payment is a charge of the subscription's card (or the customer's default card) through the
 * payments' charge — its event, LTV and points as for any charge — naming the subscription, under the
 * id the request's {@code Idempotency-Key} claims: a retry finds that payment and finishes it, never
 * charging twice. Once it succeeded, the subscription is {@code ended} with its {@code buyout} and the
 * amount collected, in one transaction with the request's stored response; a declined card is 402, as
 * a charge's, and the subscription goes on.
 */
public final class Buyouts {

    private static final int MAX_WRITE_ATTEMPTS = 3;

    private final SubscriptionService subscriptions;
    private final SubscriptionRepository repository;
    private final PaymentService payments;
    private final Clock clock;

    public Buyouts(SubscriptionService subscriptions, SubscriptionRepository repository, PaymentService payments, Clock clock) {
        this.subscriptions = subscriptions;
        this.repository = repository;
        this.payments = payments;
        this.clock = clock;
    }

    /** The body of {@code POST /subscriptions/{id}/buyout}: what it costs; what remains of the asset's cost when left out. */
    public record BuyoutInput(Money amount) {
    }

    public record BuyoutCommand(String tenant, String subscriptionId, BuyoutInput input) {
    }

    public Subscription buyout(BuyoutCommand command, IdempotentWrite<Subscription> key) {
        String tenant = command.tenant();
        var current = subscriptions.subscription(tenant, command.subscriptionId());
        Money amount = amount(current, command.input().amount());
        try {
            current.boughtOut(amount, null, now());
        } catch (Subscription.Refused refused) {
            throw SubscriptionService.refusal(refused);
        }
        var claimed = key.claim(() -> Ids.next(Ids.PAYMENT));
        key.started();
        Payment payment = payments.charge(new ChargeCommand(tenant, current.customerId(), new Charge(amount,
                "Buyout of subscription " + current.id(), current.paymentMethodId(), null, null, null, null),
                PaymentFor.subscription(current.id())), IdempotentWrite.owned(claimed.resourceId()));
        if (payment.status() != PaymentStatus.SUCCEEDED) {
            throw new ApiException(402, payment.failureCode(), "Payment declined",
                    payment.failureMessage() == null ? "The card was declined" : payment.failureMessage(), List.of(),
                    Map.of("paymentId", payment.id(), "declineCode", payment.failureCode()), Map.of());
        }
        for (int attempt = 1; ; attempt++) {
            var before = subscriptions.subscription(tenant, command.subscriptionId());
            if (before.buyout() != null && payment.id().equals(before.buyout().paymentId())) {
                throw key.finishedEarlier();
            }
            Subscription after;
            try {
                after = before.boughtOut(payment.amount(), payment.id(), now());
            } catch (Subscription.Refused refused) {
                // it changed (canceled, say) while the card was charged: the payment stands, refundable as any
                throw new ApiException(409, refused.code(), "Not possible now", refused.getMessage()
                        + "; the buyout's payment " + payment.id() + " was taken and can be refunded", List.of(),
                        Map.of("subscriptionStatus", refused.status().value(), "paymentId", payment.id()), Map.of());
            }
            try {
                repository.update(tenant, before, after, SubscriptionActivities.boughtOut(after), key.completion(after, after.customerId()));
                return after;
            } catch (SubscriptionRepository.Stale e) {
                if (attempt == MAX_WRITE_ATTEMPTS) {
                    throw SubscriptionService.changedMeanwhile("Subscription " + before.id());
                }
            }
        }
    }

    /** The amount given (in the subscription's currency, at least 1), or what remains of the asset's cost. */
    private static Money amount(Subscription s, Money given) {
        var errors = new ArrayList<FieldError>();
        String currency = s.amount().currency();
        Money amount = given;
        if (amount == null) {
            var recovery = s.costRecovery();
            if (recovery == null || recovery.remaining().amount() == 0) {
                errors.add(new FieldError("amount", recovery == null
                        ? "is required: the subscription's price names no asset cost to take the rest of"
                        : "is required: the asset's cost is recovered, nothing remains to take"));
            } else {
                amount = recovery.remaining();
            }
        } else {
            if (!currency.equals(amount.currency())) {
                errors.add(new FieldError("amount.currency", "must be " + currency + ": the subscription's currency"));
            }
            if (amount.amount() < 1) {
                errors.add(new FieldError("amount.amount", "must be at least 1 minor unit"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return amount;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
