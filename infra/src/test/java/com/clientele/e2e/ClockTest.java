package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The local cloud's clock moved forward over HTTP: the functions read the moved time (a one-time
 * code expires, a customer stops being new) and the schedules follow it (the points expiry runs
 * once for a jump past its time, and the lots due by then lose their points). On the cloud of its
 * own that tests move the clock of ({@link TestCloud#movable()}).
 */
class ClockTest {

    private static final LocalCloud CLOUD = TestCloud.movable();
    private final String tenant = "clock-" + UUID.randomUUID().toString().substring(0, 8);
    private final Api api = new Api(CLOUD.apiUrl(), CLOUD.token(tenant, "alice"));
    private final CloudClock clock = new CloudClock(CLOUD.apiUrl());

    @Test
    void movedForwardTheFunctionsAndTheSchedulesFollowIt() {
        assertThat(api.send("PUT", "/loyalty/settings", """
                {"pointsPerUnit": 1, "rounding": "DOWN", "lotLifetimeMonths": 1, "referrerBonus": 0,
                 "refereeBonus": 0, "otpRequired": true, "pointValue": {"amount": 5, "currency": "USD"}}""").status()).isEqualTo(200);
        String id = api.post("/customers", CustomersApiContract.person("Tim", "Traveller", "tim@example.com", "+14155550190"))
                .json().path("id").asText();
        assertThat(api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4242424242424242")).status()).isEqualTo(201);
        var charge = api.send("POST", "/customers/" + id + "/charges", PaymentsApiContract.charge(10_000, "USD", null),
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(charge.status()).as(charge.toString()).isEqualTo(201);
        Eventually.get(() -> points(id), p -> p.path("available").asLong() == 100);
        Eventually.get(() -> api.get("/customers/" + id).json().path("stats").path("orders").asLong(), n -> n == 1);
        assertThat(ids("segment=new")).containsExactly(id);
        var otp = api.send("POST", "/customers/" + id + "/points/otp", null);
        assertThat(otp.status()).as(otp.toString()).isEqualTo(201);
        String code = otp.json().path("code").asText();

        // Ten minutes later the code (valid five) has expired; the outbox relay (every minute) ran once for the jump.
        Instant before = clock.now();
        var tenMinutes = clock.advance("PT10M");
        assertThat(Instant.parse(tenMinutes.path("now").asText())).isBetween(before.plus(Duration.ofMinutes(10)),
                before.plus(Duration.ofMinutes(10)).plusSeconds(30));
        assertThat(functions(tenMinutes)).containsOnlyOnce("OutboxRelayFunction");
        var expired = api.send("POST", "/customers/" + id + "/points/redemptions",
                "{\"points\": 10, \"reason\": \"x\", \"otp\": \"" + code + "\"}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(expired.status()).as(expired.toString()).isEqualTo(403);
        assertThat(expired.json().path("code").asText()).isEqualTo("otp_expired");
        assertThat(api.get("/customers/" + id + "/points/otps").json().path("data").get(0).path("expired").asBoolean()).isTrue();

        // Forty days later: the daily expiry ran once (at its last 00:15 UTC), past the lot's month.
        var fortyDays = clock.advance("P40D");
        assertThat(Duration.parse(fortyDays.path("offset").asText())).isGreaterThanOrEqualTo(Duration.ofDays(40).plusMinutes(10));
        assertThat(functions(fortyDays)).containsOnlyOnce("PointsExpiryFunction", "LtvRecomputeScheduleFunction", "OutboxRelayFunction");
        var expiry = run(fortyDays, "PointsExpiryFunction");
        assertThat(expiry.path("time").asText()).endsWith("T00:15:00Z");
        assertThat(Instant.parse(expiry.path("time").asText())).isAfter(Instant.parse(fortyDays.path("now").asText()).minus(Duration.ofDays(1)));
        var after = Eventually.get(() -> points(id), p -> p.path("expired").asLong() == 100);
        assertThat(after.path("available").asLong()).isZero();
        assertThat(api.get("/customers/" + id + "/points/statement").json().path("data"))
                .filteredOn(l -> l.path("type").asText().equals("EXPIRE")).extracting(l -> l.path("points").asLong())
                .containsExactly(-100L);
        // Its purchase is now 40 days old: no longer new (30 days by default).
        assertThat(ids("segment=new")).isEmpty();
        assertThat(clock.offset()).isEqualTo(Duration.parse(fortyDays.path("offset").asText()));
    }

    @Test
    void itMovesForwardOnlyAndNamesTheFieldItCannotRead() {
        Duration offset = clock.offset();
        Instant now = clock.now();
        assertThat(now).isBetween(Instant.now().plus(offset).minusSeconds(30), Instant.now().plus(offset).plusSeconds(30));

        assertRefused("{\"set\": \"2020-01-01T00:00:00Z\"}", "set", "forward only");
        assertRefused("{\"advance\": \"-P1D\"}", "advance", "forward only");
        assertRefused("{\"advance\": \"soon\"}", "advance", "ISO-8601");
        assertRefused("{\"set\": \"tomorrow\"}", "set", "ISO-8601");
        assertRefused("{\"set\": 1}", "set", "string");
        assertRefused("{\"advance\": \"P200Y\"}", "advance", "too far");
        assertRefused("{}", "advance", "neither");
        assertRefused("{\"advance\": \"P1D\", \"set\": \"2030-01-01T00:00:00Z\"}", "advance", "both");
        assertRefused("not json", "advance", "advance");
        assertThat(clock.offset()).as("a refused move leaves the clock where it was").isEqualTo(offset);

        Instant target = clock.now().plus(Duration.ofHours(1));
        var set = clock.set(target);
        assertThat(Instant.parse(set.path("now").asText())).isBetween(target, target.plusSeconds(30));
    }

    private void assertRefused(String body, String field, String message) {
        var reply = clock.move(body);
        assertThat(reply.status()).as(body).isEqualTo(400);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.json().path("errors").get(0).path("field").asText()).as(body).isEqualTo(field);
        assertThat(reply.json().path("errors").get(0).path("message").asText()).as(body).contains(message);
    }

    private static List<String> functions(JsonNode moved) {
        var names = new ArrayList<String>();
        moved.path("ran").forEach(run -> names.add(run.path("function").asText()));
        return names;
    }

    private static JsonNode run(JsonNode moved, String function) {
        for (var run : moved.path("ran")) {
            if (run.path("function").asText().equals(function)) {
                return run;
            }
        }
        throw new AssertionError(function + " did not run: " + moved);
    }

    private JsonNode points(String customer) {
        return api.get("/customers/" + customer + "/points").json();
    }

    private List<String> ids(String query) {
        var ids = new ArrayList<String>();
        api.get("/customers?" + query).json().path("data").forEach(row -> ids.add(row.path("id").asText()));
        return ids;
    }
}
