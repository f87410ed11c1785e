package com.clientele.shared.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.shared.Actor;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Json;
import com.clientele.shared.Keys;
import com.clientele.shared.audit.AuditLog;
import com.clientele.shared.logs.Correlation;
import com.clientele.shared.logs.Log;
import com.clientele.shared.logs.LogScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Dispatches an API Gateway request to the route its {@code routeKey} names and maps the outcome
 * to an HTTP response: the route's result as JSON, an {@link ApiException} as a problem document,
 * anything unexpected as a bare 500 (its stack trace in the request's log line, none to the caller).
 * Requests the API does not route ({@code $default}) get 404 or, for a known path, 405.
 * A route runs only for a token that has the route's scope ({@link ApiRoutes#SCOPES}): API Gateway
 * checks it first, this is the second check, so a route left open in the template is not open.
 *
 * <p>A route runs with the caller as the current {@link Actor} (subject, role, request id), so what it
 * writes can say who made the change. A change (any method but GET) needs a token with a subject; once
 * it succeeded (2xx, not the replay of an idempotency key), the router writes its line to the tenant's
 * {@link AuditLog}, with ids only.
 */
public final class Router {

    private final Map<String, Function<ApiRequest, ApiResponse>> routes = new LinkedHashMap<>();
    private final Map<String, String> scopes;
    private AuditLog audit;

    public Router() {
        this(ApiRoutes.SCOPES);
    }

    /** A router whose routes need the scopes of {@code scopes} (route key → scope) instead of the API's. */
    Router(Map<String, String> scopes) {
        this.scopes = scopes;
    }

    /** @throws IllegalArgumentException for a route without a scope: no route is served to every token */
    public Router route(String routeKey, Function<ApiRequest, ApiResponse> route) {
        if (!scopes.containsKey(routeKey)) {
            throw new IllegalArgumentException(routeKey + " has no scope in ApiRoutes");
        }
        routes.put(routeKey, route);
        return this;
    }

    /**
     * A route that takes an {@code Idempotency-Key} ({@link Idempotency}): the router answers replays,
     * 409 while the key's first request runs and 422 for another request under the key; otherwise it
     * parses the {@code command}, calls the {@code service} with it and its hold on the key, and maps
     * the result to the {@code response} (which is what a replay of the key returns).
     */
    public <C, R> Router idempotent(String routeKey, Idempotency idempotency, Function<ApiRequest, C> command,
                                    BiFunction<C, IdempotentWrite<R>, R> service, Function<R, ApiResponse> response) {
        return route(routeKey, request -> idempotency.run(request, command, service, response));
    }

    /** Writes each successful change to {@code audit} (set once, when the function starts). */
    public Router audited(AuditLog audit) {
        this.audit = audit;
        return this;
    }

    /**
     * Answers the request, and logs it: one line ({@link LogScope#request}) with its route, tenant,
     * status, problem code and latency, under its correlation id, which the response returns in
     * {@value Correlation#HEADER}.
     */
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
        return handle(event, context, Log.Level.INFO);
    }

    /**
     * Serves {@code requests} that warm its paths ({@link Priming}'s, which change nothing) when the
     * function starts: its first real request then finds the classes loaded and the connection open.
     * Lambda runs init with burst CPU and an invocation with the CPU its memory buys, so work done
     * here shortens a cold start; under SnapStart it is in the snapshot. Logged at DEBUG (no one sent
     * them) unless one fails on the server's side.
     */
    public void prime(List<APIGatewayV2HTTPEvent> requests) {
        for (var event : requests) {
            try {
                handle(event, null, Log.Level.DEBUG);
            } catch (RuntimeException e) {
                // Its line says what failed; only the head start is lost.
            }
        }
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context, Log.Level level) {
        var scope = LogScope.request(event, context).level(level);
        return scope.run(() -> {
            var response = answer(event, scope);
            scope.put("status", response.status());
            if (response.status() >= 500) {
                scope.level(Log.Level.ERROR);
            }
            return toEvent(response.withHeader(Correlation.HEADER, scope.correlation()));
        });
    }

    private ApiResponse answer(APIGatewayV2HTTPEvent event, LogScope scope) {
        String path = event.getRawPath();
        try {
            var request = ApiRequest.from(event);
            if (Keys.isTenantId(request.tenantId())) {
                scope.put("tenant", request.tenantId());
            }
            var actor = new Actor(request.userId(), ApiRequest.role(event), request.requestId());
            return Actor.as(actor, () -> {
                var answer = dispatch(request);
                if (answer.status() / 100 == 2 && isChange(request) && audit != null
                        && !"true".equals(answer.headers().get("Idempotent-Replayed"))) {
                    record(request, actor, answer, Actor.touched());
                }
                return answer;
            });
        } catch (ApiException e) {
            scope.put("code", e.code());
            return problem(e, path);
        } catch (RuntimeException e) {
            scope.put("code", "internal_error").error(e);
            return problem(new ApiException(500, "internal_error", "Internal error",
                    "Something went wrong on our side; the request id in the logs is "
                            + (event.getRequestContext() == null ? "unknown" : event.getRequestContext().getRequestId())), path);
        }
    }

    private ApiResponse dispatch(ApiRequest request) {
        var route = routes.get(request.routeKey());
        if (route == null) {
            throw unrouted(request);
        }
        if (!Keys.isTenantId(request.tenantId())) {
            throw new ApiException(403, "tenant_missing", "Forbidden",
                    "The token carries no usable tenant_id claim (letters, digits, _ and -, up to 64)");
        }
        String scope = scopes.get(request.routeKey());
        if (!request.scopes().contains(scope)) {
            throw insufficientScope(scope);
        }
        if (isChange(request) && (request.userId() == null || request.userId().isBlank())) {
            throw new ApiException(403, "subject_missing", "Forbidden",
                    "The token carries no sub claim: a change must name the user who makes it");
        }
        return route.apply(request);
    }

    private static boolean isChange(ApiRequest request) {
        return !"GET".equals(request.method()) && !"HEAD".equals(request.method()) && !"OPTIONS".equals(request.method());
    }

    /**
     * The audit line of a change that succeeded: the route, the customer (the path's when the route is
     * a customer's, else the one whose activity the change wrote, or the customer it created), the
     * path's ids and the created resource's {@code id}. The change has committed: a failure here is
     * logged, not answered.
     */
    private void record(ApiRequest request, Actor actor, ApiResponse response, Set<String> touched) {
        try {
            var ids = new LinkedHashMap<>(request.pathParameters());
            var body = response.body() == null ? null : Json.MAPPER.valueToTree(response.body());
            String created = body != null && body.path("id").isTextual() ? body.path("id").asText() : null;
            if (created != null && !ids.containsValue(created)) {
                ids.put("created", created);
            }
            String customerId = request.routeKey().contains(" /customers/{id}") ? request.pathParameter("id")
                    : touched.size() == 1 ? touched.iterator().next()
                    : "POST /customers".equals(request.routeKey()) ? created : null;
            audit.record(request.tenantId(), actor, request.routeKey(), response.status(), customerId, ids);
        } catch (RuntimeException e) {
            Log.warn("audit line not written", Map.of("route_key", request.routeKey(), "error_type", e.getClass().getName()));
        }
    }

    /** 403 naming the scope, in {@code detail} and as the member {@code scope}. */
    public static ApiException insufficientScope(String scope) {
        return new ApiException(403, "insufficient_scope", "Forbidden",
                "The token lacks the scope " + scope + " that this route needs", List.of(), Map.of("scope", scope), Map.of());
    }

    /** 405 with Allow when another method serves this path (in any function of the API), 404 otherwise. */
    private ApiException unrouted(ApiRequest request) {
        var allowed = new TreeSet<String>();
        var known = new TreeSet<>(routes.keySet());
        known.addAll(ApiRoutes.ALL);
        for (var key : known) {
            int space = key.indexOf(' ');
            if (space > 0 && template(key.substring(space + 1)).matcher(request.path() == null ? "" : request.path()).matches()) {
                allowed.add(key.substring(0, space));
            }
        }
        if (allowed.isEmpty()) {
            return new ApiException(404, "route_not_found", "Not found", "No route serves " + request.path());
        }
        return new ApiException(405, "method_not_allowed", "Method not allowed",
                request.method() + " is not allowed on " + request.path(), List.of(), Map.of(),
                Map.of("Allow", String.join(", ", allowed)));
    }

    static Pattern template(String path) {
        return Pattern.compile(Pattern.quote(path).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q"));
    }

    public static ApiResponse problem(ApiException e, String instance) {
        var headers = new LinkedHashMap<>(e.headers());
        headers.put("Content-Type", "application/problem+json");
        return new ApiResponse(e.status(), headers, e.problem(instance));
    }

    private static APIGatewayV2HTTPResponse toEvent(ApiResponse response) {
        var headers = new LinkedHashMap<String, String>();
        if (response.body() != null) {
            headers.put("Content-Type", "application/json");
        }
        headers.putAll(response.headers());
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(headers)
                .withBody(response.body() == null ? null : Json.write(response.body()))
                .withIsBase64Encoded(false)
                .build();
    }
}
