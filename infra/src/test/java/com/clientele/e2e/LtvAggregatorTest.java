package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The LTV aggregator end to end: charges and refunds over HTTP, their events through the local
 * cloud's SQS event source into the customer's stats, exactly once each.
 */
class LtvAggregatorTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private String customerWithCard(String email, String card) {
        String id = api.post("/customers", """
                {"firstName": "Lin", "lastName": "Chen", "email": "%s", "phone": "+14155550177"}""".formatted(email))
                .json().path("id").asText();
        assertThat(api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card(card)).status()).isEqualTo(201);
        return id;
    }

    private Api.Reply charge(String customer, long amount) {
        return api.send("POST", "/customers/" + customer + "/charges",
                "{\"amount\": {\"amount\": " + amount + ", \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString());
    }

    private JsonNode statsOnce(String customer, java.util.function.Predicate<JsonNode> done) {
        return Eventually.get(() -> api.get("/customers/" + customer).json().path("stats"), done);
    }

    @Test
    void theSeedCustomerComesOutAt2142Dollars() {
        String id = customerWithCard("lin@example.com", "4242424242424242");
        for (int i = 0; i < 12; i++) {
            assertThat(charge(id, 8_900).status()).isEqualTo(201);
        }
        for (int i = 0; i < 6; i++) {
            charge(id, 12_900);
        }
        String last = charge(id, 30_000).json().path("id").asText();
        var stats = statsOnce(id, s -> s.path("orders").asLong() == 19);
        assertThat(stats.path("ltv").path("amount").asLong()).isEqualTo(214_200);
        assertThat(stats.path("ltv").path("currency").asText()).isEqualTo("USD");
        assertThat(stats.path("averageOrderValue").path("amount").asLong()).isEqualTo(11_274);
        assertThat(stats.path("lastOrderValue").path("amount").asLong()).isEqualTo(30_000);
        assertThat(stats.path("lastPurchaseAt").asText()).isEqualTo(api.get("/payments/" + last).json().path("createdAt").asText());
        assertThat(stats.path("returning").asBoolean()).isTrue();

        var row = api.get("/customers?sort=-ltv").json().path("data").get(0);
        assertThat(row.path("id").asText()).isEqualTo(id);
        assertThat(row.path("ltv").path("amount").asLong()).isEqualTo(214_200);
    }

    @Test
    void refundsAndDeclinesShowAndADuplicateEventCountsOnce() throws Exception {
        String id = customerWithCard("ref@example.com", "4242424242424242");
        String paymentId = charge(id, 10_000).json().path("id").asText();
        api.send("POST", "/payments/" + paymentId + "/refunds", "{\"amount\": {\"amount\": 2500, \"currency\": \"USD\"}}",
                "Idempotency-Key", UUID.randomUUID().toString());
        var declined = api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4000000000000002")).json();
        api.send("POST", "/customers/" + id + "/charges", "{\"amount\": {\"amount\": 500, \"currency\": \"USD\"}, \"paymentMethodId\": \""
                + declined.path("id").asText() + "\"}", "Idempotency-Key", UUID.randomUUID().toString());
        var stats = statsOnce(id, s -> s.path("refunded").path("amount").asLong() == 2_500 && s.path("failedPayments").asLong() == 1);
        assertThat(stats.path("ltv").path("amount").asLong()).isEqualTo(7_500);
        assertThat(stats.path("orders").asLong()).isEqualTo(1);

        // the same event delivered again (SQS may): applied once; and another event reporting a
        // payment already counted (the markers are keyed by the ledger entry) is a duplicate too
        String duplicate = """
                {"id": "evt_01KB0000000000000000000000", "type": "payment.succeeded", "schemaVersion": 1, "tenantId": "%s",
                 "customerId": "%s", "paymentId": "pay_01KB0000000000000000000009", "refundId": null, "amount": 4000, "currency": "USD",
                 "occurredAt": "2026-11-23T10:00:00Z", "storeId": null, "terminalId": null, "receiptId": null, "failureCode": null}"""
                .formatted(tenant, id);
        String sameEntry = duplicate.replace("evt_01KB0000000000000000000000", "evt_01KB0000000000000000000008")
                .replace("pay_01KB0000000000000000000009", paymentId);
        try (var sqs = EventInbox.sqs(cloud)) {
            String url = cloud.resources().get("LtvEventsQueue");
            for (int i = 0; i < 3; i++) {
                sqs.sendMessage(r -> r.queueUrl(url).messageBody(duplicate));
            }
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(sameEntry));
            Eventually.get(() -> sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes(), a -> a.values().stream().allMatch("0"::equals));
        }
        stats = statsOnce(id, s -> s.path("orders").asLong() == 2);
        assertThat(stats.path("orders").asLong()).isEqualTo(2);
        assertThat(stats.path("ltv").path("amount").asLong()).isEqualTo(11_500);
    }

    @Test
    void anEventForADeletedCustomerIsDroppedNotRetried() {
        String id = customerWithCard("gone@example.com", "4242424242424242");
        assertThat(api.delete("/customers/" + id).status()).isEqualTo(204);
        String event = """
                {"id": "evt_01KB0000000000000000000001", "type": "payment.succeeded", "schemaVersion": 1, "tenantId": "%s",
                 "customerId": "%s", "paymentId": "pay_01KB0000000000000000000001", "refundId": null, "amount": 4000,
                 "currency": "USD", "occurredAt": "2026-11-23T10:00:00Z", "storeId": null, "terminalId": null,
                 "receiptId": null, "failureCode": null}""".formatted(tenant, id);
        try (var sqs = EventInbox.sqs(cloud)) {
            String url = cloud.resources().get("LtvEventsQueue");
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(event));
            var left = Eventually.get(() -> sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes(), a -> a.values().stream().allMatch("0"::equals));
            assertThat(left.values()).containsOnly("0");
        }
    }

    /**
     * Poison messages: on a copy of the template whose LTV queue retries after 1 second, a
     * malformed event and one of an unknown schema version land in the DLQ after 5 receives,
     * while a good event of the same batch is applied.
     */
    @Test
    void malformedEventsGoToTheDeadLetterQueueWithoutBlockingTheirBatch() throws Exception {
        Path template = TestCloud.withFastRetries("LtvEventsQueue");
        try (var fast = LocalCloud.start(LocalCloud.Options.inMemory(template)); var sqs = EventInbox.sqs(fast)) {
            var fastApi = new Api(fast.apiUrl(), fast.token(tenant, "alice"));
            String id = fastApi.post("/customers", """
                    {"firstName": "Po", "lastName": "Son", "email": "po@example.com", "phone": "+14155550178"}""")
                    .json().path("id").asText();
            String good = """
                    {"id": "evt_01KB0000000000000000000002", "type": "payment.succeeded", "schemaVersion": 1, "tenantId": "%s",
                     "customerId": "%s", "paymentId": "pay_01KB0000000000000000000002", "refundId": null, "amount": 4000,
                     "currency": "USD", "occurredAt": "2026-11-23T10:00:00Z", "storeId": null, "terminalId": null,
                     "receiptId": null, "failureCode": null}""".formatted(tenant, id);
            String url = fast.resources().get("LtvEventsQueue");
            sqs.sendMessageBatch(r -> r.queueUrl(url).entries(
                    e -> e.id("bad").messageBody("{not json"),
                    e -> e.id("future").messageBody(good.replace("\"schemaVersion\": 1", "\"schemaVersion\": 2")
                            .replace("0000000002\", \"type", "0000000003\", \"type")),
                    e -> e.id("good").messageBody(good)));
            var stats = Eventually.get(() -> fastApi.get("/customers/" + id).json().path("stats"), s -> s.path("orders").asLong() == 1);
            assertThat(stats.path("ltv").path("amount").asLong()).isEqualTo(4_000);
            String dlq = fast.resources().get("LtvEventsDlq");
            var parked = Eventually.get(() -> Integer.parseInt(sqs.getQueueAttributes(r -> r.queueUrl(dlq)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)), n -> n == 2);
            assertThat(parked).isEqualTo(2);
        } finally {
            Files.deleteIfExists(template);
        }
    }
}
