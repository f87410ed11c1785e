package com.clientele.customers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.analytics.AnalyticsService;
import com.clientele.analytics.TenantCounters;
import com.clientele.shared.Components;
import com.clientele.shared.Prewarm;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Priming;
import com.clientele.shared.http.Router;
import java.util.List;
import java.util.Map;

/** The customers API function: maps each route to a {@link CustomerService} call. No rules here. */
public final class CustomersHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Started when Lambda loads this class, to build a customer's JSON mapping while the constructor builds the SDK clients. */
    private static final Prewarm PREWARM = Prewarm.start(Customer.class, Priming.CUSTOMER);

    private final Router router;

    /** Lambda's entry point: primes the hot routes ({@link Router#prime}) before init ends, so before a SnapStart snapshot. */
    public CustomersHandler() {
        this(Components.from(System.getenv()));
        router.prime(Priming.requests());
        PREWARM.await();
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public CustomersHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public CustomersHandler(Components components) {
        this(CustomersWiring.service(components),
                new AnalyticsService(new TenantCounters(components.dynamoDb(), components.table()), components.clock()));
        var audit = components.audit();
        var cursors = components.cursors();
        router.audited(audit).route("GET /audit", request -> ApiResponse.ok(audit.list(request.tenantId(), request.query(), cursors)));
        smartLists(router, CustomersWiring.smartLists(components));
    }

    /** The smart lists' routes: saved queries of the customers list. */
    private static void smartLists(Router router, SmartListService lists) {
        router.route("POST /smart-lists", request -> {
                    var list = lists.create(request.tenantId(), Bodies.readTree(request));
                    return new ApiResponse(201, Map.of("Location", "/smart-lists/" + list.id(), "ETag", list.etag()), list);
                })
                .route("GET /smart-lists", request -> ApiResponse.ok(lists.list(request.tenantId(), request.query())))
                .route("GET /smart-lists/{id}", request -> withEtag(lists.get(request.tenantId(), request.pathParameter("id"))))
                .route("PATCH /smart-lists/{id}", request -> withEtag(lists.update(request.tenantId(), request.pathParameter("id"),
                        Bodies.readTree(request), request.header("If-Match").orElse(null))))
                .route("DELETE /smart-lists/{id}", request -> {
                    lists.delete(request.tenantId(), request.pathParameter("id"));
                    return ApiResponse.noContent();
                });
    }

    public CustomersHandler(CustomerService customers) {
        this(customers, null);
    }

    /** {@code analytics} may be null where only the customers routes are wanted (benchmarks). */
    public CustomersHandler(CustomerService customers, AnalyticsService analytics) {
        this.router = new Router()
                .route("POST /customers", request -> {
                    var customer = customers.create(request.tenantId(), Bodies.read(request, CustomerInput.class));
                    return new ApiResponse(201, Map.of("Location", "/customers/" + customer.id(), "ETag", customer.etag()), customer);
                })
                .route("GET /customers", request -> ApiResponse.ok(customers.list(request.tenantId(), ListQuery.from(request))))
                .route("GET /customers/top", request -> ApiResponse.ok(customers.top(request.tenantId(),
                        ListQuery.topLimit(request))))
                .route("GET /settings/segments", request -> ApiResponse.ok(customers.segmentSettings(request.tenantId())))
                .route("PUT /settings/segments", request -> ApiResponse.ok(customers.updateSegmentSettings(request.tenantId(),
                        Bodies.read(request, SegmentSettings.Input.class))))
                .route("GET /customers/{id}", request -> withEtag(customers.get(request.tenantId(), request.pathParameter("id"))))
                .route("PATCH /customers/{id}", request -> withEtag(customers.update(request.tenantId(),
                        request.pathParameter("id"), Bodies.readTree(request), request.header("If-Match").orElse(null))))
                .route("DELETE /customers/{id}", request -> {
                    customers.delete(request.tenantId(), request.pathParameter("id"));
                    return ApiResponse.noContent();
                })
                .route("POST /customers/batch-delete", request -> ApiResponse.ok(customers.batchDelete(request.tenantId(),
                        Bodies.read(request, BatchDelete.class).ids())))
                .route("GET /analytics/customers", request -> ApiResponse.ok(analytics.customers(request.tenantId())));
    }

    record BatchDelete(List<String> ids) {
    }

    private static ApiResponse withEtag(Customer customer) {
        return ApiResponse.ok(customer).withHeader("ETag", customer.etag());
    }

    private static ApiResponse withEtag(SmartList list) {
        return ApiResponse.ok(list).withHeader("ETag", list.etag());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }
}
