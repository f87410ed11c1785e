package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Who changed what: money, points, privacy and settings changes made by users of different roles
 * are each a line of {@code GET /audit} (admin only) with the user, role, request id, route and
 * customer; the activity feed names the user, or the consumer that wrote it; a change by a token
 * without a subject is refused and writes nothing.
 */
class AuditTrailTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "au" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final Api admin = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
    private final Api cashier = new Api(cloud.apiUrl(), cloud.tokenOfRole(tenant, "bob", "cashier"));
    private final Api manager = new Api(cloud.apiUrl(), cloud.tokenOfRole(tenant, "carol", "manager"));

    @Test
    void everyChangeIsALineOfTheAuditLogWithWhoMadeIt() {
        String customer = created(admin.post("/customers", """
                {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com", "phone": "+14155550101"}"""));
        String card = created(cashier.post("/customers/" + customer + "/payment-methods", PaymentsApiContract.card(PaymentsApiContract.VISA)));
        String key = UUID.randomUUID().toString();
        var charge = cashier.send("POST", "/customers/" + customer + "/charges", PaymentsApiContract.charge(1200, "USD", card),
                "Idempotency-Key", key);
        assertThat(charge.status()).as(charge.toString()).isEqualTo(201);
        var replayed = cashier.send("POST", "/customers/" + customer + "/charges", PaymentsApiContract.charge(1200, "USD", card),
                "Idempotency-Key", key);
        assertThat(replayed.header("Idempotent-Replayed")).as("a replay, not a second change: no second line").isEqualTo("true");
        String payment = charge.json().path("id").asText();
        var refund = manager.send("POST", "/payments/" + payment + "/refunds", "{\"amount\": {\"amount\": 200, \"currency\": \"USD\"}}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(refund.status()).as(refund.toString()).isEqualTo(201);
        var adjusted = manager.send("POST", "/customers/" + customer + "/points/adjustments", "{\"points\": 50, \"reason\": \"goodwill\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(adjusted.status()).as(adjusted.toString()).isEqualTo(201);
        var settings = manager.send("PUT", "/loyalty/settings", """
                {"pointsPerUnit": 1, "rounding": "DOWN", "lotLifetimeMonths": 12, "referrerBonus": 0,
                 "refereeBonus": 0, "otpRequired": false, "pointValue": {"amount": 5, "currency": "USD"}}""");
        assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
        var saved = admin.get("/loyalty/settings").json().path("updatedBy");
        assertThat(saved.path("userId").asText()).isEqualTo("carol");
        assertThat(saved.path("role").asText()).isEqualTo("manager");
        // the consumer's accrual, then the feed as it is before the erasure
        Eventually.get(() -> admin.get("/customers/" + customer + "/activities?limit=50").json().path("data"),
                data -> kinds(data).contains("points.earned"));
        var feed = admin.get("/customers/" + customer + "/activities?limit=50").json().path("data");
        var erased = admin.post("/customers/" + customer + "/erase", null);
        assertThat(erased.status()).as(erased.toString()).isEqualTo(200);

        assertThat(activity(feed, "payment.succeeded").path("actor").path("userId").asText()).isEqualTo("bob");
        assertThat(activity(feed, "payment.succeeded").path("actor").path("role").asText()).isEqualTo("cashier");
        assertThat(activity(feed, "points.adjusted").path("actor").path("userId").asText()).isEqualTo("carol");
        assertThat(activity(feed, "customer.created").path("actor").path("role").asText()).isEqualTo("admin");
        assertThat(activity(feed, "customer.created").path("actor").path("requestId").asText()).isNotBlank();
        var earned = activity(feed, "points.earned").path("actor");
        assertThat(earned.path("userId").asText()).startsWith("system:").contains("PointsAccrual");
        assertThat(earned.path("role").asText()).isEqualTo("system");

        var lines = audit(admin, "?limit=100");
        assertThat(lines).extracting(l -> l.path("action").asText()).containsExactly(
                "POST /customers/{id}/erase", "PUT /loyalty/settings", "POST /customers/{id}/points/adjustments",
                "POST /payments/{id}/refunds", "POST /customers/{id}/charges", "POST /customers/{id}/payment-methods",
                "POST /customers");
        assertThat(lines).extracting(l -> l.path("actor").path("userId").asText())
                .containsExactly("alice", "carol", "carol", "carol", "bob", "bob", "alice");
        assertThat(lines).extracting(l -> l.path("actor").path("role").asText())
                .containsExactly("admin", "manager", "manager", "manager", "cashier", "cashier", "admin");
        assertThat(lines).allSatisfy(l -> assertThat(l.path("actor").path("requestId").asText()).isNotBlank());
        assertThat(lines).extracting(l -> l.path("actor").path("requestId").asText()).doesNotHaveDuplicates();
        var chargeLine = lines.get(4);
        assertThat(chargeLine.path("customerId").asText()).isEqualTo(customer);
        assertThat(chargeLine.path("resourceIds").path("created").asText()).isEqualTo(payment);
        assertThat(chargeLine.path("status").asInt()).isEqualTo(201);
        assertThat(lines.get(3).path("resourceIds").path("id").asText()).isEqualTo(payment);
        assertThat(lines.get(6).path("customerId").asText()).as("the customer it created").isEqualTo(customer);
        assertThat(lines.get(1).path("customerId").isNull()).isTrue();
        // ids only: nothing of the bodies (the name, the email, the reason) is in the log
        assertThat(lines.toString()).doesNotContain("Lovelace", "ada@example.com", "goodwill");

        assertThat(audit(admin, "?actor=carol")).hasSize(3);
        assertThat(audit(admin, "?action=POST%20/customers/%7Bid%7D/charges")).extracting(l -> l.path("actor").path("userId").asText())
                .containsExactly("bob");
        assertThat(audit(admin, "?customerId=" + customer)).hasSize(6);
        assertThat(audit(admin, "?actor=bob&customerId=" + customer)).hasSize(2);
        assertThat(audit(admin, "?from=" + Instant.now().plus(1, ChronoUnit.MINUTES) + "&to=" + Instant.now().plus(2, ChronoUnit.MINUTES)))
                .isEmpty();
        assertThat(admin.get("/audit?from=2020-01-01T00:00:00Z&to=2020-12-31T00:00:00Z").status()).as("a window over 31 days").isEqualTo(400);
        assertThat(admin.get("/audit?from=yesterday").status()).isEqualTo(400);

        // paging: newest first, the cursor goes on where the page stopped
        var paged = new ArrayList<String>();
        String cursor = null;
        do {
            var page = admin.get("/audit?limit=3" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.path("data").forEach(l -> paged.add(l.path("action").asText()));
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        assertThat(paged).isEqualTo(lines.stream().map(l -> l.path("action").asText()).toList());

        for (var notAdmin : new Api[] {manager, cashier}) {
            var refused = notAdmin.get("/audit");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().path("scope").asText()).isEqualTo("audit:read");
        }
        assertThat(new Api(cloud.apiUrl(), cloud.token("other" + tenant, "mallory")).get("/audit").json().path("data")).isEmpty();
    }

    @Test
    void aChangeByATokenWithoutSubjectIsRefusedAndWritesNothing() {
        String customer = created(admin.post("/customers", """
                {"firstName": "Grace", "lastName": "Hopper", "email": "grace@example.com", "phone": "+14155550102"}"""));
        var anonymous = new Api(cloud.apiUrl(), cloud.tokenOfRole(tenant, null, "admin"));
        var note = anonymous.post("/customers/" + customer + "/notes", "{\"type\": \"phone\", \"summary\": \"Called\"}");
        assertThat(note.status()).as(note.toString()).isEqualTo(403);
        assertThat(note.json().path("code").asText()).isEqualTo("subject_missing");
        var adjusted = anonymous.send("POST", "/customers/" + customer + "/points/adjustments", "{\"points\": 50, \"reason\": \"x\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(adjusted.status()).isEqualTo(403);
        assertThat(anonymous.get("/customers/" + customer).status()).as("reads need no subject").isEqualTo(200);

        assertThat(admin.get("/customers/" + customer + "/notes").json().path("data")).isEmpty();
        assertThat(admin.get("/customers/" + customer + "/points").json().path("available").asLong()).isZero();
        assertThat(kinds(admin.get("/customers/" + customer + "/activities").json().path("data"))).containsExactly("customer.created");
        assertThat(audit(admin, "")).extracting(l -> l.path("action").asText()).containsExactly("POST /customers");
    }

    @Test
    void segmentSettingsSayWhoSavedThem() {
        assertThat(admin.get("/settings/segments").json().path("updatedBy").isNull()).as("the defaults").isTrue();
        var put = manager.send("PUT", "/settings/segments", """
                {"highValueLtv": {"amount": 50000, "currency": "USD"}, "atRiskDays": 30, "loyalOrders": 3, "newDays": 30}""");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        var settings = admin.get("/settings/segments").json();
        assertThat(settings.path("updatedBy").path("userId").asText()).isEqualTo("carol");
        assertThat(settings.path("updatedBy").path("requestId").asText())
                .isEqualTo(audit(admin, "?action=PUT%20/settings/segments").get(0).path("actor").path("requestId").asText());
        assertThat(manager.send("PUT", "/settings/segments", settings.toString()).status()).as("what GET returned, put back").isEqualTo(200);
    }

    private static ArrayList<JsonNode> audit(Api api, String query) {
        var reply = api.get("/audit" + query);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        var lines = new ArrayList<JsonNode>();
        reply.json().path("data").forEach(lines::add);
        return lines;
    }

    private static JsonNode activity(JsonNode feed, String kind) {
        for (var activity : feed) {
            if (activity.path("kind").asText().equals(kind)) {
                return activity;
            }
        }
        throw new AssertionError("no " + kind + " in " + feed);
    }

    private static ArrayList<String> kinds(JsonNode feed) {
        var kinds = new ArrayList<String>();
        feed.forEach(a -> kinds.add(a.path("kind").asText()));
        return kinds;
    }

    private static String created(Api.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }
}
