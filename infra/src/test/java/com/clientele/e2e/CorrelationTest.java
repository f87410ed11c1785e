package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * The structured log end to end: a request's correlation id (the caller's {@code X-Correlation-Id},
 * else the request id) comes back in the response, and the log lines of the request, of the payment
 * event on each consumer's queue (LTV aggregator, points accrual) and of an export's job steps carry it.
 */
class CorrelationTest {

    private final com.clientele.local.LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    @Test
    void aChargesCorrelationIdIsOnTheLinesOfTheRequestAndOfEachConsumer() {
        String customerId = api.post("/customers", """
                {"firstName": "Mary", "lastName": "Somerville", "email": "mary.somerville@example.com", "phone": "+14155550177"}""")
                .json().path("id").asText();
        String card = api.post("/customers/" + customerId + "/payment-methods", PaymentsApiContract.card("4242424242424242"))
                .json().path("id").asText();
        String correlation = "order-" + UUID.randomUUID();
        var charge = api.send("POST", "/customers/" + customerId + "/charges", PaymentsApiContract.charge(1500, "USD", card),
                "Idempotency-Key", UUID.randomUUID().toString(), "X-Correlation-Id", correlation);
        assertThat(charge.status()).as(charge.text()).isEqualTo(201);
        assertThat(charge.header("X-Correlation-Id")).isEqualTo(correlation);

        var request = line(correlation, "PaymentsFunction", "request");
        assertThat(request.path("level").asText()).isEqualTo("INFO");
        assertThat(request.path("route_key").asText()).isEqualTo("POST /customers/{id}/charges");
        assertThat(request.path("tenant").asText()).isEqualTo(tenant);
        assertThat(request.path("status").asInt()).isEqualTo(201);
        assertThat(request.path("request_id").asText()).isNotBlank();
        assertThat(request.path("latency_ms").isIntegralNumber()).isTrue();
        assertThat(request.path("cold_start").isBoolean()).isTrue();
        assertThat(request.path("function_version").asText()).isEqualTo("$LATEST");

        for (String consumer : List.of("LtvAggregatorFunction", "PointsAccrualFunction")) {
            var message = line(correlation, consumer, "message");
            assertThat(message.path("outcome").asText()).as(consumer).isEqualTo("ok");
            assertThat(message.path("event_type").asText()).as(consumer).isEqualTo("payment.succeeded");
            assertThat(message.path("event_id").asText()).as(consumer).startsWith("evt_");
            assertThat(message.path("tenant").asText()).as(consumer).isEqualTo(tenant);
            assertThat(message.path("queue").asText()).as(consumer).isNotBlank();
            assertThat(message.path("message_id").asText()).as(consumer).isNotBlank();
            assertThat(message.path("duration_ms").isIntegralNumber()).as(consumer).isTrue();
        }
    }

    @Test
    void aMalformedCorrelationIdIsReplacedByTheRequestId() {
        String sent = "not a valid id; " + "x".repeat(200);
        var reply = api.send("GET", "/customers/cus_01JAAAAAAAAAAAAAAAAAAAAAAA", null, "X-Correlation-Id", sent);
        assertThat(reply.status()).isEqualTo(404);
        String correlation = reply.header("X-Correlation-Id");
        assertThat(correlation).isNotBlank().isNotEqualTo(sent);
        var request = line(correlation, "CustomersFunction", "request");
        assertThat(request.path("request_id").asText()).isEqualTo(correlation);
        assertThat(request.path("status").asInt()).isEqualTo(404);
        assertThat(request.path("code").asText()).isEqualTo("resource_missing");
    }

    @Test
    void anExportsJobStepsCarryTheCorrelationIdOfTheRequestThatStartedIt() {
        api.post("/customers", """
                {"firstName": "Emmy", "lastName": "Noether", "email": "emmy.noether@example.com", "phone": "+14155550178"}""");
        String correlation = "export-" + UUID.randomUUID();
        var started = api.send("POST", "/exports/customers", null, "X-Correlation-Id", correlation);
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        String exportId = started.json().path("id").asText();

        var step = line(correlation, "ExportWorkerFunction", "job step");
        assertThat(step.path("job").asText()).isEqualTo("export");
        assertThat(step.path("job_id").asText()).isEqualTo(exportId);
        assertThat(step.path("tenant").asText()).isEqualTo(tenant);
        assertThat(step.path("step").isIntegralNumber()).isTrue();
        assertThat(step.path("items").isIntegralNumber()).isTrue();
        assertThat(step.path("duration_ms").isIntegralNumber()).isTrue();
        assertThat(step.path("outcome").asText()).isEqualTo("ok");
    }

    /**
     * The first log line of {@code function} (null: of any) named {@code message} under {@code correlation}
     * (waits for it).
     */
    static JsonNode line(String correlation, String function, String message) {
        var found = Eventually.get(() -> SuiteOutput.logLines().stream()
                .filter(l -> correlation.equals(l.path("correlation_id").asText()))
                .filter(l -> function == null || function.equals(l.path("function_name").asText()))
                .filter(l -> message.equals(l.path("message").asText()))
                .findFirst().orElse(null), l -> l != null, Duration.ofSeconds(60));
        assertThat(found).as(message + " line of " + function + " under " + correlation).isNotNull();
        return found;
    }
}
