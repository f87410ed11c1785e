package com.clientele.customers;

/**
 * The marketing messages a customer agreed to receive, by channel. Transactional messages (receipts,
 * payment failures, reminders, invoices, one-time codes) are sent whatever these say; a marketing
 * message is sent only on a channel the customer agreed to. A customer agrees to none until told
 * ({@link #NONE}): consent is given, not assumed. A field left out of a PATCH keeps its value.
 */
public record CommunicationPreferences(boolean marketingEmail, boolean marketingSms) {

    public static final CommunicationPreferences NONE = new CommunicationPreferences(false, false);

    /** Whether a marketing message may go to the customer on {@code channel} ({@code email}, {@code sms}). */
    public boolean allowsMarketing(String channel) {
        return switch (channel) {
            case "email" -> marketingEmail;
            case "sms" -> marketingSms;
            default -> false;
        };
    }
}
