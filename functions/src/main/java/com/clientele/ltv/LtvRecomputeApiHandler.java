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
 * The ledger-check jobs' API: {@code POST /admin/ltv-recompute} (the LTV recompute) and
 * {@code POST /admin/points-reconcile} (the points reconciliation) queue a job (202,
 * {@code Location}), or answer the tenant's whole-tenant job of that kind already queued or running
 * (200, {@code Location}); {@code GET …/{jobId}} shows it. Routes only; the rules are in {@link RecomputeJobs}.
 */
public final class LtvRecomputeApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Router router;

    public LtvRecomputeApiHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public LtvRecomputeApiHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public LtvRecomputeApiHandler(Components components) {
        this(LtvWiring.jobs(components));
        router.audited(components.audit());
    }

    public LtvRecomputeApiHandler(RecomputeJobs jobs) {
        this.router = new Router();
        routes(jobs, RecomputeJob.LTV, "/admin/ltv-recompute");
        routes(jobs, RecomputeJob.POINTS, "/admin/points-reconcile");
    }

    /** {@code POST path} starts a job of {@code kind}, {@code GET path/{jobId}} shows one. */
    private void routes(RecomputeJobs jobs, String kind, String path) {
        router.route("POST " + path, request -> {
                    var body = request.body() == null ? new StartRequest(null, null) : Bodies.read(request, StartRequest.class);
                    var started = jobs.start(kind, request.tenantId(), request.userId(), body.customerId(),
                            Boolean.TRUE.equals(body.includeRecent()));
                    return new ApiResponse(started.created() ? 202 : 200,
                            Map.of("Location", path + "/" + started.job().id()), started.job());
                })
                .route("GET " + path + "/{jobId}", request ->
                        ApiResponse.ok(jobs.get(kind, request.tenantId(), request.pathParameter("jobId"))));
    }

    /**
     * The body: which customer, or none for all of the tenant's; {@code includeRecent} to count the
     * entries of the last minutes too (an operator's repair after an incident).
     */
    record StartRequest(String customerId, Boolean includeRecent) {
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }
}
