package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.clientele.shared.Components;
import com.clientele.shared.Env;
import com.clientele.subscriptions.SubscriptionsWiring;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Orders over HTTP: placed for a customer by id or by details (matched by email, or created with the
 * order and then found by search), lines on their prices' terms as sold, addresses defaulted from the
 * profile, paid (at once or later; a decline leaves the order pending), fulfilled, canceled or refunded;
 * a retry under the same key does nothing twice; merge, export and erasure reach orders; bad input is a
 * 4xx naming the field, never a 500; another tenant sees nothing.
 */
class OrdersApiTest {

    private static final String VISA = "4242424242424242";
    private static final String DECLINED = "4000000000000341";

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "ord" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private Api.Reply send(String path, String body) {
        return send(path, body, UUID.randomUUID().toString());
    }

    private Api.Reply send(String path, String body, String key) {
        return api.send("POST", path, body, "Idempotency-Key", key);
    }

    private String created(Api.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    /** A product with a variant, and a price of it: {@code [productId, variantId, priceId]}. */
    private String[] price(String currency, long amount, String recurring) {
        String product = created(send("/products", "{\"name\": \"FlexBook " + amount + "\"}"));
        String variant = created(send("/products/" + product + "/variants", "{\"name\": \"16 GB\"}"));
        String price = created(send("/prices", """
                {"productId": "%s", "variantId": "%s", "currency": "%s", "unitAmount": %d, "type": "%s"%s}""".formatted(product, variant,
                currency, amount, recurring == null ? "one_time" : "recurring",
                recurring == null ? "" : ", \"recurring\": {\"interval\": \"" + recurring + "\", \"contractMonths\": 12}")));
        return new String[] {product, variant, price};
    }

    private String customer(String email) {
        return created(api.post("/customers", """
                {"firstName": "Grace", "lastName": "Hopper", "email": "%s", "phone": "+14155550101",
                 "addresses": [{"kind": "billing", "line1": "1 Navy Way", "city": "Arlington", "country": "US", "isDefault": true},
                               {"kind": "shipping", "line1": "9 Dock St", "city": "Norfolk", "country": "US", "isDefault": true}]}"""
                .formatted(email)));
    }

    private String card(String customer, String number) {
        var reply = api.post("/customers/" + customer + "/payment-methods", PaymentsApiContract.card(number));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private static String line(String[] price, int quantity) {
        return "{\"variantId\": \"%s\", \"priceId\": \"%s\", \"quantity\": %d}".formatted(price[1], price[2], quantity);
    }

    private static String field(Api.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isBetween(400, 499);
        return reply.json().path("errors").get(0).path("field").asText();
    }

    @Test
    void aRepeatCustomerPlacesANewOrderAndTheirDetailsComeFromTheProfile() {
        var laptop = price("USD", 120000, null);
        String details = """
                "customer": {"email": "Ada.Lovelace@Example.com", "firstName": "Ada", "lastName": "Lovelace", "phone": "+442071234567",
                             "type": "individual"},
                "billingAddress": {"line1": "12 Analytical Row", "city": "London", "postalCode": "N1 9GU", "country": "GB"}""";
        var first = send("/orders", "{" + details + ", \"items\": [{\"variantId\": \"" + laptop[1] + "\", \"quantity\": 1}]}");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        var order = first.json();
        assertThat(first.header("Location")).isEqualTo("/orders/" + order.path("id").asText());
        assertThat(order.path("customerMatched").asBoolean()).as("a new customer").isFalse();
        assertThat(order.path("status").asText()).isEqualTo("pending");
        assertThat(order.path("total").path("amount").asLong()).isEqualTo(120000);
        assertThat(order.path("items").get(0).path("priceId").asText()).as("the variant's only price").isEqualTo(laptop[2]);
        assertThat(order.path("shippingAddress").path("line1").asText()).as("shipped to the billing address").isEqualTo("12 Analytical Row");
        String customerId = order.path("customerId").asText();

        // the customer is created as POST /customers creates one: found by email and by name, the billing address on the profile
        assertThat(api.get("/customers?email=ada.lovelace@example.com").json().path("data")).extracting(c -> c.path("id").asText())
                .containsExactly(customerId);
        assertThat(api.get("/customers?q=ada%20lovelace").json().path("data")).extracting(c -> c.path("id").asText())
                .containsExactly(customerId);
        var profile = api.get("/customers/" + customerId).json();
        assertThat(profile.path("addresses").get(0).path("line1").asText()).isEqualTo("12 Analytical Row");
        assertThat(profile.path("addresses").get(0).path("isDefault").asBoolean()).isTrue();

        // the repeat order: the same email (other details ignored), addresses from the profile
        var again = send("/orders", """
                {"customer": {"email": "ada.lovelace@example.com", "firstName": "Someone", "lastName": "Else", "phone": "+442071234567"},
                 "items": [%s]}""".formatted(line(laptop, 2)));
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(again.json().path("customerMatched").asBoolean()).isTrue();
        assertThat(again.json().path("customerId").asText()).isEqualTo(customerId);
        assertThat(again.json().path("billingAddress").path("line1").asText()).isEqualTo("12 Analytical Row");
        assertThat(api.get("/customers?email=ada.lovelace@example.com").json().path("data")).hasSize(1);
        assertThat(api.get("/customers/" + customerId).json().path("firstName").asText()).isEqualTo("Ada");

        // order history: newest first, with items and status, paged
        var history = api.get("/customers/" + customerId + "/orders?limit=1").json();
        assertThat(history.path("data").get(0).path("id").asText()).isEqualTo(again.json().path("id").asText());
        assertThat(history.path("data").get(0).path("items").get(0).path("quantity").asInt()).isEqualTo(2);
        var next = api.get("/customers/" + customerId + "/orders?limit=1&cursor=" + history.path("nextCursor").asText()).json();
        assertThat(next.path("data").get(0).path("id").asText()).isEqualTo(order.path("id").asText());
        assertThat(next.path("nextCursor").isNull()).isTrue();
        assertThat(api.get("/customers/" + customerId + "/activities").json().path("data").findValuesAsText("kind"))
                .contains("customer.created", "order.created");

        // an existing customer by id: the profile's default billing and shipping addresses
        String grace = customer("grace@example.com");
        var byId = send("/orders", "{\"customerId\": \"" + grace + "\", \"items\": [" + line(laptop, 1) + "]}");
        assertThat(byId.status()).as(byId.toString()).isEqualTo(201);
        assertThat(byId.json().path("customerMatched").isNull()).isTrue();
        assertThat(byId.json().path("billingAddress").path("line1").asText()).isEqualTo("1 Navy Way");
        assertThat(byId.json().path("shippingAddress").path("line1").asText()).isEqualTo("9 Dock St");
        assertThat(api.get("/orders/" + byId.json().path("id").asText()).json().path("customerId").asText()).isEqualTo(grace);
    }

    @Test
    void anOrderIsPaidFulfilledCanceledAndRefunded() {
        var laptop = price("USD", 120000, null);
        String grace = customer("grace.pay@example.com");
        card(grace, VISA);
        var paid = send("/orders", "{\"customerId\": \"" + grace + "\", \"pay\": true, \"items\": [" + line(laptop, 1) + "]}");
        assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
        assertThat(paid.json().path("status").asText()).isEqualTo("paid");
        String paymentId = paid.json().path("paymentId").asText();
        var payment = api.get("/payments/" + paymentId).json();
        assertThat(payment.path("status").asText()).isEqualTo("succeeded");
        assertThat(payment.path("amount").path("amount").asLong()).isEqualTo(120000);
        assertThat(payment.path("orderId").asText()).as("the payment names its order").isEqualTo(paid.json().path("id").asText());
        String paidId = paid.json().path("id").asText();
        assertThat(api.get("/orders?status=paid").json().path("data")).extracting(o -> o.path("id").asText()).containsExactly(paidId);

        var fulfilled = api.post("/orders/" + paidId + "/fulfil", null);
        assertThat(fulfilled.status()).as(fulfilled.toString()).isEqualTo(200);
        assertThat(fulfilled.json().path("status").asText()).isEqualTo("fulfilled");
        var late = send("/orders/" + paidId + "/cancel", null);
        assertThat(late.status()).as("a fulfilled order is not canceled").isEqualTo(409);
        assertThat(late.json().path("orderStatus").asText()).isEqualTo("fulfilled");
        assertThat(api.get("/orders?status=paid").json().path("data")).isEmpty();
        assertThat(api.get("/orders?status=fulfilled").json().path("data")).hasSize(1);

        // paid later, then canceled: refunded in full
        var pending = send("/orders", "{\"customerId\": \"" + grace + "\", \"items\": [" + line(laptop, 1) + "]}");
        String pendingId = pending.json().path("id").asText();
        assertThat(api.post("/orders/" + pendingId + "/fulfil", null).status()).as("not paid yet").isEqualTo(409);
        var payKey = UUID.randomUUID().toString();
        var paidLater = send("/orders/" + pendingId + "/pay", null, payKey);
        assertThat(paidLater.status()).as(paidLater.toString()).isEqualTo(200);
        assertThat(paidLater.json().path("status").asText()).isEqualTo("paid");
        var replayed = send("/orders/" + pendingId + "/pay", null, payKey);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(send("/orders/" + pendingId + "/pay", null).status()).as("paid already").isEqualTo(409);
        var cashier = new Api(cloud.apiUrl(), cloud.token(tenant, "carl", List.of("orders:write", "orders:read")));
        var refusedScope = cashier.send("POST", "/orders/" + pendingId + "/cancel", null, "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(refusedScope.status()).as("canceling a paid order refunds it").isEqualTo(403);
        assertThat(refusedScope.json().path("scope").asText()).isEqualTo("payments:refund");
        var refunded = send("/orders/" + pendingId + "/cancel", null);
        assertThat(refunded.status()).as(refunded.toString()).isEqualTo(200);
        assertThat(refunded.json().path("status").asText()).isEqualTo("refunded");
        assertThat(refunded.json().path("refundId").asText()).startsWith("re_");
        assertThat(api.get("/payments/" + paidLater.json().path("paymentId").asText()).json().path("status").asText()).isEqualTo("refunded");

        // a pending order is canceled without money
        String toCancel = created(send("/orders", "{\"customerId\": \"" + grace + "\", \"items\": [" + line(laptop, 1) + "]}"));
        var canceled = cashier.send("POST", "/orders/" + toCancel + "/cancel", null, "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(canceled.json().path("status").asText()).isEqualTo("canceled");
        assertThat(send("/orders/" + toCancel + "/pay", null).status()).isEqualTo(409);
        assertThat(api.get("/customers/" + grace + "/activities").json().path("data").findValuesAsText("kind"))
                .contains("order.paid", "order.fulfilled", "order.refunded", "order.canceled");
    }

    @Test
    void cancelingAPaidOrderEndsTheSubscriptionsItsPaymentStarted() {
        var laptop = price("USD", 120000, null);
        var plan = price("USD", 8900, "month");
        String grace = customer("grace.ends@example.com");
        card(grace, VISA);
        var paid = send("/orders", "{\"customerId\": \"" + grace + "\", \"pay\": true, \"items\": [" + line(laptop, 1) + ", "
                + line(plan, 1) + "]}");
        assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
        assertThat(paid.json().path("status").asText()).isEqualTo("paid");
        String orderId = paid.json().path("id").asText();
        String subscriptionId = paid.json().path("items").get(1).path("subscriptionId").asText();
        var started = api.get("/subscriptions/" + subscriptionId).json();
        assertThat(started.path("status").asText()).isEqualTo("active");
        assertThat(started.path("nextPaymentAt").isNull()).isFalse();

        var canceled = send("/orders/" + orderId + "/cancel", null);
        assertThat(canceled.status()).as(canceled.toString()).isEqualTo(200);
        assertThat(canceled.json().path("status").asText()).isEqualTo("refunded");
        var ended = api.get("/subscriptions/" + subscriptionId).json();
        assertThat(ended.path("status").asText()).as("canceled now: no further billing").isEqualTo("canceled");
        assertThat(ended.path("nextPaymentAt").isNull()).isTrue();
        var again = send("/orders/" + orderId + "/cancel", null);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().path("status").asText()).isEqualTo("refunded");
        assertThat(api.get("/customers/" + grace).json().path("subscriptions").path("active").asInt()).isZero();
    }

    @Test
    void aDeclinedChargeLeavesTheOrderPendingAndAnotherCardPaysIt() {
        var laptop = price("USD", 5000, null);
        String grace = customer("grace.declined@example.com");
        String bad = card(grace, DECLINED);
        var declined = send("/orders", "{\"customerId\": \"" + grace + "\", \"pay\": true, \"paymentMethodId\": \"" + bad
                + "\", \"items\": [" + line(laptop, 1) + "]}");
        assertThat(declined.status()).as(declined.toString()).isEqualTo(402);
        assertThat(declined.json().path("code").asText()).isEqualTo("card_declined");
        String orderId = declined.json().path("orderId").asText();
        assertThat(api.get("/orders/" + orderId).json().path("status").asText()).isEqualTo("pending");
        String good = card(grace, VISA);
        var paid = send("/orders/" + orderId + "/pay", "{\"paymentMethodId\": \"" + good + "\"}");
        assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
        assertThat(paid.json().path("status").asText()).isEqualTo("paid");
        assertThat(paid.json().path("paymentId").asText()).isNotEqualTo(declined.json().path("paymentId").asText());
        assertThat(api.get("/customers/" + grace + "/payments").json().path("data")).extracting(p -> p.path("status").asText())
                .containsExactly("succeeded", "failed");
    }

    @Test
    void linesKeepThePriceTermsAsSoldAndRecurringLinesAreTotalledPerPeriod() {
        var device = price("USD", 30000, null);
        var monthly = price("USD", 8900, "month");
        var yearly = price("USD", 99900, "year");
        String grace = customer("grace.lines@example.com");
        var placed = send("/orders", "{\"customerId\": \"" + grace + "\", \"items\": [" + line(device, 1) + ", " + line(monthly, 2) + ", "
                + line(yearly, 1) + "]}");
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        var order = placed.json();
        assertThat(order.path("total").path("amount").asLong()).as("what the order itself charges").isEqualTo(30000);
        assertThat(order.path("recurringTotal")).hasSize(2);
        assertThat(order.path("recurringTotal").get(0).path("interval").asText()).isEqualTo("month");
        assertThat(order.path("recurringTotal").get(0).path("amount").path("amount").asLong()).isEqualTo(17800);
        assertThat(order.path("recurringTotal").get(1).path("amount").path("amount").asLong()).isEqualTo(99900);
        var line = order.path("items").get(1);
        assertThat(line.path("type").asText()).isEqualTo("recurring");
        assertThat(line.path("unitAmount").asLong()).isEqualTo(8900);
        assertThat(line.path("amount").path("amount").asLong()).isEqualTo(17800);
        assertThat(line.path("recurring").path("interval").asText()).isEqualTo("month");
        assertThat(line.path("subscriptionId").isNull()).as("not started while the order is unpaid").isTrue();

        // only recurring lines: nothing for the order itself to charge, so it is paid as placed and its subscriptions start
        var subscribed = send("/orders", "{\"customerId\": \"" + grace + "\", \"items\": [" + line(monthly, 2) + "]}");
        assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(201);
        assertThat(subscribed.json().path("status").asText()).isEqualTo("paid");
        assertThat(subscribed.json().path("total").path("amount").asLong()).isZero();
        String subscriptionId = subscribed.json().path("items").get(0).path("subscriptionId").asText();
        var subscription = SubscriptionsWiring.service(Components.from(new Env(cloud.environment("OrdersFunction"))))
                .subscription(tenant, subscriptionId);
        assertThat(subscription.orderId()).isEqualTo(subscribed.json().path("id").asText());
        assertThat(subscription.quantity()).isEqualTo(2);
        assertThat(subscription.collection().value()).as("no saved card: invoiced").isEqualTo("send_invoice");

        // the price archived (or replaced) later: the order says what was sold
        assertThat(api.post("/prices/" + monthly[2] + "/archive", null).status()).isEqualTo(200);
        JsonNode read = api.get("/orders/" + order.path("id").asText()).json();
        assertThat(read.path("items").get(1).path("unitAmount").asLong()).isEqualTo(8900);
        assertThat(read.path("total")).isEqualTo(order.path("total"));
        assertThat(field(send("/orders", "{\"customerId\": \"" + grace + "\", \"items\": [" + line(monthly, 1) + "]}")))
                .isEqualTo("items[0].priceId");
    }

    @Test
    void aRetryUnderTheSameKeyReturnsTheSameOrderAndCreatesNothingTwice() {
        var laptop = price("EUR", 4900, null);
        String body = """
                {"customer": {"email": "retry@example.com", "firstName": "Re", "lastName": "Try", "phone": "+14155550199"},
                 "billingAddress": {"line1": "1 Loop", "city": "Paris", "country": "FR"}, "items": [%s]}""".formatted(line(laptop, 3));
        String key = UUID.randomUUID().toString();
        var first = send("/orders", body, key);
        var again = send("/orders", body, key);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
        assertThat(send("/orders", body.replace("\"quantity\": 3", "\"quantity\": 4"), key).status()).as("another request under the key")
                .isEqualTo(422);
        assertThat(api.post("/orders", body).status()).as("the key is required").isEqualTo(400);
        String customerId = first.json().path("customerId").asText();
        assertThat(api.get("/customers?email=retry@example.com").json().path("data")).hasSize(1);
        assertThat(api.get("/customers/" + customerId + "/orders").json().path("data")).hasSize(1);
    }

    @Test
    void mergeExportAndErasureReachOrders() {
        var laptop = price("USD", 2500, null);
        String primary = customer("primary@example.com");
        String duplicate = created(api.post("/customers", """
                {"firstName": "Grace", "lastName": "Hopper", "email": "dup@example.com", "phone": "+14155550102"}"""));
        String moved = created(send("/orders", """
                {"customerId": "%s", "billingAddress": {"line1": "3 Side St", "city": "Boston", "country": "US"}, "items": [%s]}"""
                .formatted(duplicate, line(laptop, 1))));
        var merge = api.post("/customers/" + primary + "/merge", "{\"duplicateId\": \"" + duplicate + "\"}");
        assertThat(merge.status()).as(merge.toString()).isEqualTo(200);
        assertThat(api.get("/orders/" + moved).json().path("customerId").asText()).isEqualTo(primary);
        assertThat(api.get("/customers/" + primary + "/orders").json().path("data")).extracting(o -> o.path("id").asText()).containsExactly(moved);

        var export = api.get("/customers/" + primary + "/data-export").json();
        assertThat(export.path("orders").findValuesAsText("id")).containsExactly(moved);
        assertThat(api.post("/customers/" + primary + "/erase", null).status()).isEqualTo(200);
        var erased = api.get("/orders/" + moved).json();
        assertThat(erased.path("billingAddress").isNull()).isTrue();
        assertThat(erased.path("shippingAddress").isNull()).isTrue();
        assertThat(erased.path("total").path("amount").asLong()).as("what was sold stays").isEqualTo(2500);
        assertThat(api.get("/orders/" + moved).text()).doesNotContain("3 Side St", "Navy Way");
    }

    @Test
    void badInputIsA4xxNamingTheFieldNeverA500() {
        var laptop = price("USD", 1000, null);
        var euro = price("EUR", 1000, null);
        String grace = customer("grace.bad@example.com");
        card(grace, VISA);
        assertThat(send("/customers/" + grace + "/charges", "{\"amount\": {\"amount\": 100, \"currency\": \"USD\"}}").status())
                .as("the customer's currency becomes USD").isEqualTo(201);
        String by = "{\"customerId\": \"" + grace + "\", ";
        assertThat(field(send("/orders", by + "\"items\": [{\"variantId\": \"" + laptop[1] + "\", \"priceId\": \"price_01KB0000000000000000000000\", "
                + "\"quantity\": 1}]}"))).isEqualTo("items[0].priceId");
        assertThat(field(send("/orders", by + "\"items\": [" + line(euro, 1) + "]}"))).as("not the customer's currency")
                .isEqualTo("items[0].priceId");
        assertThat(field(send("/orders", by + "\"currency\": \"EUR\", \"items\": [" + line(laptop, 1) + "]}"))).isEqualTo("currency");
        assertThat(field(send("/orders", by + "\"items\": [" + line(laptop, 0) + "]}"))).isEqualTo("items[0].quantity");
        assertThat(field(send("/orders", by + "\"items\": [" + line(laptop, 10_001) + "]}"))).isEqualTo("items[0].quantity");
        assertThat(field(send("/orders", by + "\"items\": [" + line(laptop, 1).replace("\"quantity\": 1", "\"quantity\": 1.5") + "]}")))
                .isEqualTo("items[0].quantity");
        assertThat(field(send("/orders", by + "\"items\": [" + line(laptop, 1).replace("\"quantity\": 1", "\"quantity\": 9223372036854775808")
                + "]}"))).isEqualTo("items[0].quantity");
        assertThat(field(send("/orders", by + "\"items\": []}"))).isEqualTo("items");
        String many = String.join(", ", java.util.Collections.nCopies(200, line(laptop, 1)));
        assertThat(field(send("/orders", by + "\"items\": [" + many + "]}"))).as("at most 100 lines").isEqualTo("items");
        assertThat(send("/orders", by + "\"items\": [" + String.join(", ", java.util.Collections.nCopies(100, line(laptop, 1))) + "]}")
                .status()).isEqualTo(201);
        assertThat(field(send("/orders", by + "\"items\": [" + line(laptop, 1) + "], \"colour\": \"red\"}"))).isEqualTo("colour");
        assertThat(field(send("/orders", "{\"customerId\": \"cus_01KB0000000000000000000000\", \"items\": [" + line(laptop, 1) + "]}")))
                .isEqualTo("customerId");
        assertThat(field(send("/orders", "{\"items\": [" + line(laptop, 1) + "]}"))).isEqualTo("customer");
        String person = "\"email\": \"new.person@example.com\", \"phone\": \"+14155550150\", \"lastName\": \"Person\"";
        assertThat(field(send("/orders", "{\"customer\": {" + person + ", \"firstName\": \"Bad \\ud800\"}, \"items\": ["
                + line(laptop, 1) + "]}"))).isEqualTo("customer.firstName");
        var invisible = send("/orders", "{\"customer\": {" + person + ", \"firstName\": \"Zero\\u200bWidth\"}, "
                + "\"billingAddress\": {\"line1\": \"1 A St\", \"city\": \"Reno\", \"country\": \"US\"}, \"items\": [" + line(laptop, 1) + "]}");
        assertThat(invisible.status()).as(invisible.toString()).isEqualTo(201);
        assertThat(api.get("/customers/" + invisible.json().path("customerId").asText()).json().path("firstName").asText())
                .as("zero-width characters go").isEqualTo("ZeroWidth");
        assertThat(field(send("/orders", "{\"customer\": {\"email\": \"x@example.com\", \"phone\": \"+14155550151\", \"firstName\": \"X\", "
                + "\"lastName\": \"Y\"}, \"items\": [" + line(laptop, 1) + "]}"))).as("no billing address anywhere").isEqualTo("billingAddress");
        assertThat(field(send("/orders", by + "\"pay\": true, \"paymentMethodId\": \"pm_01KB0000000000000000000000\", \"items\": ["
                + line(laptop, 1) + "]}"))).isEqualTo("paymentMethodId");
        assertThat(field(api.get("/orders?status=lost"))).isEqualTo("status");
        assertThat(api.get("/orders/ord_01KB0000000000000000000000").status()).isEqualTo(404);
        assertThat(api.get("/orders/not-an-id").status()).isEqualTo(404);

        // an archived price, another tenant's variant and customer
        assertThat(api.post("/prices/" + laptop[2] + "/archive", null).status()).isEqualTo(200);
        assertThat(field(send("/orders", by + "\"items\": [" + line(laptop, 1) + "]}"))).isEqualTo("items[0].priceId");
        var intruder = new Api(cloud.apiUrl(), cloud.token("other" + tenant, "mallory"));
        assertThat(intruder.send("POST", "/orders", "{\"customerId\": \"" + grace + "\", \"items\": [" + line(euro, 1) + "]}",
                "Idempotency-Key", UUID.randomUUID().toString()).json().path("errors").findValuesAsText("field"))
                .contains("customerId");
        var theirs = intruder.send("POST", "/orders", "{\"customer\": {\"email\": \"m@example.com\", \"phone\": \"+14155550160\", "
                + "\"firstName\": \"M\", \"lastName\": \"M\"}, \"billingAddress\": {\"line1\": \"1 B St\", \"city\": \"Reno\", "
                + "\"country\": \"US\"}, \"items\": [" + line(euro, 1) + "]}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(field(theirs)).isEqualTo("items[0].priceId");
        assertThat(intruder.get("/customers/" + grace + "/orders").status()).isEqualTo(404);
        assertThat(intruder.get("/orders?status=pending").json().path("data")).isEmpty();
    }
}
