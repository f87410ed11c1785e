package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.local.LocalCloud;
import com.clientele.relationship.CustomerPartition;
import com.clientele.relationship.MergeService;
import com.clientele.relationship.RelationshipWiring;
import com.clientele.shared.Components;
import com.clientele.shared.Env;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Merging duplicates over HTTP: the same person's two records, each with charges, points earned through
 * the queue, a note and the same card (plus one more on the duplicate), become one; the preview says
 * what will move; repeats, a merge stopped half-way and two merges at once all end at the same totals.
 */
class MergeApiTest {

    private static final String VISA = "4242424242424242";
    private static final String MASTERCARD = "5555555555554444";

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private String customer(String email, String phone) {
        var created = api.post("/customers", """
                {"firstName": "Grace", "lastName": "Hopper", "email": "%s", "phone": "%s"}""".formatted(email, phone));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private String charge(String id, long amount, String currency) {
        var reply = api.send("POST", "/customers/" + id + "/charges",
                "{\"amount\": {\"amount\": %d, \"currency\": \"%s\"}, \"receiptId\": \"R-%s\"}".formatted(amount, currency,
                        UUID.randomUUID().toString().substring(0, 8)), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private void card(String id, String number) {
        var reply = api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card(number));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    }

    private void settled(String id, long ltv, long points) {
        Eventually.get(() -> api.get("/customers/" + id).json(), c -> c.path("stats").path("ltv").path("amount").asLong() == ltv);
        Eventually.get(() -> api.get("/customers/" + id + "/points").json(), p -> p.path("available").asLong() == points);
    }

    /** Two records of one person: primary 89.00 (89 points), duplicate 50.00 + 25.00 (75 points); the same Visa on both. */
    private record Pair(String primary, String duplicate, List<String> duplicatePayments) {
    }

    private Pair pair() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String primary = customer("grace." + suffix + "@example.com", "+14155550100");
        card(primary, VISA);
        charge(primary, 8900, "USD");
        assertThat(api.post("/customers/" + primary + "/notes", "{\"type\": \"phone\", \"summary\": \"Primary note\"}").status())
                .isEqualTo(201);
        String duplicate = customer("g.hopper." + suffix + "@example.com", "+14155550101");
        card(duplicate, VISA);
        card(duplicate, MASTERCARD);
        var payments = List.of(charge(duplicate, 5000, "USD"), charge(duplicate, 2500, "USD"));
        assertThat(api.post("/customers/" + duplicate + "/notes", "{\"type\": \"email\", \"summary\": \"Duplicate note\"}").status())
                .isEqualTo(201);
        settled(primary, 8900, 89);
        settled(duplicate, 7500, 75);
        return new Pair(primary, duplicate, payments);
    }

    private Api.Reply merge(String primary, String duplicate, String query) {
        return api.post("/customers/" + primary + "/merge" + query, "{\"duplicateId\": \"" + duplicate + "\"}");
    }

    /** Everything of both is the primary's, counted once. */
    private void assertMerged(Pair pair) {
        var profile = api.get("/customers/" + pair.primary()).json();
        assertThat(profile.path("stats").path("ltv").path("amount").asLong()).isEqualTo(16_400);
        assertThat(profile.path("stats").path("orders").asLong()).isEqualTo(3);
        assertThat(profile.path("pointsAvailable").asLong()).isEqualTo(164);
        var points = api.get("/customers/" + pair.primary() + "/points").json();
        assertThat(points.path("available").asLong()).isEqualTo(164);
        assertThat(points.path("lifetime").asLong()).isEqualTo(164);
        assertThat(points.path("nextExpiry").path("points").asLong()).isEqualTo(164);
        assertThat(api.get("/customers/" + pair.primary() + "/payments").json().path("data")).hasSize(3);
        assertThat(api.get("/customers/" + pair.primary() + "/points/statement").json().path("data")).hasSize(3);
        assertThat(api.get("/customers/" + pair.primary() + "/payment-methods").json().path("data")).hasSize(2);
        var notes = api.get("/customers/" + pair.primary() + "/notes").json().path("data").findValuesAsText("summary");
        assertThat(notes).containsExactlyInAnyOrder("Primary note", "Duplicate note");
        var gone = api.get("/customers/" + pair.duplicate());
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().path("code").asText()).isEqualTo("customer_merged");
        assertThat(gone.json().path("mergedInto").asText()).isEqualTo(pair.primary());
    }

    @Test
    void thePreviewSaysWhatMovesAndTheMergeMovesItAllOnce() {
        var pair = pair();
        var bad = api.post("/customers/" + pair.primary() + "/merge?dryRun=maybe", "{\"duplicateId\": \"" + pair.duplicate() + "\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").get(0).path("field").asText()).isEqualTo("dryRun");

