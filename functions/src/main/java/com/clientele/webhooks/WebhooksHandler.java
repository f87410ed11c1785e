package com.clientele.webhooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.shared.Components;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Router;
import java.util.Map;

/** The webhooks API function: endpoints, events, deliveries and resends, each route a {@link WebhookService} call. No rules here. */
public final class WebhooksHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Router router;

    public WebhooksHandler() {
        this(Components.from(System.getenv()));
    }

    /** The local cloud's entry point: the environment template.yaml gives this function. */
    public WebhooksHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public WebhooksHandler(Components components) {
        this(WebhookWiring.service(components));
        router.audited(components.audit());
    }

    public WebhooksHandler(WebhookService webhooks) {
        this.router = new Router()
                .route("POST /webhook-endpoints", request -> {
                    var created = webhooks.create(request.tenantId(), Bodies.read(request, WebhookEndpoint.Input.class));
                    return new ApiResponse(201, Map.of("Location", "/webhook-endpoints/" + created.endpoint().id(),
                            "ETag", created.endpoint().etag()), created);
                })
                .route("GET /webhook-endpoints", request -> ApiResponse.ok(webhooks.endpoints(request.tenantId(), request.query())))
                .route("GET /webhook-endpoints/{id}", request -> tagged(webhooks.endpoint(request.tenantId(), request.pathParameter("id"))))
                .route("PATCH /webhook-endpoints/{id}", request -> tagged(webhooks.update(request.tenantId(), request.pathParameter("id"),
                        Bodies.readTree(request), request.header("If-Match").orElse(null))))
                .route("DELETE /webhook-endpoints/{id}", request -> {
                    webhooks.delete(request.tenantId(), request.pathParameter("id"));
                    return ApiResponse.noContent();
                })
                .route("POST /webhook-endpoints/{id}/roll-secret", request -> {
                    var rolled = webhooks.rollSecret(request.tenantId(), request.pathParameter("id"),
                            request.body() == null || request.body().isBlank() ? null : Bodies.read(request, WebhookService.Roll.class));
                    return ApiResponse.ok(rolled).withHeader("ETag", rolled.endpoint().etag());
                })
                .route("GET /webhook-endpoints/{id}/deliveries", request -> ApiResponse.ok(webhooks.deliveries(request.tenantId(),
                        request.pathParameter("id"), request.query())))
                .route("GET /events", request -> ApiResponse.ok(webhooks.events(request.tenantId(), request.query())))
                .route("GET /events/{id}", request -> ApiResponse.ok(webhooks.event(request.tenantId(), request.pathParameter("id"))))
                .route("POST /events/{id}/resend", request -> new ApiResponse(202, Map.of(), webhooks.resend(request.tenantId(),
                        request.pathParameter("id"), Bodies.read(request, WebhookService.Resend.class))));
    }

    private static ApiResponse tagged(WebhookEndpoint endpoint) {
        return ApiResponse.ok(endpoint).withHeader("ETag", endpoint.etag());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }
}
