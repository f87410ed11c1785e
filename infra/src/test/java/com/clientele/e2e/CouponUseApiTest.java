package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Coupons on orders and invoices over HTTP: an order placed with a {@code couponCode} shows it and its total
 * after it, its payment takes the use, a refund of the whole order gives it back; a draft invoice shows its
 * coupon as a discount, its finalisation takes the use (or, the coupon no longer applying, leaves it a draft),
 * a void gives it back; bad coupons are the charges' 422s naming {@code couponCode} with nothing written and
 * no use taken; of a charge, a guest charge, an order and an invoice racing for a code's last use, one wins.
 */
class CouponUseApiTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "cu" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private Api.Reply send(String path, String body) {
        return api.send("POST", path, body, "Idempotency-Key", UUID.randomUUID().toString());
    }

    private String created(Api.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    /** A one-time price of {@code amount} USD: its id. */
    private String price(long amount) {
        String product = created(send("/products", "{\"name\": \"Lamp " + amount + "\"}"));
        return created(send("/prices", """
                {"productId": "%s", "currency": "USD", "unitAmount": %d, "type": "one_time"}""".formatted(product, amount)));
    }

    private Api.Reply order(String customerId, String priceId, int quantity, boolean pay, String code) {
        return send("/orders", """
                {"customerId": "%s", "items": [{"priceId": "%s", "quantity": %d}], "pay": %s, "couponCode": %s,
                 "billingAddress": {"line1": "1 Main St", "city": "Austin", "country": "US"}}"""
                .formatted(customerId, priceId, quantity, pay, code == null ? "null" : "\"" + code + "\""));
    }

    private long redemptions(String code) {
        return api.get("/coupons/" + code).json().path("coupon").path("redemptions").asLong();
    }

    @Test
    void anOrderShowsItsCouponItsPaymentTakesTheUseAndAWholeRefundGivesItBack() {
        String campaignId = CouponsApiTest.campaign(api, CouponsApiTest.TEN_OFF);
        String ana = CouponsApiTest.customer(api);
        String code = CouponsApiTest.coupon(api, campaignId, "{\"customerId\": \"" + ana + "\"}").json().path("code").asText();
        String lamp = price(2500);

        // placed (not paid): the coupon is shown, the total is after it, no use is taken yet
        var placed = order(ana, lamp, 2, false, code.toLowerCase(java.util.Locale.ROOT));
        String orderId = created(placed);
        assertThat(placed.json().path("total").path("amount").asLong()).isEqualTo(4000);
        var coupon = placed.json().path("coupon");
        assertThat(coupon.path("code").asText()).isEqualTo(code);
        assertThat(coupon.path("campaignId").asText()).isEqualTo(campaignId);
        assertThat(coupon.path("type").asText()).isEqualTo("amount_off");
        assertThat(coupon.path("amountBefore").path("amount").asLong()).isEqualTo(5000);
        assertThat(coupon.path("discount").path("amount").asLong()).isEqualTo(1000);
        assertThat(redemptions(code)).isZero();

        // paid: the payment charges the total and holds the coupon; the use is taken with it
        var paid = send("/orders/" + orderId + "/pay", "{}");
        assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
        assertThat(paid.json().path("status").asText()).isEqualTo("paid");
        String paymentId = paid.json().path("paymentId").asText();
        var payment = api.get("/payments/" + paymentId).json();
        assertThat(payment.path("amount").path("amount").asLong()).isEqualTo(4000);
        assertThat(payment.path("coupon").path("code").asText()).isEqualTo(code);
        assertThat(payment.path("orderId").asText()).isEqualTo(orderId);
        assertThat(redemptions(code)).isEqualTo(1);
        var mine = api.get("/customers/" + ana + "/coupons").json().path("data").get(0);
        assertThat(mine.path("status").asText()).isEqualTo("used");
        assertThat(mine.path("lastPaymentId").asText()).isEqualTo(paymentId);

        // a second order with the same code: this customer's limit is reached, nothing placed
        int before = api.get("/customers/" + ana + "/orders").json().path("data").size();
        var again = order(ana, lamp, 2, false, code);
        assertThat(again.status()).isEqualTo(422);
        assertThat(again.json().path("code").asText()).isEqualTo("coupon_limit_reached");
        assertThat(again.json().path("errors").get(0).path("field").asText()).isEqualTo("couponCode");
        assertThat(api.get("/customers/" + ana + "/orders").json().path("data")).hasSize(before);

        // canceled after it was paid: refunded whole, the use given back
        var canceled = api.send("POST", "/orders/" + orderId + "/cancel", null, "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(canceled.status()).as(canceled.toString()).isEqualTo(200);
        assertThat(canceled.json().path("status").asText()).isEqualTo("refunded");
        assertThat(redemptions(code)).isZero();
        assertThat(api.get("/customers/" + ana + "/coupons").json().path("data").get(0).path("status").asText()).isEqualTo("available");
    }

    @Test
    void badCouponsOnAnOrderAreNamedAndPlaceNothing() {
        String campaignId = CouponsApiTest.campaign(api, CouponsApiTest.TEN_OFF);
        String ana = CouponsApiTest.customer(api);
        String bob = CouponsApiTest.customer(api);
        String code = CouponsApiTest.coupon(api, campaignId, "{\"customerId\": \"" + ana + "\"}").json().path("code").asText();
        String small = price(1000);
        String lamp = price(2500);

        assertThat(order(bob, lamp, 2, false, code).json().path("code").asText()).isEqualTo("coupon_not_for_customer");
        assertThat(order(ana, small, 1, false, code).json().path("code").asText()).isEqualTo("coupon_below_minimum");
        assertThat(order(ana, lamp, 2, false, "NOPE-NOPE").json().path("code").asText()).isEqualTo("coupon_not_found");
        for (String bad : new String[] {"\\ud800AB", "!!!", "--x"}) {
            var reply = order(ana, lamp, 2, false, bad);
            assertThat(reply.status()).as(bad + " " + reply).isEqualTo(400);
            assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo("couponCode");
        }
        var other = new Api(cloud.apiUrl(), cloud.token(tenant + "x", "eve"));
        String eve = CouponsApiTest.customer(other);
        String otherProduct = created(other.send("POST", "/products", "{\"name\": \"Lamp\"}", "Idempotency-Key", UUID.randomUUID().toString()));
        String otherLamp = created(other.send("POST", "/prices", """
                {"productId": "%s", "currency": "USD", "unitAmount": 2500, "type": "one_time"}""".formatted(otherProduct),
                "Idempotency-Key", UUID.randomUUID().toString()));
        var foreign = other.send("POST", "/orders", """
                {"customerId": "%s", "items": [{"priceId": "%s", "quantity": 2}], "couponCode": "%s",
                 "billingAddress": {"line1": "1 Main St", "city": "Austin", "country": "US"}}""".formatted(eve, otherLamp, code),
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(foreign.json().path("code").asText()).isEqualTo("coupon_not_found");
        assertThat(api.get("/customers/" + ana + "/orders").json().path("data")).isEmpty();
        assertThat(api.get("/customers/" + bob + "/orders").json().path("data")).isEmpty();
        assertThat(redemptions(code)).isZero();
    }

    @Test
    void aFreePointsCouponOnAnOrderCreditsItsPointsWithTheOrdersPaymentOnce() {
        String campaignId = CouponsApiTest.campaign(api, """
                {"name": "Bonus", "startsAt": "2020-01-01T00:00:00Z", "coupon": {"type": "free_points", "points": 300}}""");
        String ana = CouponsApiTest.customer(api);
        String code = CouponsApiTest.coupon(api, campaignId, "{\"customerId\": \"" + ana + "\"}").json().path("code").asText();
        var paid = order(ana, price(2500), 2, true, code);
        assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
        assertThat(paid.json().path("status").asText()).isEqualTo("paid");
        assertThat(paid.json().path("total").path("amount").asLong()).isEqualTo(5000);
        assertThat(paid.json().path("coupon").path("points").asLong()).isEqualTo(300);
        Eventually.get(() -> api.get("/customers/" + ana + "/points").json(), p -> p.path("lifetime").asLong() >= 300);
        var lines = api.get("/customers/" + ana + "/points/statement").json().path("data");
        int couponLines = 0;
        long credited = 0;
        for (var line : lines) {
            credited += line.path("points").asLong();
            if (campaignId.equals(line.path("campaignId").asText(null))) {
                couponLines++;
                assertThat(line.path("points").asLong()).isEqualTo(300);
            }
        }
        assertThat(couponLines).isEqualTo(1);
        assertThat(api.get("/customers/" + ana + "/points").json().path("lifetime").asLong()).isEqualTo(credited);
    }

    private Api.Reply draft(String customerId, long unitAmount, String code) {
        return send("/invoices", """
                {"customerId": "%s", "currency": "USD", "couponCode": %s,
                 "lines": [{"description": "Consulting", "quantity": 1, "unitAmount": %d, "taxRate": 10}]}"""
                .formatted(customerId, code == null ? "null" : "\"" + code + "\"", unitAmount));
    }

    @Test
    void aDraftShowsItsCouponAsADiscountFinalisingTakesTheUseAndAVoidGivesItBack() {
        String campaignId = CouponsApiTest.campaign(api, """
                {"name": "Quarter", "startsAt": "2020-01-01T00:00:00Z", "coupon": {"type": "percent_off", "percentOff": 25,
                 "maxRedemptions": 1, "maxRedemptionsPerCustomer": 3}}""");
        assertThat(CouponsApiTest.coupon(api, campaignId, "{\"code\": \"QUARTER\"}").status()).isEqualTo(201);
        String ana = CouponsApiTest.customer(api);

        var made = draft(ana, 4000, "quarter");
        String id = created(made);
        var invoice = made.json();
        assertThat(invoice.path("subtotal").path("amount").asLong()).isEqualTo(4000);
        assertThat(invoice.path("tax").path("amount").asLong()).isEqualTo(400);
        assertThat(invoice.path("discount").path("code").asText()).isEqualTo("QUARTER");
        assertThat(invoice.path("discount").path("amountBefore").path("amount").asLong()).isEqualTo(4400);
        assertThat(invoice.path("discount").path("discount").path("amount").asLong()).isEqualTo(1100);
        assertThat(invoice.path("total").path("amount").asLong()).isEqualTo(3300);
        assertThat(invoice.path("amountDue").path("amount").asLong()).isEqualTo(3300);
        assertThat(redemptions("QUARTER")).as("a draft takes no use").isZero();

        // edited: the lines change, the coupon is judged again on them; removed, and given again
        var edited = api.patch("/invoices/" + id, "{\"lines\": [{\"description\": \"More\", \"quantity\": 2, \"unitAmount\": 4000}]}",
                made.header("ETag"));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(edited.json().path("discount").path("discount").path("amount").asLong()).isEqualTo(2000);
        assertThat(edited.json().path("total").path("amount").asLong()).isEqualTo(6000);
        var removed = api.patch("/invoices/" + id, "{\"couponCode\": null}", edited.header("ETag"));
        assertThat(removed.json().path("discount").isNull()).isTrue();
        assertThat(removed.json().path("total").path("amount").asLong()).isEqualTo(8000);
        var bad = api.patch("/invoices/" + id, "{\"couponCode\": \"NOPE-NOPE\"}", removed.header("ETag"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().path("code").asText()).isEqualTo("coupon_not_found");
        assertThat(bad.json().path("errors").get(0).path("field").asText()).isEqualTo("couponCode");
        assertThat(api.patch("/invoices/" + id, "{\"couponCode\": 12}", removed.header("ETag")).status()).isEqualTo(400);
        var again = api.patch("/invoices/" + id, "{\"couponCode\": \"QUARTER\"}", removed.header("ETag"));
        assertThat(again.json().path("total").path("amount").asLong()).as(again.toString()).isEqualTo(6000);

        // a second draft with the same code: fine as a draft, but the first finalisation takes the code's last use
        String other = created(draft(ana, 5000, "QUARTER"));
        var open = api.post("/invoices/" + id + "/finalize", null);
        assertThat(open.status()).as(open.toString()).isEqualTo(200);
        assertThat(open.json().path("status").asText()).isEqualTo("open");
        assertThat(open.json().path("amountDue").path("amount").asLong()).isEqualTo(6000);
        assertThat(redemptions("QUARTER")).isEqualTo(1);
        var mine = api.get("/customers/" + ana + "/coupons").json().path("data").get(0);
        assertThat(mine.path("lastInvoiceId").asText()).isEqualTo(id);
        assertThat(mine.path("uses").asLong()).isEqualTo(1);
        var refused = api.post("/invoices/" + other + "/finalize", null);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("code").asText()).isEqualTo("coupon_exhausted");
        assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("couponCode");
        var still = api.get("/invoices/" + other).json();
        assertThat(still.path("status").asText()).isEqualTo("draft");
        assertThat(still.path("number").isNull()).isTrue();

        // voided: the use is given back, once; then the other draft finalises with it
        assertThat(api.post("/invoices/" + id + "/void", null).json().path("status").asText()).isEqualTo("void");
        assertThat(api.post("/invoices/" + id + "/void", null).status()).isEqualTo(200);
        assertThat(redemptions("QUARTER")).isZero();
        assertThat(api.get("/customers/" + ana + "/coupons").json().path("data").get(0).path("uses").asLong()).isZero();
        var second = api.post("/invoices/" + other + "/finalize", null);
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.json().path("total").path("amount").asLong()).isEqualTo(4125);
        assertThat(redemptions("QUARTER")).isEqualTo(1);
    }

    @Test
    void badCouponsOnAnInvoiceAreNamedAndMakeNothing() {
        String ana = CouponsApiTest.customer(api);
        String points = CouponsApiTest.campaign(api, """
                {"name": "Pts", "startsAt": "2020-01-01T00:00:00Z", "coupon": {"type": "free_points", "points": 50}}""");
        assertThat(CouponsApiTest.coupon(api, points, "{\"code\": \"PTS-50\"}").status()).isEqualTo(201);
        String big = CouponsApiTest.campaign(api, """
                {"name": "Big", "startsAt": "2020-01-01T00:00:00Z", "coupon": {"type": "amount_off",
                 "amountOff": {"amount": 9000, "currency": "USD"}}}""");
        assertThat(CouponsApiTest.coupon(api, big, "{\"code\": \"BIG-90\"}").status()).isEqualTo(201);

        assertThat(draft(ana, 5000, "PTS-50").json().path("code").asText()).isEqualTo("coupon_not_for_invoices");
        assertThat(draft(ana, 5000, "BIG-90").json().path("code").asText()).isEqualTo("coupon_exceeds_amount");
        assertThat(draft(ana, 5000, "NOPE-NOPE").json().path("code").asText()).isEqualTo("coupon_not_found");
        for (String bad : new String[] {"\\ud800AB", "!!!", "___"}) {
            var reply = draft(ana, 5000, bad);
            assertThat(reply.status()).as(bad + " " + reply).isEqualTo(400);
            assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo("couponCode");
        }
        assertThat(api.get("/customers/" + ana + "/invoices").json().path("data")).isEmpty();
    }

    @Test
    void ofAChargeAGuestChargeAnOrderAndAnInvoiceRacingForACodesLastUseExactlyOneSucceeds() throws Exception {
        String campaignId = CouponsApiTest.campaign(api, """
                {"name": "Last", "startsAt": "2020-01-01T00:00:00Z", "coupon": {"type": "amount_off",
                 "amountOff": {"amount": 500, "currency": "USD"}, "maxRedemptions": 1, "maxRedemptionsPerCustomer": 5}}""");
        assertThat(CouponsApiTest.coupon(api, campaignId, "{\"code\": \"LAST-USE\"}").status()).isEqualTo(201);
        String lamp = price(2500);
        var customers = new java.util.ArrayList<String>();
        for (int i = 0; i < 4; i++) {
            customers.add(CouponsApiTest.customer(api));
        }
        String orderId = created(order(customers.get(1), lamp, 1, false, "LAST-USE"));
        String invoiceId = created(draft(customers.get(2), 3000, "LAST-USE"));
        var attempts = new java.util.ArrayList<java.util.concurrent.Callable<Api.Reply>>();
        attempts.add(() -> send("/customers/" + customers.get(0) + "/charges",
                "{\"amount\": {\"amount\": 3000, \"currency\": \"USD\"}, \"couponCode\": \"LAST-USE\"}"));
        attempts.add(() -> send("/orders/" + orderId + "/pay", "{}"));
        attempts.add(() -> api.post("/invoices/" + invoiceId + "/finalize", null));
        attempts.add(() -> CouponsApiTest.guestCharge(api, 3000, "LAST-USE"));
        attempts.add(() -> send("/customers/" + customers.get(3) + "/charges",
                "{\"amount\": {\"amount\": 3000, \"currency\": \"USD\"}, \"couponCode\": \"LAST-USE\"}"));
        attempts.add(() -> CouponsApiTest.guestCharge(api, 4000, "LAST-USE"));
        var start = new java.util.concurrent.CountDownLatch(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(attempts.size());
        try {
            var replies = new java.util.ArrayList<java.util.concurrent.Future<Api.Reply>>();
            for (var attempt : attempts) {
                replies.add(pool.submit(() -> {
                    start.await();
                    return attempt.call();
                }));
            }
            start.countDown();
            int succeeded = 0;
            for (var reply : replies) {
                var r = reply.get();
                if (r.status() == 200 || r.status() == 201) {
                    succeeded++;
                } else {
                    assertThat(r.status()).as(r.toString()).isIn(409, 422);
                    if (r.status() == 422) {
                        assertThat(r.json().path("code").asText()).isEqualTo("coupon_exhausted");
                        assertThat(r.json().path("errors").get(0).path("field").asText()).isEqualTo("couponCode");
                    }
                }
            }
            assertThat(succeeded).as("exactly one of them takes the last use").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(redemptions("LAST-USE")).isEqualTo(1);
        // the losers wrote nothing: the order is pending with no attempt left, the invoice a draft
        var order = api.get("/orders/" + orderId).json();
        var invoice = api.get("/invoices/" + invoiceId).json();
        int won = (order.path("status").asText().equals("paid") ? 1 : 0) + (invoice.path("status").asText().equals("open") ? 1 : 0);
        assertThat(won).isLessThanOrEqualTo(1);
        if (!order.path("status").asText().equals("paid")) {
            assertThat(order.path("status").asText()).isEqualTo("pending");
            assertThat(order.path("paymentId").isNull()).as(order.toString()).isTrue();
        }
        if (!invoice.path("status").asText().equals("open")) {
            assertThat(invoice.path("status").asText()).isEqualTo("draft");
            assertThat(invoice.path("number").isNull()).isTrue();
        }
    }

    @Test
    void ordersAndInvoicesWithCouponsMoveWithAMergeAndKeepThemThroughAnErasure() {
        String campaignId = CouponsApiTest.campaign(api, CouponsApiTest.TEN_OFF);
        assertThat(CouponsApiTest.coupon(api, campaignId, "{\"code\": \"MOVE-10\"}").status()).isEqualTo(201);
        String primary = CouponsApiTest.customer(api);
        String duplicate = CouponsApiTest.customer(api);
        String orderId = created(order(duplicate, price(2500), 2, false, "MOVE-10"));
        String invoiceId = created(draft(duplicate, 5000, "MOVE-10"));
        assertThat(api.post("/invoices/" + invoiceId + "/finalize", null).status()).isEqualTo(200);
        assertThat(redemptions("MOVE-10")).isEqualTo(1);

        var merged = api.post("/customers/" + primary + "/merge", "{\"duplicateId\": \"" + duplicate + "\"}");
        assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
        var order = api.get("/orders/" + orderId).json();
        assertThat(order.path("customerId").asText()).isEqualTo(primary);
        assertThat(order.path("coupon").path("code").asText()).isEqualTo("MOVE-10");
        var invoice = api.get("/invoices/" + invoiceId).json();
        assertThat(invoice.path("customerId").asText()).isEqualTo(primary);
        assertThat(invoice.path("discount").path("code").asText()).isEqualTo("MOVE-10");
        assertThat(api.get("/customers/" + primary + "/coupons").json().path("data").get(0).path("lastInvoiceId").asText())
                .isEqualTo(invoiceId);

        // the moved invoice voided on the survivor gives the use back
        assertThat(api.post("/invoices/" + invoiceId + "/void", null).status()).isEqualTo(200);
        assertThat(redemptions("MOVE-10")).isZero();
        assertThat(api.get("/customers/" + primary + "/coupons").json().path("data").get(0).path("uses").asLong()).isZero();

        // erased: the coupons on the order and the invoice are codes and amounts, kept for the books
        assertThat(api.post("/customers/" + primary + "/erase", null).status()).isEqualTo(200);
        assertThat(api.get("/orders/" + orderId).json().path("coupon").path("discount").path("amount").asLong()).isEqualTo(1000);
        assertThat(api.get("/invoices/" + invoiceId).json().path("discount").path("discount").path("amount").asLong()).isEqualTo(1000);
        var paid = send("/orders/" + orderId + "/pay", "{}");
        assertThat(paid.status()).as(paid.toString()).isBetween(200, 499);
    }
}
