package com.clientele.messages;

import com.clientele.shared.Json;
import com.clientele.shared.logs.Log;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * What SES reports about an email after it took it: a bounce marks the communication {@code bounced}
 * ({@code reason}: {@code bounce_permanent}, {@code bounce_transient} or {@code bounce_undetermined}, SES's
 * bounce type); a complaint (the recipient reported it as spam) leaves it {@code sent} with the reason
 * {@code complaint}. The notification names the communication by the tags the sender gave the email
 * ({@link MessageSender#TENANT}, {@link MessageSender#CUSTOMER}, {@link MessageSender#COMMUNICATION}), and the
 * change is conditional on the provider's message id the communication recorded being the notification's:
 * a stray or forged notification changes nothing. A bounce of a message whose {@code sent} is not recorded
 * yet (the sender is between SES's answer and its write) fails, to be received again.
 *
 * <p>In AWS the notifications come from the configuration set's event destination (SNS, raw delivery, to
 * {@code EmailFeedbackQueue}); the local cloud's {@code POST /_local/mail/bounce} puts the same JSON on the
 * same queue.
 */
public final class EmailFeedback {

    static final String COMPLAINT = "complaint";

    /** A bounce of a message whose sending is not recorded yet: to be received again. */
    static final class NotYetSent extends RuntimeException {
        NotYetSent(String communicationId) {
            super("communication " + communicationId + " is not recorded as sent yet", null, false, false);
        }
    }

    private final CommunicationRepository repository;
    private final MessageMetrics metrics;
    private final Clock clock;

    public EmailFeedback(CommunicationRepository repository, com.clientele.shared.metrics.Metrics metrics, Clock clock) {
        this.repository = repository;
        this.metrics = new MessageMetrics(metrics);
        this.clock = clock;
    }

    /** Applies one notification (SES's event JSON, or an SNS envelope of it); false when it changed nothing. */
    public boolean apply(String body) {
        JsonNode event = tree(body);
        if (event.has("Type") && event.has("Message")) {
            event = tree(event.path("Message").asText());
        }
        String type = event.path("eventType").asText(event.path("notificationType").asText(""));
        var mail = event.path("mail");
        String providerId = mail.path("messageId").asText(null);
        String tenant = tag(mail, MessageSender.TENANT);
        String customer = tag(mail, MessageSender.CUSTOMER);
        String id = tag(mail, MessageSender.COMMUNICATION);
        if (providerId == null || tenant == null || customer == null || id == null) {
            Log.warn("email notification names no communication", Map.of("type", type));
            return false;
        }
        var now = clock.instant();
        return switch (type) {
            case "Bounce" -> {
                String reason = "bounce_" + event.path("bounce").path("bounceType").asText("undetermined").toLowerCase(Locale.ROOT);
                if (repository.bounced(tenant, customer, id, providerId, reason, now)) {
                    repository.find(tenant, customer, id).ifPresent(c -> metrics.bounced(tenant, c));
                    yield true;
                }
                var stored = repository.find(tenant, customer, id);
                if (stored.isPresent() && stored.get().status() == Communication.Status.SENDING) {
                    throw new NotYetSent(id);
                }
                yield false;
            }
            case "Complaint" -> repository.complained(tenant, customer, id, providerId, COMPLAINT, now);
            default -> false;
        };
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not an SES notification: " + e.getOriginalMessage());
        }
    }

    /** The first value of a tag of the mail (SES gives each tag as a list). */
    private static String tag(JsonNode mail, String name) {
        var value = mail.path("tags").path(name);
        String text = value.isArray() ? value.path(0).asText(null) : value.asText(null);
        return text == null || text.isBlank() ? null : text;
    }
}
