package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.payments.PaymentFor;
import com.clientele.payments.PaymentInputs.Charge;
import com.clientele.payments.PaymentInputs.ChargeCommand;
import com.clientele.payments.PaymentsWiring;
import com.clientele.shared.Components;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Money;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A service's own charge (a subscription's period): it names what it pays for, and the id the
 * service owns makes it once, however often the service asks again.
 */
class PaymentForTest {

    @Test
    void aServiceChargeNamesItsPeriodAndIsMadeOnceUnderTheIdItOwns() {
        var cloud = TestCloud.embedded();
        String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        var api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
        var created = api.post("/customers", """
                {"firstName": "Ada", "lastName": "Byron", "email": "ada@example.com", "phone": "+14155550111"}""");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String customerId = created.json().path("id").asText();
        assertThat(api.post("/customers/" + customerId + "/payment-methods", PaymentsApiContract.card("4242424242424242"))
                .status()).isEqualTo(201);
        assertThat(api.send("POST", "/customers/" + customerId + "/charges", PaymentsApiContract.charge(500, "USD", null),
                "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(201);

        var payments = PaymentsWiring.service(Components.from(cloud.environment("PaymentsFunction")));
        String subscriptionId = Ids.next(Ids.SUBSCRIPTION);
        String paymentId = Ids.next(Ids.PAYMENT);
        var command = new ChargeCommand(tenant, customerId, new Charge(new Money(8900, "USD"), "Period 1", null, null, null, null, null),
                PaymentFor.period(subscriptionId, 1));
        var first = payments.charge(command, IdempotentWrite.owned(paymentId));
        var again = payments.charge(command, IdempotentWrite.owned(paymentId));

        assertThat(first.id()).isEqualTo(paymentId);
        assertThat(again).isEqualTo(first);
        JsonNode shown = api.get("/payments/" + paymentId).json();
        assertThat(shown.path("subscriptionId").asText()).isEqualTo(subscriptionId);
        assertThat(shown.path("period").asInt()).isEqualTo(1);
        assertThat(shown.path("orderId").isNull()).isTrue();

        JsonNode ofSubscription = api.get("/customers/" + customerId + "/payments?subscriptionId=" + subscriptionId).json().path("data");
        assertThat(ofSubscription).hasSize(1);
        assertThat(ofSubscription.get(0).path("id").asText()).isEqualTo(paymentId);
        assertThat(api.get("/customers/" + customerId + "/payments").json().path("data")).hasSize(2);
        var refused = api.get("/customers/" + customerId + "/payments?subscriptionId=cus_1&orderId=x");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("subscriptionId").contains("orderId");

        var stats = Eventually.get(() -> api.get("/customers/" + customerId).json().path("stats"),
                s -> s.path("ltv").path("amount").asLong() == 9400);
        assertThat(stats.path("orders").asLong()).isEqualTo(2);
    }
}
