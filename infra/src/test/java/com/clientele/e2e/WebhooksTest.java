package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.clientele.shared.Json;
import com.clientele.webhooks.WebhookItems;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Webhooks end to end, to real HTTP receivers this test runs (on loopback: the cloud runs a copy of the
 * template with the local flag that allows it, a 1 s timeout, and every retry through the sweep, so that
 * moving the cloud's clock brings retries days ahead). Charges are made through the API; their events go
 * through the outbox and the fan-out to the webhook function. The receivers answer 500, time out or are
 * down as each test scripts; each signature is checked as a receiver would, with the secret shown once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhooksTest {

    private static LocalCloud cloud;
    private static CloudClock clock;

    @BeforeAll
    static void start() throws Exception {
        String template = Files.readString(TestCloud.template());
        for (String setting : List.of("WEBHOOK_ALLOW_LOOPBACK: \"false\"", "WEBHOOK_TIMEOUT_SECONDS: \"10\"",
                "WEBHOOK_MAX_QUEUE_DELAY_SECONDS: \"900\"")) {
            assertThat(template).as("the template's webhook settings this test changes").contains(setting);
        }
        template = template.replace("WEBHOOK_ALLOW_LOOPBACK: \"false\"", "WEBHOOK_ALLOW_LOOPBACK: \"true\"")
                .replace("WEBHOOK_TIMEOUT_SECONDS: \"10\"", "WEBHOOK_TIMEOUT_SECONDS: \"1\"")
                .replace("WEBHOOK_MAX_QUEUE_DELAY_SECONDS: \"900\"", "WEBHOOK_MAX_QUEUE_DELAY_SECONDS: \"0\"");
        Path copy = Files.createTempFile("template-webhooks", ".yaml");
        copy.toFile().deleteOnExit();
        Files.writeString(copy, template);
        cloud = LocalCloud.start(LocalCloud.Options.inMemory(copy));
        clock = new CloudClock(cloud.apiUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    @Order(1)
    void aChargeArrivesSignedOnceAtItsTenantsEndpointOnlyAndIsInTheEventsAndTheLog() throws Exception {
        try (var receiverA = new Receiver(request -> 200); var receiverB = new Receiver(request -> 204)) {
            var a = new Tenant();
            var b = new Tenant();
            var endpointA = a.endpoint(receiverA.url(), "[\"payment.succeeded\"]");
            var endpointB = b.endpoint(receiverB.url(), "[\"*\"]");
            // an endpoint of A for other events only: it gets nothing of a charge
            var invoicesOnly = a.endpoint(receiverA.url() + "invoices", "[\"invoice.paid\"]");

            String paymentA = a.charge(8_900);
            var received = Eventually.get(receiverA::requests, r -> !r.isEmpty());
            assertThat(received).hasSize(1);
            var request = received.get(0);
            JsonNode body = Json.MAPPER.readTree(request.body());
            assertThat(body.path("type").asText()).isEqualTo("payment.succeeded");
            assertThat(body.path("tenantId").asText()).isEqualTo(a.id);
            assertThat(body.path("data").path("object").path("object").asText()).isEqualTo("payment");
            assertThat(body.path("data").path("object").path("paymentId").asText()).isEqualTo(paymentA);
            assertThat(body.path("data").path("object").path("amount").asLong()).isEqualTo(8_900);
            assertThat(body.path("data").path("object").has("cardFingerprint")).isFalse();
            assertThat(request.header("Clientele-Event-Id")).isEqualTo(body.path("id").asText());
            assertThat(verifies(request, endpointA.path("secret").asText())).isTrue();
            assertThat(verifies(request, endpointB.path("secret").asText())).isFalse();
            // as the README tells a receiver to check it (this test runs first: the cloud's clock is still the real one)
            var readme = ReadmeWebhookCheck.load();
            String header = request.header("Clientele-Signature");
            assertThat(readme.verifies(header, request.body(), endpointA.path("secret").asText())).isTrue();
            assertThat(readme.verifies(header, request.body(), endpointB.path("secret").asText())).isFalse();
            assertThat(readme.verifies(header, request.body() + " ", endpointA.path("secret").asText())).isFalse();
            assertThat(readme.shellSignature(header.substring(2, header.indexOf(',')), request.body(), endpointA.path("secret").asText()))
                    .satisfiesAnyOf(s -> assertThat(s).isNull(), s -> assertThat(header).endsWith(",v1=" + s));

            // the event, as it was sent, is there to catch up with; by type and by object
            var event = a.api.get("/events/" + body.path("id").asText());
            assertThat(event.status()).isEqualTo(200);
            assertThat(event.json()).isEqualTo(body);
            assertThat(a.api.get("/events?objectId=" + paymentA).json().path("data")).singleElement()
                    .satisfies(e -> assertThat(e.path("id").asText()).isEqualTo(body.path("id").asText()));
            assertThat(a.api.get("/events?type=invoice.paid").json().path("data")).isEmpty();
            assertThat(b.api.get("/events/" + body.path("id").asText()).status()).isEqualTo(404);

            var log = Eventually.get(() -> a.deliveries(endpointA), d -> d.size() == 1 && "delivered".equals(d.get(0).path("status").asText()));
            assertThat(log).singleElement().satisfies(d -> {
                assertThat(d.path("attempts").asInt()).isEqualTo(1);
                assertThat(d.path("responseCode").asInt()).isEqualTo(200);
                assertThat(d.path("latencyMs").isIntegralNumber()).isTrue();
                assertThat(d.path("nextAttemptAt").isNull()).isTrue();
            });
            assertThat(a.deliveries(invoicesOnly)).isEmpty();

            // B's charge goes to B's receiver only
            String paymentB = b.charge(1_200);
            var atB = Eventually.get(receiverB::requests, r -> !r.isEmpty());
            assertThat(Json.MAPPER.readTree(atB.get(0).body()).path("data").path("object").path("paymentId").asText()).isEqualTo(paymentB);
            assertThat(verifies(atB.get(0), endpointB.path("secret").asText())).isTrue();
            Thread.sleep(500);
            assertThat(receiverA.requests()).hasSize(1);
            assertThat(receiverB.requests()).hasSize(1);

            // the secret is never shown again
            assertThat(a.api.get("/webhook-endpoints/" + endpointA.path("id").asText()).text()).doesNotContain("whsec_");
            assertThat(a.api.get("/webhook-endpoints").text()).doesNotContain("whsec_");
        }
    }

    @Test
    void failuresAreRetriedUntilDeliveredAndNothingIsLost() throws Exception {
        // per event: the first attempt gets a 500, the second times out (the cloud's timeout is 1 s), the third a 200
        var seen = new ConcurrentHashMap<String, AtomicInteger>();
        try (var receiver = new Receiver(request -> switch (seen.computeIfAbsent(request.header("Clientele-Event-Id"),
                id -> new AtomicInteger()).incrementAndGet()) {
            case 1 -> 500;
            case 2 -> -1;
            default -> 200;
        })) {
            var tenant = new Tenant();
            var endpoint = tenant.endpoint(receiver.url(), "[\"payment.succeeded\", \"payment.refunded\"]");
            // rolled with an overlap: both secrets sign every attempt
            var rolled = tenant.api.post("/webhook-endpoints/" + endpoint.path("id").asText() + "/roll-secret", "{\"overlapHours\": 24}");
            assertThat(rolled.status()).as(rolled.toString()).isEqualTo(200);
            String secret = rolled.json().path("secret").asText();
            SensitiveValues.register(secret);
            assertThat(secret).isNotEqualTo(endpoint.path("secret").asText());

            var payments = new ArrayList<String>();
            for (int i = 0; i < 3; i++) {
                payments.add(tenant.charge(1_000 + i));
            }
            // (an attempt is claimed before it is sent: its outcome is there once the error is)
            Eventually.get(() -> tenant.deliveries(endpoint), d -> d.size() == 3 && d.stream().allMatch(x -> x.path("attempts").asInt() == 1
                    && "pending".equals(x.path("status").asText()) && x.path("error").isTextual()));
            assertThat(tenant.deliveries(endpoint)).allSatisfy(d -> {
                assertThat(d.path("responseCode").asInt()).isEqualTo(500);
                assertThat(d.path("error").asText()).isEqualTo("http_500");
                assertThat(d.path("nextAttemptAt").isTextual()).isTrue();
            });

            // the retry waits (30 to 60 s after the first attempt) are in the due shards: the sweep wakes them once due
            assertThat(cloud.runSchedule("WebhookRetryFunction")).isEqualTo(Map.of("woken", 0));
            clock.advance("PT2M");
            assertThat(cloud.runSchedule("WebhookRetryFunction")).isEqualTo(Map.of("woken", 3));
            Eventually.get(() -> tenant.deliveries(endpoint), d -> d.stream().allMatch(x -> x.path("attempts").asInt() == 2
                    && x.path("error").asText().equals("timeout")), Duration.ofSeconds(30));
            clock.advance("PT10M");
            assertThat(cloud.runSchedule("WebhookRetryFunction")).isEqualTo(Map.of("woken", 3));
            var log = Eventually.get(() -> tenant.deliveries(endpoint), d -> d.stream().allMatch(x -> "delivered".equals(x.path("status").asText())),
                    Duration.ofSeconds(30));
            assertThat(log).hasSize(3).allSatisfy(d -> {
                assertThat(d.path("attempts").asInt()).isEqualTo(3);
                assertThat(d.path("responseCode").asInt()).isEqualTo(200);
                assertThat(d.path("error").isNull()).isTrue();
            });

            // every event arrived (three times each, the same id and body), every attempt signed by both secrets
            var requests = receiver.requests();
            assertThat(requests).hasSize(9);
            var received = requests.stream().map(r -> read(r.body()).path("data").path("object").path("paymentId").asText()).distinct().toList();
            assertThat(received).containsExactlyInAnyOrderElementsOf(payments);
            for (var request : requests) {
                assertThat(request.header("Clientele-Signature")).matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
                assertThat(verifies(request, secret)).isTrue();
                assertThat(verifies(request, endpoint.path("secret").asText())).isTrue();
            }
            // nothing more is due
            assertThat(cloud.runSchedule("WebhookRetryFunction")).isEqualTo(Map.of("woken", 0));

            // a resend of a delivered event: once more, now
            String eventId = log.get(0).path("eventId").asText();
            var resent = tenant.api.post("/events/" + eventId + "/resend", "{\"endpointId\": \"" + endpoint.path("id").asText() + "\"}");
            assertThat(resent.status()).as(resent.toString()).isEqualTo(202);
            assertThat(resent.json().path("status").asText()).isEqualTo("pending");
            Eventually.get(receiver::requests, r -> r.size() == 10);
            assertThat(receiver.requests().get(9).header("Clientele-Event-Id")).isEqualTo(eventId);
        }
    }

    @Test
    void aReceiverDownForDaysFailsItsDeliveryAfterThreeDaysAndTheEndpointIsDisabledAfterFive() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (var witness = new Receiver(request -> 200)) {
            var tenant = new Tenant();
            var down = tenant.endpoint("http://127.0.0.1:" + closedPort + "/hooks", "[\"payment.succeeded\"]");
            var other = tenant.endpoint(witness.url(), "[\"webhook_endpoint.disabled\"]");
            tenant.charge(500);
            var first = Eventually.get(() -> tenant.deliveries(down), d -> d.size() == 1 && d.get(0).path("attempts").asInt() == 1
                    && d.get(0).path("error").isTextual());
            assertThat(first.get(0).path("error").asText()).isEqualTo("connection_refused");
            assertThat(tenant.api.get("/webhook-endpoints/" + down.path("id").asText()).json().path("failingSince").isTextual()).isTrue();

            // every 12 hours of the clock, the sweep wakes whatever came due; after 3 days the delivery has failed
            JsonNode delivery = first.get(0);
            for (int i = 0; i < 10 && !"failed".equals(delivery.path("status").asText()); i++) {
                int attempts = delivery.path("attempts").asInt();
                String due = delivery.path("nextAttemptAt").asText();
                clock.advance("PT12H1M");
                cloud.runSchedule("WebhookRetryFunction");
                // the attempt's outcome, not its claim: a new wake-up time, or failed
                delivery = Eventually.get(() -> tenant.deliveries(down).get(0), d -> d.path("attempts").asInt() > attempts
                        && !d.path("nextAttemptAt").asText().equals(due) || "failed".equals(d.path("status").asText()));
            }
            assertThat(delivery.path("status").asText()).isEqualTo("failed");
            assertThat(delivery.path("attempts").asInt()).isBetween(6, 12);
            assertThat(delivery.path("nextAttemptAt").isNull()).isTrue();
            assertThat(tenant.api.get("/webhook-endpoints/" + down.path("id").asText()).json().path("status").asText()).isEqualTo("enabled");

            // five days after its first failure, a failed attempt disables it, and the other endpoint hears of it
            clock.advance("P2D");
            tenant.charge(600);
            var endpoint = Eventually.get(() -> tenant.api.get("/webhook-endpoints/" + down.path("id").asText()).json(),
                    e -> "disabled".equals(e.path("status").asText()));
            assertThat(endpoint.path("status").asText()).isEqualTo("disabled");
            assertThat(endpoint.path("disabledReason").asText()).isEqualTo("failing");
            var notice = Eventually.get(witness::requests, r -> !r.isEmpty());
            JsonNode body = read(notice.get(0).body());
            assertThat(body.path("type").asText()).isEqualTo("webhook_endpoint.disabled");
            assertThat(body.path("data").path("object").path("id").asText()).isEqualTo(down.path("id").asText());
            assertThat(verifies(notice.get(0), other.path("secret").asText())).isTrue();
            assertThat(tenant.api.get("/events?type=webhook_endpoint.disabled").json().path("data")).hasSize(1);

            // as if the function had died between the disabling and its event: the next wake-up of a delivery of the
            // disabled endpoint announces it again, under the same id, and the other endpoint does not hear it twice
            String eventId = body.path("id").asText();
            try (var dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
                dynamo.deleteItem(r -> r.tableName(cloud.resources().get("Table")).key(Map.of(
                        "PK", AttributeValue.fromS(WebhookItems.events(tenant.id)), "SK", AttributeValue.fromS(WebhookItems.event(eventId)))));
            }
            assertThat(tenant.api.get("/events/" + eventId).status()).isEqualTo(404);
            clock.advance("PT12H1M");
            cloud.runSchedule("WebhookRetryFunction");
            var again = Eventually.get(() -> tenant.api.get("/events/" + eventId), r -> r.status() == 200);
            assertThat(again.json().path("type").asText()).isEqualTo("webhook_endpoint.disabled");
            assertThat(tenant.deliveries(down)).allSatisfy(d -> assertThat(d.path("status").asText()).isEqualTo("failed"));
            assertThat(witness.requests()).hasSize(1);

            // a resend to a disabled endpoint is refused
            var refused = tenant.api.post("/events/" + body.path("id").asText() + "/resend", "{\"endpointId\": \"" + down.path("id").asText() + "\"}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().path("code").asText()).isEqualTo("endpoint_disabled");
        }
    }

    @Test
    void customerPointsAndExportEventsArriveAtTheirTenantsEndpointOnly() throws Exception {
        try (var receiver = new Receiver(request -> 200); var otherTenants = new Receiver(request -> 200)) {
            var a = new Tenant();
            var b = new Tenant();
            var endpoint = a.endpoint(receiver.url(), """
                    ["customer.created", "customer.updated", "customer.deleted", "points.earned", "points.redeemed", "export.ready"]""");
            b.endpoint(otherTenants.url(), "[\"*\"]");
            assertThat(a.api.send("PUT", "/loyalty/settings", """
                    {"pointsPerUnit": 1, "rounding": "DOWN", "lotLifetimeMonths": 12, "referrerBonus": 0,
                     "refereeBonus": 0, "otpRequired": false, "pointValue": {"amount": 5, "currency": "USD"}}""").status()).isEqualTo(200);

            String payment = a.charge(10_000);
            String customer = a.customer;
            Eventually.get(() -> a.api.get("/customers/" + customer + "/points").json(), p -> p.path("available").asLong() == 100);
            var renamed = a.api.patch("/customers/" + customer, "{\"firstName\": \"Hilda\"}", a.api.get("/customers/" + customer).header("ETag"));
            assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
            var redeemed = a.api.send("POST", "/customers/" + customer + "/points/redemptions", "{\"points\": 30, \"reason\": \"coffee\"}",
                    "Idempotency-Key", UUID.randomUUID().toString());
            assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(201);
            String gone = a.api.post("/customers", CustomersApiContract.person("Gone", "Soon", a.id + ".gone@example.com", "+14155550101"))
                    .json().path("id").asText();
            assertThat(a.api.delete("/customers/" + gone).status()).isEqualTo(204);
            var export = a.api.post("/exports/customers", "{\"columns\": [\"id\", \"email\"]}");
            assertThat(export.status()).as(export.toString()).isEqualTo(202);
            String exportId = export.json().path("id").asText();
            Eventually.get(() -> a.api.get("/exports/" + exportId).json(), e -> "succeeded".equals(e.path("status").asText()), Duration.ofSeconds(60));

            // the events wait in the outbox beside what they report until the relay sends them
            clock.advance("PT1M");
            cloud.runSchedule("OutboxRelayFunction");
            var types = List.of("customer.created", "customer.updated", "customer.deleted", "points.earned", "points.redeemed", "export.ready");
            // every type, and both customers created: the endpoint's deliveries may arrive in any order
            var received = Eventually.get(() -> receiver.requests().stream().map(r -> read(r.body())).toList(),
                    events -> events.stream().map(e -> e.path("type").asText()).collect(java.util.stream.Collectors.toSet()).containsAll(types)
                            && events.stream().filter(e -> e.path("type").asText().equals("customer.created")).count() >= 2,
                    Duration.ofSeconds(30));
            Map<String, List<JsonNode>> byType = received.stream().collect(java.util.stream.Collectors.groupingBy(e -> e.path("type").asText()));
            assertThat(byType.keySet()).containsExactlyInAnyOrderElementsOf(types);
            for (var request : receiver.requests()) {
                assertThat(verifies(request, endpoint.path("secret").asText())).isTrue();
            }

            assertThat(byType.get("customer.created")).hasSize(2).anySatisfy(e -> {
                assertThat(e.path("data").path("object").path("object").asText()).isEqualTo("customer");
                assertThat(e.path("data").path("object").path("id").asText()).isEqualTo(customer);
                assertThat(e.path("data").path("object").path("firstName").asText()).isEqualTo("Hook");
                assertThat(e.path("data").has("previous")).isFalse();
            });
            assertThat(byType.get("customer.updated")).singleElement().satisfies(e -> {
                assertThat(e.path("data").path("object").path("id").asText()).isEqualTo(customer);
                assertThat(e.path("data").path("object").path("firstName").asText()).isEqualTo("Hilda");
                assertThat(e.path("data").path("previous")).isEqualTo(Json.MAPPER.readTree("{\"firstName\": \"Hook\"}"));
            });
            assertThat(byType.get("customer.deleted")).singleElement().satisfies(e ->
                    assertThat(e.path("data").path("object")).isEqualTo(Json.MAPPER.readTree("{\"object\": \"customer\", \"id\": \"" + gone + "\"}")));
            assertThat(byType.get("points.earned")).singleElement().satisfies(e -> {
                var object = e.path("data").path("object");
                assertThat(object.path("object").asText()).isEqualTo("points");
                assertThat(object.path("customerId").asText()).isEqualTo(customer);
                assertThat(object.path("points").asLong()).isEqualTo(100);
                assertThat(object.path("balance").asLong()).isEqualTo(100);
                assertThat(object.path("entryId").asText()).isEqualTo(payment);
                assertThat(object.path("lotIds")).hasSize(1);
            });
            assertThat(byType.get("points.redeemed")).singleElement().satisfies(e -> {
                assertThat(e.path("data").path("object").path("points").asLong()).isEqualTo(30);
                assertThat(e.path("data").path("object").path("balance").asLong()).isEqualTo(70);
            });
            assertThat(byType.get("export.ready")).singleElement().satisfies(e -> {
                assertThat(e.path("data").path("object")).isEqualTo(Json.MAPPER.readTree(
                        "{\"object\": \"export\", \"exportId\": \"" + exportId + "\", \"status\": \"succeeded\"}"));
                assertThat(e.toString()).doesNotContain("http");
            });
            // caught up by object, too
            assertThat(a.api.get("/events?objectId=" + customer).json().path("data").findValuesAsText("type"))
                    .contains("customer.created", "customer.updated", "points.earned", "points.redeemed");
            // another tenant's endpoint, taking every type, heard nothing of it
            Thread.sleep(500);
            assertThat(otherTenants.requests()).isEmpty();
        }
    }

    @Test
    void anErasureLeavesNoPersonalDataInTheStoredEvents() throws Exception {
        try (var receiver = new Receiver(request -> 200)) {
            var tenant = new Tenant();
            tenant.endpoint(receiver.url(), "[\"*\"]");
            String id = tenant.api.post("/customers", CustomersApiContract.person("Greta", "Privat", tenant.id + ".greta@example.com",
                    "+14155550102")).json().path("id").asText();
            var patched = tenant.api.patch("/customers/" + id, "{\"lastName\": \"Geheim\"}", tenant.api.get("/customers/" + id).header("ETag"));
            assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
            clock.advance("PT1M");
            cloud.runSchedule("OutboxRelayFunction");
            var stored = Eventually.get(() -> tenant.api.get("/events?objectId=" + id).json().path("data"), d -> d.size() == 2);
            assertThat(stored.toString()).contains("Greta", "Privat", "Geheim", tenant.id + ".greta@example.com");

            assertThat(tenant.api.post("/customers/" + id + "/erase", null).status()).isEqualTo(200);
            clock.advance("PT1M");
            cloud.runSchedule("OutboxRelayFunction");
            var after = Eventually.get(() -> tenant.api.get("/events?objectId=" + id).json().path("data"),
                    d -> d.size() == 3 && !d.toString().contains("Greta"));
            assertThat(after.findValuesAsText("type")).containsExactlyInAnyOrder("customer.created", "customer.updated", "customer.erased");
            for (var event : after) {
                assertThat(event.path("data").path("object")).isEqualTo(Json.MAPPER.readTree("{\"object\": \"customer\", \"id\": \"" + id + "\"}"));
                assertThat(event.path("data").has("previous")).isFalse();
                assertThat(tenant.api.get("/events/" + event.path("id").asText()).json()).isEqualTo(event);
            }
            assertThat(after.toString()).doesNotContain("Privat", "Geheim", "greta", "4155550102");
        }
    }

    @Test
    void endpointsAreValidatedAndChangedUnderIfMatch() {
        var tenant = new Tenant();
        var bad = tenant.api.post("/webhook-endpoints", "{\"url\": \"ftp://example.com/x\", \"events\": [\"payment.nothing\"]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").findValuesAsText("field")).contains("url", "events[0]");
        var created = tenant.endpoint("https://hooks.example.com/a", "[\"*\"]");
        String path = "/webhook-endpoints/" + created.path("id").asText();
        assertThat(tenant.api.patch(path, "{\"status\": \"disabled\"}", null).status()).isEqualTo(428);
        var disabled = tenant.api.patch(path, "{\"status\": \"disabled\"}", "\"1\"");
        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
        assertThat(disabled.json().path("disabledReason").asText()).isEqualTo("by_request");
        assertThat(tenant.api.patch(path, "{\"status\": \"enabled\"}", "\"1\"").status()).isEqualTo(412);
        assertThat(tenant.api.delete(path).status()).isEqualTo(204);
        assertThat(tenant.api.get(path).status()).isEqualTo(404);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static JsonNode read(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** As a receiver checks: some v1 of the header is the HMAC-SHA256 of "t.body" under the secret. */
    static boolean verifies(Receiver.Request request, String secret) throws Exception {
        String header = request.header("Clientele-Signature");
        String t = null;
        var signatures = new ArrayList<String>();
        for (String part : header.split(",")) {
            if (part.startsWith("t=")) {
                t = part.substring(2);
            } else if (part.startsWith("v1=")) {
                signatures.add(part.substring(3));
            }
        }
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + request.body()).getBytes(StandardCharsets.UTF_8)));
        return signatures.stream().anyMatch(s -> java.security.MessageDigest.isEqual(s.getBytes(StandardCharsets.US_ASCII),
                expected.getBytes(StandardCharsets.US_ASCII)));
    }


    /** A tenant of its own, with a customer and a card to charge. */
    private static final class Tenant {

        final String id = "wh" + UUID.randomUUID().toString().substring(0, 8);
        final Api api = new Api(cloud.apiUrl(), cloud.token(id, "ops"));
        private String customer;

        JsonNode endpoint(String url, String events) {
            var reply = api.post("/webhook-endpoints", "{\"url\": \"" + url + "\", \"events\": " + events + ", \"description\": \"test\"}");
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
            assertThat(reply.json().path("secret").asText()).startsWith("whsec_");
            SensitiveValues.register(reply.json().path("secret").asText());
            return reply.json();
        }

        String charge(long amount) {
            if (customer == null) {
                customer = api.post("/customers", CustomersApiContract.person("Hook", "Receiver", id + "@example.com", "+14155550100"))
                        .json().path("id").asText();
                assertThat(api.post("/customers/" + customer + "/payment-methods", PaymentsApiContract.card("4242424242424242")).status())
                        .isEqualTo(201);
            }
            var charge = api.send("POST", "/customers/" + customer + "/charges", PaymentsApiContract.charge(amount, "USD", null),
                    "Idempotency-Key", UUID.randomUUID().toString());
            assertThat(charge.status()).as(charge.toString()).isEqualTo(201);
            return charge.json().path("id").asText();
        }

        List<JsonNode> deliveries(JsonNode endpoint) {
            var reply = api.get("/webhook-endpoints/" + endpoint.path("id").asText() + "/deliveries");
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            var list = new ArrayList<JsonNode>();
            reply.json().path("data").forEach(list::add);
            return list;
        }
    }

    /**
     * A webhook receiver on loopback: each request is kept, and answered with the status the script gives
     * it (-1: no answer until well after the sender's timeout).
     */
    static final class Receiver implements AutoCloseable {

        record Request(Map<String, String> headers, String body) {
            String header(String name) {
                return headers.get(name.toLowerCase(java.util.Locale.ROOT));
            }
        }

        private final HttpServer server;
        private final List<Request> requests = new CopyOnWriteArrayList<>();

        Receiver(Function<Request, Integer> script) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                var headers = new java.util.HashMap<String, String>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
                var request = new Request(headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                requests.add(request);
                int status = script.apply(request);
                if (status < 0) {
                    try {
                        Thread.sleep(3_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    status = 200;
                }
                byte[] answer = "{\"received\": true}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, status == 204 ? -1 : answer.length);
                if (status != 204) {
                    exchange.getResponseBody().write(answer);
                }
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        }

        List<Request> requests() {
            return List.copyOf(requests);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
