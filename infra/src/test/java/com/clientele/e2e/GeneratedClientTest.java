package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.clientele.client.ApiClient;
import com.clientele.client.ApiException;
import com.clientele.client.api.CustomersApi;
import com.clientele.client.api.PaymentsApi;
import com.clientele.client.model.CardInput;
import com.clientele.client.model.ChargeInput;
import com.clientele.client.model.CustomerCreate;
import com.clientele.client.model.MoneyInput;
import com.clientele.client.model.PaymentStatus;
import com.clientele.client.model.SavePaymentMethodRequest;
import com.clientele.local.LocalCloud;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The API driven by a client generated from docs/api/openapi.yaml (openapi-generator, Java, the
 * JDK HttpClient; generated into target/ by the build): create a customer, save a card, charge
 * it, read both back.
 */
class GeneratedClientTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Test
    void aGeneratedClientCreatesChargesAndReadsACustomer() throws ApiException {
        String token = cloud.token(tenant, "alice");
        var client = new ApiClient();
        client.updateBaseUri(cloud.apiUrl().toString());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        var customers = new CustomersApi(client);
        var payments = new PaymentsApi(client);

        var created = customers.createCustomer(new CustomerCreate().firstName("Ada").lastName("Lovelace")
                .email("ada@analytical.example").phone("+44 20 7946 0000"));
        assertThat(created.getId()).startsWith("cus_");
        assertThat(created.getPhone()).isEqualTo("+442079460000");

        var card = payments.savePaymentMethod(created.getId(), new SavePaymentMethodRequest()
                .card(new CardInput().number("4242424242424242").expMonth(12).expYear(2034).cvc("123")));
        assertThat(card.getLast4()).isEqualTo("4242");

        var charge = new ChargeInput().amount(new MoneyInput().amount(8900L).currency("USD")).description("Order 1042");
        var payment = payments.chargeCustomer("order-1042-" + created.getId(), created.getId(), charge);
        assertThat(payment.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(payment.getAmount().getAmount()).isEqualTo(8900L);
        assertThat(payment.getPaymentMethod().getId()).isEqualTo(card.getId());

        assertThat(payments.getPayment(payment.getId()).getCustomerId()).isEqualTo(created.getId());
        var read = customers.getCustomer(created.getId());
        assertThat(read.getEmail()).isEqualTo("ada@analytical.example");
        assertThat(read.getPaymentMethod().getId()).isEqualTo(card.getId());
        assertThat(payments.listCustomerPayments(created.getId(), 10, null, null, null, null, null).getData())
                .extracting(p -> p.getId()).containsExactly(payment.getId());

        var refused = catchThrowableOfType(ApiException.class,
                () -> customers.getCustomer("cus_01JD3Z8Q4V8M3TNAH5C2Y7W1KX"));
        assertThat(refused.getCode()).isEqualTo(404);
        assertThat(refused.getResponseBody()).contains("\"code\":\"resource_missing\"");
    }
}
