package com.clientele.exports;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.shared.Components;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Priming;
import com.clientele.shared.http.Router;
import java.util.Map;

/**
 * The exports API: {@code POST /exports/customers} queues a CSV export (202, {@code Location}),
 * {@code GET /exports/{id}} shows it (with a download link once done), {@code GET /exports} lists
 * them, {@code POST /exports/{id}/retry} runs a failed one again. Routes only; the rules are in
 * {@link ExportService}, the work in {@link ExportRunner} (the worker function).
 */
public final class ExportsApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Router router;

    /** Lambda's entry point: primes the hot route ({@link Router#prime}) before init ends, so before a SnapStart snapshot. */
    public ExportsApiHandler() {
        this(Components.from(System.getenv()));
        router.prime(Priming.exportRequests());
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public ExportsApiHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public ExportsApiHandler(Components components) {
        this(ExportsWiring.service(components));
        router.audited(components.audit());
    }

    public ExportsApiHandler(ExportService exports) {
        this.router = new Router()
                .route("POST /exports/customers", request -> {
                    // no body: every customer, the default columns
                    var export = exports.start(request.tenantId(), request.userId(),
                            ExportRequest.of(request.body() == null ? null : Bodies.readTree(request)));
                    return new ApiResponse(202, Map.of("Location", "/exports/" + export.id()), export);
                })
                .route("GET /exports", request -> ApiResponse.ok(exports.list(request.tenantId(), request.query())))
                .route("GET /exports/{id}", request -> ApiResponse.ok(exports.get(request.tenantId(), request.pathParameter("id"))))
                .route("POST /exports/{id}/retry", request -> {
                    var export = exports.retry(request.tenantId(), request.pathParameter("id"));
                    return new ApiResponse(202, Map.of("Location", "/exports/" + export.id()), export);
                });
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }
}
