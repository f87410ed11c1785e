package com.clientele.subscriptions;

import com.clientele.payments.Payment;
import com.clientele.payments.PaymentService;
import com.clientele.payments.Refund;
import com.clientele.shared.Money;
import java.time.Clock;

/**
 * A refund of a subscription's own payment (a renewal, a retry, a buyout: one naming the subscription
 * and no invoice) lowers what the subscription collected, and so its cost recovery and its customer's
 * figures: once per refund, the subscription written with the refund's marker in one transaction, so a
 * refund told again (a retried request) changes nothing more. What an invoice collected is the
 * invoice's, and is not counted here either way.
 */
public final class SubscriptionRefunds implements PaymentService.RefundFollower {

    private static final int MAX_ATTEMPTS = 3;

    private final SubscriptionRepository subscriptions;
    private final Clock clock;

    public SubscriptionRefunds(SubscriptionRepository subscriptions, Clock clock) {
        this.subscriptions = subscriptions;
        this.clock = clock;
    }

    @Override
    public void refunded(String tenant, Payment payment, Refund refund) {
        if (payment.subscriptionId() == null || payment.invoiceId() != null) {
            return;
        }
        var less = new Money(-refund.amount().amount(), refund.amount().currency());
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            var found = subscriptions.find(tenant, payment.subscriptionId());
            if (found.isEmpty()) {
                return;
            }
            var s = found.get();
            try {
                subscriptions.updateOnce(tenant, s, s.collectedMore(less, clock.instant()), refund.id());
                return;
            } catch (SubscriptionRepository.Stale stale) {
                if (subscriptions.applied(tenant, s.customerId(), refund.id())) {
                    return;
                }
            }
        }
        throw new IllegalStateException("subscription " + payment.subscriptionId() + " kept changing while refund "
                + refund.id() + " was counted");
    }
}
