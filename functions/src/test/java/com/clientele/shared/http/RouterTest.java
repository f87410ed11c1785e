package com.clientele.shared.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.clientele.shared.Json;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final Router router = new Router()
            .route("GET /things/{id}", request -> ApiResponse.ok(Map.of("id", request.pathParameter("id"), "tenant", request.tenantId())))
            .route("POST /things", request -> ApiResponse.ok(Bodies.read(request, Thing.class)))
            .route("GET /boom", request -> {
                throw new IllegalStateException("secret internals");
            });

    record Thing(String name, Integer size) {
    }

    private static APIGatewayV2HTTPEvent event(String routeKey, String method, String path, String body, String tenant) {
        var claims = tenant == null ? Map.<String, String>of() : Map.of("tenant_id", tenant, "sub", "u1");
        return APIGatewayV2HTTPEvent.builder().withRouteKey(routeKey).withRawPath(path)
                .withPathParameters(path.startsWith("/things/") ? Map.of("id", path.substring(8)) : null)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(body).withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("r1")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build()).build())
                        .build())
                .build();
    }

    @Test
    void routesByRouteKeyWithTheTenantFromTheClaims() throws Exception {
        var response = router.handle(event("GET /things/{id}", "GET", "/things/t1", null, "acme"), null);
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(response.getBody()).path("tenant").asText()).isEqualTo("acme");
    }

    @Test
    void unroutedRequestsAre404Or405WithAllow() {
        var missing = router.handle(event("$default", "GET", "/nowhere", null, "acme"), null);
        assertThat(missing.getStatusCode()).isEqualTo(404);
        var wrongMethod = router.handle(event("$default", "DELETE", "/things/t1", null, "acme"), null);
        assertThat(wrongMethod.getStatusCode()).isEqualTo(405);
        assertThat(wrongMethod.getHeaders()).containsEntry("Allow", "GET").containsEntry("Content-Type", "application/problem+json");
    }

    @Test
    void aTokenWithoutTenantIsRefused() {
        assertThat(router.handle(event("GET /things/{id}", "GET", "/things/t1", null, null), null).getStatusCode()).isEqualTo(403);
        assertThat(router.handle(event("GET /things/{id}", "GET", "/things/t1", null, "acme#C#x"), null).getStatusCode())
                .as("a tenant id that could forge keys").isEqualTo(403);
    }

    @Test
    void unexpectedErrorsAre500WithoutInternals() {
        var response = router.handle(event("GET /boom", "GET", "/boom", null, "acme"), null);
        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getBody()).doesNotContain("secret internals").doesNotContain("IllegalStateException").contains("r1");
    }

    @Test
    void bodiesAreReadStrictlyNamingTheField() throws Exception {
        assertThat(field(router.handle(event("POST /things", "POST", "/things", "{\"name\": \"a\", \"size\": \"big\"}", "acme"), null).getBody()))
                .isEqualTo("size");
        assertThat(field(router.handle(event("POST /things", "POST", "/things", "{\"name\": 5}", "acme"), null).getBody()))
                .isEqualTo("name");
        assertThat(field(router.handle(event("POST /things", "POST", "/things", "{\"colour\": \"red\"}", "acme"), null).getBody()))
                .isEqualTo("colour");
        assertThat(field(router.handle(event("POST /things", "POST", "/things", "{\"name\": \"a\", \"name\": \"b\"}", "acme"), null).getBody()))
                .isEqualTo("body");
        var big = event("POST /things", "POST", "/things", Base64.getEncoder().encodeToString(new byte[ApiRequest.MAX_BODY_BYTES + 1]), "acme");
        big.setIsBase64Encoded(true);
        assertThat(router.handle(big, null).getStatusCode()).isEqualTo(413);
    }

    private static String field(String problem) throws Exception {
        return Json.MAPPER.readTree(problem).path("errors").get(0).path("field").asText();
    }
}
