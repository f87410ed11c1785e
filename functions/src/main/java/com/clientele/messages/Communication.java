package com.clientele.messages;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;

/**
 * A message sent (or to be sent) to a customer, as recorded on the customer: {@code GET
 * /customers/{id}/communications}. {@code to} is the address or number it went to; {@code reason}
 * says why it was skipped or failed (a code: {@code opted_out}, {@code no_address}, {@code provider_error},
 * {@code outcome_unknown}); {@code attempts} counts the sends tried; {@code providerMessageId} is the id
 * SES, SNS or the SMTP server gave it. The body is not kept (the template and its variables made it).
 */
public record Communication(String id, String messageId, String customerId, String channel, MessageTemplate template,
                            boolean transactional, String to, String subject, Status status, String reason, int attempts,
                            String providerMessageId, List<Attachment> attachments, Instant createdAt, Instant sentAt,
                            Instant failedAt, Instant updatedAt) {

    public Communication {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /**
     * {@code queued} until the sender takes it ({@code sending}), then {@code sent}, or {@code failed} after its
     * last try; {@code bounced} when the provider reports it undeliverable after sending; {@code skipped} when
     * it was not to be sent (the customer opted out of marketing, or has no address for the channel).
     */
    public enum Status {
        QUEUED("queued"), SENDING("sending"), SENT("sent"), FAILED("failed"), BOUNCED("bounced"), SKIPPED("skipped");

        private final String value;

        Status(String value) {
            this.value = value;
        }

        @JsonValue
        public String value() {
            return value;
        }

        @JsonCreator
        public static Status of(String value) {
            for (var status : values()) {
                if (status.value.equals(value)) {
                    return status;
                }
            }
            throw new IllegalArgumentException("unknown communication status " + value);
        }

        @Override
        public String toString() {
            return value;
        }
    }
}