        var preview = merge(pair.primary(), pair.duplicate(), "?dryRun=true");
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        var moves = preview.json().path("moves");
        assertThat(moves.path("payments").asInt()).isEqualTo(2);
        assertThat(moves.path("paymentMethods").asInt()).isEqualTo(1); // the Mastercard; the Visa is the primary's already
        assertThat(moves.path("paymentMethodsDropped")).hasSize(1);
        assertThat(moves.path("pointLots").asInt()).isEqualTo(2);
        assertThat(moves.path("statementLines").asInt()).isEqualTo(2);
        assertThat(moves.path("notes").asInt()).isEqualTo(1);
        assertThat(moves.path("activities").asInt()).isGreaterThanOrEqualTo(8); // created, 2 cards, 2 charges, 2 earnings, note
        var result = preview.json().path("result");
        assertThat(result.path("stats").path("ltv").path("amount").asLong()).isEqualTo(16_400);
        assertThat(result.path("stats").path("orders").asLong()).isEqualTo(3);
        assertThat(result.path("pointsAvailable").asLong()).isEqualTo(164);
        assertThat(api.get("/customers/" + pair.duplicate()).status()).as("a preview writes nothing").isEqualTo(200);
        assertThat(api.get("/customers/" + pair.primary()).json().path("pointsAvailable").asLong()).isEqualTo(89);

        var merged = merge(pair.primary(), pair.duplicate(), "");
        assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
        assertThat(merged.json().path("status").asText()).isEqualTo("merged");
        assertThat(merged.json().path("moves")).isEqualTo(moves);
        assertThat(merged.json().path("customer").path("stats").path("ltv").path("amount").asLong()).isEqualTo(16_400);
        assertThat(merged.json().path("result").path("pointsAvailable").asLong()).isEqualTo(164);
        assertMerged(pair);

        var activities = api.get("/customers/" + pair.primary() + "/activities?limit=100").json().path("data");
        assertThat(activities.findValuesAsText("kind")).contains("customer.merged", "note.added");
        assertThat(activities.findValuesAsText("summary")).contains("Merged " + pair.duplicate() + " into this customer");
        assertThat(activities.size()).isGreaterThanOrEqualTo(moves.path("activities").asInt() + 6);
        assertThat(api.get("/customers/" + pair.duplicate() + "/payments").status()).isEqualTo(404);
        var payment = api.get("/payments/" + pair.duplicatePayments().get(0)).json();
        assertThat(payment.path("customerId").asText()).isEqualTo(pair.primary());
        var receipt = payment.path("receiptId").asText();
        var found = api.get("/customers?q=" + receipt.toLowerCase()).json().path("data");
        assertThat(found).hasSize(1);
        assertThat(found.get(0).path("id").asText()).isEqualTo(pair.primary());
        var analytics = Eventually.get(() -> api.get("/analytics/customers").json(), a -> a.path("totalCustomers").asLong() == 1);
        assertThat(analytics.path("customersWithPurchases").asLong()).isEqualTo(1);
        assertThat(analytics.path("averageLtv").get(0).path("amount").asLong()).isEqualTo(16_400);

