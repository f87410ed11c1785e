package com.clientele.subscriptions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.shared.Components;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Router;
import java.util.Map;

/** The recurring billing API function: the tenant's billing settings. No rules here. */
public final class BillingHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Router router;

    public BillingHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public BillingHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public BillingHandler(Components components) {
        this(BillingWiring.billing(components));
        router.audited(components.audit());
    }

    public BillingHandler(BillingService billing) {
        this.router = new Router()
                .route("GET /settings/billing", request -> ApiResponse.ok(billing.settings(request.tenantId())))
                .route("PUT /settings/billing", request -> ApiResponse.ok(billing.updateSettings(request.tenantId(),
                        Bodies.read(request, BillingSettings.Input.class))));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }
}
