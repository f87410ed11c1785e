package com.clientele.messages;

import com.clientele.shared.Activity;
import com.clientele.shared.events.PaymentEvent;
import com.clientele.shared.events.SubscriptionEvent;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The messages payment events call for: a receipt for each successful charge of a customer, and a
 * notice of each failed one (guest payments have no customer to write to; refunds send nothing yet).
 * The message id is the payment's ({@code receipt:<pay id>}, {@code payment_failed:<pay id>}), so a
 * redelivered event, or one relayed again from the outbox, sends nothing twice.
 *
 * <p>The subscriptions' reminders on the same queue send their emails too: {@code renewal_reminder} for
 * {@code subscription.renewal_upcoming}, {@code contract_end_reminder} for {@code subscription.contract_ending},
 * once per event id ({@code <template>:<evt id>}). They are transactional: they tell the customer about a
 * contract they hold (a charge to come, an end to arrange), as a receipt does, so they are sent whatever the
 * customer's marketing preferences; only a customer without an email address is skipped ({@code no_address}).
 */
public final class PaymentMessages {

    private final Messages messages;

    public PaymentMessages(Messages messages) {
        this.messages = messages;
    }

    /** Whether the event called for a message. */
    public boolean apply(PaymentEvent event) {
        event.validate();
        if (event.customerId() == null) {
            return false;
        }
        String amount = Activity.money(event.amount(), event.currency());
        return switch (event.type()) {
            case PaymentEvent.SUCCEEDED -> messages.send(MessageRequest.email(event.tenantId(), event.customerId(),
                    "receipt:" + event.paymentId(), MessageTemplate.PAYMENT_RECEIPT, Map.of("amount", amount,
                            "paymentId", event.paymentId(), "date", LocalDate.ofInstant(event.occurredAt(), ZoneOffset.UTC).toString())))
                    .isPresent();
            case PaymentEvent.FAILED -> messages.send(MessageRequest.email(event.tenantId(), event.customerId(),
                    "payment_failed:" + event.paymentId(), MessageTemplate.PAYMENT_FAILED, Map.of("amount", amount,
                            "paymentId", event.paymentId(), "reason", reason(event.failureCode())))).isPresent();
            default -> false;
        };
    }

    /** Whether the subscription's reminder called for a message (one of a live customer). */
    public boolean remind(SubscriptionEvent event) {
        if (event.id() == null || event.tenantId() == null || event.customerId() == null || event.subscriptionId() == null) {
            throw new IllegalArgumentException("a subscription event names its id, tenant, customer and subscription");
        }
        return switch (event.type()) {
            case SubscriptionEvent.RENEWAL_UPCOMING -> messages.send(MessageRequest.email(event.tenantId(), event.customerId(),
                    "renewal_reminder:" + event.id(), MessageTemplate.RENEWAL_REMINDER, Map.of("subscription", event.subscriptionId(),
                            "amount", Activity.money(event.amount(), event.currency()),
                            "date", LocalDate.ofInstant(event.renewalAt(), ZoneOffset.UTC).toString()))).isPresent();
            case SubscriptionEvent.CONTRACT_ENDING -> messages.send(MessageRequest.email(event.tenantId(), event.customerId(),
                    "contract_end_reminder:" + event.id(), MessageTemplate.CONTRACT_END_REMINDER, Map.of("subscription",
                            event.subscriptionId(), "date", event.contractEndDate().toString()))).isPresent();
            default -> false;
        };
    }

    /** The gateway's decline code in words a customer reads. */
    static String reason(String failureCode) {
        if (failureCode == null) {
            return "the payment was declined";
        }
        return switch (failureCode) {
            case "insufficient_funds" -> "insufficient funds";
            case "expired_card" -> "the card has expired";
            case "card_declined", "do_not_honor" -> "the card was declined";
            default -> "the payment was declined";
        };
    }
}
