package com.clientele.tiers;

import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Router;

/** The routes of tiers and journeys, on the router of the function that serves them (the loyalty API's). No rules here. */
public final class TiersRoutes {

    private TiersRoutes() {
    }

    public static Router on(Router router, TierService tiers) {
        return router
                .route("GET /loyalty/tiers", request -> ApiResponse.ok(tiers.settings(request.tenantId())))
                .route("PUT /loyalty/tiers", request -> ApiResponse.ok(tiers.updateSettings(request.tenantId(),
                        Bodies.read(request, TierSettings.Input.class))))
                .route("GET /customers/{id}/tier", request -> ApiResponse.ok(tiers.tier(request.tenantId(), request.pathParameter("id"))))
                .route("PUT /customers/{id}/tier", request -> ApiResponse.ok(tiers.override(request.tenantId(), request.pathParameter("id"),
                        Bodies.read(request, TierService.OverrideInput.class), request.userId())))
                .route("DELETE /customers/{id}/tier", request -> ApiResponse.ok(tiers.removeOverride(request.tenantId(),
                        request.pathParameter("id"), request.userId())))
                .route("GET /customers/{id}/journeys", request -> ApiResponse.ok(tiers.journeys(request.tenantId(),
                        request.pathParameter("id"))))
                .route("GET /analytics/journeys", request -> ApiResponse.ok(tiers.stageCounts(request.tenantId())));
    }
}
