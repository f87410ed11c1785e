package com.clientele.subscriptions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.shared.Components;
import com.clientele.shared.IdempotentWrite;
import com.clientele.subscriptions.Buyouts.BuyoutCommand;
import com.clientele.subscriptions.Buyouts.BuyoutInput;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Idempotency;
import com.clientele.shared.http.Router;
import com.clientele.subscriptions.SubscriptionService.CancelInput;
import com.clientele.subscriptions.SubscriptionService.ChangeInput;
import com.clientele.subscriptions.SubscriptionService.ExtendCommand;
import com.clientele.subscriptions.SubscriptionService.ExtendInput;
import com.clientele.subscriptions.SubscriptionService.StartCommand;
import com.clientele.subscriptions.SubscriptionService.StartInput;
import java.util.Map;

/** The subscriptions API function: maps each route to a {@link SubscriptionService} call. No rules here. */
public final class SubscriptionsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Router router;

    public SubscriptionsHandler() {
        this(Components.from(System.getenv()));
    }

    /** The local cloud's entry point: the environment template.yaml gives this function. */
    public SubscriptionsHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public SubscriptionsHandler(Components components) {
        this(SubscriptionsWiring.service(components), SubscriptionsWiring.buyouts(components), BillingWiring.renewals(components),
                components.idempotency());
        router.audited(components.audit());
    }

    /** {@code renewals}: a new subscription due at once (no trial) has its first period billed as it starts. */
    public SubscriptionsHandler(SubscriptionService subscriptions, Buyouts buyouts, RenewalService renewals, Idempotency idempotency) {
        this.router = new Router()
                .idempotent("POST /customers/{id}/subscriptions", idempotency, request -> Bodies.read(request, StartInput.class)
                        .command(request.tenantId(), request.pathParameter("id")),
                        (StartCommand command, IdempotentWrite<Subscription> key) -> renewals.billNow(command.tenant(),
                                subscriptions.start(command, key)),
                        (Subscription s) -> new ApiResponse(201, Map.of("Location", "/subscriptions/" + s.id(), "ETag", s.etag()), s))
                .route("GET /customers/{id}/subscriptions", request -> ApiResponse.ok(subscriptions.subscriptions(request.tenantId(),
                        request.pathParameter("id"), request.query())))
                .route("GET /subscriptions/{id}", request -> tagged(subscriptions.subscription(request.tenantId(), request.pathParameter("id"))))
                .route("POST /subscriptions/{id}/pause", request -> tagged(subscriptions.pause(request.tenantId(), request.pathParameter("id"))))
                .route("POST /subscriptions/{id}/resume", request -> tagged(subscriptions.resume(request.tenantId(), request.pathParameter("id"))))
                .route("POST /subscriptions/{id}/cancel", request -> tagged(subscriptions.cancel(request.tenantId(), request.pathParameter("id"),
                        Bodies.read(request, CancelInput.class))))
                .route("POST /subscriptions/{id}/change", request -> tagged(subscriptions.change(request.tenantId(), request.pathParameter("id"),
                        Bodies.read(request, ChangeInput.class))))
                .idempotent("POST /subscriptions/{id}/extend", idempotency, request -> new ExtendCommand(request.tenantId(),
                        request.pathParameter("id"), Bodies.read(request, ExtendInput.class)), subscriptions::extend,
                        SubscriptionsHandler::tagged)
                .idempotent("POST /subscriptions/{id}/buyout", idempotency, request -> new BuyoutCommand(request.tenantId(),
                        request.pathParameter("id"), request.body() == null || request.body().isBlank() ? new BuyoutInput(null)
                                : Bodies.read(request, BuyoutInput.class)), buyouts::buyout, SubscriptionsHandler::tagged);
    }

    private static ApiResponse tagged(Subscription subscription) {
        return ApiResponse.ok(subscription).withHeader("ETag", subscription.etag());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }
}
