package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Coupons over HTTP: a campaign's coupon offer (bad fields named), codes generated for one customer or
 * shared, unique per tenant and tenants apart, the customer's coupons, a preview, and attacker input.
 */
class CouponsApiTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    static final String TEN_OFF = """
            {"name": "Ten off", "startsAt": "2020-01-01T00:00:00Z",
             "coupon": {"type": "amount_off", "amountOff": {"amount": 1000, "currency": "USD"},
                        "minimumAmount": {"amount": 3000, "currency": "USD"}, "maxRedemptions": 2}}""";

    static String campaign(Api api, String body) {
        var reply = api.send("POST", "/campaigns", body, "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    static Api.Reply coupon(Api api, String campaignId, String body) {
        return api.send("POST", "/campaigns/" + campaignId + "/coupons", body, "Idempotency-Key", UUID.randomUUID().toString());
    }

    static String customer(Api api) {
        var made = api.post("/customers", """
                {"firstName": "Ana", "lastName": "Ruiz", "email": "ana%s@example.com", "phone": "+1415555%04d"}""".formatted(
                UUID.randomUUID().toString().substring(0, 8), java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000)));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        String id = made.json().path("id").asText();
        var card = api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4242424242424242"));
        assertThat(card.status()).as(card.toString()).isEqualTo(201);
        return id;
    }

    private static String fields(Api.Reply reply) {
        var names = new StringBuilder();
        reply.json().path("errors").forEach(e -> names.append(e.path("field").asText()).append(' '));
        return names.toString().strip();
    }

    @Test
    void aCampaignsCouponOfferIsCheckedAndShownBeside() {
        String id = campaign(api, TEN_OFF);
        var read = api.get("/campaigns/" + id).json();
        assertThat(read.path("coupon").path("type").asText()).isEqualTo("amount_off");
        assertThat(read.path("coupon").path("maxRedemptionsPerCustomer").asLong()).isEqualTo(1);
        assertThat(read.path("earning").isNull()).isTrue();

        var bad = api.send("POST", "/campaigns", """
                {"name": "Bad", "startsAt": "2020-01-01T00:00:00Z",
                 "coupon": {"type": "percent_off", "percentOff": 150, "points": 5, "validFrom": "2021-01-01T00:00:00Z",
                            "validUntil": "2020-01-01T00:00:00Z", "maxRedemptionsPerCustomer": 0}}""",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(fields(bad)).isEqualTo("coupon.points coupon.percentOff coupon.validUntil coupon.maxRedemptionsPerCustomer");
        var overflow = api.send("POST", "/campaigns", """
                {"name": "Big", "startsAt": "2020-01-01T00:00:00Z",
                 "coupon": {"type": "amount_off", "amountOff": {"amount": 9223372036854775808, "currency": "USD"}}}""",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(overflow.status()).as(overflow.toString()).isEqualTo(400);
    }

    @Test
    void aCodeIsGeneratedForOneCustomerOrSharedUniquePerTenant() {
        String campaignId = campaign(api, TEN_OFF);
        String ana = customer(api);
        var made = coupon(api, campaignId, "{\"customerId\": \"" + ana + "\"}");
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        String code = made.json().path("code").asText();
        assertThat(code).matches("[0-9A-HJKMNP-TV-Z]{16}");
        assertThat(made.header("Location")).isEqualTo("/coupons/" + code);
        assertThat(made.json().path("terms").path("amountOff").path("amount").asLong()).isEqualTo(1000);
        assertThat(coupon(api, campaignId, "{\"customerId\": \"" + ana + "\"}").json().path("code").asText()).isNotEqualTo(code);

        var mine = api.get("/customers/" + ana + "/coupons").json().path("data");
        assertThat(mine).hasSize(2);
        assertThat(mine.get(0).path("status").asText()).isEqualTo("available");
        assertThat(mine.get(0).path("given").asBoolean()).isTrue();

        var shared = coupon(api, campaignId, "{\"code\": \"summer-26\"}");
        assertThat(shared.status()).as(shared.toString()).isEqualTo(201);
        assertThat(shared.json().path("code").asText()).isEqualTo("SUMMER-26");
        assertThat(shared.json().path("customerId").isNull()).isTrue();
        var taken = coupon(api, campaignId, "{\"code\": \"Summer-26\"}");
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().path("code").asText()).isEqualTo("coupon_code_taken");

        // another tenant may have the same code, and sees none of ours
        var other = new Api(cloud.apiUrl(), cloud.token(tenant + "x", "bob"));
        String theirs = campaign(other, TEN_OFF);
        assertThat(coupon(other, theirs, "{\"code\": \"SUMMER-26\"}").status()).isEqualTo(201);
        assertThat(other.get("/coupons/" + code).status()).isEqualTo(404);
        assertThat(other.get("/customers/" + ana + "/coupons").status()).isEqualTo(404);
        assertThat(coupon(other, campaignId, "{\"code\": \"MINE-1\"}").status()).isEqualTo(404);

        var preview = api.get("/coupons/summer-26?customerId=" + ana + "&amount=5000&currency=USD").json();
        assertThat(preview.path("applies").asBoolean()).isTrue();
        assertThat(preview.path("discount").path("amount").asLong()).isEqualTo(1000);
        assertThat(preview.path("amountAfter").path("amount").asLong()).isEqualTo(4000);
        var small = api.get("/coupons/summer-26?amount=2000&currency=USD").json();
        assertThat(small.path("applies").asBoolean()).isFalse();
        assertThat(small.path("reason").asText()).isEqualTo("coupon_below_minimum");
        assertThat(api.get("/coupons/" + code + "?amount=5000&currency=EUR").json().path("reason").asText())
                .isEqualTo("coupon_currency_mismatch");
        String bob = customer(api);
        assertThat(api.get("/coupons/" + code + "?customerId=" + bob).json().path("reason").asText()).isEqualTo("coupon_not_for_customer");
    }

    @Test
    void badCodesAndBadBodiesAreNamed() {
        String campaignId = campaign(api, TEN_OFF);
        for (String code : new String[] {"\"---\"", "\"ab\"", "\"\\ud800abc\"", "\"x y z\"", "\"" + "A".repeat(33) + "\""}) {
            var reply = coupon(api, campaignId, "{\"code\": " + code + "}");
            assertThat(reply.status()).as(code + " " + reply).isEqualTo(400);
        }
        assertThat(fields(coupon(api, campaignId, "{\"code\": \"---\"}"))).isEqualTo("code");
        assertThat(fields(coupon(api, campaignId, "{}"))).isEqualTo("customerId");
        assertThat(coupon(api, campaignId, "{\"customerId\": \"cus_01JD3Z8Q4V8M3TNAH5C2Y7W1KX\"}").status()).isEqualTo(404);
        assertThat(api.get("/coupons/---").status()).isEqualTo(404);
        assertThat(api.get("/coupons/NOPE-NOPE").status()).isEqualTo(404);
        assertThat(api.get("/coupons/NOPE-NOPE?amount=9223372036854775808&currency=USD").status()).isEqualTo(400);

        String plain = campaign(api, """
                {"name": "Plain", "startsAt": "2020-01-01T00:00:00Z", "earning": {"multiplier": 2}}""");
        var none = coupon(api, plain, "{\"code\": \"PLAIN-1\"}");
        assertThat(none.status()).isEqualTo(409);
        assertThat(none.json().path("code").asText()).isEqualTo("campaign_has_no_coupon");
        api.post("/campaigns/" + campaignId + "/end", null);
        assertThat(coupon(api, campaignId, "{\"code\": \"LATE-1\"}").json().path("code").asText()).isEqualTo("invalid_state");
    }

    private Api.Reply charge(String customerId, long amount, String code) {
        return api.send("POST", "/customers/" + customerId + "/charges", "{\"amount\": {\"amount\": " + amount
                + ", \"currency\": \"USD\"}" + (code == null ? "" : ", \"couponCode\": \"" + code + "\"") + "}",
                "Idempotency-Key", UUID.randomUUID().toString());
    }

    @Test
    void aCouponDiscountsAChargeItsUseIsRecordedWithThePaymentAndAWholeRefundGivesItBack() {
        String campaignId = campaign(api, TEN_OFF);
        String ana = customer(api);
        String code = coupon(api, campaignId, "{\"customerId\": \"" + ana + "\"}").json().path("code").asText();

        var below = charge(ana, 2000, code);
        assertThat(below.status()).isEqualTo(422);
        assertThat(below.json().path("code").asText()).isEqualTo("coupon_below_minimum");
        assertThat(below.json().path("errors").get(0).path("field").asText()).isEqualTo("couponCode");

        var paid = charge(ana, 5000, code.toLowerCase(java.util.Locale.ROOT));
        assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
        assertThat(paid.json().path("amount").path("amount").asLong()).isEqualTo(4000);
        assertThat(paid.json().path("coupon").path("discount").path("amount").asLong()).isEqualTo(1000);
        assertThat(paid.json().path("coupon").path("amountBefore").path("amount").asLong()).isEqualTo(5000);
        String paymentId = paid.json().path("id").asText();

        var mine = api.get("/customers/" + ana + "/coupons").json().path("data").get(0);
        assertThat(mine.path("status").asText()).isEqualTo("used");
        assertThat(mine.path("uses").asLong()).isEqualTo(1);
        assertThat(mine.path("lastPaymentId").asText()).isEqualTo(paymentId);
        var again = charge(ana, 5000, code);
        assertThat(again.status()).isEqualTo(422);
        assertThat(again.json().path("code").asText()).isEqualTo("coupon_limit_reached");
        assertThat(api.get("/coupons/" + code).json().path("coupon").path("redemptions").asLong()).isEqualTo(1);

        // a partial refund keeps the use; the rest of it, the whole payment refunded, gives it back
        assertThat(api.send("POST", "/payments/" + paymentId + "/refunds", "{\"amount\": {\"amount\": 1000, \"currency\": \"USD\"}}",
                "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(201);
        assertThat(api.get("/customers/" + ana + "/coupons").json().path("data").get(0).path("uses").asLong()).isEqualTo(1);
        assertThat(api.send("POST", "/payments/" + paymentId + "/refunds", "{}", "Idempotency-Key", UUID.randomUUID().toString())
                .status()).isEqualTo(201);
        var back = api.get("/customers/" + ana + "/coupons").json().path("data").get(0);
        assertThat(back.path("uses").asLong()).isZero();
        assertThat(back.path("status").asText()).isEqualTo("available");
        assertThat(api.get("/coupons/" + code).json().path("coupon").path("redemptions").asLong()).isZero();
        assertThat(charge(ana, 5000, code).status()).isEqualTo(201);

        // another customer, another tenant, an unknown or malformed code: named
        String bob = customer(api);
        assertThat(charge(bob, 5000, code).json().path("code").asText()).isEqualTo("coupon_not_for_customer");
        assertThat(charge(bob, 5000, "NOPE-NOPE").json().path("code").asText()).isEqualTo("coupon_not_found");
        var malformed = charge(bob, 5000, "\\ud800AB");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(fields(malformed)).isEqualTo("couponCode");
        var other = new Api(cloud.apiUrl(), cloud.token(tenant + "y", "eve"));
        String eve = customer(other);
        var foreign = other.send("POST", "/customers/" + eve + "/charges",
                "{\"amount\": {\"amount\": 5000, \"currency\": \"USD\"}, \"couponCode\": \"" + code + "\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(foreign.json().path("code").asText()).isEqualTo("coupon_not_found");
    }

    static Api.Reply guestCharge(Api api, long amount, String code) {
        return api.send("POST", "/guest-payments", """
                {"email": "guest@example.com", "phone": "+14155550199", "amount": {"amount": %d, "currency": "USD"}, "couponCode": %s,
                 "card": {"number": "4242424242424242", "expMonth": 1, "expYear": 2033, "cvc": "999"}}"""
                .formatted(amount, code == null ? "null" : "\"" + code + "\""), "Idempotency-Key", UUID.randomUUID().toString());
    }

    @Test
    void aGuestUsesASharedCodeCountedAgainstItsTotalOnlyAndAWholeRefundGivesItBack() {
        String campaignId = campaign(api, TEN_OFF);
        assertThat(coupon(api, campaignId, "{\"code\": \"GUEST-10\"}").status()).isEqualTo(201);
        var paid = guestCharge(api, 5000, "guest-10");
        assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
        assertThat(paid.json().path("amount").path("amount").asLong()).isEqualTo(4000);
        assertThat(paid.json().path("coupon").path("code").asText()).isEqualTo("GUEST-10");
        assertThat(paid.json().path("coupon").path("amountBefore").path("amount").asLong()).isEqualTo(5000);
        // the per-customer limit (1) does not bind guests: the second use is the code's last (maxRedemptions 2)
        var second = guestCharge(api, 5000, "GUEST-10");
        assertThat(second.status()).as(second.toString()).isEqualTo(201);
        var third = guestCharge(api, 5000, "GUEST-10");
        assertThat(third.status()).isEqualTo(422);
        assertThat(third.json().path("code").asText()).isEqualTo("coupon_exhausted");
        assertThat(third.json().path("errors").get(0).path("field").asText()).isEqualTo("couponCode");
        assertThat(api.get("/coupons/GUEST-10").json().path("coupon").path("redemptions").asLong()).isEqualTo(2);

        // a whole refund gives the use back, once
        String paymentId = paid.json().path("id").asText();
        assertThat(api.send("POST", "/payments/" + paymentId + "/refunds", "{}", "Idempotency-Key", UUID.randomUUID().toString())
                .status()).isEqualTo(201);
        assertThat(api.get("/coupons/GUEST-10").json().path("coupon").path("redemptions").asLong()).isEqualTo(1);
        assertThat(guestCharge(api, 5000, "GUEST-10").status()).isEqualTo(201);

        // a customer's own code, a coupon of points, bad and foreign codes: named, nothing charged
        String ana = customer(api);
        String given = coupon(api, campaignId, "{\"customerId\": \"" + ana + "\"}").json().path("code").asText();
        assertThat(guestCharge(api, 5000, given).json().path("code").asText()).isEqualTo("coupon_not_for_customer");
        String points = campaign(api, """
                {"name": "Pts", "startsAt": "2020-01-01T00:00:00Z", "coupon": {"type": "free_points", "points": 50}}""");
        assertThat(coupon(api, points, "{\"code\": \"PTS-50\"}").status()).isEqualTo(201);
        var noPoints = guestCharge(api, 5000, "PTS-50");
        assertThat(noPoints.status()).isEqualTo(422);
        assertThat(noPoints.json().path("code").asText()).isEqualTo("coupon_needs_customer");
        assertThat(guestCharge(api, 5000, "\\ud800AB").status()).isEqualTo(400);
        assertThat(fields(guestCharge(api, 5000, "!!!"))).isEqualTo("couponCode");
        var other = new Api(cloud.apiUrl(), cloud.token(tenant + "g", "eve"));
        assertThat(guestCharge(other, 5000, "GUEST-10").json().path("code").asText()).isEqualTo("coupon_not_found");
        assertThat(guestCharge(api, 9223372036854775807L, "GUEST-10").status()).isEqualTo(400);
        assertThat(api.get("/coupons/GUEST-10").json().path("coupon").path("redemptions").asLong()).isEqualTo(2);
    }

    @Test
    void ofNTillsChargingWithACodesLastUseExactlyOneSucceeds() throws Exception {
        String campaignId = campaign(api, """
                {"name": "Last one", "startsAt": "2020-01-01T00:00:00Z",
                 "coupon": {"type": "percent_off", "percentOff": 25, "maxRedemptions": 1, "maxRedemptionsPerCustomer": 5}}""");
        assertThat(coupon(api, campaignId, "{\"code\": \"LAST-ONE\"}").status()).isEqualTo(201);
        int tills = 6;
        var customers = new java.util.ArrayList<String>();
        for (int i = 0; i < tills; i++) {
            customers.add(customer(api));
        }
        var start = new java.util.concurrent.CountDownLatch(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(tills);
        try {
            var replies = new java.util.ArrayList<java.util.concurrent.Future<Api.Reply>>();
            for (String c : customers) {
                replies.add(pool.submit(() -> {
                    start.await();
                    return charge(c, 4000, "LAST-ONE");
                }));
            }
            start.countDown();
            int succeeded = 0;
            for (var reply : replies) {
                var r = reply.get();
                if (r.status() == 201) {
                    succeeded++;
                    assertThat(r.json().path("amount").path("amount").asLong()).isEqualTo(3000);
                } else {
                    assertThat(r.status()).as(r.toString()).isEqualTo(422);
                    assertThat(r.json().path("code").asText()).isEqualTo("coupon_exhausted");
                }
            }
            assertThat(succeeded).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(api.get("/coupons/LAST-ONE").json().path("coupon").path("redemptions").asLong()).isEqualTo(1);
        assertThat(api.get("/coupons/LAST-ONE").json().path("reason").asText()).isEqualTo("coupon_exhausted");
    }

    @Test
    void aCouponAsLargeAsTheChargeIsRefusedNotClamped() {
        String campaignId = campaign(api, """
                {"name": "Big", "startsAt": "2020-01-01T00:00:00Z", "coupon": {"type": "amount_off",
                 "amountOff": {"amount": 5000, "currency": "USD"}, "validUntil": "2100-01-01T00:00:00Z"}}""");
        String ana = customer(api);
        String code = coupon(api, campaignId, "{\"customerId\": \"" + ana + "\"}").json().path("code").asText();
        var refused = charge(ana, 5000, code);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("code").asText()).isEqualTo("coupon_exceeds_amount");
        var huge = api.send("POST", "/customers/" + ana + "/charges",
                "{\"amount\": {\"amount\": 9223372036854775807, \"currency\": \"USD\"}, \"couponCode\": \"" + code + "\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(huge.status()).isEqualTo(400);
        assertThat(charge(ana, 5001, code).json().path("amount").path("amount").asLong()).isEqualTo(1);
        String future = campaign(api, """
                {"name": "Later", "startsAt": "2020-01-01T00:00:00Z", "coupon": {"type": "percent_off", "percentOff": 10,
                 "validFrom": "2100-01-01T00:00:00Z"}}""");
        String later = coupon(api, future, "{\"customerId\": \"" + ana + "\"}").json().path("code").asText();
        assertThat(charge(ana, 5000, later).json().path("code").asText()).isEqualTo("coupon_not_yet_valid");
        String past = campaign(api, """
                {"name": "Gone", "startsAt": "2020-01-01T00:00:00Z", "coupon": {"type": "percent_off", "percentOff": 10,
                 "validUntil": "2021-01-01T00:00:00Z"}}""");
        String gone = coupon(api, past, "{\"customerId\": \"" + ana + "\"}").json().path("code").asText();
        assertThat(charge(ana, 5000, gone).json().path("code").asText()).isEqualTo("coupon_expired");
        assertThat(api.get("/customers/" + ana + "/coupons?limit=100").json().path("data")).extracting(c -> c.path("status").asText())
                .contains("expired", "used", "available");
    }

    @Test
    void aFreePointsCouponCreditsItsPointsWithTheChargesOnceOnALineNamingItsCampaign() {
        String campaignId = campaign(api, """
                {"name": "Bonus", "startsAt": "2020-01-01T00:00:00Z", "coupon": {"type": "free_points", "points": 500}}""");
        String ana = customer(api);
        String code = coupon(api, campaignId, "{\"customerId\": \"" + ana + "\"}").json().path("code").asText();
        var paid = charge(ana, 5000, code);
        assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
        assertThat(paid.json().path("amount").path("amount").asLong()).isEqualTo(5000);
        assertThat(paid.json().path("coupon").path("points").asLong()).isEqualTo(500);
        var points = Eventually.get(() -> api.get("/customers/" + ana + "/points").json(), p -> p.path("lifetime").asLong() >= 500);
        var lines = api.get("/customers/" + ana + "/points/statement").json().path("data");
        var couponLines = new java.util.ArrayList<JsonNode>();
        lines.forEach(line -> {
            if (campaignId.equals(line.path("campaignId").asText(null))) {
                couponLines.add(line);
            }
        });
        assertThat(couponLines).hasSize(1);
        assertThat(couponLines.get(0).path("points").asLong()).isEqualTo(500);
        long credited = 0;
        for (var line : lines) {
            credited += line.path("points").asLong();
        }
        assertThat(points.path("lifetime").asLong()).as("the charge's own points and the coupon's, once").isEqualTo(credited);
    }
}
