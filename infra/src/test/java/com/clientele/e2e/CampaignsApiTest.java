package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Campaigns over HTTP: the resource (create, read, list, change under If-Match, status transitions,
 * tenants apart, bad input named), and their earning rules applied by the points accrual to the
 * charges made while they run, once per payment, each on a statement line naming its campaign.
 */
class CampaignsApiTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private static final String DOUBLE = """
            {"name": "Double points", "startsAt": "2020-01-01T00:00:00Z",
             "earning": {"multiplier": 2, "amountBonus": {"minimum": {"amount": 5000, "currency": "USD"}, "points": 30}}}""";

    private Api.Reply create(String body) {
        return api.send("POST", "/campaigns", body, "Idempotency-Key", UUID.randomUUID().toString());
    }

    private JsonNode created(String body) {
        var reply = create(body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    private JsonNode act(String id, String action, int status) {
        var reply = api.post("/campaigns/" + id + "/" + action, null);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        return reply.json();
    }

    private String customerWithCard() {
        String id = api.post("/customers", """
                {"firstName": "Mei", "lastName": "Lin", "email": "mei@example.com", "phone": "+14155550190"}""").json().path("id").asText();
        assertThat(api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4242424242424242")).status()).isEqualTo(201);
        return id;
    }

    private JsonNode charge(String customer, long amount) {
        var reply = api.send("POST", "/customers/" + customer + "/charges",
                "{\"amount\": {\"amount\": " + amount + ", \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    private JsonNode statement(String customer, long lifetime) {
        Eventually.get(() -> api.get("/customers/" + customer + "/points").json(), p -> p.path("lifetime").asLong() == lifetime);
        return api.get("/customers/" + customer + "/points/statement").json().path("data");
    }

    private static String row(JsonNode line) {
        return line.path("type").asText() + " " + line.path("points").asLong() + " " + line.path("pointsLeft").asLong()
                + (line.path("campaignId").isNull() ? "" : " " + line.path("campaignId").asText());
    }

    @Test
    void aCampaignIsCreatedAsADraftChangedUnderIfMatchAndMovedByItsTransitions() {
        var campaign = created(DOUBLE);
        String id = campaign.path("id").asText();
        assertThat(id).startsWith("cmp_");
        assertThat(campaign.path("status").asText()).isEqualTo("draft");
        assertThat(campaign.path("audience").path("type").asText()).isEqualTo("all");
        assertThat(campaign.path("earning").path("multiplier").decimalValue()).isEqualByComparingTo("2");
        var read = api.get("/campaigns/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo("\"1\"");
        assertThat(api.get("/campaigns").json().path("data")).extracting(c -> c.path("id").asText()).containsExactly(id);
        assertThat(api.get("/campaigns?status=active").json().path("data")).isEmpty();

        assertThat(api.patch("/campaigns/" + id, "{\"name\": \"Triple\"}", null).status()).isEqualTo(428);
        assertThat(api.patch("/campaigns/" + id, "{\"name\": \"Triple\"}", "\"7\"").status()).isEqualTo(412);
        var bad = api.patch("/campaigns/" + id, "{\"status\": \"active\", \"id\": \"cmp_other\"}", "\"1\"");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").findValuesAsText("field")).containsExactly("status", "id");
        var patched = api.patch("/campaigns/" + id, "{\"name\": \"Triple\", \"earning\": {\"multiplier\": 3}}", "\"1\"");
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().path("name").asText()).isEqualTo("Triple");
        assertThat(patched.json().path("earning").path("multiplier").decimalValue()).isEqualByComparingTo("3");
        assertThat(patched.json().path("earning").path("amountBonus").path("points").asLong()).isEqualTo(30);
        assertThat(patched.header("ETag")).isEqualTo("\"2\"");

        assertThat(act(id, "pause", 409).path("code").asText()).isEqualTo("invalid_state");
        assertThat(act(id, "activate", 200).path("status").asText()).isEqualTo("active");
        assertThat(act(id, "activate", 200).path("status").asText()).isEqualTo("active");
        assertThat(api.get("/campaigns?status=active").json().path("data")).hasSize(1);
        assertThat(act(id, "pause", 200).path("status").asText()).isEqualTo("paused");
        assertThat(act(id, "end", 200).path("status").asText()).isEqualTo("ended");
        assertThat(act(id, "activate", 409).path("code").asText()).isEqualTo("invalid_state");
        var ended = api.get("/campaigns/" + id);
        assertThat(api.patch("/campaigns/" + id, "{\"name\": \"Again\"}", ended.header("ETag")).json().path("code").asText())
                .isEqualTo("invalid_state");
        // a campaign whose period is over is not activated
        String over = created("""
                {"name": "Last year", "startsAt": "2020-01-01T00:00:00Z", "endsAt": "2021-01-01T00:00:00Z",
                 "earning": {"firstPurchaseBonus": 100}}""").path("id").asText();
        assertThat(act(over, "activate", 409).path("code").asText()).isEqualTo("campaign_over");
    }

    @Test
    void badInputIsNamedAndOtherTenantsCampaignsAreNotFound() {
        var bad = create("""
                {"name": "\u200b", "startsAt": "2026-12-01T00:00:00Z", "endsAt": "2026-11-01T00:00:00Z",
                 "audience": {"type": "segment", "segment": "whales"},
                 "earning": {"multiplier": 0, "firstPurchaseBonus": -1,
                             "amountBonus": {"minimum": {"amount": 5000, "currency": "usd"}, "points": 10}}}""");
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(bad.json().path("errors").findValuesAsText("field")).containsExactly("name", "endsAt", "audience.segment",
                "earning.multiplier", "earning.firstPurchaseBonus", "earning.amountBonus.minimum.currency");
        var huge = create(DOUBLE.replace("Double points", "x".repeat(300)).replace("\"multiplier\": 2", "\"multiplier\": 1000000"));
        assertThat(huge.json().path("errors").findValuesAsText("field")).containsExactly("name", "earning.multiplier");
        assertThat(create(DOUBLE.replace("\"earning\"", "\"earnings\"")).status()).isEqualTo(400);

        String id = created(DOUBLE).path("id").asText();
        var intruder = new Api(cloud.apiUrl(), cloud.token("other" + tenant, "mallory"));
        assertThat(intruder.get("/campaigns/" + id).status()).isEqualTo(404);
        assertThat(intruder.post("/campaigns/" + id + "/activate", null).status()).isEqualTo(404);
        assertThat(intruder.patch("/campaigns/" + id, "{\"name\": \"Mine\"}", "\"1\"").status()).isEqualTo(404);
        assertThat(intruder.get("/campaigns").json().path("data")).isEmpty();
        assertThat(api.get("/campaigns/nope").json().path("code").asText()).isEqualTo("resource_missing");
        assertThat(api.get("/campaigns/cmp_01KB0000000000000000000000").status()).isEqualTo(404);
        assertThat(api.get("/campaigns?status=running").status()).isEqualTo(400);
        assertThat(api.get("/campaigns/" + id).json().path("status").asText()).isEqualTo("draft");
    }

    @Test
    void anActiveCampaignAddsItsLinesToACharge_paused_itAddsNothing_andARefundTakesItsShare() {
        String id = customerWithCard();
        String campaign = created(DOUBLE).path("id").asText();
        act(campaign, "activate", 200);
        var paid = charge(id, 8_900);
        var rows = statement(id, 89 + 89 + 30);
        assertThat(rows).extracting(CampaignsApiTest::row).containsExactly("EARN 119 208 " + campaign, "EARN 89 89");
        assertThat(rows.get(0).path("description").asText()).isEqualTo("Double points: x2 +89, from 5000 USD +30");
        assertThat(rows.get(0).path("transactionId").asText()).isEqualTo(paid.path("id").asText());
        assertThat(rows.get(0).path("lotId").asText()).isEqualTo(rows.get(1).path("lotId").asText());
        assertThat(rows.get(1).path("description").isNull()).isTrue();

        act(campaign, "pause", 200);
        charge(id, 1_000);
        rows = statement(id, 218);
        assertThat(rows).extracting(CampaignsApiTest::row).first().isEqualTo("EARN 10 10");
        assertThat(rows).hasSize(3);

        // a full refund takes back the whole lot, campaign points included: nothing made or lost
        var refund = api.send("POST", "/payments/" + paid.path("id").asText() + "/refunds",
                "{\"amount\": {\"amount\": 8900, \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(refund.status()).as(refund.toString()).isEqualTo(201);
        var points = Eventually.get(() -> api.get("/customers/" + id + "/points").json(), p -> p.path("available").asLong() == 10);
        assertThat(points.path("clawedBack").asLong()).isEqualTo(208);
        assertThat(points.path("lifetime").asLong()).isEqualTo(218);
    }

    @Test
    void aDuplicatedChargeEventEarnsItsCampaignPointsOnceAndTheFirstPurchaseBonusIsPaidOnce() throws Exception {
        String id = api.post("/customers", """
                {"firstName": "Ida", "lastName": "Sun", "email": "ida@example.com", "phone": "+14155550191"}""").json().path("id").asText();
        String welcome = created("""
                {"name": "Welcome", "startsAt": "2020-01-01T00:00:00Z",
                 "audience": {"type": "customers", "customerIds": ["%s"]}, "earning": {"firstPurchaseBonus": 500}}""".formatted(id))
                .path("id").asText();
        act(welcome, "activate", 200);
        String charge = """
                {"id": "evt_01KB0000000000000000000020", "type": "payment.succeeded", "schemaVersion": 1, "tenantId": "%s",
                 "customerId": "%s", "paymentId": "pay_01KB0000000000000000000020", "refundId": null, "amount": 1000,
                 "currency": "USD", "occurredAt": "2026-11-23T10:00:00Z", "storeId": null, "terminalId": null,
                 "receiptId": null, "failureCode": null}""".formatted(tenant, id);
        String url = cloud.resources().get("PointsEventsQueue");
        try (var sqs = EventInbox.sqs(cloud)) {
            for (int i = 0; i < 3; i++) {
                sqs.sendMessage(r -> r.queueUrl(url).messageBody(charge));
            }
            var rows = statement(id, 510);
            assertThat(rows).extracting(CampaignsApiTest::row).containsExactly("EARN 500 510 " + welcome, "EARN 10 10");
            // a second purchase (its event before the first's in time: out of order) gets no second welcome bonus
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(charge.replace("0000000020\"", "0000000021\"")
                    .replace("10:00:00Z", "09:00:00Z")));
            rows = statement(id, 520);
            assertThat(rows).extracting(CampaignsApiTest::row).containsExactly("EARN 500 510 " + welcome, "EARN 10 10", "EARN 10 10");
        }
        Thread.sleep(300);
        assertThat(api.get("/customers/" + id + "/points").json().path("lifetime").asLong()).isEqualTo(520);
    }

    @Test
    void theTenantsStackingKeepsTheBestCampaignOrRefusesASecondOne() {
        String id = customerWithCard();
        String doubled = created(DOUBLE).path("id").asText();
        String big = created("""
                {"name": "Big bonus", "startsAt": "2020-01-01T00:00:00Z", "earning": {"amountBonus": {"minimum": {"amount": 100, "currency": "USD"}, "points": 400}}}""")
                .path("id").asText();
        act(doubled, "activate", 200);
        act(big, "activate", 200);
        var settings = api.get("/loyalty/settings").json();
        assertThat(settings.path("campaignStacking").asText()).isEqualTo("all");
        assertThat(api.send("PUT", "/loyalty/settings", settings.deepCopy().<com.fasterxml.jackson.databind.node.ObjectNode>require()
                .put("campaignStacking", "best").toString()).status()).isEqualTo(200);
        charge(id, 8_900);
        var rows = statement(id, 489);
        assertThat(rows).extracting(CampaignsApiTest::row).containsExactly("EARN 400 489 " + big, "EARN 89 89");

        assertThat(api.send("PUT", "/loyalty/settings", settings.deepCopy().<com.fasterxml.jackson.databind.node.ObjectNode>require()
                .put("campaignStacking", "exclusive").toString()).status()).isEqualTo(200);
        act(big, "pause", 200);
        var refused = act(big, "activate", 409);
        assertThat(refused.path("code").asText()).isEqualTo("campaign_stacking_forbidden");
        assertThat(refused.path("activeCampaignId").asText()).isEqualTo(doubled);
        assertThat(api.send("PUT", "/loyalty/settings", settings.deepCopy().<com.fasterxml.jackson.databind.node.ObjectNode>require()
                .put("campaignStacking", "some").toString()).json().path("errors").findValuesAsText("field")).containsExactly("campaignStacking");
    }

    @Test
    void aTierAudienceGivesToTheCustomersInThatTierBesideTheTiersOwnMultiplier() {
        assertThat(api.send("PUT", "/loyalty/tiers", """
                {"basis": "lifetime_points", "tiers": [{"key": "bronze", "name": "Bronze", "threshold": 0},
                 {"key": "silver", "name": "Silver", "threshold": 100, "multiplier": 1.5}], "downgrade": {"policy": "none"}}""")
                .status()).isEqualTo(200);
        String silver = customerWithCard();
        charge(silver, 15_000); // 150 points: silver once accrued
        Eventually.get(() -> api.get("/customers/" + silver).json(), c -> "silver".equals(c.path("tier").path("key").asText()));
        String bronze = api.post("/customers", """
                {"firstName": "Bo", "lastName": "Ng", "email": "bo@example.com", "phone": "+14155550192"}""").json().path("id").asText();
        assertThat(api.post("/customers/" + bronze + "/payment-methods", PaymentsApiContract.card("4242424242424242")).status()).isEqualTo(201);
        charge(bronze, 1_000);
        Eventually.get(() -> api.get("/customers/" + bronze).json(), c -> "bronze".equals(c.path("tier").path("key").asText()));
        String campaign = created("""
                {"name": "Silver double", "startsAt": "2020-01-01T00:00:00Z", "audience": {"type": "tier", "tierId": "silver"},
                 "earning": {"multiplier": 2}}""").path("id").asText();
        act(campaign, "activate", 200);

        charge(silver, 10_000); // 100 points: the tier's x1.5 and the campaign's x2, each on the charge's own 100
        var rows = statement(silver, 150 + 100 + 50 + 100);
        assertThat(rows).extracting(CampaignsApiTest::row)
                .containsExactly("EARN 100 250 " + campaign, "TIER 50 150", "EARN 100 100", "EARN 150 150");
        charge(bronze, 1_000); // not in the campaign's tier: its own points only
        assertThat(statement(bronze, 20)).extracting(CampaignsApiTest::row).containsExactly("EARN 10 10", "EARN 10 10");
    }
}
