package com.clientele.messages;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A message to send a customer, as a service asks {@link Messages#send} for it.
 *
 * @param messageId    stable for one message (a payment's receipt: {@code receipt:<pay id>}): the same id is
 *                     sent at most once, however often it is asked for
 * @param channel      {@code email} or {@code sms}
 * @param transactional whether it is sent whatever the customer's marketing preferences
 * @param variables    the template's variables ({@link MessageTemplate#variables}); they travel with the queued
 *                     message to the sender, and are not stored (a one-time code is among them)
 * @param attachments  files sent with an email (none for SMS)
 */
public record MessageRequest(String tenantId, String customerId, String messageId, MessageTemplate template, String channel,
                             boolean transactional, Map<String, String> variables, List<Attachment> attachments) {

    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9:_.-]{1,200}");
    public static final String EMAIL = "email";
    public static final String SMS = "sms";

    public MessageRequest {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(template, "template");
        if (messageId == null || !MESSAGE_ID.matcher(messageId).matches()) {
            throw new IllegalArgumentException("a message id is 1 to 200 letters, digits and : _ . -");
        }
        if (!EMAIL.equals(channel) && !SMS.equals(channel)) {
            throw new IllegalArgumentException("channel must be email or sms");
        }
        variables = Map.copyOf(variables == null ? Map.of() : variables);
        attachments = List.copyOf(attachments == null ? List.of() : attachments);
        for (String name : template.variables()) {
            if (!variables.containsKey(name)) {
                throw new IllegalArgumentException("the " + template + " template needs the variable " + name);
            }
        }
        if (SMS.equals(channel) && !attachments.isEmpty()) {
            throw new IllegalArgumentException("an SMS has no attachments");
        }
    }

    /** An email of {@code template}, transactional as the template is, without attachments. */
    public static MessageRequest email(String tenantId, String customerId, String messageId, MessageTemplate template,
                                       Map<String, String> variables) {
        return new MessageRequest(tenantId, customerId, messageId, template, EMAIL, template.transactional(), variables, List.of());
    }

    /** The same request with these attachments. */
    public MessageRequest withAttachments(List<Attachment> files) {
        return new MessageRequest(tenantId, customerId, messageId, template, channel, transactional, variables, files);
    }
}
