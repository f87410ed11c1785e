package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tenant analytics over HTTP, kept by the writes themselves (customers, and the LTV aggregator). */
class AnalyticsApiTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private String customer(String email, String card) {
        String id = api.post("/customers", """
                {"firstName": "An", "lastName": "Alyst", "email": "%s", "phone": "+14155550190"}""".formatted(email))
                .json().path("id").asText();
        if (card != null) {
            api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card(card));
        }
        return id;
    }

    private void charge(String customer, long amount, String paymentMethodId) {
        var reply = api.send("POST", "/customers/" + customer + "/charges", "{\"amount\": {\"amount\": " + amount + ", \"currency\": \"USD\"}"
                        + (paymentMethodId == null ? "" : ", \"paymentMethodId\": \"" + paymentMethodId + "\"") + "}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(reply.status()).as(reply.toString()).isIn(201, 402);
    }

    @Test
    void theCustomersPageFiguresFollowEveryWrite() {
        String a = customer("a@example.com", "4242424242424242");
        String b = customer("b@example.com", "4242424242424242");
        String c = customer("c@example.com", null);
        charge(a, 8_900, null);
        charge(a, 12_900, null);
        charge(b, 30_000, null);
        String declined = api.post("/customers/" + b + "/payment-methods", PaymentsApiContract.card("4000000000000002"))
                .json().path("id").asText();
        charge(b, 1_000, declined);

        JsonNode figures = Eventually.get(() -> api.get("/analytics/customers").json(),
                f -> f.path("customersWithPurchases").asLong() == 2 && f.path("paymentFailureRatePct").asDouble() > 0
                        && f.path("averageOrderValue").path(0).path("amount").asLong() == 17_267);
        assertThat(figures.path("totalCustomers").asLong()).isEqualTo(3);
        assertThat(figures.path("newCustomersLast30Days").asLong()).isEqualTo(3);
        assertThat(figures.path("customersWithPurchases").asLong()).isEqualTo(2);
        assertThat(figures.path("returningCustomersPct").asDouble()).isEqualTo(50.0);
        assertThat(figures.path("averageLtv").get(0).path("amount").asLong()).isEqualTo(25_900);
        assertThat(figures.path("averageLtv").get(0).path("currency").asText()).isEqualTo("USD");
        assertThat(figures.path("averageOrderValue").get(0).path("amount").asLong()).isEqualTo(17_267);
        assertThat(figures.path("paymentFailureRatePct").asDouble()).isEqualTo(25.0);
        var buckets = figures.path("ltvDistribution").get(0).path("buckets");
        assertThat(buckets.get(2).path("from").path("amount").asLong()).isEqualTo(10_000);
        assertThat(buckets.get(2).path("customers").asLong()).isEqualTo(1);
        assertThat(buckets.get(3).path("customers").asLong()).isEqualTo(1);
        var months = figures.path("newCustomersPerMonth");
        assertThat(months).hasSize(12);
        assertThat(months.get(11).path("month").asText()).isEqualTo(YearMonth.now(ZoneOffset.UTC).toString());
        assertThat(months.get(11).path("customers").asLong()).isEqualTo(3);

        assertThat(api.delete("/customers/" + c).status()).isEqualTo(204);
        assertThat(api.delete("/customers/" + a).status()).isEqualTo(204);
        figures = api.get("/analytics/customers").json();
        assertThat(figures.path("totalCustomers").asLong()).isEqualTo(1);
        assertThat(figures.path("customersWithPurchases").asLong()).isEqualTo(1);
        assertThat(figures.path("averageLtv").get(0).path("amount").asLong()).isEqualTo(30_000);
        assertThat(figures.path("newCustomersLast30Days").asLong()).as("creations are history").isEqualTo(3);
    }

    @Test
    void aNewTenantHasZeros() {
        var figures = api.get("/analytics/customers").json();
        assertThat(figures.path("totalCustomers").asLong()).isZero();
        assertThat(figures.path("returningCustomersPct").asDouble()).isZero();
        assertThat(figures.path("ltvDistribution")).isEmpty();
    }
}
