package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Coupon runs over HTTP, worked by the local cloud's worker from its queue: a run gives exactly its
 * audience (a segment, listed customers) one coupon each and skips who had one, is not live or was erased;
 * a second run makes none; campaigns that give no coupons, another tenant's, and a token without the scope.
 */
class CouponRunsApiTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private static String offer(String audience) {
        return """
                {"name": "Run", "startsAt": "2020-01-01T00:00:00Z", "audience": %s,
                 "coupon": {"type": "percent_off", "percentOff": 10}}""".formatted(audience);
    }

    static Api.Reply start(Api api, String campaignId) {
        return api.send("POST", "/campaigns/" + campaignId + "/coupon-runs", null, "Idempotency-Key", UUID.randomUUID().toString());
    }

    /** Starts a run and waits for it to be over. */
    private JsonNode run(String campaignId) {
        var started = start(api, campaignId);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String runId = started.json().path("id").asText();
        assertThat(runId).startsWith("crun_");
        assertThat(started.header("Location")).isEqualTo("/campaigns/" + campaignId + "/coupon-runs/" + runId);
        assertThat(started.json().path("status").asText()).isEqualTo("queued");
        assertThat(started.json().has("cursor")).isFalse();
        var done = Eventually.get(() -> api.get("/campaigns/" + campaignId + "/coupon-runs/" + runId),
                r -> Set.of("succeeded", "failed").contains(r.json().path("status").asText()), RUN_TIMEOUT).json();
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.has("cursor")).isFalse();
        assertThat(done.path("startedAt").isTextual()).isTrue();
        assertThat(done.path("finishedAt").isTextual()).isTrue();
        return done;
    }

    private List<String> codes(String customerId, String campaignId) {
        var mine = api.get("/customers/" + customerId + "/coupons");
        assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
        var codes = new java.util.ArrayList<String>();
        mine.json().path("data").forEach(c -> {
            if (c.path("campaignId").asText().equals(campaignId)) {
                codes.add(c.path("code").asText());
                assertThat(c.path("given").asBoolean()).isTrue();
                assertThat(c.path("status").asText()).isEqualTo("available");
            }
        });
        return codes;
    }

    private String customer(String type) {
        var made = api.post("/customers", """
                {"type": "%s", "firstName": "Ana", "lastName": "Ruiz", "email": "ana%s@example.com", "phone": "+1415555%04d"%s}"""
                .formatted(type, UUID.randomUUID().toString().substring(0, 8), java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000),
                        "business".equals(type) ? ", \"company\": {\"name\": \"Ruiz SL\"}" : ""));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        return made.json().path("id").asText();
    }

    @Test
    void aRunOverListedCustomersGivesEachOneCouponAndSkipsTheRest() {
        String ana = customer("individual");
        String bob = customer("individual");
        String gone = customer("individual");
        String erased = customer("individual");
        String outsider = customer("individual");
        String unknown = "cus_01JD3Z8Q4V8M3TNAH5C2Y7W1KX";
        assertThat(api.delete("/customers/" + gone).status()).isEqualTo(204);
        assertThat(api.post("/customers/" + erased + "/erase", null).status()).isEqualTo(200);
        String campaignId = CouponsApiTest.campaign(api, offer("""
                {"type": "customers", "customerIds": ["%s", "%s", "%s", "%s", "%s"]}""".formatted(ana, bob, gone, erased, unknown)));
        // bob was given one by hand: the run skips him
        var byHand = CouponsApiTest.coupon(api, campaignId, "{\"customerId\": \"" + bob + "\"}");
        assertThat(byHand.status()).as(byHand.toString()).isEqualTo(201);

        var done = run(campaignId);
        assertThat(done.path("customersSeen").asLong()).isEqualTo(5);
        assertThat(done.path("couponsMade").asLong()).isEqualTo(1);
        assertThat(done.path("skipped").asLong()).isEqualTo(4);
        assertThat(done.path("failed").asLong()).isZero();
        assertThat(codes(ana, campaignId)).hasSize(1).allSatisfy(code -> assertThat(code).matches("[0-9A-HJKMNP-TV-Z]{16}"));
        assertThat(codes(bob, campaignId)).containsExactly(byHand.json().path("code").asText());
        assertThat(codes(erased, campaignId)).isEmpty();
        assertThat(codes(outsider, campaignId)).isEmpty();
        String code = codes(ana, campaignId).get(0);
        assertThat(api.get("/coupons/" + code + "?customerId=" + ana).json().path("applies").asBoolean()).isTrue();

        // a second run makes none: everyone listed has one already, or is not live
        var again = run(campaignId);
        assertThat(again.path("couponsMade").asLong()).isZero();
        assertThat(again.path("skipped").asLong()).isEqualTo(5);
        assertThat(codes(ana, campaignId)).containsExactly(code);

        var list = api.get("/campaigns/" + campaignId + "/coupon-runs?limit=1");
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.json().path("data")).hasSize(1);
        assertThat(list.json().path("data").get(0).path("id").asText()).isEqualTo(again.path("id").asText());
        var next = api.get("/campaigns/" + campaignId + "/coupon-runs?limit=1&cursor=" + list.json().path("nextCursor").asText());
        assertThat(next.json().path("data").get(0).path("id").asText()).isEqualTo(done.path("id").asText());
    }

    @Test
    void aRunOverASegmentGivesExactlyItsCustomersOneCoupon() {
        var businesses = List.of(customer("business"), customer("business"), customer("business"));
        String individual = customer("individual");
        String campaignId = CouponsApiTest.campaign(api, offer("{\"type\": \"segment\", \"segment\": \"business\"}"));

        var done = run(campaignId);
        assertThat(done.path("customersSeen").asLong()).isEqualTo(3);
        assertThat(done.path("couponsMade").asLong()).isEqualTo(3);
        assertThat(done.path("skipped").asLong()).isZero();
        var all = new java.util.HashSet<String>();
        for (String id : businesses) {
            var codes = codes(id, campaignId);
            assertThat(codes).as(id).hasSize(1);
            all.addAll(codes);
        }
        assertThat(all).as("codes unique").hasSize(3);
        assertThat(codes(individual, campaignId)).isEmpty();
    }

    @Test
    void campaignsThatGiveNoCouponsOtherTenantsAndMissingScopesAreRefused() {
        String plain = CouponsApiTest.campaign(api, """
                {"name": "Plain", "startsAt": "2020-01-01T00:00:00Z", "earning": {"multiplier": 2}}""");
        var none = start(api, plain);
        assertThat(none.status()).isEqualTo(409);
        assertThat(none.json().path("code").asText()).isEqualTo("campaign_has_no_coupon");

        String ended = CouponsApiTest.campaign(api, offer("{\"type\": \"all\"}"));
        assertThat(api.post("/campaigns/" + ended + "/end", null).status()).isEqualTo(200);
        var late = start(api, ended);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().path("code").asText()).isEqualTo("invalid_state");

        String campaignId = CouponsApiTest.campaign(api, offer("{\"type\": \"all\"}"));
        var other = new Api(cloud.apiUrl(), cloud.token(tenant + "x", "bob"));
        assertThat(start(other, campaignId).status()).isEqualTo(404);
        assertThat(other.get("/campaigns/" + campaignId + "/coupon-runs").status()).isEqualTo(404);
        assertThat(other.get("/campaigns/" + campaignId + "/coupon-runs/crun_01JD3Z8Q4V8M3TNAH5C2Y7W1KX").status()).isEqualTo(404);
        assertThat(api.get("/campaigns/" + campaignId + "/coupon-runs/crun_01JD3Z8Q4V8M3TNAH5C2Y7W1KX").status()).isEqualTo(404);
        assertThat(api.get("/campaigns/" + campaignId + "/coupon-runs/nope").status()).isEqualTo(404);

        var reader = new Api(cloud.apiUrl(), cloud.token(tenant, "vic", Set.of("settings:read", "customers:read")));
        var refused = start(reader, campaignId);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("code").asText()).isEqualTo("insufficient_scope");
        assertThat(reader.get("/campaigns/" + campaignId + "/coupon-runs").json().path("data")).isEmpty();

        var noKey = api.post("/campaigns/" + campaignId + "/coupon-runs", null);
        assertThat(noKey.status()).as(noKey.toString()).isEqualTo(400);
    }
}
