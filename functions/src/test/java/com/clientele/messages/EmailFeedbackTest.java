package com.clientele.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.clientele.shared.Json;
import com.clientele.shared.metrics.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SES's bounces and complaints applied to the communication their tags name, under the provider's message id. */
class EmailFeedbackTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private final CommunicationRepository repository = mock(CommunicationRepository.class);
    private final EmailFeedback feedback = new EmailFeedback(repository, Metrics.NONE, Clock.fixed(NOW, ZoneOffset.UTC));

    private static String event(String type, String detail) {
        return """
                {"eventType": "%s", %s, "mail": {"messageId": "ses-1", "tags": {"tenant": ["acme"], "customer": ["cus_1"],
                 "communication": ["msg_1"], "ses:operation": ["SendEmail"]}}}""".formatted(type, detail);
    }

    private static Communication communication(Communication.Status status) {
        return new Communication("msg_1", "invoice:in_1", "cus_1", "email", MessageTemplate.INVOICE, true, "ada@example.com", "Invoice",
                status, null, 1, "ses-1", List.of(), NOW, NOW, null, NOW);
    }

    @Test
    void aBounceMarksTheCommunicationBouncedWithItsType_fromAnSnsEnvelopeToo() {
        when(repository.bounced("acme", "cus_1", "msg_1", "ses-1", "bounce_permanent", NOW)).thenReturn(true);
        when(repository.find("acme", "cus_1", "msg_1")).thenReturn(Optional.of(communication(Communication.Status.BOUNCED)));
        String bounce = event("Bounce", "\"bounce\": {\"bounceType\": \"Permanent\"}");
        assertThat(feedback.apply(bounce)).isTrue();
        String envelope = Json.write(Json.MAPPER.createObjectNode().put("Type", "Notification").put("Message", bounce));
        assertThat(feedback.apply(envelope)).isTrue();
        verify(repository, org.mockito.Mockito.times(2)).bounced("acme", "cus_1", "msg_1", "ses-1", "bounce_permanent", NOW);
    }

    @Test
    void aComplaintLeavesItSentWithItsReason() {
        when(repository.complained("acme", "cus_1", "msg_1", "ses-1", "complaint", NOW)).thenReturn(true);
        assertThat(feedback.apply(event("Complaint", "\"complaint\": {}"))).isTrue();
        verify(repository, never()).bounced(anyString(), anyString(), anyString(), anyString(), anyString(), any());
    }

    @Test
    void aBounceBeforeTheSendIsRecordedComesAgain_andOneOfAnotherMessageChangesNothing() {
        String bounce = event("Bounce", "\"bounce\": {\"bounceType\": \"Transient\"}");
        when(repository.bounced("acme", "cus_1", "msg_1", "ses-1", "bounce_transient", NOW)).thenReturn(false);
        when(repository.find("acme", "cus_1", "msg_1")).thenReturn(Optional.of(communication(Communication.Status.SENDING)));
        assertThatThrownBy(() -> feedback.apply(bounce)).isInstanceOf(EmailFeedback.NotYetSent.class);
        when(repository.find("acme", "cus_1", "msg_1")).thenReturn(Optional.of(communication(Communication.Status.SENT)));
        assertThat(feedback.apply(bounce)).as("the recorded provider id is another").isFalse();
    }

    @Test
    void aNotificationWithoutTheTagsNamesNoCommunication() {
        assertThat(feedback.apply("{\"eventType\": \"Bounce\", \"bounce\": {}, \"mail\": {\"messageId\": \"ses-9\"}}")).isFalse();
        verify(repository, never()).bounced(anyString(), anyString(), anyString(), anyString(), anyString(), any());
        assertThatThrownBy(() -> feedback.apply("not json")).isInstanceOf(IllegalArgumentException.class);
    }
}
