package com.clientele.e2e;

import com.clientele.customers.CustomerItems;
import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.clientele.shared.Keys;
import com.clientele.shared.Table;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Referrals end to end over HTTP: codes on profiles, {@code referredBy} on create and PATCH with
 * its refusals, and the bonus both sides get once, from the referred customer's first successful
 * charge, through the points queue.
 */
class ReferralsApiTest {

    static final String SETTINGS = """
            {"pointsPerUnit": 1, "rounding": "DOWN", "lotLifetimeMonths": 12, "referrerBonus": 100,
             "refereeBonus": 50, "otpRequired": false, "pointValue": {"amount": 1, "currency": "USD"}}""";

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private Api.Reply create(String name, String email, String phone, String referredBy) {
        return api.post("/customers", """
                {"firstName": "%s", "lastName": "Test", "email": "%s", "phone": "%s"%s}""".formatted(name, email, phone,
                referredBy == null ? "" : ", \"referredBy\": \"" + referredBy + "\""));
    }

    private JsonNode customer(String name, String email, String phone, String referredBy) {
        var reply = create(name, email, phone, referredBy);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    private JsonNode saveCard(String customer, String number) {
        var reply = api.post("/customers/" + customer + "/payment-methods", PaymentsApiContract.card(number));
        assertThat(reply.status()).as(reply.toString()).isIn(200, 201);
        return reply.json();
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

    private List<String> statement(String customer) {
        var rows = api.get("/customers/" + customer + "/points/statement").json().path("data");
        var lines = new java.util.ArrayList<String>();
        rows.forEach(r -> lines.add(r.path("type").asText() + " " + r.path("points").asLong()));
        return lines;
    }

    /** The referral item of a referred customer, as the table holds it. */
    private Map<String, AttributeValue> referral(String customer) {
        try (var dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            return dynamo.getItem(r -> r.tableName(cloud.resources().get("Table")).consistentRead(true).key(Map.of(
                    Table.PK, AttributeValue.fromS(Keys.customer(tenant, customer)),
                    Table.SK, AttributeValue.fromS(CustomerItems.REFERRAL)))).item();
        }
    }

    private Map<String, AttributeValue> settled(String customer) {
        return Eventually.get(() -> referral(customer), item -> !"pending".equals(item.get("status").s()));
    }

    /** Until the points queue holds nothing, visible or in flight: every event sent so far is applied. */
    private void pointsQueueDrained() {
        try (var sqs = EventInbox.sqs(cloud)) {
            String url = cloud.resources().get("PointsEventsQueue");
            var attributes = Eventually.get(() -> sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes(), a -> a.values().stream().allMatch("0"::equals));
            assertThat(attributes.values()).containsOnly("0");
        }
    }

    @Test
    void bothSidesGetTheirBonusOnceFromTheFirstChargeAndADuplicateEventPaysNothingMore() {
        assertThat(api.send("PUT", "/loyalty/settings", SETTINGS).status()).isEqualTo(200);
        var referrer = customer("Ada", "ada@example.com", "+14155550101", null);
        String code = referrer.path("referralCode").asText();
        assertThat(code).matches("[0-9A-HJKMNP-TV-Z]{8}");
        assertThat(referrer.path("referredBy").isNull()).isTrue();
        assertThat(api.get("/customers/" + referrer.path("id").asText()).json().path("referralCode").asText()).isEqualTo(code);

        // typed as a person would: lower case, with a hyphen
        var referred = customer("Bea", "bea@example.com", "+14155550102",
                code.substring(0, 4).toLowerCase(Locale.ROOT) + "-" + code.substring(4).toLowerCase(Locale.ROOT));
        String a = referrer.path("id").asText();
        String b = referred.path("id").asText();
        assertThat(referred.path("referredBy").asText()).isEqualTo(code);
        assertThat(referred.path("referralCode").asText()).isNotEqualTo(code).hasSize(8);
        assertThat(api.get("/customers/" + b).json().path("referredBy").asText()).isEqualTo(code);
        assertThat(referral(b).get("status").s()).isEqualTo("pending");
        assertThat(referral(b).get("referrerId").s()).isEqualTo(a);

        var card = saveCard(b, "4242424242424242");
        var paid = charge(b, 8_900);
        var bPoints = points(b, p -> p.path("available").asLong() == 139);
        assertThat(bPoints.path("available").asLong()).isEqualTo(139);
        assertThat(bPoints.path("lifetime").asLong()).as("bonus points are earned points").isEqualTo(139);
        assertThat(points(a, p -> p.path("available").asLong() == 100).path("lifetime").asLong()).isEqualTo(100);
        assertThat(statement(b)).containsExactlyInAnyOrder("EARN 89", "REFERRAL 50");
        assertThat(statement(a)).containsExactly("REFERRAL 100");
        var line = api.get("/customers/" + a + "/points/statement").json().path("data").get(0);
        String referralId = referral(b).get("id").s();
        assertThat(line.path("transactionId").asText()).isEqualTo(referralId).startsWith("ref_");
        assertThat(line.path("createdAt").asText()).isEqualTo(paid.path("createdAt").asText());
        assertThat(line.path("pointsLeft").asLong()).isEqualTo(100);
        var rewarded = settled(b);
        assertThat(rewarded.get("status").s()).isEqualTo("rewarded");
        assertThat(rewarded.get("paymentId").s()).isEqualTo(paid.path("id").asText());
        assertThat(api.get("/customers/" + a).json().path("pointsAvailable").asLong()).isEqualTo(100);

        // the event carries the card's fingerprint (what the same-card rule compares)
        var event = Eventually.get(() -> EventInbox.events(cloud, TestCloud.EVENTS_TAP, tenant), e -> !e.isEmpty()).get(0);
        assertThat(event.path("cardFingerprint").asText()).isEqualTo(card.path("fingerprint").asText());

        // the same event delivered again, three times: nothing more for either side
        try (var sqs = EventInbox.sqs(cloud)) {
            String url = cloud.resources().get("PointsEventsQueue");
            for (int i = 0; i < 3; i++) {
                sqs.sendMessage(r -> r.queueUrl(url).messageBody(event.toString()));
            }
        }
        pointsQueueDrained();
        // a second charge earns its points only
        charge(b, 1_000);
        assertThat(points(b, p -> p.path("lifetime").asLong() == 149).path("available").asLong()).isEqualTo(149);
        pointsQueueDrained();
        assertThat(statement(b)).containsExactlyInAnyOrder("EARN 10", "EARN 89", "REFERRAL 50");
        assertThat(statement(a)).containsExactly("REFERRAL 100");
        assertThat(api.get("/customers/" + a + "/points").json().path("lifetime").asLong()).isEqualTo(100);
    }

    @Test
    void unknownMalformedDeletedAndSelfReferralsAre400sNamingReferredBy() {
        var referrer = customer("Ada", "ada@example.com", "+14155550101", null);
        String code = referrer.path("referralCode").asText();

        String unknown = code.equals("ZZZZZZZZ") ? "YYYYYYYY" : "ZZZZZZZZ";
        var reply = create("Bea", "bea@example.com", "+14155550102", unknown);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("code").asText()).isEqualTo("unknown_referral_code");
        assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo("referredBy");

        reply = create("Bea", "bea@example.com", "+14155550102", "hello");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("code").asText()).isEqualTo("validation_error");
        assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo("referredBy");
        assertThat(api.post("/customers", """
                {"firstName": "B", "lastName": "T", "email": "b@example.com", "phone": "+14155550102", "referredBy": 7}""")
                .json().path("errors").get(0).path("field").asText()).isEqualTo("referredBy");
        assertThat(api.post("/customers", """
                {"firstName": "B", "lastName": "T", "email": "b@example.com", "phone": "+14155550102", "referralCode": "ABCDEFGH"}""")
                .status()).isEqualTo(400);

        // the referrer's email (a self-referral before it is a taken email) or phone
        reply = create("Ada", "ADA@example.com", "+14155550199", code);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().path("code").asText()).isEqualTo("self_referral");
        assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo("referredBy");
        reply = create("Ada", "ada.two@example.com", "+1 415 555 0101", code);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().path("code").asText()).isEqualTo("self_referral");
        assertThat(api.get("/customers?email=ada.two@example.com").json().path("data")).as("nothing was created").isEmpty();

        // a deleted customer's code refers no one
        assertThat(api.delete("/customers/" + referrer.path("id").asText()).status()).isEqualTo(204);
        reply = create("Bea", "bea@example.com", "+14155550102", code);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("code").asText()).isEqualTo("unknown_referral_code");
    }

    @Test
    void aPatchRefersOnceAndOnlyBeforeTheFirstSuccessfulCharge() {
        var referrer = customer("Ada", "ada@example.com", "+14155550101", null);
        var other = customer("Cy", "cy@example.com", "+14155550103", null);
        String code = referrer.path("referralCode").asText();
        var bea = customer("Bea", "bea@example.com", "+14155550102", null);
        String b = bea.path("id").asText();

        assertThat(api.patch("/customers/" + b, "{\"referralCode\": \"ABCDEFGH\"}", "\"1\"").json()
                .path("errors").get(0).path("message").asText()).isEqualTo("is read-only");
        var own = api.patch("/customers/" + b, "{\"referredBy\": \"" + bea.path("referralCode").asText() + "\"}", "\"1\"");
        assertThat(own.status()).isEqualTo(400);
        assertThat(own.json().path("code").asText()).isEqualTo("self_referral");

        var patched = api.patch("/customers/" + b, "{\"referredBy\": \"" + code.toLowerCase(Locale.ROOT) + "\"}", "\"1\"");
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().path("referredBy").asText()).isEqualTo(code);
        assertThat(referral(b).get("referrerId").s()).isEqualTo(referrer.path("id").asText());
        String etag = patched.header("ETag");
        // the same code again is no change; another, or none, is a second referral
        assertThat(api.patch("/customers/" + b, "{\"referredBy\": \"" + code + "\"}", etag).status()).isEqualTo(200);
        var second = api.patch("/customers/" + b, "{\"referredBy\": \"" + other.path("referralCode").asText() + "\"}", etag);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().path("code").asText()).isEqualTo("already_referred");
        assertThat(second.json().path("errors").get(0).path("field").asText()).isEqualTo("referredBy");
        assertThat(api.patch("/customers/" + b, "{\"referredBy\": null}", etag).json().path("code").asText())
                .isEqualTo("already_referred");
        // other edits keep the referral
        var renamed = api.patch("/customers/" + b, "{\"firstName\": \"Beatrice\"}", etag);
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().path("referredBy").asText()).isEqualTo(code);

        // a customer who has paid cannot be referred any more
        String c = other.path("id").asText();
        saveCard(c, "5555555555554444");
        charge(c, 500);
        // (If-Match *: the aggregators move the profile's version as the charge's events arrive)
        var late = api.patch("/customers/" + c, "{\"referredBy\": \"" + code + "\"}", "*");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().path("code").asText()).isEqualTo("referral_too_late");
        assertThat(referral(c)).isEmpty();
    }

    @Test
    void aChargeWithTheReferrersCardPaysNoBonus() {
        assertThat(api.send("PUT", "/loyalty/settings", SETTINGS).status()).isEqualTo(200);
        var referrer = customer("Ada", "ada@example.com", "+14155550101", null);
        String a = referrer.path("id").asText();
        saveCard(a, "4242424242424242");
        String b = customer("Bea", "bea@example.com", "+14155550102", referrer.path("referralCode").asText()).path("id").asText();
        saveCard(b, "4242424242424242");
        charge(b, 8_900);
        var refused = settled(b);
        assertThat(refused.get("status").s()).isEqualTo("refused");
        assertThat(refused.get("reason").s()).isEqualTo("same_card");
        assertThat(points(b, p -> p.path("available").asLong() == 89).path("lifetime").asLong()).isEqualTo(89);
        assertThat(statement(b)).containsExactly("EARN 89");
        assertThat(api.get("/customers/" + a + "/points").json().path("lifetime").asLong()).isZero();
    }

    @Test
    void aReferrerDeletedBeforeTheChargeGetsNothingAndTheReferredCustomerStillDoes() {
        assertThat(api.send("PUT", "/loyalty/settings", SETTINGS).status()).isEqualTo(200);
        var referrer = customer("Ada", "ada@example.com", "+14155550101", null);
        String a = referrer.path("id").asText();
        String b = customer("Bea", "bea@example.com", "+14155550102", referrer.path("referralCode").asText()).path("id").asText();
        assertThat(api.delete("/customers/" + a).status()).isEqualTo(204);
        saveCard(b, "4242424242424242");
        charge(b, 1_000);
        var rewarded = settled(b);
        assertThat(rewarded.get("status").s()).isEqualTo("rewarded");
        assertThat(rewarded.get("reason").s()).isEqualTo("referrer_deleted");
        assertThat(rewarded.get("referrerPoints").n()).isEqualTo("0");
        assertThat(points(b, p -> p.path("available").asLong() == 60).path("available").asLong()).isEqualTo(60);
        assertThat(statement(b)).containsExactlyInAnyOrder("EARN 10", "REFERRAL 50");
    }
}
