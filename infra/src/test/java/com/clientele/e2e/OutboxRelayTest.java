package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.payments.Payment;
import com.clientele.payments.OutboxRelayHandler;
import com.clientele.payments.PaymentsHandler;
import com.clientele.shared.Env;
import com.clientele.shared.events.EventQueues;
import com.clientele.shared.http.ApiRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * No payment event is lost when the function dies between its DynamoDB commit and its SQS send:
 * the send is killed, the charge still stands, and the outbox relay delivers the event after.
 */
class OutboxRelayTest {

    @Test
    void anEventWhoseSendDiedIsDeliveredByTheRelay() {
        var cloud = TestCloud.embedded();
        String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        var api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
        String customerId = api.post("/customers", """
                {"firstName": "Ada", "lastName": "Byron", "email": "ada@example.com", "phone": "+14155550111"}""")
                .json().path("id").asText();
        assertThat(api.post("/customers/" + customerId + "/payment-methods", PaymentsApiContract.card("4242424242424242"))
                .status()).isEqualTo(201);

        var killedSend = new EventQueues(null, List.of()) {
            @Override
            public void send(String eventId, String eventType, String json) {
                throw new IllegalStateException("the function died between its commit and its send");
            }
        };
        var service = PaymentsHandler.service(new Env(cloud.environment("PaymentsFunction")), killedSend);
        var headers = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Idempotency-Key", UUID.randomUUID().toString());
        headers.put("Content-Type", "application/json");
        var response = service.charge(tenant, customerId, new ApiRequest("POST /customers/{id}/charges", "POST",
                "/customers/" + customerId + "/charges", Map.of("id", customerId), Map.of(), headers,
                "{\"amount\": {\"amount\": 8900, \"currency\": \"USD\"}}", tenant, "alice", "request-1",
                Set.of("payments:charge")));
        assertThat(response.status()).isEqualTo(201);
        String paymentId = ((Payment) response.body()).id();

        assertThat(api.get("/payments/" + paymentId).json().path("status").asText()).isEqualTo("succeeded");
        assertThat(EventInbox.events(cloud, TestCloud.EVENTS_TAP, tenant)).isEmpty();
        assertThat(outboxItems(cloud, tenant, customerId)).isEqualTo(1);

        var environment = new HashMap<>(cloud.environment("OutboxRelayFunction"));
        environment.put("OUTBOX_GRACE_SECONDS", "0");
        var sent = new OutboxRelayHandler(environment).handleRequest(Map.of(), null);
        assertThat((Integer) sent.get("sent")).isGreaterThanOrEqualTo(1);

        for (String queue : EventInbox.QUEUES) {
            var events = EventInbox.await(cloud, queue, tenant, e -> !e.isEmpty());
            assertThat(events).hasSize(1);
            assertThat(events.get(0).path("type").asText()).isEqualTo("payment.succeeded");
            assertThat(events.get(0).path("paymentId").asText()).isEqualTo(paymentId);
        }
        assertThat(outboxItems(cloud, tenant, customerId)).isZero();
        // and each consumer got it on its own queue: the LTV aggregator's stats and the points accrual's lot show it
        assertThat(Eventually.get(() -> api.get("/customers/" + customerId).json().path("stats"),
                stats -> stats.path("orders").asLong() == 1).path("ltv").path("amount").asLong()).isEqualTo(8900);
        var statement = Eventually.get(() -> api.get("/customers/" + customerId + "/points/statement").json().path("data"),
                rows -> rows.size() == 1);
        assertThat(statement.get(0).path("type").asText()).isEqualTo("EARN");
        assertThat(statement.get(0).path("transactionId").asText()).isEqualTo(paymentId);
        assertThat(statement.get(0).path("points").asLong()).isEqualTo(89);
    }

    private static int outboxItems(com.clientele.local.LocalCloud cloud, String tenant, String customerId) {
        try (var dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            return dynamo.query(r -> r.tableName(cloud.resources().get("Table"))
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :outbox)")
                    .expressionAttributeValues(Map.of(
                            ":pk", AttributeValue.fromS("T#" + tenant + "#C#" + customerId),
                            ":outbox", AttributeValue.fromS("OUTBOX#")))).count();
        }
    }

    @Test
    void theRelayIsOnTheLocalCloudsSchedule() {
        var result = TestCloud.embedded().runSchedule("OutboxRelayFunction");
        assertThat(result).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) result).get("sent")).isInstanceOf(Integer.class);
    }
}
