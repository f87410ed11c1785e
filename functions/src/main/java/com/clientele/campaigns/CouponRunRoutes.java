package com.clientele.campaigns;

import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Idempotency;
import com.clientele.shared.http.Router;
import java.util.Map;

/** The routes of coupon runs, on the router of the function that serves them (the loyalty API's). No rules here. */
public final class CouponRunRoutes {

    private CouponRunRoutes() {
    }

    public static Router on(Router router, CouponRunService runs, Idempotency idempotency) {
        return router
                .idempotent("POST /campaigns/{id}/coupon-runs", idempotency, request -> new CouponRunService.NewRun(request.tenantId(),
                        request.pathParameter("id"), request.userId()), runs::start,
                        run -> new ApiResponse(202, Map.of("Location", "/campaigns/" + run.campaignId() + "/coupon-runs/" + run.id()), run))
                .route("GET /campaigns/{id}/coupon-runs", request -> ApiResponse.ok(runs.list(request.tenantId(),
                        request.pathParameter("id"), request.query())))
                .route("GET /campaigns/{id}/coupon-runs/{runId}", request -> ApiResponse.ok(runs.get(request.tenantId(),
                        request.pathParameter("id"), request.pathParameter("runId"))));
    }
}
