package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.clientele.payments.OutboxRelayHandler;
import com.clientele.payments.PaymentsHandler;
import com.clientele.shared.Components;
import com.clientele.shared.Json;
import com.clientele.shared.events.EventQueues;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * No payment event is lost when the function dies between its DynamoDB commit and its SQS send:
 * the send is killed, the charge still stands, and the outbox relay delivers the event after.
 */
class OutboxRelayTest {

    @Test
    void anEventWhoseSendDiedIsDeliveredByTheRelay() throws Exception {
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
            public void send(String eventId, String eventType, String json, String correlationId) {
                throw new IllegalStateException("the function died between its commit and its send");
            }
        };
        var payments = new PaymentsHandler(Components.from(cloud.environment("PaymentsFunction")).with(EventQueues.class, killedSend));
        String path = "/customers/" + customerId + "/charges";
        String requestId = "relay-" + tenant;
        var response = payments.handleRequest(APIGatewayV2HTTPEvent.builder().withVersion("2.0")
                .withRouteKey("POST /customers/{id}/charges").withRawPath(path).withPathParameters(Map.of("id", customerId))
                .withHeaders(Map.of("Idempotency-Key", UUID.randomUUID().toString(), "Content-Type", "application/json"))
                .withBody("{\"amount\": {\"amount\": 8900, \"currency\": \"USD\"}}").withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId(requestId)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath(path).build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(Map.of("tenant_id", tenant, "sub", "alice", "scope", "payments:charge")).build()).build())
                        .build())
                .build(), null);
        assertThat(response.getStatusCode()).isEqualTo(201);
        String paymentId = Json.MAPPER.readTree(response.getBody()).path("id").asText();

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
        // the relayed event went with the correlation id of the request that wrote it: its consumers log it
        // (the relay ran here without a Lambda context, so its line names no function)
        assertThat(CorrelationTest.line(requestId, null, "event relayed").path("event_type").asText())
                .isEqualTo("payment.succeeded");
        assertThat(CorrelationTest.line(requestId, "LtvAggregatorFunction", "message").path("tenant").asText()).isEqualTo(tenant);
        assertThat(CorrelationTest.line(requestId, "PointsAccrualFunction", "message").path("tenant").asText()).isEqualTo(tenant);
    }

    /** The customer's payment events waiting in the outbox (its own customer.created may wait there too, for the scheduled relay). */
    private static int outboxItems(com.clientele.local.LocalCloud cloud, String tenant, String customerId) {
        try (var dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            return dynamo.query(r -> r.tableName(cloud.resources().get("Table"))
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :outbox)")
                    .filterExpression("begins_with(eventType, :payment)")
                    .expressionAttributeValues(Map.of(
                            ":pk", AttributeValue.fromS("T#" + tenant + "#C#" + customerId),
                            ":outbox", AttributeValue.fromS("OUTBOX#"), ":payment", AttributeValue.fromS("payment.")))).count();
        }
    }

    @Test
    void theRelayIsOnTheLocalCloudsSchedule() {
        var result = TestCloud.embedded().runSchedule("OutboxRelayFunction");
        assertThat(result).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) result).get("sent")).isInstanceOf(Integer.class);
    }
}
