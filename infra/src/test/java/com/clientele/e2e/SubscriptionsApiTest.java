package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.clientele.local.Roles;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions over HTTP: started under an Idempotency-Key from a recurring price, read and listed;
 * paused, resumed, changed from the next period, extended and canceled, each with its activity; and
 * what an attacker or a careless client sends, each a 4xx naming the field or the state, never a 500.
 */
class SubscriptionsApiTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "sub" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private Api.Reply create(String path, String body) {
        return api.send("POST", path, body, "Idempotency-Key", UUID.randomUUID().toString());
    }

    private String id(Api.Reply reply, int status) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        return reply.json().path("id").asText();
    }

    private String customer(String name, boolean card) {
        String n = String.format("%04d", Math.floorMod(UUID.randomUUID().hashCode(), 10_000));
        String id = id(api.post("/customers", """
                {"firstName": "%s", "lastName": "Sub", "email": "%s.%s@example.com", "phone": "+1415550%s",
                 "addresses": [{"kind": "shipping", "line1": "9 Dock Rd", "city": "Shelbyville", "country": "US", "isDefault": true}]}"""
                .formatted(name, name.toLowerCase(), n, n)), 201);
        if (card) {
            assertThat(api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4242424242424242")).status()).isEqualTo(201);
        }
        return id;
    }

    private String product() {
        return id(create("/products", "{\"name\": \"FlexBook 14\"}"), 201);
    }

    private String variant(String product, String name) {
        return id(create("/products/" + product + "/variants", "{\"name\": \"" + name + "\"}"), 201);
    }

    private String price(String product, String variant, String currency, long amount, String recurring) {
        return id(create("/prices", """
                {"productId": "%s"%s, "currency": "%s", "unitAmount": %d, %s}""".formatted(product,
                variant == null ? "" : ", \"variantId\": \"" + variant + "\"", currency, amount,
                recurring == null ? "\"type\": \"one_time\"" : "\"type\": \"recurring\", \"recurring\": " + recurring
                        + ", \"assetCost\": 90000")), 201);
    }

    private Api.Reply start(String customer, String body) {
        return create("/customers/" + customer + "/subscriptions", body);
    }

    private static void refused(Api.Reply reply, int status, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.json().path("errors")).as(reply.toString()).extracting(e -> e.path("field").asText()).contains(field);
    }

    private static void refusedInState(Api.Reply reply, String status) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
        assertThat(reply.json().path("code").asText()).isEqualTo("invalid_state");
        assertThat(reply.json().path("subscriptionStatus").asText()).as("the state, as a member").isEqualTo(status);
        assertThat(reply.json().path("detail").asText()).contains("is " + status);
    }

    @Test
    void aSubscriptionIsStartedOnceReadAndListedNewestFirst() {
        String customer = customer("Ada", true);
        String product = product();
        String monthly = price(product, variant(product, "16 GB"), "USD", 8900, "{\"interval\": \"month\", \"contractMonths\": 12}");
        String body = """
                {"priceId": "%s", "quantity": 2, "assetSerialNumber": "FB14-0001"}""".formatted(monthly);
        String key = UUID.randomUUID().toString();
        var started = api.send("POST", "/customers/" + customer + "/subscriptions", body, "Idempotency-Key", key);
        String id = id(started, 201);
        assertThat(id).startsWith("sub_");
        assertThat(started.header("Location")).isEqualTo("/subscriptions/" + id);
        assertThat(started.header("ETag")).as("its first period billed as it started: claimed, then paid").isEqualTo("\"3\"");
        JsonNode s = started.json();
        assertThat(s.path("status").asText()).isEqualTo("active");
        assertThat(s.path("amount").path("amount").asLong()).isEqualTo(17800);
        assertThat(s.path("monthlyPayment").path("amount").asLong()).isEqualTo(17800);
        assertThat(s.path("collection").asText()).isEqualTo("charge_automatically");
        assertThat(s.path("paymentMethodId").asText()).startsWith("pm_");
        assertThat(s.path("shippingAddress").path("line1").asText()).as("the profile's default").isEqualTo("9 Dock Rd");
        assertThat(s.path("periodsBilled").asInt()).as("due at once, and billed").isEqualTo(1);
        assertThat(s.path("nextPaymentAt").asText()).isEqualTo(s.path("currentPeriodEnd").asText());
        assertThat(s.path("contractEndDate").asText()).isNotBlank();
        assertThat(s.path("costRecovery").path("remaining").path("amount").asLong()).isEqualTo(90000 - 17800);
        assertThat(s.path("costRecovery").path("percent").decimalValue()).isEqualByComparingTo("19.8");

        var replay = api.send("POST", "/customers/" + customer + "/subscriptions", body, "Idempotency-Key", key);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.json().path("id").asText()).isEqualTo(id);
        var reused = api.send("POST", "/customers/" + customer + "/subscriptions", body.replace("\"quantity\": 2", "\"quantity\": 3"),
                "Idempotency-Key", key);
        assertThat(reused.status()).as("the same key with another body").isEqualTo(422);

        var read = api.get("/subscriptions/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo("\"3\"");
        assertThat(read.json()).isEqualTo(s);

        String second = id(start(customer, "{\"priceId\": \"" + monthly + "\", \"trialDays\": 14, \"collection\": \"send_invoice\"}"), 201);
        var list = api.get("/customers/" + customer + "/subscriptions").json().path("data");
        assertThat(list).extracting(x -> x.path("id").asText()).containsExactly(second, id);
        assertThat(api.get("/customers/" + customer + "/subscriptions?status=trialing").json().path("data"))
                .extracting(x -> x.path("id").asText()).containsExactly(second);
        var page = api.get("/customers/" + customer + "/subscriptions?limit=1").json();
        assertThat(page.path("data")).hasSize(1);
        assertThat(api.get("/customers/" + customer + "/subscriptions?limit=1&cursor=" + page.path("nextCursor").asText()).json()
                .path("data")).extracting(x -> x.path("id").asText()).containsExactly(id);
        refused(api.get("/customers/" + customer + "/subscriptions?status=finished"), 400, "status");
        var figures = api.get("/customers/" + customer).json().path("subscriptions");
        assertThat(figures.path("active").asInt()).as("the profile's figures move with each start").isEqualTo(2);
        assertThat(figures.path("total").asInt()).isEqualTo(2);
        assertThat(figures.path("activeMonthlyIncome").path("amount").asLong()).isEqualTo(17800 + 8900);
        assertThat(api.get("/customers/" + customer + "/subscriptions?limit=1").json().path("nextCursor").asText()).isNotBlank();
    }

    @Test
    void aRefundOfASubscriptionsPaymentLowersWhatItCollectedOnceAndItsCustomersFigures() {
        String customer = customer("Rolf", true);
        String product = product();
        String monthly = price(product, variant(product, "32 GB"), "USD", 8900, "{\"interval\": \"month\", \"contractMonths\": 12}");
        String id = id(start(customer, "{\"priceId\": \"" + monthly + "\", \"quantity\": 2}"), 201);
        var paid = api.get("/customers/" + customer + "/payments?subscriptionId=" + id).json().path("data");
        assertThat(paid).hasSize(1);
        String payment = paid.get(0).path("id").asText();

        String key = UUID.randomUUID().toString();
        for (int time = 1; time <= 2; time++) {
            var refund = api.send("POST", "/payments/" + payment + "/refunds", "{\"amount\": {\"amount\": 5000, \"currency\": \"USD\"}}",
                    "Idempotency-Key", key);
            assertThat(refund.status()).as(refund.text()).isIn(200, 201);
        }
        var other = api.send("POST", "/payments/" + payment + "/refunds", "{\"amount\": {\"amount\": 800, \"currency\": \"USD\"}}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(other.status()).as(other.text()).isIn(200, 201);

        var s = api.get("/subscriptions/" + id).json();
        assertThat(s.path("costRecovery").path("collected").path("amount").asLong()).as("17,800 paid, 5,000 and 800 refunded, the first asked twice")
                .isEqualTo(17800 - 5000 - 800);
        assertThat(s.path("costRecovery").path("remaining").path("amount").asLong()).isEqualTo(90000 - 12000);
        var figures = api.get("/customers/" + customer).json().path("subscriptions");
        assertThat(figures.path("collected").path("amount").asLong()).isEqualTo(12000);
        assertThat(figures.path("averageSubscriptionValue").path("amount").asLong()).isEqualTo(12000);
    }

    @Test
    void aSubscriptionIsPausedResumedChangedExtendedAndCanceledEachOnceAndRecorded() {
        String customer = customer("Grace", true);
        String product = product();
        String small = price(product, variant(product, "16 GB"), "USD", 8900, "{\"interval\": \"month\", \"contractMonths\": 12}");
        String large = price(product, variant(product, "32 GB"), "USD", 12900, "{\"interval\": \"month\", \"contractMonths\": 12}");
        String yearly = price(product, null, "USD", 99900, "{\"interval\": \"year\"}");
        String id = id(start(customer, "{\"priceId\": \"" + small + "\"}"), 201);
        String path = "/subscriptions/" + id;

        var paused = api.post(path + "/pause", null);
        assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
        assertThat(paused.json().path("status").asText()).isEqualTo("paused");
        assertThat(paused.json().path("nextPaymentAt").isNull()).as("not billed while paused").isTrue();
        refusedInState(api.post(path + "/pause", null), "paused");
        var resumed = api.post(path + "/resume", null);
        assertThat(resumed.json().path("status").asText()).isEqualTo("active");
        assertThat(resumed.json().path("nextPaymentAt").isNull()).isFalse();
        refusedInState(api.post(path + "/resume", null), "active");

        var changed = api.post(path + "/change", "{\"quantity\": 2, \"priceId\": \"" + large + "\"}");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().path("amount").path("amount").asLong()).as("this period as it was").isEqualTo(8900);
        assertThat(changed.json().path("pendingChange").path("amount").path("amount").asLong()).isEqualTo(25800);
        assertThat(changed.json().path("pendingChange").path("variantId").asText()).startsWith("var_");
        refused(api.post(path + "/change", "{\"priceId\": \"" + yearly + "\"}"), 400, "priceId");
        refused(api.post(path + "/change", "{\"quantity\": 0}"), 400, "quantity");
        refused(api.post(path + "/change", "{}"), 400, "body");

        String key = UUID.randomUUID().toString();
        var extended = api.send("POST", path + "/extend", "{\"months\": 6}", "Idempotency-Key", key);
        assertThat(extended.status()).as(extended.toString()).isEqualTo(200);
        assertThat(extended.json().path("contractMonths").asInt()).isEqualTo(18);
        assertThat(extended.json().path("extensions").asInt()).isEqualTo(1);
        assertThat(extended.json().path("contractEndDate").asText()).isGreaterThan(changed.json().path("contractEndDate").asText());
        var again = api.send("POST", path + "/extend", "{\"months\": 6}", "Idempotency-Key", key);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(api.get(path).json().path("extensions").asInt()).as("a retry extends once").isEqualTo(1);
        refused(api.send("POST", path + "/extend", "{\"months\": 0}", "Idempotency-Key", UUID.randomUUID().toString()), 400, "months");

        var atEnd = api.post(path + "/cancel", "{\"at\": \"period_end\"}");
        assertThat(atEnd.json().path("cancelAtPeriodEnd").asBoolean()).isTrue();
        assertThat(atEnd.json().path("status").asText()).isEqualTo("active");
        refused(api.post(path + "/cancel", "{\"at\": \"tomorrow\"}"), 400, "at");
        var canceled = api.post(path + "/cancel", "{\"at\": \"now\"}");
        assertThat(canceled.json().path("status").asText()).isEqualTo("canceled");
        refusedInState(api.post(path + "/pause", null), "canceled");
        refusedInState(api.post(path + "/cancel", "{\"at\": \"now\"}"), "canceled");
        var figures = api.get("/customers/" + customer).json().path("subscriptions");
        assertThat(figures.path("active").asInt()).as("canceled: no longer active").isZero();
        assertThat(figures.path("total").asInt()).isEqualTo(1);
        assertThat(figures.path("extensions").asInt()).as("the extension counts for the loyal segment").isEqualTo(1);
        refusedInState(api.send("POST", path + "/extend", "{\"months\": 1}", "Idempotency-Key", UUID.randomUUID().toString()), "canceled");

        var kinds = api.get("/customers/" + customer + "/activities?limit=100").json().path("data").findValuesAsText("kind");
        assertThat(kinds).contains("subscription.started", "subscription.paused", "subscription.resumed", "subscription.changed",
                "subscription.extended", "subscription.canceled");
        assertThat(kinds.stream().filter(k -> k.equals("subscription.extended"))).as("one extension, one line").hasSize(1);
    }

    @Test
    void whatACarelessClientOrAnAttackerSendsIsA4xxNamingTheFieldOrTheState() {
        String customer = customer("Eve", true);
        String product = product();
        String monthly = price(product, null, "USD", 8900, "{\"interval\": \"month\"}");
        String euros = price(product, null, "EUR", 8900, "{\"interval\": \"month\"}");
        String once = price(product, null, "USD", 30000, null);
        String archived = price(product, null, "USD", 7900, "{\"interval\": \"month\"}");
        assertThat(api.post("/prices/" + archived + "/archive", null).status()).isEqualTo(200);
        // the customer's currency is fixed by a first charge: USD
        assertThat(create("/customers/" + customer + "/charges", "{\"amount\": {\"amount\": 100, \"currency\": \"USD\"}}").status())
                .isEqualTo(201);

        refused(start(customer, "{\"priceId\": \"price_01KB2C6F8H0K2M4N6P8R0S2T4V\"}"), 404, "priceId");
        refused(start(customer, "{\"priceId\": \"' OR 1=1 --\"}"), 404, "priceId");
        refused(start(customer, "{\"priceId\": \"" + archived + "\"}"), 409, "priceId");
        refused(start(customer, "{\"priceId\": \"" + once + "\"}"), 400, "priceId");
        refused(start(customer, "{\"priceId\": \"" + euros + "\"}"), 400, "priceId");
        refused(start(customer, "{}"), 400, "priceId");
        for (String quantity : List.of("0", "-1", "10001", "1.5", "1e3", "100000000000000000000", "\"2\"")) {
            refused(start(customer, "{\"priceId\": \"" + monthly + "\", \"quantity\": " + quantity + "}"), 400, "quantity");
        }
        refused(start(customer, "{\"priceId\": \"" + monthly + "\", \"assetSerialNumber\": \"SN-\\ud800\"}"), 400, "assetSerialNumber");
        refused(start(customer, "{\"priceId\": \"" + monthly + "\", \"assetSerialNumber\": \"SN 1\"}"), 400, "assetSerialNumber");
        var invisible = start(customer, "{\"priceId\": \"" + monthly + "\", \"assetSerialNumber\": \"SN-\\u200b7\\u2060\"}");
        assertThat(id(invisible, 201)).startsWith("sub_");
        assertThat(invisible.json().path("assetSerialNumber").asText()).as("zero-width characters removed").isEqualTo("SN-7");
        refused(start(customer, "{\"priceId\": \"" + monthly + "\", \"status\": \"ended\"}"), 400, "status");
        refused(start(customer, "{\"priceId\": \"" + monthly + "\", \"collection\": \"by_pigeon\"}"), 400, "collection");
        refused(start(customer, "{\"priceId\": \"" + monthly + "\", \"trialDays\": 10000}"), 400, "trialDays");
        refused(start(customer, "{\"priceId\": \"" + monthly + "\", \"shippingAddress\": {\"line1\": \"x\", \"city\": \"y\", \"country\": \"Narnia\"}}"),
                400, "shippingAddress.country");
        refused(start(customer, "{\"priceId\": \"" + monthly + "\", \"paymentMethodId\": \"pm_01KB2CFQ7S9V1W3X5Y7Z9A1B3C\"}"), 400,
                "paymentMethodId");
        refused(start(customer("Noah", false), "{\"priceId\": \"" + monthly + "\"}"), 400, "paymentMethodId");
        assertThat(start(customer("Nina", false), "{\"priceId\": \"" + monthly + "\", \"collection\": \"send_invoice\"}").status())
                .as("an invoice needs no card").isEqualTo(201);
        assertThat(start(customer, "{\"priceId\": \"" + monthly + "\"}").status()).isEqualTo(201);

        // another tenant: its customer, its price and its subscriptions are not found
        var other = new Api(cloud.apiUrl(), cloud.token("x" + tenant, "mallory"));
        String sub = invisible.json().path("id").asText();
        assertThat(other.get("/subscriptions/" + sub).status()).isEqualTo(404);
        assertThat(other.post("/subscriptions/" + sub + "/pause", null).status()).isEqualTo(404);
        assertThat(other.get("/customers/" + customer + "/subscriptions").status()).isEqualTo(404);
        assertThat(other.send("POST", "/customers/" + customer + "/subscriptions", "{\"priceId\": \"" + monthly + "\"}",
                "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(404);
        var mallory = other.post("/customers", "{\"firstName\": \"Mal\", \"lastName\": \"Lory\", \"email\": \"mal@example.com\", \"phone\": \"+14155550199\"}");
        String theirs = id(mallory, 201);
        refused(other.send("POST", "/customers/" + theirs + "/subscriptions", "{\"priceId\": \"" + monthly + "\", \"collection\": \"send_invoice\"}",
                "Idempotency-Key", UUID.randomUUID().toString()), 404, "priceId");
        assertThat(api.get("/subscriptions/sub_nope").status()).isEqualTo(404);
        assertThat(api.send("POST", "/customers/" + customer + "/subscriptions", "{\"priceId\": \"" + monthly + "\"}").status())
                .as("without an Idempotency-Key").isEqualTo(400);

        // a viewer reads, and may not start one
        var viewer = new Api(cloud.apiUrl(), cloud.token(tenant, "val", Roles.PRESETS.get("viewer")));
        assertThat(viewer.get("/subscriptions/" + sub).status()).isEqualTo(200);
        var forbidden = viewer.send("POST", "/customers/" + customer + "/subscriptions", "{\"priceId\": \"" + monthly + "\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(forbidden.status()).isEqualTo(403);
    }

    @Test
    void aBuyoutChargesTheCardOnceNamingTheSubscriptionAndEndsTheContract() {
        String customer = customer("Lin", true);
        String product = product();
        String monthly = price(product, null, "USD", 8900, "{\"interval\": \"month\", \"contractMonths\": 12}");
        String id = id(start(customer, "{\"priceId\": \"" + monthly + "\", \"assetSerialNumber\": \"FB14-77\"}"), 201);
        String path = "/subscriptions/" + id + "/buyout";

        refused(api.send("POST", path, "{\"amount\": {\"amount\": 30000, \"currency\": \"EUR\"}}", "Idempotency-Key",
                UUID.randomUUID().toString()), 400, "amount.currency");
        refused(api.send("POST", path, "{\"amount\": {\"amount\": 0, \"currency\": \"USD\"}}", "Idempotency-Key",
                UUID.randomUUID().toString()), 400, "amount.amount");
        String key = UUID.randomUUID().toString();
        var bought = api.send("POST", path, "{\"amount\": {\"amount\": 30000, \"currency\": \"USD\"}}", "Idempotency-Key", key);
        assertThat(bought.status()).as(bought.toString()).isEqualTo(200);
        var s = bought.json();
        assertThat(s.path("status").asText()).isEqualTo("ended");
        assertThat(s.path("nextPaymentAt").isNull()).isTrue();
        assertThat(s.path("buyout").path("amount").path("amount").asLong()).isEqualTo(30000);
        String paymentId = s.path("buyout").path("paymentId").asText();
        assertThat(s.path("collected").path("amount").asLong()).as("its first period and the buyout").isEqualTo(8900 + 30000);
        assertThat(s.path("costRecovery").path("remaining").path("amount").asLong()).isEqualTo(90000 - 8900 - 30000);

        var again = api.send("POST", path, "{\"amount\": {\"amount\": 30000, \"currency\": \"USD\"}}", "Idempotency-Key", key);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        var paid = api.get("/customers/" + customer + "/payments?subscriptionId=" + id).json().path("data");
        assertThat(paid).as("charged once, after its first period (billed as it started)").hasSize(2);
        assertThat(paid.get(0).path("id").asText()).isEqualTo(paymentId);
        assertThat(paid.get(1).path("period").asInt()).isEqualTo(1);
        assertThat(paid.get(0).path("status").asText()).isEqualTo("succeeded");
        assertThat(paid.get(0).path("amount").path("amount").asLong()).isEqualTo(30000);
        refusedInState(api.send("POST", path, null, "Idempotency-Key", UUID.randomUUID().toString()), "ended");
        var figures = api.get("/customers/" + customer).json().path("subscriptions");
        assertThat(figures.path("active").asInt()).isZero();
        assertThat(figures.path("collected").path("amount").asLong()).as("its first period and the buyout, as the subscription says")
                .isEqualTo(8900 + 30000);
        assertThat(api.get("/customers/" + customer + "/activities?limit=100").json().path("data").findValuesAsText("kind"))
                .contains("subscription.bought_out");

        // a declined card: 402 naming the payment, and the subscription goes on
        String declining = customer("Dee", false);
        assertThat(api.post("/customers/" + declining + "/payment-methods", PaymentsApiContract.card(PaymentsApiContract.DECLINE_ON_CHARGE))
                .status()).isEqualTo(201);
        String other = id(start(declining, "{\"priceId\": \"" + monthly + "\"}"), 201);
        var declined = api.send("POST", "/subscriptions/" + other + "/buyout", null, "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(declined.status()).as(declined.toString()).isEqualTo(402);
        assertThat(declined.json().path("code").asText()).isEqualTo("card_declined");
        assertThat(declined.json().path("paymentId").asText()).startsWith("pay_");
        assertThat(api.get("/subscriptions/" + other).json().path("status").asText()).as("its first period was declined too")
                .isEqualTo("past_due");
    }
}
