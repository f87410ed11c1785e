package com.clientele.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.List;
import java.util.Map;

/**
 * Requests an API function serves to itself at init ({@link Router#prime}), and samples of the
 * records its hot routes read and write ({@link com.clientele.shared.Prewarm} builds their JSON
 * mapping at init): harmless, and on the hot paths.
 */
public final class Priming {

    /** A tenant reserved for priming: it is only read from, and only an id that cannot exist. */
    static final String TENANT = "priming";
    private static final String ABSENT = "cus_00000000000000000000000000";

    /**
     * A customer as {@code GET /customers/{id}} reads and writes it, every field given: the customers
     * function builds its JSON mapping from it while Lambda builds the handler ({@code Prewarm}).
     */
    public static final String CUSTOMER = """
            {"id": "cus_00000000000000000000000000", "type": "business", "firstName": "Ada", "lastName": "Lovelace",
             "email": "ada@example.com", "phone": "+14155550123",
             "company": {"name": "Analytical Engines", "registrationNumber": "1843", "vatNumber": "GB1843"},
             "paymentTerms": "net_30", "billingGroupId": "bgr_00000000000000000000000000",
             "addresses": [{"kind": "billing", "line1": "12 St James's Square", "line2": null, "city": "London", "region": null,
                            "postalCode": "SW1Y 4JH", "country": "GB", "isDefault": true}],
             "metadata": {"crm": "42"}, "currency": "GBP",
             "paymentMethod": {"id": "pm_00000000000000000000000000", "brand": "visa", "last4": "4242"},
             "defaultPaymentMethodId": "pm_00000000000000000000000000",
             "stats": {"ltv": {"amount": 1000, "currency": "GBP"}, "orders": 1, "averageOrderValue": {"amount": 1000, "currency": "GBP"},
                       "firstPurchaseAt": "2026-01-01T00:00:00Z", "lastPurchaseAt": "2026-01-01T00:00:00Z",
                       "lastOrderValue": {"amount": 1000, "currency": "GBP"}, "refunded": {"amount": 0, "currency": "GBP"},
                       "failedPayments": 0, "lastFailedAt": null, "returning": false, "disputeCount": 0,
                       "disputedAmount": {"amount": 0, "currency": "GBP"}},
             "pointsAvailable": 10,
             "subscriptions": {"active": 1, "total": 1, "activeMonthlyIncome": {"amount": 500, "currency": "GBP"},
                               "collected": {"amount": 500, "currency": "GBP"}, "averageSubscriptionValue": {"amount": 500, "currency": "GBP"},
                               "extensions": 0, "firstStartedAt": "2026-01-01T00:00:00Z"},
             "balance": {"outstanding": 0, "overdue": 0, "currency": "GBP"},
             "referralCode": "ADA1843", "referredBy": null,
             "communicationPreferences": {"marketingEmail": false, "marketingSms": false},
             "tier": {"key": "gold", "name": "Gold", "since": "2026-01-01T00:00:00Z", "override": false},
             "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z", "version": 3}""";


    /** A refunded card payment as {@code GET /payments/{id}} reads and writes it, every field given (as {@link #CUSTOMER}). */
    public static final String PAYMENT = """
            {"id": "pay_00000000000000000000000000", "customerId": "cus_00000000000000000000000000", "status": "partially_refunded",
             "amount": {"amount": 1000, "currency": "GBP"}, "amountRefunded": {"amount": 200, "currency": "GBP"},
             "description": "Order 1843",
             "paymentMethod": {"id": "pm_00000000000000000000000000", "brand": "visa", "last4": "4242", "fingerprint": "fp"},
             "offline": null, "guest": null, "storeId": "store-1", "terminalId": "till-1", "receiptId": "r-1843",
             "orderId": null, "subscriptionId": null, "period": null, "invoiceId": null, "failureCode": null, "failureMessage": null,
             "refunds": [{"id": "re_00000000000000000000000000", "paymentId": "pay_00000000000000000000000000", "status": "succeeded",
                          "amount": {"amount": 200, "currency": "GBP"}, "reason": "requested_by_customer", "failureCode": null,
                          "failureMessage": null, "createdAt": "2026-01-02T00:00:00Z"}],
             "coupon": null, "dispute": null,
             "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-02T00:00:00Z", "version": 2}""";

    private Priming() {
    }

    public static List<APIGatewayV2HTTPEvent> requests() {
        return List.of(
                event("GET /customers/{id}", "GET", "/customers/" + ABSENT, Map.of("id", ABSENT), null),
                event("POST /customers", "POST", "/customers", null, "{\"firstName\": \"Prime\", \"email\": \"not-an-email\"}"));
    }

    /** For the charge-now function: a payment that cannot exist, and a charge refused before any write. */
    public static List<APIGatewayV2HTTPEvent> paymentRequests() {
        String absentPayment = "pay_00000000000000000000000000";
        return List.of(
                event("GET /payments/{id}", "GET", "/payments/" + absentPayment, Map.of("id", absentPayment), null),
                event("POST /customers/{id}/charges", "POST", "/customers/" + ABSENT + "/charges", Map.of("id", ABSENT),
                        "{\"amount\": {\"amount\": 100, \"currency\": \"USD\"}}"));
    }

    /** For the loyalty function: the points of a customer that cannot exist (a real GetItem, no write). */
    public static List<APIGatewayV2HTTPEvent> loyaltyRequests() {
        return List.of(event("GET /customers/{id}/points", "GET", "/customers/" + ABSENT + "/points", Map.of("id", ABSENT), null));
    }

    /** For the exports function: an export that cannot exist (a real GetItem, no write). */
    public static List<APIGatewayV2HTTPEvent> exportRequests() {
        String absentExport = "exp_00000000000000000000000000";
        return List.of(event("GET /exports/{id}", "GET", "/exports/" + absentExport, Map.of("id", absentExport), null));
    }

    private static APIGatewayV2HTTPEvent event(String routeKey, String method, String path, Map<String, String> pathParameters,
                                               String body) {
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey(routeKey).withRawPath(path)
                .withPathParameters(pathParameters).withHeaders(Map.of("content-type", "application/json"))
                .withBody(body).withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("priming")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(Map.of("tenant_id", TENANT, "sub", "priming", "scope", ApiRoutes.SCOPES.get(routeKey))).build())
                                .build())
                        .build())
                .build();
    }
}
