package com.clientele.ltv;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.shared.Components;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Router;
import java.util.Map;

/**
 * The recompute API: {@code POST /admin/ltv-recompute} queues a job (202, {@code Location}), or
 * answers the tenant's whole-tenant job already queued or running (200, {@code Location}),
 * {@code GET /admin/ltv-recompute/{jobId}} shows it. Routes only; the rules are in {@link RecomputeJobs}.
 */
public final class LtvRecomputeApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Router router;

    public LtvRecomputeApiHandler() {
        this(Components.from(System.getenv()));
    }

    /** The local cloud's entry point: the environment template.yaml gives this function. */
    public LtvRecomputeApiHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public LtvRecomputeApiHandler(Components components) {
        this(LtvWiring.jobs(components));
        router.audited(components.audit());
    }

    public LtvRecomputeApiHandler(RecomputeJobs jobs) {
        this.router = new Router()
                .route("POST /admin/ltv-recompute", request -> {
                    String customerId = request.body() == null ? null : Bodies.read(request, StartRequest.class).customerId();
                    var started = jobs.start(request.tenantId(), request.userId(), customerId);
                    return new ApiResponse(started.created() ? 202 : 200,
                            Map.of("Location", "/admin/ltv-recompute/" + started.job().id()), started.job());
                })
                .route("GET /admin/ltv-recompute/{jobId}", request ->
                        ApiResponse.ok(jobs.get(request.tenantId(), request.pathParameter("jobId"))));
    }

    /** The body: which customer, or none for all of the tenant's. */
    record StartRequest(String customerId) {
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }
}
