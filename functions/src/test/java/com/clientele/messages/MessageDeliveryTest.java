package com.clientele.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.clientele.shared.metrics.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sender's rules: once per communication, retried on a provider failure, failed after the last try. */
class MessageDeliveryTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final MessageJob JOB = new MessageJob("acme", "cus_1", "msg_1",
            Map.of("firstName", "Ada", "amount", "1.00 USD", "paymentId", "pay_1", "date", "2026-12-01"));

    private final CommunicationRepository repository = mock(CommunicationRepository.class);
    private final List<MessageSender.Outgoing> sent = new ArrayList<>();
    private boolean providerDown;
    private final MessageSender email = message -> {
        if (providerDown) {
            throw new MessageSender.Failure("refused", null);
        }
        sent.add(message);
        return "provider-1";
    };
    private final MessageDelivery delivery = new MessageDelivery(repository, email, message -> "sms-1",
            key -> ("file " + key).getBytes(StandardCharsets.UTF_8), Metrics.NONE, Clock.fixed(NOW, ZoneOffset.UTC), 5, 30,
            Duration.ofSeconds(120));

    private void stored(Communication.Status status, Instant sendingSince, List<Attachment> attachments) {
        var communication = new Communication("msg_1", "receipt:pay_1", "cus_1", "email", MessageTemplate.PAYMENT_RECEIPT, true,
                "ada@example.com", "Your receipt", status, null, 0, null, attachments, NOW, null, null, NOW);
        when(repository.stored("acme", "cus_1", "msg_1"))
                .thenReturn(Optional.of(new CommunicationRepository.Stored(communication, sendingSince)));
        when(repository.claim(eq("acme"), eq("cus_1"), eq("msg_1"), any())).thenReturn(true);
    }

    @Test
    void aQueuedMessageIsTakenSentAndMarkedSentWithTheProvidersId() {
        stored(Communication.Status.QUEUED, null, List.of(new Attachment("invoices/a.pdf", "INV-1.pdf")));
        assertThat(delivery.deliver(JOB, 1)).isEqualTo(MessageDelivery.Outcome.SENT);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).to()).isEqualTo("ada@example.com");
        assertThat(sent.get(0).content().subject()).isEqualTo("Your receipt for 1.00 USD");
        assertThat(sent.get(0).tags()).as("what SES hands back with a bounce").containsExactlyInAnyOrderEntriesOf(
                Map.of("tenant", "acme", "customer", "cus_1", "communication", "msg_1"));
        assertThat(sent.get(0).files()).singleElement().satisfies(file -> {
            assertThat(file.name()).isEqualTo("INV-1.pdf");
            assertThat(file.contentType()).isEqualTo("application/pdf");
            assertThat(new String(file.bytes(), StandardCharsets.UTF_8)).isEqualTo("file invoices/a.pdf");
        });
        verify(repository).sent("acme", "cus_1", "msg_1", "provider-1", NOW);
    }

    @Test
    void aMessageSentOrTakenAlreadyIsNotSentAgain() {
        stored(Communication.Status.SENT, null, List.of());
        assertThat(delivery.deliver(JOB, 2)).isEqualTo(MessageDelivery.Outcome.DUPLICATE);
        stored(Communication.Status.QUEUED, null, List.of());
        when(repository.claim(eq("acme"), eq("cus_1"), eq("msg_1"), any())).thenReturn(false);
        assertThat(delivery.deliver(JOB, 1)).as("another delivery took it first").isEqualTo(MessageDelivery.Outcome.DUPLICATE);
        assertThat(sent).isEmpty();
        when(repository.stored("acme", "cus_1", "msg_1")).thenReturn(Optional.empty());
        assertThat(delivery.deliver(JOB, 1)).isEqualTo(MessageDelivery.Outcome.GONE);
    }

    @Test
    void aProviderFailureIsRetriedLaterThenFailedOnTheLastReceive() {
        providerDown = true;
        stored(Communication.Status.QUEUED, null, List.of());
        assertThatThrownBy(() -> delivery.deliver(JOB, 2)).isInstanceOfSatisfying(MessageDelivery.RetryLater.class,
                later -> assertThat(later.seconds()).isEqualTo(60));
        verify(repository).requeue("acme", "cus_1", "msg_1", MessageDelivery.PROVIDER_ERROR, NOW);
        assertThat(delivery.deliver(JOB, 5)).isEqualTo(MessageDelivery.Outcome.FAILED);
        verify(repository).failed("acme", "cus_1", "msg_1", MessageDelivery.PROVIDER_ERROR, NOW);
        verify(repository, never()).sent(anyString(), anyString(), anyString(), any(), any());
    }

    @Test
    void aSendUnderWayIsWaitedForAndOneLeftByADeadSenderIsFailedNotSentAgain() {
        stored(Communication.Status.SENDING, NOW.minusSeconds(10), List.of());
        assertThatThrownBy(() -> delivery.deliver(JOB, 2)).isInstanceOf(MessageDelivery.RetryLater.class);
        stored(Communication.Status.SENDING, NOW.minusSeconds(600), List.of());
        when(repository.failed(eq("acme"), eq("cus_1"), eq("msg_1"), eq(MessageDelivery.OUTCOME_UNKNOWN), any())).thenReturn(true);
        assertThat(delivery.deliver(JOB, 3)).isEqualTo(MessageDelivery.Outcome.FAILED);
        assertThat(sent).isEmpty();
    }
}
