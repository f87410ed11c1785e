package com.clientele.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * The messages a customer can be sent. Each names the variables its text needs (the customer's
 * {@code firstName} is always there), whether it is transactional (sent whatever the customer's
 * marketing preferences) and its subject and body, plain text with {@code {name}} placeholders
 * ({@link Rendering} fills them and makes the HTML part). Plain strings, not a template engine: the
 * texts are few and short, and a merchant's own wording is a later feature.
 */
public enum MessageTemplate {

    PAYMENT_RECEIPT("payment_receipt", true, List.of("amount", "paymentId", "date"),
            "Your receipt for {amount}",
            "Hello {firstName},\n\nThank you for your payment of {amount} on {date}.\n\nPayment reference: {paymentId}"),
    PAYMENT_FAILED("payment_failed", true, List.of("amount", "paymentId", "reason"),
            "Your payment of {amount} did not go through",
            "Hello {firstName},\n\nWe could not take your payment of {amount} ({reason}).\n"
                    + "Please check your card or use another one.\n\nPayment reference: {paymentId}"),
    RENEWAL_REMINDER("renewal_reminder", true, List.of("subscription", "amount", "date"),
            "Your {subscription} renews on {date}",
            "Hello {firstName},\n\nYour subscription {subscription} renews on {date}; {amount} will be charged."),
    CONTRACT_END_REMINDER("contract_end_reminder", true, List.of("subscription", "date"),
            "Your {subscription} contract ends on {date}",
            "Hello {firstName},\n\nThe contract of your subscription {subscription} ends on {date}.\n"
                    + "Contact us to extend it or to arrange its return."),
    INVOICE("invoice", true, List.of("invoiceNumber", "amount", "dueDate"),
            "Invoice {invoiceNumber}",
            "Hello {firstName},\n\nPlease find attached invoice {invoiceNumber} for {amount}, due on {dueDate}."),
    LOYALTY_CODE("loyalty_code", true, List.of("code", "minutes"),
            "Your code to redeem points",
            "Hello {firstName},\n\nYour one-time code is {code}. It is valid for {minutes} minutes.\n"
                    + "If you did not ask for it, ignore this message."),
    MARKETING("marketing", false, List.of("headline", "text"),
            "{headline}",
            "Hello {firstName},\n\n{text}\n\nYou receive this because you agreed to hear from us; "
                    + "ask us to stop at any time.");

    private final String value;
    private final boolean transactional;
    private final List<String> variables;
    private final String subject;
    private final String body;

    MessageTemplate(String value, boolean transactional, List<String> variables, String subject, String body) {
        this.value = value;
        this.transactional = transactional;
        this.variables = variables;
        this.subject = subject;
        this.body = body;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** Whether messages of this template are transactional unless a request says otherwise. */
    public boolean transactional() {
        return transactional;
    }

    /** The variables a request must give (the customer's first name comes from the profile). */
    public List<String> variables() {
        return variables;
    }

    String subject() {
        return subject;
    }

    String body() {
        return body;
    }

    @JsonCreator
    public static MessageTemplate of(String value) {
        for (var template : values()) {
            if (template.value.equals(value)) {
                return template;
            }
        }
        throw new IllegalArgumentException("unknown message template " + value);
    }

    @Override
    public String toString() {
        return value;
    }
}
