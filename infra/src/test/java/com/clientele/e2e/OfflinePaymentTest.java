package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.payments.PaymentFor;
import com.clientele.payments.PaymentInputs.OfflinePayment;
import com.clientele.payments.PaymentInputs.OfflinePaymentCommand;
import com.clientele.payments.PaymentsWiring;
import com.clientele.shared.Components;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Money;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A payment made outside the processor ("mark as paid"): recorded succeeded at once, without a card,
 * with how it was paid; LTV and points count it as a charge; made once under the id its caller owns;
 * bad input named; no refund through the processor.
 */
class OfflinePaymentTest {

    @Test
    void anOfflinePaymentIsRecordedOnceAndCountedAsAnyCharge() {
        var cloud = TestCloud.embedded();
        String tenant = "off" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        var api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
        var created = api.post("/customers", """
                {"firstName": "Olive", "lastName": "Offline", "email": "olive@example.com", "phone": "+14155550112"}""");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String customerId = created.json().path("id").asText();

        var payments = PaymentsWiring.service(Components.from(cloud.environment("PaymentsFunction")));
        String subscriptionId = Ids.next(Ids.SUBSCRIPTION);
        String paymentId = Ids.next(Ids.PAYMENT);
        var command = new OfflinePaymentCommand(tenant, customerId, new OfflinePayment(new Money(8900, "USD"), "Period 2",
                "bank_transfer", "BT-2027-0042"), PaymentFor.period(subscriptionId, 2));
        var first = payments.recordOffline(command, IdempotentWrite.owned(paymentId));
        var again = payments.recordOffline(command, IdempotentWrite.owned(paymentId));
        assertThat(first.id()).isEqualTo(paymentId);
        assertThat(again).isEqualTo(first);

        JsonNode shown = api.get("/payments/" + paymentId).json();
        assertThat(shown.path("status").asText()).isEqualTo("succeeded");
        assertThat(shown.path("paymentMethod").isNull()).isTrue();
        assertThat(shown.path("offline").path("method").asText()).isEqualTo("bank_transfer");
        assertThat(shown.path("offline").path("reference").asText()).isEqualTo("BT-2027-0042");
        assertThat(shown.path("subscriptionId").asText()).isEqualTo(subscriptionId);
        assertThat(shown.path("period").asInt()).isEqualTo(2);
        assertThat(api.get("/customers/" + customerId + "/payments").json().path("data")).hasSize(1);

        var stats = Eventually.get(() -> api.get("/customers/" + customerId).json().path("stats"),
                s -> s.path("ltv").path("amount").asLong() == 8900);
        assertThat(stats.path("orders").asLong()).isEqualTo(1);
        Eventually.get(() -> api.get("/customers/" + customerId + "/points").json(), p -> p.path("available").asLong() == 89);

        var refund = api.send("POST", "/payments/" + paymentId + "/refunds", "{}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(refund.status()).as(refund.text()).isEqualTo(400);
        assertThat(refund.json().path("code").asText()).isEqualTo("payment_not_refundable");

        assertThatThrownBy(() -> payments.recordOffline(new OfflinePaymentCommand(tenant, customerId,
                new OfflinePayment(new Money(8900, "EUR"), null, "barter", " "), PaymentFor.NONE), IdempotentWrite.owned(Ids.next(Ids.PAYMENT))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("method", "reference", "amount.currency"));
        assertThat(api.get("/customers/" + customerId + "/payments").json().path("data")).as("nothing recorded").hasSize(1);
    }
}
