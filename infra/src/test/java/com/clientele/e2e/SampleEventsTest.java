package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.customers.CustomersHandler;
import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
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
    private CustomersHandler handler;
    private String tenant;

    @BeforeEach
    void setUp() {
        handler = new CustomersHandler(TestCloud.embedded().environment("CustomersFunction"));
        tenant = "ev" + UUID.randomUUID().toString().substring(0, 8);
    }

    private APIGatewayV2HTTPEvent load(String name) throws IOException {
        var event = EVENTS.readValue(Files.readString(TestCloud.events().resolve("customers").resolve(name)), APIGatewayV2HTTPEvent.class);
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
        var search = invoke(load("search.json"));
        assertThat(Json.MAPPER.readTree(search.getBody()).path("data").get(0).path("id").asText()).isEqualTo(id);

        var read = invoke(forCustomer("get.json", id));
        assertThat(read.getStatusCode()).isEqualTo(200);
        assertThat(read.getHeaders()).containsEntry("ETag", "\"1\"");

        var updated = invoke(forCustomer("update.json", id));
        assertThat(updated.getStatusCode()).as(updated.getBody()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(updated.getBody()).path("paymentTerms").asText()).isEqualTo("NET_14");

        assertThat(invoke(forCustomer("delete.json", id)).getStatusCode()).isEqualTo(204);
        var batch = invoke(forCustomer("batch-delete.json", id));
        assertThat(batch.getStatusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(batch.getBody()).path("notFound").size()).isEqualTo(2);
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
                "PATCH /customers/{id}", "DELETE /customers/{id}", "POST /customers/batch-delete");
    }
}
