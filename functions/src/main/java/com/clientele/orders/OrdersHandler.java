package com.clientele.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.orders.OrderService.CancelOrder;
import com.clientele.orders.OrderService.OrderInput;
import com.clientele.orders.OrderService.Outcome;
import com.clientele.orders.OrderService.PayInput;
import com.clientele.orders.OrderService.PayOrder;
import com.clientele.orders.OrderService.PlaceOrder;
import com.clientele.shared.Components;
import com.clientele.shared.http.ApiRequest;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.ApiRoutes;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Idempotency;
import com.clientele.shared.http.Router;
import java.util.Map;

/** The orders API function: maps each route to an {@link OrderService} call. No rules here. */
public final class OrdersHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Router router;

    public OrdersHandler() {
        this(Components.from(System.getenv()));
    }

    /** The local cloud's entry point: the environment template.yaml gives this function. */
    public OrdersHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public OrdersHandler(Components components) {
        this(OrdersWiring.service(components), components.idempotency());
        router.audited(components.audit());
    }

    public OrdersHandler(OrderService orders, Idempotency idempotency) {
        this.router = new Router()
                .idempotent("POST /orders", idempotency, request -> new PlaceOrder(request.tenantId(), Bodies.read(request, OrderInput.class)),
                        orders::place, outcome -> answer(outcome, 201))
                .route("GET /orders", request -> ApiResponse.ok(orders.byStatus(request.tenantId(), request.query())))
                .route("GET /orders/{id}", request -> ApiResponse.ok(orders.get(request.tenantId(), request.pathParameter("id"))))
                .route("GET /customers/{id}/orders", request -> ApiResponse.ok(orders.ofCustomer(request.tenantId(),
                        request.pathParameter("id"), request.query())))
                .idempotent("POST /orders/{id}/pay", idempotency, request -> new PayOrder(request.tenantId(), request.pathParameter("id"),
                        hasBody(request) ? Bodies.read(request, PayInput.class) : new PayInput(null)), orders::pay, outcome -> answer(outcome, 200))
                .route("POST /orders/{id}/fulfil", request -> ApiResponse.ok(orders.fulfil(request.tenantId(), request.pathParameter("id"))))
                .idempotent("POST /orders/{id}/cancel", idempotency, request -> new CancelOrder(request.tenantId(),
                        request.pathParameter("id"), request.scopes().contains(ApiRoutes.REFUND_SCOPE)), orders::cancel, outcome -> answer(outcome, 200));
    }

    private static boolean hasBody(ApiRequest request) {
        return request.body() != null && !request.body().isBlank();
    }

    /**
     * The order ({@code status}: 201 with its address when placed), or the 402 problem of the processor's
     * refusal of this request's charge or refund, on the order's address, naming the order and the payment.
     */
    private static ApiResponse answer(Outcome outcome, int status) {
        var order = outcome.order();
        var refusal = outcome.refusal();
        if (refusal == null) {
            return status == 201 ? new ApiResponse(201, Map.of("Location", "/orders/" + order.id()), order) : ApiResponse.ok(order);
        }
        return Router.problem(refusal.problem(Map.of("orderId", order.id(), "orderStatus", order.status().value())),
                "/orders/" + order.id());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }
}
