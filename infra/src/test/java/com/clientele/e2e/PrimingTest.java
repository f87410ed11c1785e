package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.customers.CustomersHandler;
import com.clientele.shared.http.Priming;
import org.junit.jupiter.api.Test;

/** Priming (what an API function serves itself at init) runs the hot paths against the real table and changes nothing. */
class PrimingTest {

    @Test
    void primingRequestsAreServedWithoutWriting() {
        var handler = new CustomersHandler(TestCloud.embedded().environment("CustomersFunction"));
        var statuses = Priming.requests().stream().map(event -> handler.handleRequest(event, null).getStatusCode()).toList();
        assertThat(statuses).containsExactly(404, 400);
        assertNothingWrittenForThePrimingTenant();
    }

    @Test
    void thePaymentsFunctionsPrimingIsServedWithoutWriting() {
        var handler = new com.clientele.payments.PaymentsHandler(TestCloud.embedded().environment("PaymentsFunction"));
        assertThat(Priming.paymentRequests().stream().map(event -> handler.handleRequest(event, null).getStatusCode()))
                .containsExactly(404, 400);
        assertNothingWrittenForThePrimingTenant();
    }

    private static void assertNothingWrittenForThePrimingTenant() {
        try (var dynamo = TestCloud.dynamoDb(TestCloud.embedded().dynamoDbEndpoint())) {
            var items = dynamo.scan(r -> r.tableName(TestCloud.embedded().resources().get("Table"))
                    .filterExpression("contains(PK, :p)")
                    .expressionAttributeValues(java.util.Map.of(":p",
                            software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("priming")))).count();
            assertThat(items).isZero();
        }
    }

    @Test
    void theLoyaltyFunctionsPrimingIsServedWithoutWriting() {
        var handler = new com.clientele.loyalty.LoyaltyHandler(TestCloud.embedded().environment("LoyaltyFunction"));
        assertThat(Priming.loyaltyRequests().stream().map(event -> handler.handleRequest(event, null).getStatusCode()))
                .containsExactly(404);
    }

    @Test
    void theExportsFunctionsPrimingIsServedWithoutWriting() {
        var handler = new com.clientele.exports.ExportsApiHandler(TestCloud.embedded().environment("ExportsApiFunction"));
        assertThat(Priming.exportRequests().stream().map(event -> handler.handleRequest(event, null).getStatusCode()))
                .containsExactly(404);
    }
}
