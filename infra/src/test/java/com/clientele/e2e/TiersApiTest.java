package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Tiers and journeys end to end over HTTP: the tenant's tiers (and the bad ones refused, naming the
 * field), charges whose events reach the accrual, which multiplies what the tier earns and moves the
 * customer up at once; the profile, the list's rows and filter, an override and its removal; then, on a
 * cloud whose clock moves, the daily review taking a customer down as its spend leaves the window, once
 * however many runs, and the journeys and stage counts moving with time.
 */
class TiersApiTest {

    private static final String TIERS = """
            {"basis": "lifetime_points", "tiers": [
              {"key": "bronze", "name": "Bronze", "threshold": 0},
              {"key": "silver", "name": "Silver", "threshold": 100, "multiplier": 1.5},
              {"key": "gold", "name": "Gold", "threshold": 100000, "multiplier": 2}],
             "downgrade": {"policy": "none"}}""";

    private static final java.util.concurrent.atomic.AtomicInteger PHONES = new java.util.concurrent.atomic.AtomicInteger();

    private static String customerWithCard(Api api, String name) {
        var created = api.post("/customers", """
                {"firstName": "%s", "lastName": "Tier", "email": "%s@example.com", "phone": "+1415556%04d"}"""
                .formatted(name, name.toLowerCase(), PHONES.incrementAndGet()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4242424242424242")).status()).isEqualTo(201);
        return id;
    }

    private static void charge(Api api, String customer, long amount) {
        var reply = api.send("POST", "/customers/" + customer + "/charges",
                "{\"amount\": {\"amount\": " + amount + ", \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    }

    private static JsonNode tierOf(Api api, String customer, String key) {
        var profile = Eventually.get(() -> api.get("/customers/" + customer).json(), c -> key.equals(c.path("tier").path("key").asText()));
        assertThat(profile.path("tier").path("key").asText()).as(profile.toString()).isEqualTo(key);
        return profile;
    }

    private static List<String> fields(Api.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        return reply.json().path("errors").findValuesAsText("field");
    }

    @Test
    void tiersAreCheckedAndATierMultipliesEarningsAndShowsOnTheProfileAndTheList() {
        LocalCloud cloud = TestCloud.embedded();
        String tenant = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        var api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

        assertThat(api.get("/loyalty/tiers").json().path("tiers").size()).isZero();
        // overlapping, unordered, malformed, huge: each named
        assertThat(fields(api.send("PUT", "/loyalty/tiers", """
                {"basis": "lifetime_points", "tiers": [{"key": "a", "name": "A", "threshold": 500},
                 {"key": "b", "name": "B", "threshold": 500}, {"key": "c", "name": "C", "threshold": 100}]}""")))
                .containsExactly("tiers[1].threshold", "tiers[2].threshold");
        assertThat(fields(api.send("PUT", "/loyalty/tiers", """
                {"basis": "lifetime_points", "tiers": [{"key": "Gold Tier!", "name": "G", "threshold": 0},
                 {"key": "x", "name": "X", "threshold": 5, "multiplier": 1.234}]}""")))
                .containsExactly("tiers[0].key", "tiers[1].multiplier");
        assertThat(api.send("PUT", "/loyalty/tiers", """
                {"basis": "lifetime_points", "tiers": [{"key": "x", "name": "X", "threshold": 99999999999999999999}]}""").status())
                .isEqualTo(400);
        assertThat(fields(api.send("PUT", "/loyalty/tiers", """
                {"basis": "lifetime_points", "tiers": [{"key": "g", "name": "G", "threshold": 1000000000000000001, "multiplier": 11}]}""")))
                .containsExactly("tiers[0].threshold", "tiers[0].multiplier");
        assertThat(fields(api.send("PUT", "/loyalty/tiers", """
                {"basis": "spend", "tiers": [{"key": "g", "name": "G", "threshold": 1}], "downgrade": {"policy": "after_days"}}""")))
                .containsExactly("windowDays", "currency", "downgrade.days");
        var saved = api.send("PUT", "/loyalty/tiers", TIERS);
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        // what GET returns can be PUT back
        assertThat(api.send("PUT", "/loyalty/tiers", api.get("/loyalty/tiers").text()).status()).isEqualTo(200);

        String id = customerWithCard(api, "Tia");
        charge(api, id, 15_000); // 150 points: up to silver at once
        var profile = tierOf(api, id, "silver");
        assertThat(profile.path("tier").path("name").asText()).isEqualTo("Silver");
        assertThat(profile.path("tier").path("override").asBoolean()).isFalse();

        charge(api, id, 10_000); // 100 points, x1.5 in silver: a TIER line of 50
        var points = Eventually.get(() -> api.get("/customers/" + id + "/points").json(), p -> p.path("lifetime").asLong() == 300);
        assertThat(points.path("available").asLong()).isEqualTo(300);
        var lines = api.get("/customers/" + id + "/points/statement").json().path("data");
        var tierLines = new ArrayList<JsonNode>();
        lines.forEach(l -> {
            if (l.path("type").asText().equals("TIER")) {
                tierLines.add(l);
            }
        });
        assertThat(tierLines).hasSize(1);
        assertThat(tierLines.get(0).path("points").asLong()).isEqualTo(50);
        assertThat(tierLines.get(0).path("reason").asText()).contains("Silver").contains("x1.5");

        // the list: rows show the tier, the filter keeps it; a bad key is a 400 naming it
        var silver = api.get("/customers?tier=silver").json().path("data");
        assertThat(silver.size()).isEqualTo(1);
        assertThat(silver.get(0).path("id").asText()).isEqualTo(id);
        assertThat(silver.get(0).path("tier").path("key").asText()).isEqualTo("silver");
        assertThat(api.get("/customers?tier=gold").json().path("data").size()).isZero();
        assertThat(fields(api.get("/customers?tier=NOT%20A%20KEY"))).containsExactly("tier");

        // an override: unknown tier 400, another tenant's customer 404, then set, kept, and removed
        assertThat(fields(api.send("PUT", "/customers/" + id + "/tier", "{\"key\": \"platinum\", \"reason\": \"VIP\"}"))).containsExactly("key");
        assertThat(fields(api.send("PUT", "/customers/" + id + "/tier", "{\"key\": \"../gold\", \"reason\": \"\"}")))
                .containsExactly("key", "reason");
        var stranger = new Api(cloud.apiUrl(), cloud.token("o" + tenant, "bob"));
        assertThat(stranger.send("PUT", "/customers/" + id + "/tier", "{\"key\": \"gold\", \"reason\": \"VIP\"}").status()).isEqualTo(404);
        assertThat(stranger.get("/customers/" + id + "/journeys").status()).isEqualTo(404);
        var set = api.send("PUT", "/customers/" + id + "/tier", "{\"key\": \"gold\", \"reason\": \"VIP of the flagship store\"}");
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().path("tier").path("key").asText()).isEqualTo("gold");
        assertThat(set.json().path("tier").path("override").asBoolean()).isTrue();
        charge(api, id, 100); // the automation leaves an override alone (and gold doubles: 1 + 1)
        Eventually.get(() -> api.get("/customers/" + id + "/points").json(), p -> p.path("lifetime").asLong() == 302);
        assertThat(api.get("/customers/" + id).json().path("tier").path("key").asText()).isEqualTo("gold");
        var back = api.delete("/customers/" + id + "/tier");
        assertThat(back.status()).isEqualTo(200);
        assertThat(back.json().path("tier").path("key").asText()).isEqualTo("silver");
        assertThat(back.json().path("progress").path("value").asLong()).isEqualTo(302);
        assertThat(back.json().path("progress").path("nextTier").asText()).isEqualTo("gold");
        assertThat(back.json().path("history").findValuesAsText("reason")).containsExactly("override_removed", "override", "upgrade");

        // an activity per change, once
        var kinds = api.get("/customers/" + id + "/activities?limit=100").json().path("data").findValuesAsText("kind");
        assertThat(kinds.stream().filter("customer.tier_changed"::equals).count()).isEqualTo(3);

        // journeys: a new customer, and the count per stage
        var journeys = api.get("/customers/" + id + "/journeys").json().path("data");
        assertThat(journeys.get(0).path("current").asBoolean()).isTrue();
        assertThat(journeys.findValuesAsText("journey")).contains("new");
        // new, or loyal once the LTV aggregator counted its three orders: one customer in one stage
        var stages = api.get("/analytics/journeys").json().path("stages");
        assertThat(stages.path("new").asLong() + stages.path("loyal").asLong()).isEqualTo(1);
        assertThat(stages.path("at_risk").asLong() + stages.path("lapsed").asLong() + stages.path("active").asLong()).isZero();
    }

    @Test
    void theDailyReviewTakesACustomerDownOnceWhenItsSpendLeavesTheWindowAndMovesItsJourneys() throws Exception {
        LocalCloud cloud = TestCloud.movable();
        var clock = new CloudClock(cloud.apiUrl());
        String tenant = "d" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        var api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
        assertThat(api.send("PUT", "/loyalty/tiers", """
                {"basis": "spend", "windowDays": 30, "currency": "USD", "tiers": [
                  {"key": "member", "name": "Member", "threshold": 0},
                  {"key": "vip", "name": "VIP", "threshold": 10000, "multiplier": 1.25}],
                 "downgrade": {"policy": "automatic"}}""").status()).isEqualTo(200);
        String id = customerWithCard(api, "Dee");
        String kept = customerWithCard(api, "Kim");
        charge(api, id, 15_000);
        charge(api, kept, 15_000);
        tierOf(api, id, "vip");
        tierOf(api, kept, "vip");
        assertThat(api.send("PUT", "/customers/" + kept + "/tier", "{\"key\": \"vip\", \"reason\": \"kept by hand\"}").status())
                .isEqualTo(200);

        clock.advance("P32D"); // the review of the day after the window ran as the clock passed it
        var profile = tierOf(api, id, "member");
        assertThat(profile.path("tier").path("override").asBoolean()).isFalse();
        assertThat(api.get("/customers/" + kept).json().path("tier").path("key").asText()).isEqualTo("vip");

        // runs again, two at once: nothing more changes
        var pool = Executors.newFixedThreadPool(2);
        try {
            var runs = new ArrayList<Future<Api.Reply>>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> new Api(cloud.apiUrl(), null).post("/_local/schedules/TierReviewFunction", "")));
            }
            for (var run : runs) {
                assertThat(run.get().status()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        var history = api.get("/customers/" + id + "/tier").json().path("history");
        assertThat(history.findValuesAsText("reason")).containsExactly("downgrade", "upgrade");
        assertThat(history.get(0).path("from").path("key").asText()).isEqualTo("vip");
        assertThat(history.get(0).path("to").path("key").asText()).isEqualTo("member");
        var kinds = api.get("/customers/" + id + "/activities?limit=100").json().path("data").findValuesAsText("kind");
        assertThat(kinds.stream().filter("customer.tier_changed"::equals).count()).isEqualTo(2);

        // no purchase for over the at-risk window (30 days by default): at risk now, no longer new
        var journeys = api.get("/customers/" + id + "/journeys").json().path("data");
        var byName = new java.util.HashMap<String, JsonNode>();
        journeys.forEach(j -> byName.put(j.path("journey").asText(), j));
        assertThat(byName.get("at_risk").path("current").asBoolean()).isTrue();
        assertThat(byName.get("at_risk").path("timesEntered").asLong()).isEqualTo(1);
        assertThat(byName.get("new").path("current").asBoolean()).isFalse();
        assertThat(byName.get("new").path("lastLeftAt").isTextual()).isTrue();
        var stages = api.get("/analytics/journeys").json().path("stages");
        assertThat(stages.path("at_risk").asLong()).isEqualTo(2);
        assertThat(stages.path("new").asLong()).isZero();
    }
}
