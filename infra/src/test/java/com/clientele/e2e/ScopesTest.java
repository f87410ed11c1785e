package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.clientele.customers.CustomersHandler;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Json;
import com.clientele.shared.http.ApiRoutes;
import com.fasterxml.jackson.databind.DeserializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Scopes end to end: every route refuses a token that has every scope but the route's own with
 * 403 {@code insufficient_scope} naming it, and changes nothing in the tenant. Once through the
 * local cloud as template.yaml declares it (the authorizer refuses), once on a copy of the template
 * whose routes declare no scopes at all (the functions refuse: a misconfigured route is not open).
 */
class ScopesTest {

    /** The sample id the bodies of events/ use for the customer they act on. */
    private static final String SAMPLE_CUSTOMER = "cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF";

    @Test
    void everyRouteRefusesATokenWithoutItsScopeAndChangesNothing() {
        everyRouteRefusesATokenWithoutItsScope(TestCloud.embedded());
    }

    @Test
    void theFunctionsRefuseTooWhenTheTemplateDeclaresNoScopes() throws Exception {
        String original = Files.readString(TestCloud.template());
        String open = original.replaceAll(", Auth: \\{AuthorizationScopes: \\[\"[a-z]+:[a-z]+\"]}", "");
        assertThat(open).isNotEqualTo(original).doesNotContain("AuthorizationScopes: [");
        Path copy = Files.createTempFile("template-without-scopes", ".yaml");
        copy.toFile().deleteOnExit();
        Files.writeString(copy, open);
        try (var unguarded = LocalCloud.start(LocalCloud.Options.inMemory(copy))) {
            everyRouteRefusesATokenWithoutItsScope(unguarded);
        }
    }

