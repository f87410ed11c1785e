package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Redemptions, OTPs and adjustments end to end over HTTP: points earned by real charges (through
 * the points queue), spent soonest-expiring first, never twice, approved by one-time codes where the
 * tenant requires them, and corrected by hand with the user recorded.
 */
class PointsRedemptionTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    /** A customer who earned 100 points and then 50 (two lots; the first expires first). */
    private String customerWith150Points() {
        String id = api.post("/customers", """
                {"firstName": "Lin", "lastName": "Chen", "email": "lin@example.com", "phone": "+14155550177"}""")
                .json().path("id").asText();
        assertThat(api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4242424242424242")).status()).isEqualTo(201);
        for (long amount : new long[] {10_000, 5_000}) {
            var reply = api.send("POST", "/customers/" + id + "/charges",
                    "{\"amount\": {\"amount\": " + amount + ", \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString());
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        }
        Eventually.get(() -> points(id), p -> p.path("lifetime").asLong() == 150);
        return id;
    }

    private JsonNode points(String customer) {
        return api.get("/customers/" + customer + "/points").json();
    }

    private Api.Reply redeem(String customer, String body, String key) {
        return api.send("POST", "/customers/" + customer + "/points/redemptions", body, "Idempotency-Key", key);
    }

    private void requireOtp(boolean required) {
        assertThat(api.send("PUT", "/loyalty/settings", """
                {"pointsPerUnit": 1, "rounding": "DOWN", "lotLifetimeMonths": 12, "referrerBonus": 0,
                 "refereeBonus": 0, "otpRequired": %s, "pointValue": {"amount": 5, "currency": "USD"}}""".formatted(required))
                .status()).isEqualTo(200);
    }

    @Test
    void aRedemptionSpendsTheSoonestExpiringLotsFirstAndIsIdempotent() {
        String id = customerWith150Points();
        requireOtp(false);
        String key = UUID.randomUUID().toString();
        String body = "{\"points\": 120, \"reason\": \"coffee\", \"storeId\": \"store_1\", \"terminalId\": \"till-4\"}";
        var reply = redeem(id, body, key);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        var redemption = reply.json();
        assertThat(redemption.path("id").asText()).startsWith("rdm_");
        assertThat(redemption.path("points").asLong()).isEqualTo(120);
        assertThat(redemption.path("value").path("amount").asLong()).isEqualTo(600); // 120 x 5 cents
        assertThat(redemption.path("userId").asText()).isEqualTo("alice");
        assertThat(redemption.path("lots")).extracting(l -> l.path("points").asLong() + "/" + l.path("pointsLeft").asLong())
                .containsExactly("100/0", "20/30");
        assertThat(redemption.path("balance").path("available").asLong()).isEqualTo(30);
        assertThat(redemption.path("balance").path("redeemed").asLong()).isEqualTo(120);

        var again = redeem(id, body, key);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().path("id").asText()).isEqualTo(redemption.path("id").asText());
        assertThat(redeem(id, body.replace("120", "10"), key).status()).isEqualTo(422);

        var now = points(id);
        assertThat(now.path("available").asLong()).isEqualTo(30);
        assertThat(now.path("redeemed").asLong()).isEqualTo(120);
        assertThat(now.path("nextExpiry").path("points").asLong()).isEqualTo(30);
        assertThat(api.get("/customers/" + id).json().path("pointsAvailable").asLong()).isEqualTo(30);
        var statement = api.get("/customers/" + id + "/points/statement").json();
        var lines = statement.path("data");
        assertThat(lines).filteredOn(l -> l.path("type").asText().equals("REDEEM"))
                .extracting(l -> l.path("points").asLong() + " " + l.path("pointsLeft").asLong() + " " + l.path("lotId").asText().startsWith("lot_")
                        + " " + l.path("transactionId").asText().equals(redemption.path("id").asText()) + " " + l.path("reason").asText()
                        + " " + l.path("terminalId").asText())
                .containsExactlyInAnyOrder("-100 0 true true coffee till-4", "-20 30 true true coffee till-4");
        assertThat(statement.path("totals").path("redeemed").asLong()).isEqualTo(120);
        assertThat(statement.path("totals").path("credited").asLong()).isEqualTo(150);
        // seed 003: the figures under the customer's transactions, on every page of its payments
        var history = Eventually.get(() -> api.get("/customers/" + id + "/payments?limit=1").json(),
                h -> h.path("totals").path("transactions").asLong() == 2);
        assertThat(history.path("data")).hasSize(1);
        assertThat(history.path("totals").path("collected").path("amount").asLong()).isEqualTo(15_000);
        assertThat(history.path("totals").path("pointsCredited").asLong()).isEqualTo(150);
        assertThat(history.path("totals").path("pointsRedeemed").asLong()).isEqualTo(120);
        var second = api.get("/customers/" + id + "/payments?limit=1&cursor=" + history.path("nextCursor").asText()).json();
        assertThat(second.path("totals")).isEqualTo(history.path("totals"));

        var tooMuch = redeem(id, "{\"points\": 31, \"reason\": \"tv\"}", UUID.randomUUID().toString());
        assertThat(tooMuch.status()).isEqualTo(409);
        assertThat(tooMuch.json().path("code").asText()).isEqualTo("insufficient_points");
        assertThat(tooMuch.json().path("available").asLong()).isEqualTo(30);
        assertThat(points(id).path("available").asLong()).isEqualTo(30);
    }

    @Test
    void badRedemptionsAreRefusedNamingTheFieldAndWriteNothing() {
        String id = customerWith150Points();
        for (String body : new String[] {"{\"points\": 0, \"reason\": \"x\"}", "{\"points\": -5, \"reason\": \"x\"}",
                "{\"points\": 1.5, \"reason\": \"x\"}", "{\"reason\": \"x\"}"}) {
            var reply = redeem(id, body, UUID.randomUUID().toString());
            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.json().path("errors").get(0).path("field").asText()).as(body).isEqualTo("points");
        }
        assertThat(redeem(id, "{\"points\": 5}", UUID.randomUUID().toString()).json().path("errors").get(0).path("field").asText())
                .isEqualTo("reason");
        assertThat(redeem(id, "{\"points\": 5, \"reason\": \"x\", \"otp\": \"12ab\"}", UUID.randomUUID().toString())
                .json().path("errors").get(0).path("field").asText()).isEqualTo("otp");
        assertThat(api.send("POST", "/customers/" + id + "/points/redemptions", "{\"points\": 5, \"reason\": \"x\"}").json()
                .path("errors").get(0).path("field").asText()).isEqualTo("Idempotency-Key");
        // a key whose request was refused can be used again once the request is fixed
        String key = UUID.randomUUID().toString();
        assertThat(redeem(id, "{\"points\": 500, \"reason\": \"x\"}", key).status()).isEqualTo(409);
        assertThat(redeem(id, "{\"points\": 5, \"reason\": \"x\"}", key).status()).isEqualTo(201);
        assertThat(redeem("cus_01KB0000000000000000000000", "{\"points\": 5, \"reason\": \"x\"}", UUID.randomUUID().toString())
                .status()).isEqualTo(404);
        var intruder = new Api(cloud.apiUrl(), cloud.token("other" + tenant, "mallory"));
        assertThat(intruder.send("POST", "/customers/" + id + "/points/redemptions", "{\"points\": 5, \"reason\": \"x\"}",
                "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(404);
        assertThat(points(id).path("available").asLong()).isEqualTo(145);
    }

    /** Eight tills redeem 30 points each at once from 100: three succeed, the rest are refused, nothing is spent twice. */
    @Test
    void concurrentRedemptionsNeverSpendTheSamePoints() throws Exception {
        String id = customerWith150Points();
        var adjust = api.send("POST", "/customers/" + id + "/points/adjustments", "{\"points\": -50, \"reason\": \"setup\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(adjust.status()).as(adjust.toString()).isEqualTo(201);
        var tasks = new ArrayList<Callable<Integer>>();
        for (int i = 0; i < 8; i++) {
            tasks.add(() -> redeem(id, "{\"points\": 30, \"reason\": \"rush\"}", UUID.randomUUID().toString()).status());
        }
        try (var pool = Executors.newFixedThreadPool(8)) {
            var statuses = new ArrayList<Integer>();
            for (var f : pool.invokeAll(tasks)) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(3);
            assertThat(statuses).filteredOn(s -> s != 201).allMatch(s -> s == 409);
        }
        var now = points(id);
        assertThat(now.path("available").asLong()).isEqualTo(10);
        assertThat(now.path("redeemed").asLong()).isEqualTo(90);
        long left = api.get("/customers/" + id + "/points/statement?limit=100").json().path("data").findValues("type").stream()
                .filter(t -> t.asText().equals("REDEEM")).count();
        assertThat(left).isBetween(3L, 6L); // one line per lot touched
    }

    @Test
    void whenTheTenantRequiresItARedemptionNeedsTheOneTimeCodeSentToTheCustomer() {
        String id = customerWith150Points();
        requireOtp(true);
        var missing = redeem(id, "{\"points\": 10, \"reason\": \"x\"}", UUID.randomUUID().toString());
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.json().path("code").asText()).isEqualTo("otp_required");

        var issued = api.send("POST", "/customers/" + id + "/points/otp", null);
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        String code = issued.json().path("code").asText();
        assertThat(code).matches("\\d{6}");
        assertThat(issued.json().path("channel").asText()).isEqualTo("sms");
        assertThat(issued.json().path("sentTo").asText()).isEqualTo("***0177");
        String wrongCode = code.equals("000000") ? "000001" : "000000";

        var wrong = redeem(id, "{\"points\": 10, \"reason\": \"x\", \"otp\": \"" + wrongCode + "\"}", UUID.randomUUID().toString());
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.json().path("code").asText()).isEqualTo("otp_invalid");
        var ok = redeem(id, "{\"points\": 10, \"reason\": \"x\", \"otp\": \"" + code + "\"}", UUID.randomUUID().toString());
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        assertThat(ok.json().path("otpId").asText()).isEqualTo(issued.json().path("id").asText());
        var reused = redeem(id, "{\"points\": 10, \"reason\": \"x\", \"otp\": \"" + code + "\"}", UUID.randomUUID().toString());
        assertThat(reused.status()).isEqualTo(403);
        assertThat(reused.json().path("code").asText()).isEqualTo("otp_used");
        assertThat(points(id).path("redeemed").asLong()).isEqualTo(10);

        var list = api.get("/customers/" + id + "/points/otps");
        assertThat(list.status()).isEqualTo(200);
        var row = list.json().path("data").get(0);
        assertThat(row.path("id").asText()).isEqualTo(issued.json().path("id").asText());
        assertThat(row.path("usedAt").isTextual()).isTrue();
        assertThat(row.path("redemptionId").asText()).isEqualTo(ok.json().path("id").asText());
        assertThat(row.path("expired").asBoolean()).isFalse();
        assertThat(row.path("failedAttempts").asInt()).isEqualTo(1);
        assertThat(list.text()).doesNotContain(code).doesNotContain("codeHash");
        // five codes in a quarter of an hour, then 429
        for (int i = 0; i < 4; i++) {
            assertThat(api.send("POST", "/customers/" + id + "/points/otp", null).status()).isEqualTo(201);
        }
        var limited = api.send("POST", "/customers/" + id + "/points/otp", null);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isNotNull();
    }

    @Test
    void fiveWrongGuessesLockEveryLiveCodeTheOlderOneToo() {
        String id = customerWith150Points();
        requireOtp(true);
        var older = api.send("POST", "/customers/" + id + "/points/otp", null);
        var newer = api.send("POST", "/customers/" + id + "/points/otp", null);
        assertThat(older.status()).isEqualTo(201);
        assertThat(newer.status()).isEqualTo(201);
        String olderCode = older.json().path("code").asText();
        String newerCode = newer.json().path("code").asText();
        String wrongCode = java.util.stream.Stream.of("000000", "000001", "000002")
                .filter(c -> !c.equals(olderCode) && !c.equals(newerCode)).findFirst().orElseThrow();
        for (int i = 0; i < 5; i++) {
            var wrong = redeem(id, "{\"points\": 10, \"reason\": \"x\", \"otp\": \"" + wrongCode + "\"}",
                    UUID.randomUUID().toString());
            assertThat(wrong.status()).isEqualTo(403);
            assertThat(wrong.json().path("code").asText()).isEqualTo("otp_invalid");
        }
        for (String code : new String[] {olderCode, newerCode}) {
            var refused = redeem(id, "{\"points\": 10, \"reason\": \"x\", \"otp\": \"" + code + "\"}",
                    UUID.randomUUID().toString());
            assertThat(refused.status()).as(refused.text()).isEqualTo(403);
            assertThat(refused.json().path("code").asText()).isEqualTo("otp_invalid");
        }
        assertThat(points(id).path("redeemed").asLong()).isZero();
        var rows = api.get("/customers/" + id + "/points/otps").json().path("data");
        assertThat(rows).hasSize(2).allSatisfy(row -> {
            assertThat(row.path("failedAttempts").asInt()).isGreaterThanOrEqualTo(5);
            assertThat(row.path("usedAt").isNull() || row.path("usedAt").isMissingNode()).isTrue();
        });
    }

    @Test
    void adjustmentsCreditALotOrDebitLotsWithTheReasonAndTheUserRecorded() {
        String id = customerWith150Points();
        var credit = api.send("POST", "/customers/" + id + "/points/adjustments", "{\"points\": 40, \"reason\": \"goodwill\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(credit.status()).as(credit.toString()).isEqualTo(201);
        assertThat(credit.json().path("id").asText()).startsWith("adj_");
        assertThat(credit.json().path("balance").path("available").asLong()).isEqualTo(190);
        assertThat(credit.json().path("balance").path("lifetime").asLong()).isEqualTo(190);

        var below = api.send("POST", "/customers/" + id + "/points/adjustments", "{\"points\": -191, \"reason\": \"fraud\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(below.status()).isEqualTo(409);
        assertThat(below.json().path("code").asText()).isEqualTo("insufficient_points");
        var debit = api.send("POST", "/customers/" + id + "/points/adjustments", "{\"points\": -110, \"reason\": \"fraud\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(debit.status()).isEqualTo(201);
        var now = points(id);
        assertThat(now.path("available").asLong()).isEqualTo(80);
        assertThat(now.path("adjustedDown").asLong()).isEqualTo(110);
        assertThat(now.path("lifetime").asLong()).isEqualTo(190);

        var lines = api.get("/customers/" + id + "/points/statement").json().path("data");
        assertThat(lines).filteredOn(l -> l.path("type").asText().equals("ADJUST"))
                .extracting(l -> l.path("points").asLong() + " " + l.path("reason").asText() + " " + l.path("userId").asText())
                .containsExactlyInAnyOrder("40 goodwill alice", "-100 fraud alice", "-10 fraud alice");
        for (String body : new String[] {"{\"points\": 0, \"reason\": \"x\"}", "{\"reason\": \"x\"}", "{\"points\": 5}"}) {
            var bad = api.send("POST", "/customers/" + id + "/points/adjustments", body, "Idempotency-Key", UUID.randomUUID().toString());
            assertThat(bad.status()).as(body).isEqualTo(400);
            assertThat(bad.json().path("errors").get(0).path("field").asText()).isIn("points", "reason");
        }
    }
}
