package com.clientele.shared.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Json;
import com.clientele.shared.logs.Correlation;
import com.clientele.shared.logs.LogCapture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private static SQSEvent.SQSMessage message(String id, String body) {
        var message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setBody(body);
        return message;
    }

    private static String event(String id, String customer, long amount) {
        return Json.write(PaymentEvent.builder().id(id).type(PaymentEvent.SUCCEEDED).tenantId("t1").customerId(customer)
                .paymentId("pay_1").amount(amount).currency("USD").occurredAt(Instant.parse("2026-11-23T10:00:00Z")).build());
    }

    @Test
    void onlyTheFailedMessagesAreReportedAndACustomersEventsKeepTheirOrder() {
        var batch = new SQSEvent();
        batch.setRecords(List.of(
                message("m1", event("evt_1", "cus_a", 100)),
                message("m2", "{not json"),
                message("m3", event("evt_2", "cus_b", 666)),
                message("m4", event("evt_3", "cus_a", 200)),
                message("m5", event("evt_4", "cus_a", 300))));
        var seenForA = Collections.synchronizedList(new ArrayList<Long>());
        var response = Batches.eachPaymentEvent(batch, null, event -> {
            if (event.amount() == 666) {
                throw new IllegalStateException("boom");
            }
            if (event.customerId().equals("cus_a")) {
                seenForA.add(event.amount());
            }
        });
        assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
                .containsExactlyInAnyOrder("m2", "m3");
        assertThat(seenForA).containsExactly(100L, 200L, 300L);
    }

    @Test
    void aSubscriptionsEventOnAPaymentConsumersQueueIsPassedOverNotFailedAndNotHandedOn() {
        var reminder = Json.write(new SubscriptionEvent("evt_9", SubscriptionEvent.RENEWAL_UPCOMING, 1, "t1", "cus_a", "sub_1",
                Instant.parse("2026-11-23T10:00:00Z"), 2, Instant.parse("2026-11-30T10:00:00Z"), 8900, "USD", null));
        var batch = new SQSEvent();
        batch.setRecords(List.of(message("m1", reminder), message("m2", event("evt_1", "cus_a", 100)),
                message("m3", "{\"type\": \"subscription.unknown\"}")));
        var handed = Collections.synchronizedList(new ArrayList<String>());
        var response = Batches.eachPaymentEvent(batch, null, event -> handed.add(event.id()));
        assertThat(handed).containsExactly("evt_1");
        assertThat(response.getBatchItemFailures()).as("an unknown type still fails").extracting(BatchItemFailure::getItemIdentifier)
                .containsExactly("m3");
        var atOnce = Batches.paymentEventsAtOnce(batch, null, events -> {
            assertThat(events).extracting(PaymentEvent::id).containsExactly("evt_1");
            return Collections.nCopies(events.size(), null);
        });
        assertThat(atOnce.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier).containsExactly("m3");
    }

    @Test
    void theCustomersPointsAndExportsEventsArePassedOverByEveryPaymentConsumer() {
        var batch = new SQSEvent();
        var records = new ArrayList<SQSEvent.SQSMessage>();
        for (String type : ObjectEvent.TYPES) {
            records.add(message("m-" + type, Json.write(ObjectEvent.of(type, "t1", Instant.parse("2026-11-23T10:00:00Z"),
                    Map.of("id", "cus_a", "firstName", "Ada")))));
        }
        records.add(message("m-pay", event("evt_1", "cus_a", 100)));
        batch.setRecords(records);
        var handed = Collections.synchronizedList(new ArrayList<String>());
        assertThat(Batches.eachPaymentEvent(batch, null, event -> handed.add(event.id())).getBatchItemFailures()).isEmpty();
        assertThat(handed).containsExactly("evt_1");
        assertThat(Batches.paymentEventsAtOnce(batch, null, events -> Collections.nCopies(events.size(), null)).getBatchItemFailures()).isEmpty();
        var reminders = new ArrayList<String>();
        assertThat(Batches.eachEvent(batch, null, event -> handed.add(event.id()), reminder -> reminders.add(reminder.id()))
                .getBatchItemFailures()).isEmpty();
        assertThat(reminders).isEmpty();
        assertThat(handed).containsExactly("evt_1", "evt_1");
    }

    @Test
    void eachMessageIsLoggedWithItsQueueEventOutcomeAndTheCorrelationIdItCameWith() {
        var correlated = message("m1", event("evt_1", "cus_a", 100));
        correlated.setEventSourceArn("arn:aws:sqs:us-east-1:000000000000:LtvEvents");
        correlated.setMessageAttributes(Map.of(Correlation.ATTRIBUTE, attribute("req-42"),
                "eventId", attribute("evt_1"), "eventType", attribute(PaymentEvent.SUCCEEDED)));
        var failing = message("m2", event("evt_2", "cus_b", 666));
        var malformed = message("m3", "{\"firstName\": \"Zenobia\"");
        var batch = new SQSEvent();
        batch.setRecords(List.of(correlated, failing, malformed));
        var captured = LogCapture.of(() -> Batches.eachPaymentEvent(batch, null, event -> {
            if (event.amount() == 666) {
                throw new IllegalStateException("boom");
            }
        }));
        assertThat(captured.lines()).hasSize(3).allSatisfy(line -> assertThat(line.path("message").asText()).isEqualTo("message"));
        var ok = captured.lines().stream().filter(l -> l.path("message_id").asText().equals("m1")).findFirst().orElseThrow();
        assertThat(ok.path("correlation_id").asText()).isEqualTo("req-42");
        assertThat(ok.path("queue").asText()).isEqualTo("LtvEvents");
        assertThat(ok.path("event_id").asText()).isEqualTo("evt_1");
        assertThat(ok.path("event_type").asText()).isEqualTo(PaymentEvent.SUCCEEDED);
        assertThat(ok.path("tenant").asText()).isEqualTo("t1");
        assertThat(ok.path("outcome").asText()).isEqualTo("ok");
        assertThat(ok.path("level").asText()).isEqualTo("INFO");
        assertThat(ok.path("duration_ms").isIntegralNumber()).isTrue();
        var failed = captured.lines().stream().filter(l -> l.path("message_id").asText().equals("m2")).findFirst().orElseThrow();
        assertThat(failed.path("correlation_id").asText()).as("none sent: the message id").isEqualTo("m2");
        assertThat(failed.path("outcome").asText()).isEqualTo("failed");
        assertThat(failed.path("level").asText()).isEqualTo("ERROR");
        assertThat(failed.path("error").path("stack").asText()).contains("java.lang.IllegalStateException", "\tat ");
        var unreadable = captured.lines().stream().filter(l -> l.path("message_id").asText().equals("m3")).findFirst().orElseThrow();
        assertThat(unreadable.path("outcome").asText()).isEqualTo("failed");
        assertThat(captured.text()).as("neither the body nor an error message is logged").doesNotContain("Zenobia", "boom");
    }

    @Test
    void aBatchHandledAtOnceFailsOnlyTheMessagesItsHandlerFailsOrCannotRead() {
        var batch = new SQSEvent();
        batch.setRecords(List.of(
                message("m1", event("evt_1", "cus_a", 100)),
                message("m2", "{not json"),
                message("m3", event("evt_2", "cus_b", 666)),
                message("m4", event("evt_3", "cus_a", 200))));
        var handed = new ArrayList<Long>();
        var captured = LogCapture.of(() -> {
            var response = Batches.paymentEventsAtOnce(batch, null, events -> {
                events.forEach(e -> handed.add(e.amount()));
                return events.stream().map(e -> e.amount() == 666 ? new IllegalStateException("boom") : null).toList();
            });
            assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
                    .containsExactlyInAnyOrder("m2", "m3");
        });
        assertThat(handed).as("the readable events, once, in batch order").containsExactly(100L, 666L, 200L);
        assertThat(captured.lines()).hasSize(4);
        var ok = captured.lines().stream().filter(l -> l.path("message_id").asText().equals("m4")).findFirst().orElseThrow();
        assertThat(ok.path("outcome").asText()).isEqualTo("ok");
        assertThat(ok.path("event_id").asText()).isEqualTo("evt_3");
        assertThat(ok.path("batch_size").asInt()).isEqualTo(3);
        assertThat(ok.path("duration_ms").isIntegralNumber()).isTrue();
        var failed = captured.lines().stream().filter(l -> l.path("message_id").asText().equals("m3")).findFirst().orElseThrow();
        assertThat(failed.path("outcome").asText()).isEqualTo("failed");
        assertThat(failed.path("level").asText()).isEqualTo("ERROR");
        assertThat(captured.text()).doesNotContain("boom");
    }

    @Test
    void aHandlerThatThrowsFailsTheWholeBatch() {
        var batch = new SQSEvent();
        batch.setRecords(List.of(message("m1", event("evt_1", "cus_a", 100)), message("m2", event("evt_2", "cus_b", 200))));
        var response = Batches.paymentEventsAtOnce(batch, null, events -> {
            throw new IllegalStateException("the table is unavailable");
        });
        assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier).containsExactlyInAnyOrder("m1", "m2");
    }

    private static SQSEvent.MessageAttribute attribute(String value) {
        var attribute = new SQSEvent.MessageAttribute();
        attribute.setDataType("String");
        attribute.setStringValue(value);
        return attribute;
    }
}
