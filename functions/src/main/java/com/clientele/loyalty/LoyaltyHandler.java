package com.clientele.loyalty;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.Priming;
import com.clientele.shared.http.Router;
import java.time.Clock;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;

/** The loyalty API function: maps each route to a {@link LoyaltyService} call. No rules here. */
public final class LoyaltyHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {

    private final Router router;

    /** Lambda's entry point. Under SnapStart, requests are primed before the snapshot is taken. */
    public LoyaltyHandler() {
        this(System.getenv());
        Core.getGlobalContext().register(this);
    }

    /** The local cloud's entry point: the environment template.yaml gives this function. */
    public LoyaltyHandler(Map<String, String> environment) {
        this(service(new Env(environment)));
    }

    public LoyaltyHandler(LoyaltyService loyalty) {
        this.router = new Router()
                .route("GET /loyalty/settings", request -> ApiResponse.ok(loyalty.settings(request.tenantId())))
                .route("PUT /loyalty/settings", request -> ApiResponse.ok(loyalty.updateSettings(request.tenantId(),
                        Bodies.read(request, LoyaltySettings.Input.class))))
                .route("GET /customers/{id}/points", request -> ApiResponse.ok(loyalty.points(request.tenantId(),
                        request.pathParameter("id"))))
                .route("GET /customers/{id}/points/statement", request -> ApiResponse.ok(loyalty.statement(request.tenantId(),
                        request.pathParameter("id"), request.query())));
    }

    private static LoyaltyService service(Env env) {
        return new LoyaltyService(new LoyaltyRepository(Aws.dynamoDb(env), env.require("TABLE_NAME")),
                new Cursors(env.get("CURSOR_SECRET", "clientele-local-cursors")), Clock.systemUTC());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }

    /** Priming: the points of a customer that cannot exist (a real GetItem, no write). */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Priming.loyaltyRequests().forEach(event -> router.handle(event, null));
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: clients hold no credentials.
    }
}
