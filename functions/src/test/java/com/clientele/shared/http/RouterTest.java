package com.clientele.shared.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.clientele.shared.Json;
import com.clientele.shared.logs.LogCapture;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final AtomicInteger served = new AtomicInteger();
    private final Router router = new Router(Map.of("GET /things/{id}", "things:read", "POST /things", "things:write",
            "GET /boom", "things:read", "POST /things/{id}/archive", "things:delete"))
            .route("POST /things/{id}/archive", request -> {
                served.incrementAndGet();
                return ApiResponse.noContent();
            })
            .route("GET /things/{id}", request -> ApiResponse.ok(Map.of("id", request.pathParameter("id"), "tenant", request.tenantId())))
            .route("POST /things", request -> ApiResponse.ok(Bodies.read(request, Thing.class)))
            .route("GET /boom", request -> {
                throw new IllegalStateException("secret internals");
            });

    record Thing(String name, Integer size) {
    }

    private static APIGatewayV2HTTPEvent event(String routeKey, String method, String path, String body, String tenant) {
        return event(routeKey, method, path, body, tenant == null ? Map.of()
                : Map.of("tenant_id", tenant, "sub", "u1", "scope", "things:read things:write things:delete"));
    }

    private static APIGatewayV2HTTPEvent event(String routeKey, String method, String path, String body,
                                               Map<String, String> claims) {
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
    void aChangeByATokenWithoutSubjectIsRefusedAndDoesNotRunButAReadRuns() throws Exception {
        var claims = Map.of("tenant_id", "acme", "scope", "things:read things:write things:delete");
        var response = router.handle(event("POST /things/{id}/archive", "POST", "/things/t1/archive", null, claims), null);
        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(response.getBody()).path("code").asText()).isEqualTo("subject_missing");
        assertThat(served).hasValue(0);
        assertThat(router.handle(event("GET /things/{id}", "GET", "/things/t1", null, claims), null).getStatusCode()).isEqualTo(200);
    }

    @Test
    void aRouteRunsWithTheCallerAsTheCurrentActorAndNoneAfter() throws Exception {
        var seen = new java.util.concurrent.atomic.AtomicReference<com.clientele.shared.Actor>();
        var router = new Router(Map.of("POST /things", "things:write")).route("POST /things", request -> {
            seen.set(com.clientele.shared.Actor.current().orElseThrow());
            throw new IllegalStateException("fails after reading the actor");
        });
        var claims = Map.of("tenant_id", "acme", "sub", "u1", "role", "cashier", "scope", "things:write");
        assertThat(router.handle(event("POST /things", "POST", "/things", "{}", claims), null).getStatusCode()).isEqualTo(500);
        assertThat(seen.get()).isEqualTo(new com.clientele.shared.Actor("u1", "cashier", "r1"));
        assertThat(com.clientele.shared.Actor.current()).isEmpty();
        router.handle(event("POST /things", "POST", "/things", "{}", Map.of("tenant_id", "acme", "sub", "u2", "scope", "things:write")), null);
        assertThat(seen.get().role()).as("a token without a role claim").isEqualTo("custom");
    }

    @Test
    void aTokenWithoutTenantIsRefused() {
        assertThat(router.handle(event("GET /things/{id}", "GET", "/things/t1", null, (String) null), null).getStatusCode()).isEqualTo(403);
        assertThat(router.handle(event("GET /things/{id}", "GET", "/things/t1", null, "acme#C#x"), null).getStatusCode())
                .as("a tenant id that could forge keys").isEqualTo(403);
    }

    @Test
    void aTokenWithoutTheRoutesScopeIsRefusedNamingTheScopeAndTheRouteDoesNotRun() throws Exception {
        var response = router.handle(event("POST /things/{id}/archive", "POST", "/things/t1/archive", null,
                Map.of("tenant_id", "acme", "sub", "u1", "scope", "things:read things:write")), null);
        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        var problem = Json.MAPPER.readTree(response.getBody());
        assertThat(problem.path("code").asText()).isEqualTo("insufficient_scope");
        assertThat(problem.path("scope").asText()).isEqualTo("things:delete");
        assertThat(problem.path("detail").asText()).contains("things:delete");
        assertThat(served).hasValue(0);
    }

    @Test
    void scopesComeFromTheScopeOrTheScpClaim() {
        for (var claims : List.of(Map.of("tenant_id", "acme", "sub", "u1", "scope", "things:delete"),
                Map.of("tenant_id", "acme", "sub", "u1", "scp", "[things:read things:delete]"),
                Map.of("tenant_id", "acme", "sub", "u1", "scp", "things:delete"))) {
            assertThat(router.handle(event("POST /things/{id}/archive", "POST", "/things/t1/archive", null, claims), null).getStatusCode())
                    .as(claims.toString()).isEqualTo(204);
        }
        assertThat(router.handle(event("POST /things/{id}/archive", "POST", "/things/t1/archive", null,
                Map.of("tenant_id", "acme", "scope", "things:delete:all things")), null).getStatusCode())
                .as("scopes compare whole").isEqualTo(403);
        assertThat(router.handle(event("POST /things/{id}/archive", "POST", "/things/t1/archive", null, Map.of("tenant_id", "acme")), null)
                .getStatusCode()).as("no scope claim").isEqualTo(403);
        assertThat(served).hasValue(3);
    }

    @Test
    void aRouteWithoutAScopeCannotBeServed() {
        assertThatThrownBy(() -> new Router(Map.of()).route("GET /open", request -> ApiResponse.noContent()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET /open");
        assertThatThrownBy(() -> new Router().route("GET /things/{id}", request -> ApiResponse.noContent()))
                .as("the API's routes are those of ApiRoutes").isInstanceOf(IllegalArgumentException.class);
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

    @Test
    void eachRequestIsLoggedOnceWithItsRouteTenantStatusAndCorrelationIdWhichTheResponseReturns() {
        var captured = LogCapture.of(() -> {
            var response = router.handle(event("GET /things/{id}", "GET", "/things/t1", null, "acme"), null);
            assertThat(response.getHeaders()).containsEntry("X-Correlation-Id", "r1");
        });
        var line = captured.line("request");
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("request_id").asText()).isEqualTo("r1");
        assertThat(line.path("correlation_id").asText()).as("no header sent: the request id").isEqualTo("r1");
        assertThat(line.path("route_key").asText()).isEqualTo("GET /things/{id}");
        assertThat(line.path("tenant").asText()).isEqualTo("acme");
        assertThat(line.path("status").asInt()).isEqualTo(200);
        assertThat(line.path("latency_ms").isIntegralNumber()).isTrue();
        assertThat(line.path("cold_start").isBoolean()).isTrue();
        assertThat(line.has("code")).isFalse();
    }

    @Test
    void primingServesEachRequestLoggingOnlyWhatFailedOnTheServersSideAndNeverThrows() {
        var captured = LogCapture.of(() -> router.prime(List.of(
                event("POST /things/{id}/archive", "POST", "/things/t1/archive", null, "acme"),
                event("GET /boom", "GET", "/boom", null, "acme"),
                event("GET /things/{id}", "GET", "/things/t2", null, (String) null))));
        assertThat(served).as("the route ran").hasValue(1);
        var line = captured.line("request");
        assertThat(line.path("route_key").asText()).as("the 204 and the 401 are DEBUG lines, below INFO").isEqualTo("GET /boom");
        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("status").asInt()).isEqualTo(500);
    }

    @Test
    void aWellFormedCorrelationIdHeaderIsTakenAndAFailureIsLoggedWithItsStackButNotItsMessage() {
        var withHeader = event("GET /boom", "GET", "/boom", null, "acme");
        withHeader.setHeaders(Map.of("x-correlation-id", "checkout-77"));
        var captured = LogCapture.of(() -> assertThat(router.handle(withHeader, null).getHeaders())
                .containsEntry("X-Correlation-Id", "checkout-77"));
        var line = captured.line("request");
        assertThat(line.path("correlation_id").asText()).isEqualTo("checkout-77");
        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("status").asInt()).isEqualTo(500);
        assertThat(line.path("code").asText()).isEqualTo("internal_error");
        assertThat(line.path("error").path("type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(line.path("error").path("stack").asText()).contains("\tat com.clientele.shared.http.RouterTest");
        assertThat(captured.text()).doesNotContain("secret internals");

        var badHeader = event("GET /things/{id}", "GET", "/things/t1", null, "acme");
        badHeader.setHeaders(Map.of("X-Correlation-Id", "<script>"));
        var refused = LogCapture.of(() -> assertThat(router.handle(badHeader, null).getHeaders())
                .containsEntry("X-Correlation-Id", "r1"));
        assertThat(refused.line("request").path("correlation_id").asText()).isEqualTo("r1");
        assertThat(refused.text()).doesNotContain("<script>");
    }
}