    /** The handler's own check, without any gateway: the sample create event, first without its scope, then with it. */
    @Test
    void aHandlerRefusesAnEventWhoseClaimsLackTheRoutesScope() throws Exception {
        var handler = new CustomersHandler(TestCloud.embedded().environment("CustomersFunction"));
        String tenant = "sh" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        var events = Json.MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        var event = events.readValue(TestCloud.events().resolve("customers/create.json").toFile(), APIGatewayV2HTTPEvent.class);
        var jwt = event.getRequestContext().getAuthorizer().getJwt();
        assertThat(jwt.getClaims()).containsEntry("scope", "customers:write");
        jwt.setClaims(Map.of("sub", "mallory", "tenant_id", tenant, "scope", "customers:read customers:delete"));

        var refused = handler.handleRequest(event, null);
        assertThat(refused.getStatusCode()).isEqualTo(403);
        assertThat(refused.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        var problem = Json.MAPPER.readTree(refused.getBody());
        assertThat(problem.path("code").asText()).isEqualTo("insufficient_scope");
        assertThat(problem.path("scope").asText()).isEqualTo("customers:write");
        assertThat(problem.path("detail").asText()).contains("customers:write");

        jwt.setClaims(Map.of("sub", "alice", "tenant_id", tenant, "scope", "customers:write"));
        assertThat(handler.handleRequest(event, null).getStatusCode())
                .as("the same event with the scope: created, so the refused one left no customer (nor its email guard)")
                .isEqualTo(201);
    }

    private static void everyRouteRefusesATokenWithoutItsScope(LocalCloud cloud) {
        String tenant = "sc" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        var admin = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
        String customer = created(admin.post("/customers", """
                {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com", "phone": "+14155550101"}"""));
        String duplicate = created(admin.post("/customers", """
                {"firstName": "Ada", "lastName": "Lovelace", "email": "ada.l@example.com", "phone": "+14155550102"}"""));
        String card = created(admin.post("/customers/" + customer + "/payment-methods", PaymentsApiContract.card(PaymentsApiContract.MASTERCARD)));
        String payment = created(admin.send("POST", "/customers/" + customer + "/charges",
                PaymentsApiContract.charge(8900, "USD", card), "Idempotency-Key", UUID.randomUUID().toString()));
        String note = created(admin.post("/customers/" + customer + "/notes", "{\"type\": \"phone\", \"summary\": \"Called\"}"));
        var bodies = sampleBodies();
        bodies.put("POST /customers/{id}/merge", "{\"duplicateId\": \"" + duplicate + "\"}");

        var before = settled(cloud, tenant);
        assertThat(before.keySet()).as("the snapshot sees the tenant's items").anyMatch(key -> key.contains(customer));
        for (var route : ApiRoutes.SCOPES.entrySet()) {
            String scope = route.getValue();
            var allButOne = new TreeSet<>(ApiRoutes.scopes());
            allButOne.remove(scope);
            var api = new Api(cloud.apiUrl(), cloud.token(tenant, "mallory", allButOne));
            String method = route.getKey().substring(0, route.getKey().indexOf(' '));
            String path = route.getKey().substring(method.length() + 1)
                    .replace("/payments/{id}", "/payments/" + payment)
                    .replace("/exports/{id}", "/exports/exp_01KB0000000000000000000000")
                    .replace("{jobId}", "job_01KB0000000000000000000000")
                    .replace("{runId}", "crun_01KB0000000000000000000000")
                    .replace("{variantId}", "var_01KB0000000000000000000000").replace("{customerId}", customer)
                    .replace("{id}", customer).replace("{paymentMethodId}", card).replace("{noteId}", note)
                    .replace("{code}", "NOPE-1");
            String body = bodies.containsKey(route.getKey()) ? bodies.get(route.getKey()).replace(SAMPLE_CUSTOMER, customer) : null;

            var reply = api.send(method, path, body, "Idempotency-Key", UUID.randomUUID().toString());

            assertThat(reply.status()).as(route.getKey() + " → " + reply).isEqualTo(403);
            assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
            var problem = reply.json();
            assertThat(problem.path("code").asText()).as(route.getKey()).isEqualTo("insufficient_scope");
            assertThat(problem.path("scope").asText()).as(route.getKey()).isEqualTo(scope);
            assertThat(problem.path("detail").asText()).as(route.getKey()).contains(scope);
        }
        assertThat(snapshot(cloud, tenant)).as("the tenant's items after every refused request").isEqualTo(before);
    }

    private static String created(Api.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isIn(200, 201);
        return reply.json().path("id").asText();
    }

    /** The body of the sample event of each route in events/. */
    private static Map<String, String> sampleBodies() {
        var bodies = new HashMap<String, String>();
        try (Stream<Path> files = Files.walk(TestCloud.events())) {
            for (var file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                var event = Json.MAPPER.readTree(file.toFile());
                if (event.hasNonNull("routeKey") && event.hasNonNull("body")) {
                    bodies.put(event.path("routeKey").asText(), event.path("body").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bodies;
    }

    /** The tenant's items once what the setup set off (events, accrual, LTV) has finished. */
    static Map<String, Map<String, AttributeValue>> settled(LocalCloud cloud, String tenant) {
        var last = snapshot(cloud, tenant);
        for (int i = 0; i < 40; i++) {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            var now = snapshot(cloud, tenant);
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the items of tenant " + tenant + " kept changing");
    }

    /** Every item of the tenant, by key. */
    static Map<String, Map<String, AttributeValue>> snapshot(LocalCloud cloud, String tenant) {
        var items = new TreeMap<String, Map<String, AttributeValue>>();
        try (var dynamoDb = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            dynamoDb.scanPaginator(r -> r.tableName(cloud.resources().get("Table"))
                            .filterExpression("begins_with(PK, :tenant)")
                            .expressionAttributeValues(Map.of(":tenant", AttributeValue.fromS("T#" + tenant + "#"))))
                    .items().forEach(item -> items.put(item.get("PK").s() + " " + item.get("SK").s(), item));
        }
        return items;
    }
}
