package com.clientele.loyalty;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.campaigns.Campaign;
import com.clientele.campaigns.CampaignService;
import com.clientele.campaigns.CampaignService.NewCampaign;
import com.clientele.campaigns.CampaignWiring;
import com.clientele.campaigns.CouponService;
import com.clientele.campaigns.CouponService.CouponInput;
import com.clientele.campaigns.CouponService.NewCoupon;
import com.clientele.loyalty.RedemptionService.AdjustCommand;
import com.clientele.loyalty.RedemptionService.AdjustmentInput;
import com.clientele.loyalty.RedemptionService.RedeemCommand;
import com.clientele.loyalty.RedemptionService.RedemptionInput;
import com.clientele.shared.Components;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Idempotency;
import com.clientele.shared.http.Priming;
import com.clientele.shared.http.Router;
import java.util.List;
import java.util.Map;

/**
 * The loyalty API function: maps each route to a {@link LoyaltyService} call (the programme, points,
 * redemptions), a {@link CampaignService} call (campaigns) or a {@link CouponService} call (coupons). No rules here.
 */
public final class LoyaltyHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Router router;

    /** Lambda's entry point: primes the hot routes ({@link Router#prime}) before init ends, so before a SnapStart snapshot. */
    public LoyaltyHandler() {
        this(Components.from(System.getenv()));
        router.prime(Priming.loyaltyRequests());
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public LoyaltyHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public LoyaltyHandler(Components components) {
        this(LoyaltyWiring.loyalty(components), LoyaltyWiring.redemptions(components), LoyaltyWiring.otps(components),
                LoyaltyWiring.campaigns(components), CampaignWiring.couponService(components), components.idempotency());
        com.clientele.tiers.TiersRoutes.on(router, com.clientele.tiers.TiersWiring.tiers(components));
        com.clientele.campaigns.CouponRunRoutes.on(router, CampaignWiring.couponRuns(components), components.idempotency());
        router.audited(components.audit());
    }

    public LoyaltyHandler(LoyaltyService loyalty, RedemptionService redemptions, OtpService otps, CampaignService campaigns,
                          CouponService coupons, Idempotency idempotency) {
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
                .route("POST /customers/{id}/points/otp", request -> created(otps.issue(request.tenantId(), request.pathParameter("id"),
                        request.body() == null || request.body().isBlank() ? null : Bodies.read(request, OtpInput.class).channel())))
                .route("GET /customers/{id}/points/otps", request -> ApiResponse.ok(otps.list(request.tenantId(),
                        request.pathParameter("id"), request.query())))
                .idempotent("POST /campaigns", idempotency, request -> new NewCampaign(request.tenantId(),
                        Bodies.read(request, Campaign.Input.class)), campaigns::create,
                        campaign -> new ApiResponse(201, Map.of("Location", "/campaigns/" + campaign.id(), "ETag", campaign.etag()), campaign))
                .route("GET /campaigns", request -> ApiResponse.ok(campaigns.campaigns(request.tenantId(), request.query())))
                .route("GET /campaigns/{id}", request -> tagged(campaigns.campaign(request.tenantId(), request.pathParameter("id"))))
                .route("PATCH /campaigns/{id}", request -> tagged(campaigns.update(request.tenantId(), request.pathParameter("id"),
                        Bodies.readTree(request), request.header("If-Match").orElse(null))))
                .idempotent("POST /campaigns/{id}/coupons", idempotency, request -> new NewCoupon(request.tenantId(),
                        request.pathParameter("id"), Bodies.read(request, CouponInput.class)), coupons::create,
                        coupon -> new ApiResponse(201, Map.of("Location", "/coupons/" + coupon.code()), coupon))
                .route("GET /customers/{id}/coupons", request -> ApiResponse.ok(coupons.customerCoupons(request.tenantId(),
                        request.pathParameter("id"), request.query())))
                .route("GET /coupons/{code}", request -> ApiResponse.ok(coupons.preview(request.tenantId(),
                        request.pathParameter("code"), request.query())));
        for (String action : List.of("activate", "pause", "end")) {
            router.route("POST /campaigns/{id}/" + action, request -> tagged(campaigns.transition(request.tenantId(),
                    request.pathParameter("id"), action)));
        }
    }

    /** The optional body of {@code POST …/points/otp}: the channel to send the code by ({@code sms} or {@code email}). */
    record OtpInput(String channel) {
    }

    private static ApiResponse tagged(Campaign campaign) {
        return ApiResponse.ok(campaign).withHeader("ETag", campaign.etag());
    }

    private static ApiResponse created(Object body) {
        return new ApiResponse(201, Map.of(), body);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }
}
