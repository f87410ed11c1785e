package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.clientele.shared.events.Refused;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One customer charged and refunded by many clients at once: every event of it reaches the stats
 * and the points exactly once, and none of the consumers' writes is lost to another's (the LTV
 * aggregator's and the points accrual's writes of a customer commute), so no event waits for a
 * retry.
 */
class HotCustomerTest {

    static final int CLIENTS = 8;
    static final int CHARGES_EACH = 6;

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    @Test
    void concurrentChargesAndRefundsOfOneCustomerAddUpWithoutAConflict() throws Exception {
        String id = api.post("/customers", """
                {"firstName": "Hot", "lastName": "Customer", "email": "hot@example.com", "phone": "+14155550188"}""")
                .json().path("id").asText();
        assertThat(api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4242424242424242")).status()).isEqualTo(201);
        // the first charge fixes the customer's currency (a profile write of the API); the load comes after it
        assertThat(charge(id).status()).isEqualTo(201);
        long conflictsBefore = Refused.conflicts();

        var refunds = new AtomicInteger();
        var answers = new ArrayList<Integer>();
        try (var clients = Executors.newFixedThreadPool(CLIENTS)) {
            var work = new ArrayList<Callable<List<Integer>>>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                work.add(() -> {
                    var statuses = new ArrayList<Integer>();
                    for (int n = 0; n < CHARGES_EACH; n++) {
                        var charged = charge(id);
                        statuses.add(charged.status());
                        if (n % 3 == client % 3) {
                            var refunded = api.send("POST", "/payments/" + charged.json().path("id").asText() + "/refunds",
                                    "{\"amount\": {\"amount\": 900, \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString());
                            statuses.add(refunded.status());
                            refunds.incrementAndGet();
                        }
                    }
                    return statuses;
                });
            }
            for (var done : clients.invokeAll(work)) {
                answers.addAll(done.get());
            }
        }
        assertThat(answers).containsOnly(201);

        long orders = 1 + CLIENTS * CHARGES_EACH;
        long refunded = refunds.get();
        assertThat(refunded).isPositive();
        JsonNode stats = Eventually.get(() -> api.get("/customers/" + id).json().path("stats"),
                s -> s.path("orders").asLong() == orders && s.path("refunded").path("amount").asLong() == refunded * 900);
        assertThat(stats.path("orders").asLong()).isEqualTo(orders);
        assertThat(stats.path("ltv").path("amount").asLong()).isEqualTo(orders * 8_900 - refunded * 900);
        assertThat(stats.path("averageOrderValue").path("amount").asLong()).isEqualTo(8_900);
        JsonNode points = Eventually.get(() -> api.get("/customers/" + id + "/points").json(),
                p -> p.path("lifetime").asLong() == orders * 89 && p.path("clawedBack").asLong() == refunded * 9);
        assertThat(points.path("available").asLong()).isEqualTo(orders * 89 - refunded * 9);
        assertThat(points.path("nextExpiry").path("points").asLong()).isEqualTo(orders * 89 - refunded * 9);
        assertThat(api.get("/customers/" + id).json().path("pointsAvailable").asLong()).isEqualTo(orders * 89 - refunded * 9);
        assertThat(api.get("/customers?sort=-ltv&limit=1").json().path("data").get(0).path("ltv").path("amount").asLong())
                .isEqualTo(orders * 8_900 - refunded * 900);
        assertThat(Refused.conflicts() - conflictsBefore).as("consumer writes lost to contention").isZero();

        // and it is what the ledger says: a recompute finds no drift
        var job = LtvRecomputeTest.finished(api, LtvRecomputeTest.start(api, "{\"customerId\": \"" + id + "\"}").path("id").asText());
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        assertThat(job.path("drifted").asLong()).isZero();
    }

    private Api.Reply charge(String customer) {
        return api.send("POST", "/customers/" + customer + "/charges", "{\"amount\": {\"amount\": 8900, \"currency\": \"USD\"}}",
                "Idempotency-Key", UUID.randomUUID().toString());
    }
}
