package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Loyalty end to end over HTTP: the programme settings, and charges and refunds whose events reach
 * the points accrual through the local cloud's SQS event source, shown as points and a statement.
 */
class LoyaltyApiTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private String customerWithCard() {
        String id = api.post("/customers", """
                {"firstName": "Lin", "lastName": "Chen", "email": "lin@example.com", "phone": "+14155550177"}""")
                .json().path("id").asText();
        assertThat(api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4242424242424242")).status()).isEqualTo(201);
        return id;
    }

    private JsonNode charge(String customer, long amount) {
        var reply = api.send("POST", "/customers/" + customer + "/charges",
                "{\"amount\": {\"amount\": " + amount + ", \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    private JsonNode points(String customer, Predicate<JsonNode> done) {
        return Eventually.get(() -> api.get("/customers/" + customer + "/points").json(), done);
    }

    @Test
    void settingsHaveDefaultsAndABadPutNamesItsFields() {
        var defaults = api.get("/loyalty/settings");
        assertThat(defaults.status()).isEqualTo(200);
        assertThat(defaults.json().path("pointsPerUnit").asInt()).isEqualTo(1);
        assertThat(defaults.json().path("rounding").asText()).isEqualTo("DOWN");
        assertThat(defaults.json().path("lotLifetimeMonths").asInt()).isEqualTo(12);
        assertThat(defaults.json().path("otpRequired").asBoolean()).isFalse();

        var bad = api.send("PUT", "/loyalty/settings", """
                {"pointsPerUnit": -1, "rounding": "SIDEWAYS", "lotLifetimeMonths": 0, "referrerBonus": 100,
                 "refereeBonus": 50, "otpRequired": true, "pointValue": {"amount": 1, "currency": "usd"}}""");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").findValuesAsText("field"))
                .containsExactly("pointsPerUnit", "rounding", "lotLifetimeMonths", "pointValue.currency");
        assertThat(api.send("PUT", "/loyalty/settings", "{\"pointsPerUnit\": \"1\"}").json().path("errors").get(0).path("field").asText())
                .isEqualTo("pointsPerUnit");
        assertThat(api.send("PUT", "/loyalty/settings", "{\"pointz\": 1}").status()).isEqualTo(400);

        var saved = api.send("PUT", "/loyalty/settings", """
                {"pointsPerUnit": 1.5, "rounding": "HALF_UP", "lotLifetimeMonths": 6, "referrerBonus": 100,
                 "refereeBonus": 50, "otpRequired": true, "pointValue": {"amount": 1, "currency": "USD"}}""");
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        var read = api.get("/loyalty/settings").json();
        assertThat(read.path("pointsPerUnit").decimalValue()).isEqualByComparingTo("1.5");
        assertThat(read.path("lotLifetimeMonths").asInt()).isEqualTo(6);
        assertThat(read.path("referrerBonus").asLong()).isEqualTo(100);
        assertThat(read.path("otpRequired").asBoolean()).isTrue();
        // another tenant still has the defaults
        assertThat(new Api(cloud.apiUrl(), cloud.token("other" + tenant, "bob")).get("/loyalty/settings").json()
                .path("lotLifetimeMonths").asInt()).isEqualTo(12);
    }

    @Test
    void chargesEarnRefundsClawBackAndNewSettingsApplyToLaterCharges() {
        String id = customerWithCard();
        var paid = charge(id, 8_900);
        var balance = points(id, p -> p.path("available").asLong() == 89);
        assertThat(balance.path("available").asLong()).isEqualTo(89);
        assertThat(balance.path("lifetime").asLong()).isEqualTo(89);
        assertThat(balance.path("redeemed").asLong()).isZero();
        assertThat(balance.path("expired").asLong()).isZero();
        String expiry = Instant.parse(paid.path("createdAt").asText()).atOffset(ZoneOffset.UTC).plusMonths(12).toLocalDate().toString();
        assertThat(balance.path("nextExpiry").path("date").asText()).isEqualTo(expiry);
        assertThat(balance.path("nextExpiry").path("points").asLong()).isEqualTo(89);

        var refund = api.send("POST", "/payments/" + paid.path("id").asText() + "/refunds",
                "{\"amount\": {\"amount\": 2500, \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(refund.status()).as(refund.toString()).isEqualTo(201);
        balance = points(id, p -> p.path("available").asLong() == 64);
        assertThat(balance.path("available").asLong()).isEqualTo(64); // 2500 / 8900 x 89 = 25 clawed back
        assertThat(balance.path("lifetime").asLong()).isEqualTo(89);

        assertThat(api.send("PUT", "/loyalty/settings", """
                {"pointsPerUnit": 2, "rounding": "DOWN", "lotLifetimeMonths": 12, "referrerBonus": 0,
                 "refereeBonus": 0, "otpRequired": false, "pointValue": {"amount": 1, "currency": "USD"}}""").status()).isEqualTo(200);
        var later = charge(id, 1_050);
        balance = points(id, p -> p.path("lifetime").asLong() == 110);
        assertThat(balance.path("available").asLong()).isEqualTo(85); // 64 + 10.50 x 2 = 21
        // the profile and its list row carry the balance, written in the same transaction
        assertThat(api.get("/customers/" + id).json().path("pointsAvailable").asLong()).isEqualTo(85);
        assertThat(api.get("/customers").json().path("data").get(0).path("pointsAvailable").asLong()).isEqualTo(85);

        var statement = api.get("/customers/" + id + "/points/statement").json();
        assertThat(statement.path("data")).extracting(r -> r.path("type").asText() + " " + r.path("points").asLong() + " "
                + r.path("pointsLeft").asLong()).containsExactly("EARN 21 21", "CLAWBACK -25 64", "EARN 89 89");
        var newest = statement.path("data").get(0);
        assertThat(newest.path("transactionId").asText()).isEqualTo(later.path("id").asText());
        assertThat(newest.path("createdAt").asText()).isEqualTo(later.path("createdAt").asText());
        assertThat(newest.path("expiryDate").asText()).hasSize(10);
        assertThat(newest.has("storeId")).isTrue();
        assertThat(newest.has("terminalId")).isTrue();
        assertThat(statement.path("totals").path("credited").asLong()).isEqualTo(110);
        assertThat(statement.path("totals").path("redeemed").asLong()).isZero();

        var first = api.get("/customers/" + id + "/points/statement?limit=2").json();
        assertThat(first.path("data")).hasSize(2);
        var rest = api.get("/customers/" + id + "/points/statement?limit=2&cursor=" + first.path("nextCursor").asText()).json();
        assertThat(rest.path("data")).extracting(r -> r.path("type").asText()).containsExactly("EARN");
        assertThat(rest.path("nextCursor").isNull()).isTrue();
        assertThat(api.get("/customers/" + id + "/points/statement?limit=0").status()).isEqualTo(400);
    }

    @Test
    void anotherTenantsOrAnUnknownCustomerIs404() {
        var created = api.post("/customers", """
                {"firstName": "Ada", "lastName": "Byron", "email": "ada@example.com", "phone": "+14155550111"}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(api.get("/customers/" + id + "/points").status()).isEqualTo(200);
        var intruder = new Api(cloud.apiUrl(), cloud.token("other" + tenant, "mallory"));
        assertThat(intruder.get("/customers/" + id + "/points").status()).isEqualTo(404);
        assertThat(intruder.get("/customers/" + id + "/points/statement").status()).isEqualTo(404);
        assertThat(api.get("/customers/cus_01KB0000000000000000000000/points").status()).isEqualTo(404);
        assertThat(api.get("/customers/nope/points/statement").json().path("code").asText()).isEqualTo("resource_missing");
        assertThat(api.send("DELETE", "/customers/" + id + "/points", null).status()).isEqualTo(405);
    }

    /**
     * Out of order and duplicated, through the queue: on a copy of the template whose points queue
     * retries after 1 second, a refund sent before its charge fails until the charge's lot exists,
     * then claws back; the charge sent three times earns once.
     */
    @Test
    void aRefundBeforeItsChargeIsRetriedAndADuplicateChargeEarnsOnce() throws Exception {
        Path template = TestCloud.withFastRetries("PointsEventsQueue");
        try (var fast = LocalCloud.start(LocalCloud.Options.inMemory(template)); var sqs = EventInbox.sqs(fast)) {
            var fastApi = new Api(fast.apiUrl(), fast.token(tenant, "alice"));
            String id = fastApi.post("/customers", """
                    {"firstName": "Po", "lastName": "Son", "email": "po@example.com", "phone": "+14155550178"}""")
                    .json().path("id").asText();
            String charge = """
                    {"id": "evt_01KB0000000000000000000010", "type": "payment.succeeded", "schemaVersion": 1, "tenantId": "%s",
                     "customerId": "%s", "paymentId": "pay_01KB0000000000000000000010", "refundId": null, "amount": 10000,
                     "currency": "USD", "occurredAt": "2026-11-23T10:00:00Z", "storeId": "store_9", "terminalId": "term_2",
                     "receiptId": "r-77", "failureCode": null}""".formatted(tenant, id);
            String refund = charge.replace("evt_01KB0000000000000000000010", "evt_01KB0000000000000000000011")
                    .replace("payment.succeeded", "payment.refunded").replace("\"refundId\": null", "\"refundId\": \"re_01KB0000000000000000000011\"")
                    .replace("\"amount\": 10000", "\"amount\": 2500").replace("10:00:00Z", "11:00:00Z");
            String url = fast.resources().get("PointsEventsQueue");
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(refund));
            // the refund is received and fails at least once before its charge is sent
            Eventually.get(() -> sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE), "1"::equals);
            Thread.sleep(500); // its first delivery has failed (it is invisible for 1 s; a receive limit of 5 leaves room)
            assertThat(fastApi.get("/customers/" + id + "/points").json().path("lifetime").asLong()).isZero();
            for (int i = 0; i < 3; i++) {
                sqs.sendMessage(r -> r.queueUrl(url).messageBody(charge));
            }
            var points = Eventually.get(() -> fastApi.get("/customers/" + id + "/points").json(),
                    p -> p.path("available").asLong() == 75);
            assertThat(points.path("available").asLong()).isEqualTo(75);
            assertThat(points.path("lifetime").asLong()).isEqualTo(100);
            assertThat(points.path("nextExpiry").path("date").asText()).isEqualTo("2027-11-23");
            assertThat(points.path("nextExpiry").path("points").asLong()).isEqualTo(75);
            Eventually.get(() -> sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes(), a -> a.values().stream().allMatch("0"::equals));
            var rows = fastApi.get("/customers/" + id + "/points/statement").json().path("data");
            assertThat(rows).extracting(r -> r.path("type").asText() + " " + r.path("points").asLong() + " " + r.path("pointsLeft").asLong())
                    .containsExactly("CLAWBACK -25 75", "EARN 100 100");
            assertThat(rows.get(1).path("storeId").asText()).isEqualTo("store_9");
            assertThat(rows.get(1).path("terminalId").asText()).isEqualTo("term_2");
            assertThat(rows.get(1).path("transactionId").asText()).isEqualTo("pay_01KB0000000000000000000010");
            assertThat(rows.get(1).path("expiryDate").asText()).isEqualTo("2027-11-23");
            String dlq = fast.resources().get("PointsEventsDlq");
            assertThat(sqs.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo("0");
        } finally {
            Files.deleteIfExists(template);
        }
    }
}
