package com.clientele.messages;

import com.clientele.shared.Activity;
import com.clientele.shared.events.PaymentEvent;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The messages payment events call for: a receipt for each successful charge of a customer, and a
 * notice of each failed one (guest payments have no customer to write to; refunds send nothing yet).
 * The message id is the payment's ({@code receipt:<pay id>}, {@code payment_failed:<pay id>}), so a
 * redelivered event, or one relayed again from the outbox, sends nothing twice.
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
