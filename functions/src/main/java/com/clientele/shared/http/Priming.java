package com.clientele.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.List;
import java.util.Map;

/** Requests an API function serves before a SnapStart snapshot: harmless, and on the hot paths. */
public final class Priming {

    /** A tenant reserved for priming: it is only read from, and only an id that cannot exist. */
    static final String TENANT = "snapstart-priming";
    private static final String ABSENT = "cus_00000000000000000000000000";

    private Priming() {
    }

    public static List<APIGatewayV2HTTPEvent> requests() {
        return List.of(
                event("GET /customers/{id}", "GET", "/customers/" + ABSENT, Map.of("id", ABSENT), null),
                event("POST /customers", "POST", "/customers", null, "{\"firstName\": \"Prime\", \"email\": \"not-an-email\"}"));
    }

    /** For the charge-now function: a payment that cannot exist, and a charge refused before any write. */
    public static List<APIGatewayV2HTTPEvent> paymentRequests() {
        String absentPayment = "pay_00000000000000000000000000";
        return List.of(
                event("GET /payments/{id}", "GET", "/payments/" + absentPayment, Map.of("id", absentPayment), null),
                event("POST /customers/{id}/charges", "POST", "/customers/" + ABSENT + "/charges", Map.of("id", ABSENT),
                        "{\"amount\": {\"amount\": 100, \"currency\": \"USD\"}}"));
    }

    /** For the loyalty function: the points of a customer that cannot exist (a real GetItem, no write). */
    public static List<APIGatewayV2HTTPEvent> loyaltyRequests() {
        return List.of(event("GET /customers/{id}/points", "GET", "/customers/" + ABSENT + "/points", Map.of("id", ABSENT), null));
    }

    /** For the exports function: an export that cannot exist (a real GetItem, no write). */
    public static List<APIGatewayV2HTTPEvent> exportRequests() {
        String absentExport = "exp_00000000000000000000000000";
        return List.of(event("GET /exports/{id}", "GET", "/exports/" + absentExport, Map.of("id", absentExport), null));
    }

    private static APIGatewayV2HTTPEvent event(String routeKey, String method, String path, Map<String, String> pathParameters,
                                               String body) {
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey(routeKey).withRawPath(path)
                .withPathParameters(pathParameters).withHeaders(Map.of("content-type", "application/json"))
                .withBody(body).withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("priming")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(Map.of("tenant_id", TENANT, "sub", "priming", "scope", ApiRoutes.SCOPES.get(routeKey))).build())
                                .build())
                        .build())
                .build();
    }
}
