package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.customers.CustomersHandler;
import com.clientele.ltv.LtvRecomputeApiHandler;
import com.clientele.ltv.LtvRecomputeScheduleHandler;
import com.clientele.ltv.LtvRecomputeWorkerHandler;
import com.clientele.ltv.RecomputeJobs;
import com.clientele.ltv.RecomputeMessage;
import com.clientele.ltv.RecomputeQueue;
import com.clientele.payments.DisputeNotificationsHandler;
import com.clientele.payments.OutboxRelayHandler;
import com.clientele.payments.PaymentsHandler;
import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The files in events/ are what {@code sam local invoke -e} feeds the function: each one must be
 * a well-formed payload-2.0 event that the handler serves with the expected status.
 */
class SampleEventsTest {

    private static final ObjectMapper EVENTS = Json.MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** Lambda's own event JSON names ("Records", "eventSourceARN") differ from the event classes' only in case. */
    private static final ObjectMapper SQS_EVENTS = EVENTS.copy().configure(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true);
    private CustomersHandler handler;
    private String tenant;

    @BeforeEach
    void setUp() {
        handler = new CustomersHandler(TestCloud.embedded().environment("CustomersFunction"));
        tenant = "ev" + UUID.randomUUID().toString().substring(0, 8);
    }

    private APIGatewayV2HTTPEvent load(String name) throws IOException {
        return load("customers", name, Map.of());
    }

    /** A sample event for this test's tenant, with the sample's ids replaced by real ones. */
    private APIGatewayV2HTTPEvent load(String folder, String name, Map<String, String> ids) throws IOException {
        String text = Files.readString(TestCloud.events().resolve(folder).resolve(name));
        for (var id : ids.entrySet()) {
            text = text.replace(id.getKey(), id.getValue());
        }
        var event = EVENTS.readValue(text, APIGatewayV2HTTPEvent.class);
        var claims = new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("tenant_id", tenant);
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        return event;
    }

