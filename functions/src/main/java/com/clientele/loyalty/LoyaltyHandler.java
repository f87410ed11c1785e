package com.clientele.loyalty;

import com.clientele.shared.audit.AuditLog;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.loyalty.RedemptionService.AdjustCommand;
import com.clientele.loyalty.RedemptionService.AdjustmentInput;
import com.clientele.loyalty.RedemptionService.RedeemCommand;
import com.clientele.loyalty.RedemptionService.RedemptionInput;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.Idempotency;
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
        this(Services.of(new Env(environment)));
        router.audited(AuditLog.of(new Env(environment), Aws.dynamoDb(new Env(environment))));
    }

    public LoyaltyHandler(LoyaltyService loyalty, RedemptionService redemptions, OtpService otps, Idempotency idempotency) {
        this.router = new Router()
                .route("GET /loyalty/settings", request -> ApiResponse.ok(loyalty.settings(request.tenantId())))
                .route("PUT /loyalty/settings", request -> ApiResponse.ok(loyalty.updateSettings(request.tenantId(),
                        Bodies.read(request, LoyaltySettings.Input.class))))
                .route("GET /customers/{id}/points", request -> ApiResponse.ok(loyalty.points(request.tenantId(),
                        request.pathParameter("id"))))
                .route("GET /customers/{id}/points/statement", request -> ApiResponse.ok(loyalty.statement(request.tenantId(),
                        request.pathParameter("id"), request.query())))
                .idempotent("POST /customers/{id}/points/redemptions", idempotency, request -> new RedeemCommand(
                        request.tenantId(), request.pathParameter("id"), request.userId(), Bodies.read(request, RedemptionInput.class)),
                        redemptions::redeem, LoyaltyHandler::created)
                .idempotent("POST /customers/{id}/points/adjustments", idempotency, request -> new AdjustCommand(
                        request.tenantId(), request.pathParameter("id"), request.userId(), Bodies.read(request, AdjustmentInput.class)),
                        redemptions::adjust, LoyaltyHandler::created)
                .route("POST /customers/{id}/points/otp", request -> created(otps.issue(request.tenantId(), request.pathParameter("id"))))
                .route("GET /customers/{id}/points/otps", request -> ApiResponse.ok(otps.list(request.tenantId(),
                        request.pathParameter("id"), request.query())));
    }

    private static ApiResponse created(Object body) {
        return new ApiResponse(201, Map.of(), body);
    }

    private LoyaltyHandler(Services services) {
        this(services.loyalty(), services.redemptions(), services.otps(), services.idempotency());
    }

    private record Services(LoyaltyService loyalty, RedemptionService redemptions, OtpService otps, Idempotency idempotency) {

        /**
         * OTPs go through the sandbox sender (the code comes back to the caller): no SMS or email
         * provider is wired yet; a real one is one {@link OtpService.Sender}.
         */
        static Services of(Env env) {
            var dynamoDb = Aws.dynamoDb(env);
            String table = env.require("TABLE_NAME");
            var repository = new LoyaltyRepository(dynamoDb, table);
            String cursorSecret = env.require("CURSOR_SECRET");
            var cursors = new Cursors(cursorSecret);
            var clock = Clock.systemUTC();
            var otps = new OtpService(repository, OtpService.SANDBOX, env.require("OTP_SECRET"), cursors, clock);
            var idempotency = new Idempotency(Aws.enhanced(dynamoDb), table, cursorSecret, clock);
            return new Services(new LoyaltyService(repository, cursors, clock),
                    new RedemptionService(repository, otps, clock), otps, idempotency);
        }
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
