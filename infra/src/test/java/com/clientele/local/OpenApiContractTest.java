package com.clientele.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The check every end-to-end exchange goes through finds what departs from the description. */
class OpenApiContractTest {

    private static final String CUSTOMER = """
            {"id": "cus_01JD3Z8Q4V8M3TNAH5C2Y7W1KX", "type": "individual", "firstName": "Ada", "lastName": "Lovelace",
             "email": "ada@analytical.example", "phone": "+442079460000", "company": null, "paymentTerms": null,
             "billingGroupId": null, "addresses": [], "metadata": {}, "currency": null, "paymentMethod": null,
             "defaultPaymentMethodId": null,
             "stats": {"ltv": {"amount": 0, "currency": null}, "orders": 0, "averageOrderValue": {"amount": 0, "currency": null},
                       "firstPurchaseAt": null, "lastPurchaseAt": null, "lastOrderValue": null,
                       "refunded": {"amount": 0, "currency": null}, "failedPayments": 0, "lastFailedAt": null, "returning": false},
             "pointsAvailable": 0,
             "subscriptions": {"active": 0, "total": 0, "activeMonthlyIncome": null, "collected": null,
                               "averageSubscriptionValue": null, "extensions": 0, "firstStartedAt": null},
             "referralCode": "7K3M9QXR", "referredBy": null,
             "createdAt": "2026-12-01T08:00:00Z", "updatedAt": "2026-12-01T08:00:00Z", "version": 1}""";
    private static final Map<String, String> AUTHORIZED = Map.of("authorization", "Bearer x", "content-type", "application/json");
    private static final Map<String, String> JSON = Map.of("content-type", "application/json");
    private static final Map<String, String> PROBLEM = Map.of("content-type", "application/problem+json");

    private final OpenApiContract described = OpenApiContract.described();

    @Test
    void aConformingExchangeHasNoProblem() {
        assertThat(described.check("GET", "/customers/cus_01JD3Z8Q4V8M3TNAH5C2Y7W1KX", AUTHORIZED, null, 200, JSON, CUSTOMER)).isEmpty();
        assertThat(described.check("GET", "/customers?limit=5&sort=name&hasPurchases=true", AUTHORIZED, null, 200, JSON,
                "{\"data\": [], \"nextCursor\": null, \"summary\": {\"customers\": 0, \"returningCustomersPct\": 0,"
                        + " \"averageSpent\": [], \"averageLtv\": []}}")).isEmpty();
    }

    @Test
    void aResponseOffItsSchemaIsFound() {
        var broken = OpenApiDocument.load().tree().deepCopy();
        ((ObjectNode) broken.at("/components/schemas/Customer/properties/email")).put("type", "integer");
        assertThat(new OpenApiContract(broken).check("GET", "/customers/cus_01JD3Z8Q4V8M3TNAH5C2Y7W1KX", AUTHORIZED, null, 200,
                JSON, CUSTOMER)).singleElement().asString().contains("GET /customers/{id}: 200 body: /email");
        assertThat(described.check("GET", "/customers/cus_1", AUTHORIZED, null, 200, JSON, CUSTOMER.replace("\"version\": 1", "\"version\": \"1\"")))
                .singleElement().asString().contains("/version");
        assertThat(described.check("GET", "/customers/cus_1", AUTHORIZED, null, 200, PROBLEM, CUSTOMER))
                .singleElement().asString().contains("application/problem+json");
    }

    @Test
    void aStatusTheOperationDoesNotDeclareIsFound() {
        assertThat(described.check("GET", "/customers/cus_1", AUTHORIZED, null, 500, JSON, "{\"message\": \"Internal Server Error\"}"))
                .singleElement().asString().contains("status 500 is not described");
    }

    @Test
    void aProblemMustBeAProblemDocument() {
        assertThat(described.check("GET", "/customers/cus_1", AUTHORIZED, null, 404, PROBLEM, "{}"))
                .anyMatch(p -> p.contains("required property 'code'"));
        assertThat(described.check("POST", "/customers/cus_1/charges", Map.of("authorization", "Bearer x",
                        "content-type", "application/json", "idempotency-key", "k1"), "{\"amount\": {\"amount\": 1, \"currency\": \"USD\"}}",
                502, PROBLEM, """
                        {"type": "https://clientele.dev/problems/gateway-unavailable", "title": "Payment processor unavailable",
                         "status": "pending", "detail": "…", "code": "gateway_unavailable", "paymentId": "pay_1"}"""))
                .singleElement().asString().contains("/status");
    }

    @Test
    void aRequestTheDescriptionRefusesMustBeRefusedByTheApi() {
        String noEmail = "{\"firstName\": \"Ada\", \"lastName\": \"Lovelace\", \"phone\": \"+442079460000\"}";
        assertThat(described.check("POST", "/customers", AUTHORIZED, noEmail, 201, JSON, CUSTOMER))
                .singleElement().asString().contains("refuses the request").contains("email");
        assertThat(described.check("POST", "/customers", AUTHORIZED, noEmail, 400, PROBLEM, """
                {"type": "https://clientele.dev/problems/validation-error", "title": "The request is invalid", "status": 400,
                 "detail": "email: is required", "code": "validation_error", "errors": [{"field": "email", "message": "is required"}]}"""))
                .isEmpty();
        assertThat(described.check("GET", "/customers?limit=500", AUTHORIZED, null, 200, JSON, "{}"))
                .anyMatch(p -> p.contains("query parameter limit=500"));
        assertThat(described.check("GET", "/customers?colour=blue", AUTHORIZED, null, 200, JSON, "{}"))
                .anyMatch(p -> p.contains("query parameter colour is not described"));
        assertThat(described.check("POST", "/customers/cus_1/charges", AUTHORIZED, "{\"amount\": {\"amount\": 1, \"currency\": \"USD\"}}",
                201, JSON, "{\"id\": \"pay_1\"}")).anyMatch(p -> p.contains("header idempotency-key is required"));
    }

    @Test
    void anUndescribedRouteMayOnlyBeNotFound() {
        assertThat(described.check("GET", "/nowhere", AUTHORIZED, null, 404, PROBLEM, "{}")).isEmpty();
        assertThat(described.check("PUT", "/customers", AUTHORIZED, null, 405, PROBLEM, "{}")).isEmpty();
        assertThat(described.check("GET", "/nowhere", AUTHORIZED, null, 200, JSON, "{}"))
                .singleElement().asString().contains("is not described");
    }
}
