package com.clientele.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext.Authorizer;
import com.clientele.shared.http.ApiRoutes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * API Gateway (payload 2.0) events for the customers function, as the HTTP API hands them over
 * once its JWT authorizer has accepted a token of {@code tenant}. Uses only classes of the Lambda
 * jar, so {@link ColdStartProbe} can use it too.
 */
final class ApiEvents {

    private ApiEvents() {
    }

    static APIGatewayV2HTTPEvent get(String tenant, String route, String path, Map<String, String> query) {
        return event(tenant, "GET", route, path, query, Map.of(), null);
    }

    static APIGatewayV2HTTPEvent post(String tenant, String route, String path, String json) {
        return event(tenant, "POST", route, path, Map.of(), Map.of("content-type", "application/json"), json);
    }

    /**
     * @param route the route's path as template.yaml declares it, e.g. {@code /customers/{id}}
     * @param path  the request path, e.g. {@code /customers/cus_01J...}
     */
    static APIGatewayV2HTTPEvent event(String tenant, String method, String route, String path, Map<String, String> query,
                                       Map<String, String> headers, String body) {
        var jwt = Authorizer.JWT.builder()
                .withClaims(Map.of("tenant_id", tenant, "sub", "bench-user", "scope", ApiRoutes.SCOPES.get(method + " " + route))).build();
        var context = RequestContext.builder()
                .withRouteKey(method + " " + route)
                .withRequestId(UUID.randomUUID().toString())
                .withHttp(RequestContext.Http.builder().withMethod(method).withPath(path).build())
                .withAuthorizer(Authorizer.builder().withJwt(jwt).build())
                .build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(method + " " + route)
                .withRawPath(path)
                .withPathParameters(pathParameters(route, path))
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withHeaders(headers)
                .withBody(body)
                .withRequestContext(context)
                .build();
    }

    /** {@code {name}} segments of the route, read from the same positions of the path. */
    private static Map<String, String> pathParameters(String route, String path) {
        String[] routeSegments = route.split("/");
        String[] pathSegments = path.split("/");
        var parameters = new LinkedHashMap<String, String>();
        for (int i = 0; i < routeSegments.length && i < pathSegments.length; i++) {
            String segment = routeSegments[i];
            if (segment.startsWith("{") && segment.endsWith("}")) {
                parameters.put(segment.substring(1, segment.length() - 1), pathSegments[i]);
            }
        }
        return parameters.isEmpty() ? null : parameters;
    }
}
