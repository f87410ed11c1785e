package com.clientele.subscriptions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.billinggroups.BillingGroup;
import com.clientele.billinggroups.BillingGroupService;
import com.clientele.billinggroups.GroupInvoicing;
import com.clientele.payments.PaymentStatus;
import com.clientele.subscriptions.RenewalService.Billed;
import com.clientele.shared.Components;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Idempotency;
import com.clientele.shared.http.Router;
import com.clientele.shared.jobs.Budget;
import java.util.List;
import java.util.Map;

/**
 * The recurring billing API function: the tenant's billing settings, a renewal run of the tenant's
 * subscriptions now, and a past-due subscription's failed payment retried or marked paid. No rules here.
 */
public final class BillingHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** What a run asked for over the API works before it goes on through the queue (API Gateway waits 30 s). */
    static final long RUN_BUDGET_MILLIS = 20_000;

    private final Router router;

    public BillingHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public BillingHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public BillingHandler(Components components) {
        this(BillingWiring.billing(components), BillingWiring.groups(components), BillingWiring.renewals(components),
                BillingWiring.groupInvoicing(components), components.idempotency());
        router.audited(components.audit());
    }

    public BillingHandler(BillingService billing, BillingGroupService groups, RenewalService renewals, GroupInvoicing groupInvoicing,
                          Idempotency idempotency) {
        this.router = new Router()
                .route("GET /settings/billing", request -> ApiResponse.ok(billing.settings(request.tenantId())))
                .route("PUT /settings/billing", request -> ApiResponse.ok(billing.updateSettings(request.tenantId(),
                        Bodies.read(request, BillingSettings.Input.class))))
                .route("POST /billing-groups", request -> tagged(201, groups.create(request.tenantId(),
                        Bodies.read(request, BillingGroupService.Input.class))))
                .route("GET /billing-groups", request -> ApiResponse.ok(groups.list(request.tenantId(), request.query())))
                .route("GET /billing-groups/{id}", request -> tagged(200, groups.get(request.tenantId(), request.pathParameter("id"))))
                .route("PATCH /billing-groups/{id}", request -> tagged(200, groups.update(request.tenantId(), request.pathParameter("id"),
                        Bodies.readTree(request), request.header("If-Match").orElse(null))))
                .route("GET /billing-groups/{id}/members", request -> ApiResponse.ok(groups.members(request.tenantId(),
                        request.pathParameter("id"), request.query())))
                .route("POST /billing-groups/{id}/members", request -> ApiResponse.ok(groups.addMember(request.tenantId(),
                        request.pathParameter("id"), Bodies.read(request, BillingGroupService.MemberInput.class))))
                .route("DELETE /billing-groups/{id}/members/{customerId}", request -> {
                    groups.removeMember(request.tenantId(), request.pathParameter("id"), request.pathParameter("customerId"));
                    return ApiResponse.noContent();
                })
                .route("POST /admin/renewals", request -> {
                    var budget = Budget.of(Budget.until(null, RUN_BUDGET_MILLIS, 0));
                    // the tenant's billing groups' months that have ended, invoiced to their payers, then the renewals
                    var invoiced = groupInvoicing.close(null, request.tenantId(), budget);
                    var run = renewals.start(null, request.tenantId(), null, budget).asMap();
                    run.put("billingGroups", invoiced.asMap());
                    return ApiResponse.ok(run);
                })
                .idempotent("POST /subscriptions/{id}/retry", idempotency, request -> new Retry(request.tenantId(),
                        request.pathParameter("id")), (Retry c, IdempotentWrite<Billed> key) -> renewals.retry(c.tenant(),
                        c.subscriptionId(), key), BillingHandler::billed)
                .idempotent("POST /subscriptions/{id}/mark-paid", idempotency, request -> new MarkPaidCommand(request.tenantId(),
                        request.pathParameter("id"), Bodies.read(request, RenewalService.MarkPaid.class)),
                        (MarkPaidCommand c, IdempotentWrite<Billed> key) -> renewals.markPaid(c.tenant(), c.subscriptionId(),
                                c.input(), key), BillingHandler::billed);
    }

    /** The group with its ETag. */
    private static ApiResponse tagged(int status, BillingGroup group) {
        var headers = status == 201 ? Map.of("Location", "/billing-groups/" + group.id(), "ETag", group.etag()) : Map.of("ETag", group.etag());
        return new ApiResponse(status, headers, group);
    }

    private record Retry(String tenant, String subscriptionId) {
    }

    private record MarkPaidCommand(String tenant, String subscriptionId, RenewalService.MarkPaid input) {
    }

    /** 200 with the subscription and its payment, 402 with the decline of a failed one. */
    private static ApiResponse billed(Billed billed) {
        var payment = billed.payment();
        if (payment == null || payment.status() != PaymentStatus.SUCCEEDED) {
            var extensions = new java.util.LinkedHashMap<String, Object>();
            extensions.put("subscriptionId", billed.subscription().id());
            if (payment != null) {
                extensions.put("paymentId", payment.id());
                extensions.put("declineCode", payment.failureCode());
            }
            String code = payment == null ? "payment_method_unavailable" : payment.failureCode();
            return Router.problem(new ApiException(402, code, "Payment declined", payment == null || payment.failureMessage() == null
                    ? "The subscription's card could not be charged; it stays past due" : payment.failureMessage(), List.of(),
                    extensions, Map.of()), "/subscriptions/" + billed.subscription().id());
        }
        return ApiResponse.ok(billed);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }
}
