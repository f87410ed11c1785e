package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The activity feed over HTTP: each change to a customer — through the customers, payments,
 * loyalty and notes functions, and the points accrual on its queue — shows once, newest first,
 * written with the change itself; a refused change shows nothing.
 */
class ActivityFeedTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private JsonNode feed(String id, String query) {
        var reply = api.get("/customers/" + id + "/activities" + query);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    @Test
    void everyChangeShowsOnceNewestFirst() {
        var created = api.post("/customers", """
                {"firstName": "Lin", "lastName": "Chen", "email": "lin@example.com", "phone": "+14155550177"}""");
        String id = created.json().path("id").asText();
        var patched = api.send("PATCH", "/customers/" + id, "{\"phone\": \"+14155550178\", \"metadata\": {\"tier\": \"gold\"}}",
                "If-Match", created.header("ETag"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        // a refused change leaves no activity
        assertThat(api.send("PATCH", "/customers/" + id, "{\"email\": \"nope\"}", "If-Match", patched.header("ETag")).status()).isEqualTo(400);
        assertThat(api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4242424242424242")).status()).isEqualTo(201);
        var charge = api.send("POST", "/customers/" + id + "/charges", "{\"amount\": {\"amount\": 8900, \"currency\": \"USD\"}}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(charge.status()).isEqualTo(201);
        String payment = charge.json().path("id").asText();
        Eventually.get(() -> api.get("/customers/" + id + "/points").json(), p -> p.path("available").asLong() == 89);
        assertThat(api.send("POST", "/payments/" + payment + "/refunds", "{\"amount\": {\"amount\": 900, \"currency\": \"USD\"}}",
                "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(201);
        Eventually.get(() -> api.get("/customers/" + id + "/points").json(), p -> p.path("clawedBack").asLong() == 9);
        assertThat(api.send("POST", "/customers/" + id + "/points/redemptions", "{\"points\": 30, \"reason\": \"coffee\"}",
                "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(201);
        assertThat(api.post("/customers/" + id + "/notes", "{\"type\": \"phone\", \"summary\": \"Called about the refund\"}")
                .status()).isEqualTo(201);

        var all = feed(id, "?limit=20").path("data");
        assertThat(all).extracting(a -> a.path("kind").asText()).containsExactly("note.added", "points.redeemed",
                "points.clawed_back", "payment.refunded", "points.earned", "payment.succeeded", "card.saved", "customer.updated",
                "customer.created");
        assertThat(all).extracting(a -> a.path("summary").asText()).contains("Profile updated: phone, metadata",
                "Charged 89.00 USD", "Refunded 9.00 USD", "Earned 89 points", "Clawed back 9 points (refund)",
                "Redeemed 30 points: coffee", "Card saved: visa ending 4242", "Note added (phone): Called about the refund");
        assertThat(all.get(5).path("ref").asText()).isEqualTo(payment);

        var latest = feed(id, "?limit=7");
        assertThat(latest.path("data")).hasSize(7);
        var rest = feed(id, "?limit=7&cursor=" + latest.path("nextCursor").asText());
        assertThat(rest.path("data")).extracting(a -> a.path("kind").asText()).containsExactly("customer.updated", "customer.created");

        assertThat(new Api(cloud.apiUrl(), cloud.token("other" + tenant, "mallory")).get("/customers/" + id + "/activities").status())
                .isEqualTo(404);
    }

    @Test
    void aDeclinedChargeShowsAsFailed() {
        String id = api.post("/customers", """
                {"firstName": "Po", "lastName": "Son", "email": "po@example.com", "phone": "+14155550179"}""").json().path("id").asText();
        assertThat(api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4000000000000002")).status()).isEqualTo(201);
        assertThat(api.send("POST", "/customers/" + id + "/charges", "{\"amount\": {\"amount\": 500, \"currency\": \"USD\"}}",
                "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(402);
        var newest = feed(id, "?limit=1").path("data").get(0);
        assertThat(newest.path("kind").asText()).isEqualTo("payment.failed");
        assertThat(newest.path("summary").asText()).isEqualTo("Charge of 5.00 USD failed: card_declined");
    }
}
