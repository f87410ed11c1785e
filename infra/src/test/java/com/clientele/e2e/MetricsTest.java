package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.clientele.shared.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The functions' metrics end to end: charges (succeeded and declined) and a refund over HTTP, their
 * events through the queues, and one event delivered again; the EMF documents the functions write
 * to their output are read back as CloudWatch would read them (namespace, dimension sets, values).
 */
class MetricsTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    @Test
    void chargesRefundsAppliedEventsDuplicatesAndPointsAreEmfDocuments() {
        List<JsonNode> documents;
        try (var captured = new CapturedOutput()) {
            String id = api.post("/customers", """
                    {"firstName": "Mae", "lastName": "Jemison", "email": "mae@example.com", "phone": "+14155550178"}""")
                    .json().path("id").asText();
            assertThat(api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4242424242424242")).status())
                    .isEqualTo(201);
            var charged = charge(id, 10_000, null);
            assertThat(charged.status()).isEqualTo(201);
            String declinedCard = api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4000000000000002"))
                    .json().path("id").asText();
            assertThat(charge(id, 500, declinedCard).status()).isEqualTo(402);
            String paymentId = charged.json().path("id").asText();
            assertThat(api.send("POST", "/payments/" + paymentId + "/refunds", "{\"amount\": {\"amount\": 2500, \"currency\": \"USD\"}}",
                    "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(201);

            // the aggregator applies the three events (succeeded, failed, refunded); the points accrual two of them
            Eventually.get(() -> documents(captured), docs -> named(docs, "EventsApplied").size() == 5
                    && !named(docs, "PointsClawedBack").isEmpty());
            // the charge's event once more (SQS may deliver twice): a duplicate, skipped
            var event = EventInbox.events(cloud, TestCloud.EVENTS_TAP, tenant).stream()
                    .filter(e -> e.path("type").asText().equals("payment.succeeded")).findFirst().orElseThrow();
            try (var sqs = EventInbox.sqs(cloud)) {
                sqs.sendMessage(r -> r.queueUrl(cloud.resources().get("LtvEventsQueue")).messageBody(event.toString()));
            }
            documents = Eventually.get(() -> documents(captured), docs -> !named(docs, "DuplicatesSkipped").isEmpty());
        }

        var succeeded = single(documents, "ChargesSucceeded");
        assertThat(succeeded.path("Service").asText()).isEqualTo("PaymentsFunction");
        assertThat(succeeded.path("Currency").asText()).isEqualTo("USD");
        assertThat(succeeded.path("ChargeAmount").asLong()).isEqualTo(10_000);
        assertThat(directives(succeeded)).containsExactly(
                "Clientele [[Service], [Service, Currency]] [ChargesSucceeded:Count]",
                "Clientele [[Service, Currency]] [ChargeAmount:None]");

        var declined = single(documents, "ChargesDeclined");
        assertThat(declined.path("DeclineCode").asText()).isEqualTo("card_declined");
        assertThat(directives(declined)).containsExactly("Clientele [[Service], [Service, DeclineCode]] [ChargesDeclined:Count]");
        assertThat(named(documents, "ChargeAmount")).hasSize(1); // a decline moves no money

        var refund = single(documents, "RefundsSucceeded");
        assertThat(refund.path("RefundAmount").asLong()).isEqualTo(2_500);
        assertThat(refund.path("Currency").asText()).isEqualTo("USD");

        var applied = named(documents, "EventsApplied");
        assertThat(applied).extracting(d -> d.path("Service").asText() + " " + d.path("Consumer").asText() + " " + d.path("eventType").asText())
                .containsExactlyInAnyOrder(
                        "LtvAggregatorFunction ltv payment.succeeded", "LtvAggregatorFunction ltv payment.failed",
                        "LtvAggregatorFunction ltv payment.refunded",
                        "PointsAccrualFunction points payment.succeeded", "PointsAccrualFunction points payment.refunded");
        assertThat(directives(applied.get(0))).containsExactly("Clientele [[Service], [Service, Consumer]] [EventsApplied:Count]");
        var duplicate = single(documents, "DuplicatesSkipped");
        assertThat(duplicate.path("Consumer").asText()).isEqualTo("ltv");
        assertThat(duplicate.path("DuplicatesSkipped").asLong()).isEqualTo(1);

        // 10,000 cents earn 100 points (the default rate); a quarter refunded claws back 25
        assertThat(single(documents, "PointsEarned").path("PointsEarned").asLong()).isEqualTo(100);
        assertThat(single(documents, "PointsClawedBack").path("PointsClawedBack").asLong()).isEqualTo(25);
        // the tenant is a property, never a dimension
        assertThat(documents).allSatisfy(d -> assertThat(d.path("_aws").path("CloudWatchMetrics").toString()).doesNotContain("tenantId"));
    }

    private Api.Reply charge(String customer, long amount, String paymentMethodId) {
        return api.send("POST", "/customers/" + customer + "/charges", "{\"amount\": {\"amount\": " + amount + ", \"currency\": \"USD\"}"
                + (paymentMethodId == null ? "" : ", \"paymentMethodId\": \"" + paymentMethodId + "\"") + "}",
                "Idempotency-Key", UUID.randomUUID().toString());
    }

    /** This test's tenant's EMF documents in what the functions wrote so far. */
    private List<JsonNode> documents(CapturedOutput captured) {
        var documents = new ArrayList<JsonNode>();
        for (String line : captured.text().lines().filter(l -> l.startsWith("{\"_aws\":")).toList()) {
            try {
                var document = Json.MAPPER.readTree(line);
                if (tenant.equals(document.path("tenantId").asText())) {
                    documents.add(document);
                }
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return documents;
    }

    private static List<JsonNode> named(List<JsonNode> documents, String metric) {
        return documents.stream().filter(d -> d.has(metric)).toList();
    }

    private static JsonNode single(List<JsonNode> documents, String metric) {
        var found = named(documents, metric);
        assertThat(found).as(metric).hasSize(1);
        return found.get(0);
    }

    /** Each directive as "namespace [dimension sets] [metric:unit...]"; every name it uses is a member of the document. */
    private static List<String> directives(JsonNode document) {
        var described = new ArrayList<String>();
        for (var directive : document.path("_aws").path("CloudWatchMetrics")) {
            var sets = new ArrayList<List<String>>();
            for (var set : directive.path("Dimensions")) {
                var names = StreamSupport.stream(set.spliterator(), false).map(JsonNode::asText).toList();
                names.forEach(name -> assertThat(document.path(name).isTextual()).as(name).isTrue());
                sets.add(names);
            }
            var metrics = new ArrayList<String>();
            for (var metric : directive.path("Metrics")) {
                assertThat(document.path(metric.path("Name").asText()).isNumber()).as(metric.toString()).isTrue();
                metrics.add(metric.path("Name").asText() + ":" + metric.path("Unit").asText());
            }
            described.add(directive.path("Namespace").asText() + " " + sets + " " + metrics);
        }
        return described;
    }
}