        // a repeat changes nothing and says the same
        var again = merge(pair.primary(), pair.duplicate(), "");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("moves")).isEqualTo(moves);
        assertThat(again.json().path("finishedAt").asText()).isEqualTo(merged.json().path("finishedAt").asText());
        assertMerged(pair);

        // the duplicate's email is free again, and a moved payment is refunded from the primary
        var email = api.get("/customers/" + pair.primary()).json().path("email").asText().replace("grace.", "g.hopper.");
        assertThat(api.post("/customers", "{\"firstName\": \"G\", \"lastName\": \"Hopper\", \"email\": \"" + email
                + "\", \"phone\": \"+14155550109\"}").status()).isEqualTo(201);
        assertThat(api.send("POST", "/payments/" + pair.duplicatePayments().get(0) + "/refunds", "{}",
                "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(201);
        settled(pair.primary(), 11_400, 114);
    }

    @Test
    void badMergesAreRefusedWithAReason() {
        String primary = customer("ada@example.com", "+14155550111");
        String other = customer("ada.l@example.com", "+14155550112");
        var self = merge(primary, primary, "");
        assertThat(self.status()).isEqualTo(400);
        assertThat(self.json().path("code").asText()).isEqualTo("self_merge");
        assertThat(self.json().path("errors").get(0).path("field").asText()).isEqualTo("duplicateId");
        var missing = api.post("/customers/" + primary + "/merge", "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("errors").get(0).path("field").asText()).isEqualTo("duplicateId");
        assertThat(merge(primary, "nope", "").json().path("errors").get(0).path("field").asText()).isEqualTo("duplicateId");
        assertThat(api.post("/customers/" + primary + "/merge", "{\"duplicateId\": \"" + other + "\", \"x\": 1}").status()).isEqualTo(400);
        assertThat(merge("cus_01KB0000000000000000000000", other, "").status()).isEqualTo(404);

        var stranger = new Api(cloud.apiUrl(), cloud.token("other" + tenant, "mallory"));
        var theirs = stranger.post("/customers", "{\"firstName\": \"M\", \"lastName\": \"X\", \"email\": \"m@example.com\", \"phone\": \"+14155550113\"}")
                .json().path("id").asText();
        assertThat(merge(primary, theirs, "").status()).isEqualTo(404);
        assertThat(stranger.post("/customers/" + theirs + "/merge", "{\"duplicateId\": \"" + other + "\"}").status()).isEqualTo(404);

        String euros = customer("ada.eur@example.com", "+14155550114");
        card(euros, VISA);
        card(other, MASTERCARD);
        charge(euros, 1000, "EUR");
        charge(other, 1000, "USD");
        var mismatch = merge(euros, other, "");
        assertThat(mismatch.status()).isEqualTo(409);
        assertThat(mismatch.json().path("code").asText()).isEqualTo("currency_mismatch");
        assertThat(mismatch.json().path("detail").asText()).contains("EUR", "USD");
        assertThat(api.get("/customers/" + other).status()).isEqualTo(200);

        assertThat(merge(primary, other, "").status()).isEqualTo(200);
        String third = customer("ada.3@example.com", "+14155550115");
        var mergedAgain = merge(third, other, "");
        assertThat(mergedAgain.status()).isEqualTo(409);
        assertThat(mergedAgain.json().path("code").asText()).isEqualTo("customer_merged");
        assertThat(mergedAgain.json().path("mergedInto").asText()).isEqualTo(primary);
        var chain = merge(other, third, "");
        assertThat(chain.status()).isEqualTo(409);
        assertThat(chain.json().path("code").asText()).isEqualTo("merge_chain");
        assertThat(api.get("/customers/" + third).status()).isEqualTo(200);
        assertThat(api.get("/customers/" + primary).json().path("currency").asText()).isEqualTo("USD");

        assertThat(api.delete("/customers/" + third).status()).isEqualTo(204);
        assertThat(merge(primary, third, "").status()).isEqualTo(404);
        assertThat(merge(third, primary, "").status()).isEqualTo(404);
    }

    @Test
    void aMergeThatDiesHalfWayIsFinishedByRepeatingIt() {
        var env = new Env(cloud.environment("RelationshipFunction"));
        var components = Components.from(env);
        for (String stopAt : List.of("moved PAY#", "points", "recomputed")) {
            var pair = pair();
            var moved = new AtomicInteger();
            MergeService.Checkpoint crash = step -> {
                if (step.startsWith(stopAt) && (!step.startsWith("moved") || moved.incrementAndGet() == 1)) {
                    throw new IllegalStateException("the function died at " + step);
                }
            };
            var service = RelationshipWiring.merges(components, CustomerPartition.TYPES, crash);
            assertThatThrownBy(() -> service.merge(new MergeService.MergeCommand(tenant, pair.primary(), pair.duplicate(), false, "alice")))
                    .hasMessageContaining(stopAt);
            assertThat(api.get("/customers/" + pair.duplicate()).json().path("code").asText()).isEqualTo("customer_merged");

            var finished = merge(pair.primary(), pair.duplicate(), "");
            assertThat(finished.status()).as(stopAt + ": " + finished).isEqualTo(200);
            assertMerged(pair);
            assertThat(merge(pair.primary(), pair.duplicate(), "").status()).isEqualTo(200);
            assertMerged(pair);
        }
    }

    @Test
    void twoMergesOfTheSamePairAtOnceRunOnce() throws Exception {
        var pair = pair();
        var start = new CountDownLatch(1);
        var pool = Executors.newFixedThreadPool(3);
        var replies = new ArrayList<java.util.concurrent.Future<Api.Reply>>();
        for (int i = 0; i < 3; i++) {
            Callable<Api.Reply> call = () -> {
                start.await();
                return merge(pair.primary(), pair.duplicate(), "");
            };
            replies.add(pool.submit(call));
        }
        start.countDown();
        int ok = 0;
        for (var reply : replies) {
            var r = reply.get();
            assertThat(r.status()).as(r.toString()).isIn(200, 409);
            ok += r.status() == 200 ? 1 : 0;
        }
        pool.shutdown();
        assertThat(ok).isPositive();
        assertThat(merge(pair.primary(), pair.duplicate(), "").status()).isEqualTo(200);
        assertMerged(pair);
    }
}