    private APIGatewayV2HTTPResponse invoke(APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, null);
    }

    private APIGatewayV2HTTPEvent forCustomer(String name, String id) throws IOException {
        var event = load(name);
        String sample = event.getPathParameters() != null ? event.getPathParameters().get("id") : null;
        if (sample != null) {
            event.setPathParameters(Map.of("id", id));
            event.setRawPath(event.getRawPath().replace(sample, id));
        }
        if (event.getBody() != null && sample != null) {
            event.setBody(event.getBody().replace(sample, id));
        }
        return event;
    }

    @Test
    void everySampleEventIsServed() throws IOException {
        var created = invoke(load("create.json"));
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        String id = Json.MAPPER.readTree(created.getBody()).path("id").asText();

        assertThat(invoke(load("list.json")).getStatusCode()).isEqualTo(200);
        var analytics = invoke(load("analytics.json"));
        assertThat(Json.MAPPER.readTree(analytics.getBody()).path("totalCustomers").asLong()).isEqualTo(1);
        assertThat(invoke(load("filter.json")).getStatusCode()).isEqualTo(200);
        var top = invoke(load("top.json"));
        assertThat(Json.MAPPER.readTree(top.getBody()).path("data").get(0).path("id").asText()).isEqualTo(id);
        var saved = invoke(load("put-segment-settings.json"));
        assertThat(saved.getStatusCode()).as(saved.getBody()).isEqualTo(200);
        var settings = invoke(load("get-segment-settings.json"));
        assertThat(Json.MAPPER.readTree(settings.getBody()).path("loyalOrders").asInt()).isEqualTo(3);
        var search = invoke(load("search.json"));
        assertThat(Json.MAPPER.readTree(search.getBody()).path("data").get(0).path("id").asText()).isEqualTo(id);
        var list = invoke(load("create-smart-list.json"));
        assertThat(list.getStatusCode()).as(list.getBody()).isEqualTo(201);
        var listIds = Map.of("sl_01KB7Q2M4N6P8R0T2V4X6Z8A1C", Json.MAPPER.readTree(list.getBody()).path("id").asText());
        assertThat(Json.MAPPER.readTree(invoke(load("customers", "list-smart-lists.json", listIds)).getBody()).path("data")).hasSize(1);
        assertThat(invoke(load("customers", "get-smart-list.json", listIds)).getStatusCode()).isEqualTo(200);
        var renamed = invoke(load("customers", "update-smart-list.json", listIds));
        assertThat(Json.MAPPER.readTree(renamed.getBody()).path("name").asText()).as(renamed.getBody()).isEqualTo("Biggest spenders");
        assertThat(invoke(load("customers", "delete-smart-list.json", listIds)).getStatusCode()).isEqualTo(204);

        var read = invoke(forCustomer("get.json", id));
        assertThat(read.getStatusCode()).isEqualTo(200);
        assertThat(read.getHeaders()).containsEntry("ETag", "\"1\"");

        var updated = invoke(forCustomer("update.json", id));
        assertThat(updated.getStatusCode()).as(updated.getBody()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(updated.getBody()).path("paymentTerms").asText()).isEqualTo("NET_14");

        // the sample's code stands for the created customer's own
        String code = Json.MAPPER.readTree(created.getBody()).path("referralCode").asText();
        var referred = invoke(load("customers", "create-referred.json", Map.of("7K3M-9QXR", code)));
        assertThat(referred.getStatusCode()).as(referred.getBody()).isEqualTo(201);
        assertThat(Json.MAPPER.readTree(referred.getBody()).path("referredBy").asText()).isEqualTo(code);

        assertThat(invoke(forCustomer("delete.json", id)).getStatusCode()).isEqualTo(204);
        var batch = invoke(forCustomer("batch-delete.json", id));
        assertThat(batch.getStatusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(batch.getBody()).path("notFound").size()).isEqualTo(2);
    }

    @Test
    void theDisputesSampleEventsAreServed() throws IOException {
        var notifications = SQS_EVENTS.readValue(Files.readString(TestCloud.events().resolve("disputes/notification.json")), SQSEvent.class);
        var handler = new DisputeNotificationsHandler(TestCloud.embedded().environment("DisputeNotificationsFunction"));
        assertThat(handler.handleRequest(notifications, null).getBatchItemFailures())
                .as("a notice about a payment the tenant does not have is refused, not failed").isEmpty();
        var payments = new PaymentsHandler(TestCloud.embedded().environment("PaymentsFunction"));
        var response = payments.handleRequest(load("disputes", "get-dispute.json", Map.of()), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(response.getBody()).path("code").asText()).isEqualTo("resource_missing");
    }

    @Test
    void everyPaymentsSampleEventIsServed() throws IOException {
        var payments = new PaymentsHandler(TestCloud.embedded().environment("PaymentsFunction"));
        String customer = Json.MAPPER.readTree(invoke(load("create.json")).getBody()).path("id").asText();
        var ids = new HashMap<String, String>();
        ids.put("cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF", customer);
        java.util.function.BiFunction<String, Integer, JsonNode> serve = (name, status) -> {
            try {
                var response = payments.handleRequest(load("payments", name, ids), null);
                assertThat(response.getStatusCode()).as(name + ": " + response.getBody()).isEqualTo(status);
                return response.getBody() == null ? null : Json.MAPPER.readTree(response.getBody());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        ids.put("pm_01KAZ61Q8W2E4R6T8Y0U2I4O6P", serve.apply("save-card.json", 201).path("id").asText());
        assertThat(serve.apply("list-cards.json", 200).path("data")).hasSize(1);
        assertThat(serve.apply("set-default-card.json", 200).path("isDefault").asBoolean()).isTrue();
        ids.put("pay_01KAZ63N5B7V9C1X3Z5A7S9D1F", serve.apply("charge.json", 201).path("id").asText());
        assertThat(serve.apply("list-payments.json", 200).path("data")).hasSize(1);
        assertThat(serve.apply("list-tenant-payments.json", 200).path("data")).hasSize(1);
        assertThat(serve.apply("find-by-receipt.json", 200).path("data")).hasSize(1);
        assertThat(serve.apply("refund.json", 201).path("status").asText()).isEqualTo("succeeded");
        assertThat(serve.apply("get-payment.json", 200).path("status").asText()).isEqualTo("partially_refunded");
        assertThat(serve.apply("guest-payment.json", 201).path("guest").path("email").asText()).isEqualTo("guest@example.com");
        assertThat(serve.apply("related-guest-payments.json", 200).path("data")).isEmpty();
        serve.apply("delete-card.json", 204);

        var relay = new OutboxRelayHandler(TestCloud.embedded().environment("OutboxRelayFunction"));
        var scheduled = EVENTS.readValue(Files.readString(TestCloud.events().resolve("outbox-relay/scheduled.json")),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        assertThat(relay.handleRequest(scheduled, null)).containsKey("sent");
    }

    @Test
    void thePaymentsSampleEventsCoverEveryRouteOfTheFunction() throws IOException {
        var routes = new java.util.TreeSet<String>();
        try (var files = Files.list(TestCloud.events().resolve("payments"))) {
            for (var file : files.toList()) {
                routes.add(EVENTS.readValue(Files.readString(file), APIGatewayV2HTTPEvent.class).getRouteKey());
            }
        }
        assertThat(routes).containsExactlyInAnyOrder("POST /customers/{id}/payment-methods",
                "GET /customers/{id}/payment-methods", "DELETE /customers/{id}/payment-methods/{paymentMethodId}",
                "POST /customers/{id}/payment-methods/{paymentMethodId}/default", "POST /customers/{id}/charges",
                "GET /customers/{id}/payments", "GET /customers/{id}/related-guest-payments", "GET /payments",
                "GET /payments/{id}", "POST /payments/{id}/refunds", "POST /guest-payments");
    }

    @Test
    void theSampleEventsCoverEveryRouteOfTheFunction() throws IOException {
        var routes = new java.util.TreeSet<String>();
        try (var files = Files.list(TestCloud.events().resolve("customers"))) {
            for (var file : files.toList()) {
                routes.add(EVENTS.readValue(Files.readString(file), APIGatewayV2HTTPEvent.class).getRouteKey());
            }
        }
        assertThat(routes).containsExactlyInAnyOrder("POST /customers", "GET /customers", "GET /customers/{id}",
                "PATCH /customers/{id}", "DELETE /customers/{id}", "POST /customers/batch-delete", "GET /customers/top",
                "GET /settings/segments", "PUT /settings/segments", "GET /analytics/customers", "POST /smart-lists",
                "GET /smart-lists", "GET /smart-lists/{id}", "PATCH /smart-lists/{id}", "DELETE /smart-lists/{id}");
    }

    @Test
    void everyLtvRecomputeSampleEventIsServed() throws IOException {
        var recompute = new LtvRecomputeApiHandler(TestCloud.embedded().environment("LtvRecomputeApiFunction"));
        String customer = Json.MAPPER.readTree(invoke(load("create.json")).getBody()).path("id").asText();
        var ids = new HashMap<String, String>();
        ids.put("cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF", customer);
        var one = recompute.handleRequest(load("ltv-recompute", "start-one.json", ids), null);
        assertThat(one.getStatusCode()).as(one.getBody()).isEqualTo(202);
        var all = recompute.handleRequest(load("ltv-recompute", "start-all.json", ids), null);
        assertThat(all.getStatusCode()).as(all.getBody()).isEqualTo(202);
        String jobId = Json.MAPPER.readTree(all.getBody()).path("id").asText();
        ids.put("job_01KAZ6R2M4N6B8V0C2X4Z6A8S0", jobId);
        var read = recompute.handleRequest(load("ltv-recompute", "get.json", ids), null);
        assertThat(read.getStatusCode()).as(read.getBody()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(read.getBody()).path("id").asText()).isEqualTo(jobId);

        // the worker's sample: a step of that job (the cloud's own worker may take it first: harmless)
        var worker = new LtvRecomputeWorkerHandler(TestCloud.embedded().environment("LtvRecomputeWorkerFunction"));
        String text = Files.readString(TestCloud.events().resolve("ltv-recompute/worker-step.json"))
                .replace("job_01KAZ6R2M4N6B8V0C2X4Z6A8S0", jobId).replace("\\\"acme\\\"", "\\\"" + tenant + "\\\"");
        assertThat(text).contains(tenant);
        var step = worker.handleRequest(SQS_EVENTS.readValue(text, SQSEvent.class), null);
        assertThat(step.getBatchItemFailures()).isEmpty();

        // the daily schedule's sample, on a queue that only records (the discovery would touch every tenant here)
        var sent = new java.util.ArrayList<RecomputeMessage>();
        var recording = new RecomputeQueue(null, null) {
            @Override
            public void send(RecomputeMessage message) {
                sent.add(message);
            }
        };
        var schedule = new LtvRecomputeScheduleHandler(new RecomputeJobs(null, null, null, recording, java.time.Clock.systemUTC(), 100, 4,
                com.clientele.shared.metrics.Metrics.NONE));
        var scheduled = EVENTS.readValue(Files.readString(TestCloud.events().resolve("ltv-recompute/scheduled.json")),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        assertThat(schedule.handleRequest(scheduled, null)).containsEntry("segments", 4);
        assertThat(sent).extracting(RecomputeMessage::kind).containsOnly(RecomputeMessage.TENANTS).hasSize(4);
        var tenants = SQS_EVENTS.readValue(Files.readString(TestCloud.events().resolve("ltv-recompute/worker-tenants.json")), SQSEvent.class);
        assertThat(Json.MAPPER.readValue(tenants.getRecords().get(0).getBody(), RecomputeMessage.class).kind())
                .isEqualTo(RecomputeMessage.TENANTS);
    }

    @Test
    void theLtvRecomputeSampleEventsCoverEveryRouteOfTheFunction() throws IOException {
        var routes = new java.util.TreeSet<String>();
        try (var files = Files.list(TestCloud.events().resolve("ltv-recompute"))) {
            for (var file : files.filter(f -> f.getFileName().toString().startsWith("start") || f.getFileName().toString().startsWith("get")).toList()) {
                routes.add(EVENTS.readValue(Files.readString(file), APIGatewayV2HTTPEvent.class).getRouteKey());
            }
        }
        assertThat(routes).containsExactlyInAnyOrder("POST /admin/ltv-recompute", "GET /admin/ltv-recompute/{jobId}");
    }

    @Test
    void theAggregatorsSampleEventIsApplied() throws IOException {
        String customer = Json.MAPPER.readTree(invoke(load("create.json")).getBody()).path("id").asText();
        String text = Files.readString(TestCloud.events().resolve("ltv-aggregator/payment-events.json"))
                .replace("cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF", customer).replace("\\\"acme\\\"", "\\\"" + tenant + "\\\"");
        assertThat(text).contains(tenant);
        var aggregator = new com.clientele.ltv.LtvAggregatorHandler(TestCloud.embedded().environment("LtvAggregatorFunction"));
        var response = aggregator.handleRequest(SQS_EVENTS.readValue(text, SQSEvent.class), null);
        assertThat(response.getBatchItemFailures()).isEmpty();
        var stats = Json.MAPPER.readTree(invoke(forCustomer("get.json", customer)).getBody()).path("stats");
        assertThat(stats.path("ltv").path("amount").asLong()).isEqualTo(8_900);
        assertThat(stats.path("orders").asLong()).isEqualTo(1);
    }

    @Test
    void everyLoyaltySampleEventIsServed() throws IOException {
        var loyalty = new com.clientele.loyalty.LoyaltyHandler(TestCloud.embedded().environment("LoyaltyFunction"));
        String customer = Json.MAPPER.readTree(invoke(load("create.json")).getBody()).path("id").asText();
        var ids = Map.of("cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF", customer);
        var saved = loyalty.handleRequest(load("loyalty", "put-settings.json", ids), null);
        assertThat(saved.getStatusCode()).as(saved.getBody()).isEqualTo(200);
        var settings = loyalty.handleRequest(load("loyalty", "get-settings.json", ids), null);
        assertThat(Json.MAPPER.readTree(settings.getBody()).path("referrerBonus").asLong()).isEqualTo(500);

        var accrual = new com.clientele.loyalty.PointsAccrualHandler(TestCloud.embedded().environment("PointsAccrualFunction"));
        String text = Files.readString(TestCloud.events().resolve("loyalty/accrual-charge.json"))
                .replace("cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF", customer).replace("\\\"acme\\\"", "\\\"" + tenant + "\\\"");
        assertThat(text).contains(tenant);
        assertThat(accrual.handleRequest(SQS_EVENTS.readValue(text, SQSEvent.class), null).getBatchItemFailures()).isEmpty();

        var points = loyalty.handleRequest(load("loyalty", "points.json", ids), null);
        assertThat(points.getStatusCode()).as(points.getBody()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(points.getBody()).path("available").asLong()).isEqualTo(89);
        var statement = loyalty.handleRequest(load("loyalty", "statement.json", ids), null);
        assertThat(Json.MAPPER.readTree(statement.getBody()).path("data").get(0).path("storeId").asText()).isEqualTo("store_12");

        var adjusted = loyalty.handleRequest(load("loyalty", "adjust.json", ids), null);
        assertThat(adjusted.getStatusCode()).as(adjusted.getBody()).isEqualTo(201);
        var otp = loyalty.handleRequest(load("loyalty", "otp.json", ids), null);
        assertThat(otp.getStatusCode()).as(otp.getBody()).isEqualTo(201);
        // the sample's settings require an OTP: the redemption carries the code the sandbox sent back
        var redeem = load("loyalty", "redeem.json", ids);
        redeem.setBody(redeem.getBody().replace("123456", Json.MAPPER.readTree(otp.getBody()).path("code").asText()));
        var redeemed = loyalty.handleRequest(redeem, null);
        assertThat(redeemed.getStatusCode()).as(redeemed.getBody()).isEqualTo(201);
        assertThat(Json.MAPPER.readTree(redeemed.getBody()).path("balance").path("available").asLong()).isEqualTo(139);
        var otps = loyalty.handleRequest(load("loyalty", "otps.json", ids), null);
        assertThat(Json.MAPPER.readTree(otps.getBody()).path("data").get(0).path("usedAt").isTextual()).isTrue();

        var routes = new java.util.TreeSet<String>();
        try (var files = Files.list(TestCloud.events().resolve("loyalty"))) {
            for (var file : files.filter(f -> !f.getFileName().toString().startsWith("accrual")
                    && !f.getFileName().toString().startsWith("expiry")).toList()) {
                routes.add(EVENTS.readValue(Files.readString(file), APIGatewayV2HTTPEvent.class).getRouteKey());
            }
        }
        assertThat(routes).containsExactlyInAnyOrder("GET /loyalty/settings", "PUT /loyalty/settings",
                "GET /customers/{id}/points", "GET /customers/{id}/points/statement", "POST /customers/{id}/points/redemptions",
                "POST /customers/{id}/points/adjustments", "POST /customers/{id}/points/otp", "GET /customers/{id}/points/otps");
    }

    @Test
    void everyRelationshipSampleEventIsServed() throws IOException {
        var relationship = new com.clientele.relationship.RelationshipHandler(TestCloud.embedded().environment("RelationshipFunction"));
        String customer = Json.MAPPER.readTree(invoke(load("create.json")).getBody()).path("id").asText();
        var ids = new HashMap<String, String>(Map.of("cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF", customer));
        var created = relationship.handleRequest(load("relationship", "create-note.json", ids), null);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        ids.put("note_01KAZ6A2B3C4D5E6F7G8H9J0KM", Json.MAPPER.readTree(created.getBody()).path("id").asText());
        var statuses = new java.util.LinkedHashMap<String, Integer>();
        for (String name : List.of("list-notes.json", "get-note.json", "update-note.json", "activities.json", "data-export.json",
                "delete-note.json", "erase.json")) {
            var response = relationship.handleRequest(load("relationship", name, ids), null);
            statuses.put(name, response.getStatusCode());
        }
        assertThat(statuses).containsExactly(Map.entry("list-notes.json", 200), Map.entry("get-note.json", 200),
                Map.entry("update-note.json", 200), Map.entry("activities.json", 200), Map.entry("data-export.json", 200),
                Map.entry("delete-note.json", 204), Map.entry("erase.json", 200));
    }

    @Test
    void everyCatalogueSampleEventIsServed() throws IOException {
        var catalogue = new com.clientele.catalogue.CatalogueHandler(TestCloud.embedded().environment("CatalogueFunction"));
        var created = catalogue.handleRequest(load("catalogue", "create-product.json", Map.of()), null);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        var ids = new HashMap<String, String>(Map.of("prod_01KB2C4D6F8G0H2J4K6M8N0P2Q",
                Json.MAPPER.readTree(created.getBody()).path("id").asText()));
        var price = catalogue.handleRequest(load("catalogue", "create-price.json", ids), null);
        assertThat(price.getStatusCode()).as(price.getBody()).isEqualTo(201);
        assertThat(Json.MAPPER.readTree(price.getBody()).path("monthlyAmount").asLong()).isEqualTo(8900);
        ids.put("price_01KB2C6F8H0K2M4N6P8R0S2T4V", Json.MAPPER.readTree(price.getBody()).path("id").asText());
        // the price made the product's version 2: the update's If-Match names it
        ids.put("\"if-match\": \"\\\"1\\\"\"", "\"if-match\": \"\\\"2\\\"\"");
        var statuses = new java.util.LinkedHashMap<String, Integer>();
        for (String name : List.of("update-product.json", "create-variant.json", "list-products.json", "get-product.json",
                "list-variants.json", "list-prices.json", "get-price.json", "archive-price.json")) {
            var response = catalogue.handleRequest(load("catalogue", name, ids), null);
            statuses.put(name, response.getStatusCode());
        }
        assertThat(statuses).containsExactly(Map.entry("update-product.json", 200), Map.entry("create-variant.json", 201),
                Map.entry("list-products.json", 200), Map.entry("get-product.json", 200), Map.entry("list-variants.json", 200),
                Map.entry("list-prices.json", 200), Map.entry("get-price.json", 200), Map.entry("archive-price.json", 200));
        var read = catalogue.handleRequest(load("catalogue", "get-price.json", ids), null);
        assertThat(Json.MAPPER.readTree(read.getBody()).path("active").asBoolean()).as("archived by the last sample").isFalse();
    }

    @Test
    void everyOrdersSampleEventIsServed() throws IOException {
        var env = TestCloud.embedded();
        var customer = invoke(load("create.json"));
        assertThat(customer.getStatusCode()).as(customer.getBody()).isEqualTo(201);
        var ids = new HashMap<String, String>(Map.of("cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF",
                Json.MAPPER.readTree(customer.getBody()).path("id").asText()));
        var catalogue = new com.clientele.catalogue.CatalogueHandler(env.environment("CatalogueFunction"));
        var product = catalogue.handleRequest(load("catalogue", "create-product.json", Map.of()), null);
        ids.put("prod_01KB2C4D6F8G0H2J4K6M8N0P2Q", Json.MAPPER.readTree(product.getBody()).path("id").asText());
        var price = catalogue.handleRequest(load("catalogue", "create-price.json", ids), null);
        ids.put("price_01KB2C6F8H0K2M4N6P8R0S2T4V", Json.MAPPER.readTree(price.getBody()).path("id").asText());

        var orders = new com.clientele.orders.OrdersHandler(env.environment("OrdersFunction"));
        var placed = orders.handleRequest(load("orders", "place-order.json", ids), null);
        assertThat(placed.getStatusCode()).as(placed.getBody()).isEqualTo(201);
        var order = Json.MAPPER.readTree(placed.getBody());
        assertThat(order.path("status").asText()).as("all recurring: nothing to charge, paid as placed").isEqualTo("paid");
        ids.put("ord_01KB3D5F7H9K1M3P5R7T9V1X3Z", order.path("id").asText());
        var statuses = new java.util.LinkedHashMap<String, Integer>();
        for (String name : List.of("get-order.json", "list-customer-orders.json", "list-orders.json", "fulfil-order.json")) {
            statuses.put(name, orders.handleRequest(load("orders", name, ids), null).getStatusCode());
        }
        assertThat(statuses).containsExactly(Map.entry("get-order.json", 200), Map.entry("list-customer-orders.json", 200),
                Map.entry("list-orders.json", 200), Map.entry("fulfil-order.json", 200));
        var read = orders.handleRequest(load("orders", "get-order.json", ids), null);
        assertThat(Json.MAPPER.readTree(read.getBody()).path("status").asText()).as("fulfilled by the last sample").isEqualTo("fulfilled");
    }

    @Test
    void everyInvoicesSampleEventIsServed() throws IOException {
        var customer = invoke(load("create.json"));
        assertThat(customer.getStatusCode()).as(customer.getBody()).isEqualTo(201);
        var ids = new HashMap<String, String>(Map.of("cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF",
                Json.MAPPER.readTree(customer.getBody()).path("id").asText()));
        var invoices = new com.clientele.invoices.InvoicesHandler(TestCloud.embedded().environment("InvoicesFunction"));
        var created = invoices.handleRequest(load("invoices", "create-invoice.json", ids), null);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        ids.put("in_01KB4E6G8J0L2N4Q6S8U0W2Y4A", Json.MAPPER.readTree(created.getBody()).path("id").asText());
        var statuses = new java.util.LinkedHashMap<String, Integer>();
        for (String name : List.of("get-invoice.json", "finalize-invoice.json", "list-invoices.json", "record-payment.json",
                "list-customer-invoices.json")) {
            var response = invoices.handleRequest(load("invoices", name, ids), null);
            statuses.put(name, response.getStatusCode());
        }
        assertThat(statuses).containsExactly(Map.entry("get-invoice.json", 200), Map.entry("finalize-invoice.json", 200),
                Map.entry("list-invoices.json", 200), Map.entry("record-payment.json", 200), Map.entry("list-customer-invoices.json", 200));
        var read = Json.MAPPER.readTree(invoices.handleRequest(load("invoices", "get-invoice.json", ids), null).getBody());
        assertThat(read.path("status").asText()).as("paid in full by the transfer the last sample records").isEqualTo("paid");
        assertThat(read.path("number").asText()).matches("INV-\\d{4}-000001");
        assertThat(read.path("total").path("amount").asLong()).as("12 × 150.00 and 20% tax").isEqualTo(216000);
    }

    @Test
    void everySubscriptionsSampleEventIsServed() throws IOException {
        String customer = Json.MAPPER.readTree(invoke(load("create.json")).getBody()).path("id").asText();
        var ids = new HashMap<String, String>(Map.of("cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF", customer));
        var payments = new com.clientele.payments.PaymentsHandler(TestCloud.embedded().environment("PaymentsFunction"));
        var card = payments.handleRequest(load("payments", "save-card.json", ids), null);
        assertThat(card.getStatusCode()).as(card.getBody()).isEqualTo(201);
        var catalogue = new com.clientele.catalogue.CatalogueHandler(TestCloud.embedded().environment("CatalogueFunction"));
        ids.put("prod_01KB2C4D6F8G0H2J4K6M8N0P2Q", Json.MAPPER.readTree(catalogue.handleRequest(load("catalogue", "create-product.json",
                Map.of()), null).getBody()).path("id").asText());
        ids.put("price_01KB2C6F8H0K2M4N6P8R0S2T4V", Json.MAPPER.readTree(catalogue.handleRequest(load("catalogue", "create-price.json",
                ids), null).getBody()).path("id").asText());
        var subscriptions = new com.clientele.subscriptions.SubscriptionsHandler(TestCloud.embedded().environment("SubscriptionsFunction"));
        var started = subscriptions.handleRequest(load("subscriptions", "start.json", ids), null);
        assertThat(started.getStatusCode()).as(started.getBody()).isEqualTo(201);
        ids.put("sub_01KB2C8H0K2M4N6P8R0S2T4V6W", Json.MAPPER.readTree(started.getBody()).path("id").asText());
        var statuses = new java.util.LinkedHashMap<String, Integer>();
        for (String name : List.of("list.json", "get.json", "pause.json", "resume.json", "change.json", "extend.json", "cancel.json")) {
            var response = subscriptions.handleRequest(load("subscriptions", name, ids), null);
            statuses.put(name, response.getStatusCode());
        }
        assertThat(statuses).containsExactly(Map.entry("list.json", 200), Map.entry("get.json", 200), Map.entry("pause.json", 200),
                Map.entry("resume.json", 200), Map.entry("change.json", 200), Map.entry("extend.json", 200), Map.entry("cancel.json", 200));
        var read = subscriptions.handleRequest(load("subscriptions", "get.json", ids), null);
        var subscription = Json.MAPPER.readTree(read.getBody());
        assertThat(subscription.path("cancelAtPeriodEnd").asBoolean()).as("canceled at its period's end by the last sample").isTrue();
        assertThat(subscription.path("contractMonths").asInt()).isEqualTo(24);
        assertThat(subscription.path("pendingChange").isNull()).as("withdrawn by the cancellation at the period's end").isTrue();
        var boughtOut = subscriptions.handleRequest(load("subscriptions", "buyout.json", ids), null);
        assertThat(boughtOut.getStatusCode()).as(boughtOut.getBody()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(boughtOut.getBody()).path("status").asText()).isEqualTo("ended");
    }

    @Test
    void everyBillingSampleEventIsServed() throws IOException {
        var billing = new com.clientele.subscriptions.BillingHandler(TestCloud.embedded().environment("BillingFunction"));
        var defaults = billing.handleRequest(load("billing", "get-settings.json", Map.of()), null);
        assertThat(defaults.getStatusCode()).as(defaults.getBody()).isEqualTo(200);
        var saved = billing.handleRequest(load("billing", "put-settings.json", Map.of()), null);
        assertThat(saved.getStatusCode()).as(saved.getBody()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(saved.getBody()).path("dunning").path("retryAfterDays").toString()).isEqualTo("[1,3,7]");
        var run = billing.handleRequest(load("billing", "run-renewals.json", Map.of()), null);
        assertThat(run.getStatusCode()).as(run.getBody()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(run.getBody()).path("billed").asLong()).as("nothing of this tenant is due").isZero();
    }

    @Test
    void everyExportsSampleEventIsServed() throws Exception {
        var exports = new com.clientele.exports.ExportsApiHandler(TestCloud.embedded().environment("ExportsApiFunction"));
        invoke(load("create.json"));
        var started = exports.handleRequest(load("exports", "start.json", Map.of()), null);
        assertThat(started.getStatusCode()).as(started.getBody()).isEqualTo(202);
        String id = Json.MAPPER.readTree(started.getBody()).path("id").asText();
        var ids = Map.of("exp_01KAZ7C3D5F7H9K1M3P5R7T9V1", id);
        var all = exports.handleRequest(load("exports", "start-all.json", ids), null);
        assertThat(all.getStatusCode()).as(all.getBody()).isEqualTo(202);
        var read = exports.handleRequest(load("exports", "get.json", ids), null);
        assertThat(read.getStatusCode()).as(read.getBody()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(read.getBody()).path("columns")).hasSize(9);
        var list = exports.handleRequest(load("exports", "list.json", ids), null);
        assertThat(Json.MAPPER.readTree(list.getBody()).path("data")).hasSize(2);
        var retry = exports.handleRequest(load("exports", "retry.json", ids), null);
        assertThat(retry.getStatusCode()).as(retry.getBody()).isEqualTo(409);

        // the cloud's own worker writes it; then the worker's sample, a copy of its first step, is a no-op
        var done = Eventually.get(() -> exports.handleRequest(sneaky(() -> load("exports", "get.json", ids)), null),
                r -> r.getBody().contains("\"succeeded\""));
        assertThat(Json.MAPPER.readTree(done.getBody()).path("downloadUrl").asText()).as(done.getBody()).contains(id + ".csv");
        var worker = new com.clientele.exports.ExportWorkerHandler(TestCloud.embedded().environment("ExportWorkerFunction"));
        String text = Files.readString(TestCloud.events().resolve("exports/worker-step.json"))
                .replace("exp_01KAZ7C3D5F7H9K1M3P5R7T9V1", id).replace("\\\"acme\\\"", "\\\"" + tenant + "\\\"");
        assertThat(text).contains(tenant);
        assertThat(worker.handleRequest(SQS_EVENTS.readValue(text, SQSEvent.class), null).getBatchItemFailures()).isEmpty();
        var after = Json.MAPPER.readTree(exports.handleRequest(load("exports", "get.json", ids), null).getBody());
        assertThat(after.path("status").asText()).isEqualTo("succeeded");
        assertThat(after.path("finishedAt").asText()).isEqualTo(Json.MAPPER.readTree(done.getBody()).path("finishedAt").asText());

        var routes = new java.util.TreeSet<String>();
        try (var files = Files.list(TestCloud.events().resolve("exports"))) {
            for (var file : files.filter(f -> !f.getFileName().toString().startsWith("worker")).toList()) {
                routes.add(EVENTS.readValue(Files.readString(file), APIGatewayV2HTTPEvent.class).getRouteKey());
            }
        }
        assertThat(routes).containsExactlyInAnyOrder("POST /exports/customers", "GET /exports", "GET /exports/{id}",
                "POST /exports/{id}/retry");
    }

    private interface Loader<T> {
        T load() throws IOException;
    }

    private static <T> T sneaky(Loader<T> loader) {
        try {
            return loader.load();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
