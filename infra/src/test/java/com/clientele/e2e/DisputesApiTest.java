package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.e2e.Api.Reply;
import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Disputes end to end: the sandbox's disputing cards open a dispute a moment after the charge, the local cloud's
 * processor route moves it (won, lost, warning closed, redelivered), and its effects show over HTTP: the payment
 * disputed, LTV held and given back or kept out (the aggregator equal to the recompute), points clawed back when lost,
 * the dispute figures on the profile; bad input named, another tenant's dispute not found.
 */
class DisputesApiTest {

    static final String FRAUDULENT = "4000000000000259";
    static final String NOT_RECEIVED = "4000000000002685";
    static final String WARNING = "4000000000005423";

    private LocalCloud cloud;
    private String tenant;
    private Api api;

    @BeforeEach
    void setUp() {
        cloud = TestCloud.embedded();
        tenant = "dsp" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
    }

    @Test
    void aFraudulentChargebackIsHeldOutOfLtvAndGivenBackWhenWon() {
        String customer = customer("fran@example.com");
        String paymentId = charge(customer, FRAUDULENT, 10_000);
        Eventually.get(() -> points(customer), p -> p == 100);

        var dispute = appeared(customer);
        String disputeId = dispute.path("id").asText();
        assertThat(disputeId).startsWith("dp_");
        assertThat(dispute.path("paymentId").asText()).isEqualTo(paymentId);
        assertThat(dispute.path("customerId").asText()).isEqualTo(customer);
        assertThat(dispute.path("status").asText()).isEqualTo("needs_response");
        assertThat(dispute.path("reason").asText()).isEqualTo("fraudulent");
        assertThat(dispute.path("amount").path("amount").asLong()).isEqualTo(10_000);
        assertThat(dispute.path("evidenceDueBy").asText()).isNotEmpty();
        var payment = api.get("/payments/" + paymentId).json();
        assertThat(payment.path("disputed").asBoolean()).isTrue();
        assertThat(payment.path("dispute").path("id").asText()).isEqualTo(disputeId);
        assertThat(api.get("/disputes/" + disputeId).json().path("id").asText()).isEqualTo(disputeId);

        var held = Eventually.get(() -> stats(customer), s -> s.path("disputeCount").asLong() == 1);
        assertThat(held.path("ltv").path("amount").asLong()).as("held out while open").isZero();
        assertThat(held.path("disputedAmount").path("amount").asLong()).isEqualTo(10_000);
        assertThat(held.path("orders").asLong()).isEqualTo(1);
        // the tenant may count disputes in the at-risk segment; by default they do not
        assertThat(api.get("/customers?segment=at_risk").json().path("data").findValuesAsText("id")).doesNotContain(customer);
        var counting = api.send("PUT", "/settings/segments", """
                {"highValueLtv": {"amount": 100000, "currency": "USD"}, "atRiskDays": 30, "atRiskDisputes": 1, "loyalOrders": 3, "newDays": 30}""");
        assertThat(counting.status()).as(counting.text()).isEqualTo(200);
        assertThat(counting.json().path("atRiskDisputes").asInt()).isEqualTo(1);
        var atRisk = api.get("/customers?segment=at_risk").json().path("data");
        assertThat(atRisk).hasSize(1);
        assertThat(atRisk.get(0).path("id").asText()).isEqualTo(customer);
        assertThat(atRisk.get(0).path("segments").toString()).contains("at_risk");
        assertThat(api.send("PUT", "/settings/segments", """
                {"highValueLtv": {"amount": 100000, "currency": "USD"}, "atRiskDays": 30, "atRiskDisputes": 0, "loyalOrders": 3, "newDays": 30}""")
                .json().path("errors").get(0).path("field").asText()).isEqualTo("atRiskDisputes");
        var refund = api.send("POST", "/payments/" + paymentId + "/refunds", "{}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(refund.status()).as("nothing is left to refund beside the dispute: " + refund.text()).isEqualTo(400);
        assertThat(refund.json().path("code").asText()).isEqualTo("payment_not_refundable");

        var evidence = api.post("/disputes/" + disputeId + "/evidence", """
                {"productDescription": "A blue kettle", "customerCommunication": "Thanks, it arrived!", "files": ["receipts/r-1.pdf"]}""");
        assertThat(evidence.status()).as(evidence.text()).isEqualTo(200);
        assertThat(evidence.json().path("status").asText()).isEqualTo("under_review");
        assertThat(evidence.json().path("evidence").path("files").get(0).asText()).isEqualTo("receipts/r-1.pdf");

        var won = processor("{\"paymentId\": \"" + paymentId + "\", \"status\": \"won\", \"deliveries\": 3}");
        assertThat(won.status()).as(won.text()).isEqualTo(202);
        Eventually.get(() -> api.get("/disputes/" + disputeId).json(), d -> d.path("status").asText().equals("won"));
        var back = Eventually.get(() -> stats(customer), s -> s.path("ltv").path("amount").asLong() == 10_000);
        assertThat(back.path("disputedAmount").path("amount").asLong()).isZero();
        assertThat(back.path("disputeCount").asLong()).isEqualTo(1);
        assertThat(points(customer)).as("points stay when won").isEqualTo(100);

        assertThat(recomputeDrifted(customer)).as("the aggregator's figures are the ledger's").isZero();
        assertThat(stats(customer)).isEqualTo(back);
        assertThat(api.get("/analytics/customers").json().path("disputeRatePct").decimalValue()).isEqualByComparingTo("100.0");
        var late = api.post("/disputes/" + disputeId + "/evidence", "{\"uncategorizedText\": \"more\"}");
        assertThat(late.status()).as(late.text()).isEqualTo(409);
        assertThat(late.json().path("code").asText()).isEqualTo("dispute_closed");
        assertThat(api.get("/customers/" + customer + "/activities").json().path("data").findValuesAsText("kind"))
                .contains("dispute.created", "dispute.updated", "dispute.closed");
    }

    @Test
    void anAcceptedDisputeIsLostForGoodAndItsPointsAreClawedBackOnce() {
        String customer = customer("nora@example.com");
        String paymentId = charge(customer, NOT_RECEIVED, 5_000);
        Eventually.get(() -> points(customer), p -> p == 50);
        var dispute = appeared(customer);
        assertThat(dispute.path("reason").asText()).isEqualTo("product_not_received");
        String disputeId = dispute.path("id").asText();

        var accepted = api.post("/disputes/" + disputeId + "/accept", "");
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
        assertThat(accepted.json().path("status").asText()).isEqualTo("lost");
        Eventually.get(() -> points(customer), p -> p == 0);
        var lost = Eventually.get(() -> stats(customer), s -> s.path("disputeCount").asLong() == 1);
        assertThat(lost.path("ltv").path("amount").asLong()).isZero();
        assertThat(lost.path("disputedAmount").path("amount").asLong()).isEqualTo(5_000);

        var again = processor("{\"paymentId\": \"" + paymentId + "\", \"status\": \"lost\"}");
        assertThat(again.status()).as("the processor has it lost already: " + again.text()).isEqualTo(409);
        assertThat(api.post("/disputes/" + disputeId + "/accept", "").json().path("code").asText()).isEqualTo("dispute_closed");
        assertThat(recomputeDrifted(customer)).isZero();
        assertThat(points(customer)).isZero();
        var listed = api.get("/disputes?status=lost").json().path("data");
        assertThat(listed.findValuesAsText("id")).containsExactly(disputeId);
    }

    @Test
    void aFraudWarningMovesNoMoneyUnlessEscalated() {
        String customer = customer("walt@example.com");
        String paymentId = charge(customer, WARNING, 3_000);
        var dispute = appeared(customer);
        String disputeId = dispute.path("id").asText();
        assertThat(dispute.path("status").asText()).isEqualTo("warning_needs_response");
        var accept = api.post("/disputes/" + disputeId + "/accept", "");
        assertThat(accept.status()).isEqualTo(409);
        assertThat(accept.json().path("code").asText()).isEqualTo("dispute_is_warning");

        assertThat(processor("{\"paymentId\": \"" + paymentId + "\", \"status\": \"warning_closed\", \"deliveries\": 2}").status()).isEqualTo(202);
        Eventually.get(() -> api.get("/disputes/" + disputeId).json(), d -> d.path("status").asText().equals("warning_closed"));
        var stats = Eventually.get(() -> stats(customer), s -> s.path("orders").asLong() == 1);
        assertThat(stats.path("ltv").path("amount").asLong()).isEqualTo(3_000);
        assertThat(stats.path("disputeCount").asLong()).isZero();
        assertThat(recomputeDrifted(customer)).isZero();
    }

    @Test
    void badInputIsNamedAndAnotherTenantsDisputeIsNotFound() {
        String customer = customer("bad@example.com");
        String paymentId = charge(customer, PaymentsApiContract.VISA, 2_000);
        assertThat(processor("{\"paymentId\": \"" + paymentId + "\", \"amount\": 2001}").status()).as("more than the payment").isEqualTo(422);
        assertThat(processor("{\"paymentId\": \"pay_01KAZ63N5B7V9C1X3Z5A7S9D1F\"}").status()).isEqualTo(404);
        var refund = api.send("POST", "/payments/" + paymentId + "/refunds", "{}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(refund.status()).as(refund.text()).isEqualTo(201);
        var refunded = processor("{\"paymentId\": \"" + paymentId + "\", \"reason\": \"duplicate\"}");
        assertThat(refunded.status()).as("a wholly refunded payment: " + refunded.text()).isEqualTo(409);
        assertThat(refunded.text()).contains("wholly refunded");

        String disputed = charge(customer, PaymentsApiContract.VISA, 4_000);
        assertThat(processor("{\"paymentId\": \"" + disputed + "\", \"amount\": 1500, \"reason\": \"duplicate\"}").status()).isEqualTo(202);
        var dispute = appeared(customer);
        String disputeId = dispute.path("id").asText();
        assertThat(dispute.path("amount").path("amount").asLong()).isEqualTo(1_500);
        var tooMuch = api.send("POST", "/payments/" + disputed + "/refunds", "{\"amount\": {\"amount\": 2501, \"currency\": \"USD\"}}",
                "Idempotency-Key", UUID.randomUUID().toString());
        PaymentsApiContract.assertProblem(tooMuch, 400, "amount.amount");
        var rest = api.send("POST", "/payments/" + disputed + "/refunds", "{\"amount\": {\"amount\": 2500, \"currency\": \"USD\"}}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(rest.status()).as("paid minus disputed can be refunded: " + rest.text()).isEqualTo(201);

        String lone = "{\"productDescription\": \"ok \\ud800 broken\"}";
        PaymentsApiContract.assertProblem(api.post("/disputes/" + disputeId + "/evidence", lone), 400, "productDescription");
        String huge = "{\"customerCommunication\": \"" + "x".repeat(20_001) + "\"}";
        PaymentsApiContract.assertProblem(api.post("/disputes/" + disputeId + "/evidence", huge), 400, "customerCommunication");
        PaymentsApiContract.assertProblem(api.post("/disputes/" + disputeId + "/evidence", "{\"files\": [\"no spaces allowed\"]}"),
                400, "files[0]");
        PaymentsApiContract.assertProblem(api.post("/disputes/" + disputeId + "/evidence", "{}"), 400, "body");
        PaymentsApiContract.assertProblem(api.get("/disputes?status=open"), 400, "status");
        assertThat(api.get("/disputes/dp_nope").status()).isEqualTo(404);

        var other = new Api(cloud.apiUrl(), cloud.token("other" + tenant, "mallory"));
        assertThat(other.get("/disputes/" + disputeId).status()).isEqualTo(404);
        assertThat(other.post("/disputes/" + disputeId + "/accept", "").status()).isEqualTo(404);
        assertThat(other.post("/disputes/" + disputeId + "/evidence", "{\"uncategorizedText\": \"mine\"}").status()).isEqualTo(404);
        assertThat(other.get("/disputes").json().path("data")).isEmpty();
        assertThat(api.get("/disputes/" + disputeId).json().path("status").asText()).isEqualTo("needs_response");

        var page = api.get("/disputes?status=needs_response&limit=1").json();
        assertThat(page.path("data").findValuesAsText("id")).containsExactly(disputeId);
        var cashier = new Api(cloud.apiUrl(), cloud.tokenOfRole(tenant, "carl", "cashier"));
        assertThat(cashier.post("/disputes/" + disputeId + "/accept", "").status()).isEqualTo(403);
    }

    private String customer(String email) {
        var reply = api.post("/customers", """
                {"firstName": "Dee", "lastName": "Spute", "email": "%s", "phone": "+1415555%04d"}""".formatted(email,
                Math.floorMod(email.hashCode(), 10_000)));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private String charge(String customer, String number, long amount) {
        var card = api.post("/customers/" + customer + "/payment-methods", PaymentsApiContract.card(number));
        assertThat(card.status()).as(card.text()).isIn(200, 201);
        var charged = api.send("POST", "/customers/" + customer + "/charges", PaymentsApiContract.charge(amount, "USD",
                card.json().path("id").asText()), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(charged.status()).as(charged.text()).isEqualTo(201);
        return charged.json().path("id").asText();
    }

    /**
     * The customer's one dispute, once recorded (a notice that outruns its payment's settlement is received again after
     * the queue's visibility timeout (30 s): this waits longer than other reads.
     */
    private JsonNode appeared(String customer) {
        var disputes = Eventually.get(() -> api.get("/customers/" + customer + "/disputes").json().path("data"), d -> d.size() == 1,
                java.time.Duration.ofSeconds(90));
        assertThat(disputes).as("the customer's disputes").hasSize(1);
        return disputes.get(0);
    }

    private JsonNode stats(String customer) {
        return api.get("/customers/" + customer).json().path("stats");
    }

    private long points(String customer) {
        return api.get("/customers/" + customer + "/points").json().path("available").asLong();
    }

    /** A recompute of the customer counting every entry: how many customers had drifted (0: the aggregator kept the ledger's figures). */
    private long recomputeDrifted(String customer) {
        var job = LtvRecomputeTest.finished(api, LtvRecomputeTest.start(api, "{\"customerId\": \"" + customer
                + "\", \"includeRecent\": true}").path("id").asText());
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        return job.path("drifted").asLong();
    }

    private Reply processor(String body) {
        return processor(cloud, body);
    }

    /** {@code POST /_local/processor/disputes}: the local cloud plays the processor's notification (no token, not the API). */
    static Reply processor(LocalCloud cloud, String body) {
        try {
            var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cloud.apiUrl() + "/_local/processor/disputes"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
