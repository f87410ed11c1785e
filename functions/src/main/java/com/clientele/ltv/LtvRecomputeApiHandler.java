package com.clientele.ltv;

import com.clientele.shared.Aws;
import com.clientele.shared.audit.AuditLog;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.shared.Env;
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
        this(System.getenv());
    }

    public LtvRecomputeApiHandler(Map<String, String> environment) {
        this(LtvRecomputeWorkerHandler.jobs(new Env(environment)));
        router.audited(AuditLog.of(new Env(environment), Aws.dynamoDb(new Env(environment))));
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
