package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.e2e.Api.Reply;
import com.clientele.local.LocalCloud;
import com.clientele.payments.SandboxGateway;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The payments API end to end over HTTP with real tokens: saved cards, charge now with
 * idempotency keys, history, refunds, guest payments, and the events every change emits.
 */
abstract class PaymentsApiContract {

    static final String VISA = "4242424242424242";
    static final String DECLINED = "4000000000000002";
    static final String INSUFFICIENT = "4000000000009995";
    static final String DECLINE_ON_CHARGE = "4000000000000341";
    static final String MASTERCARD = "5555555555554444";

    protected abstract LocalCloud cloud();

    String tenant;
    Api api;
    String customerId;

    @BeforeEach
    void newTenantAndCustomer() {
        tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        api = new Api(cloud().apiUrl(), cloud().token(tenant, "alice"));
        customerId = customer("alice@example.com", "+14155550101");
    }

    String customer(String email, String phone) {
        var reply = api.post("/customers", """
                {"firstName": "Alice", "lastName": "Smith", "email": "%s", "phone": "%s"}""".formatted(email, phone));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    static String card(String number) {
        return """
                {"card": {"number": "%s", "expMonth": 12, "expYear": 2034, "cvc": "123", "holderName": "Alice Smith"},
                 "billingAddress": {"line1": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"}}"""
                .formatted(number);
    }

    JsonNode saveCard(String customer, String number) {
        var reply = api.post("/customers/" + customer + "/payment-methods", card(number));
        assertThat(reply.status()).as(reply.toString()).isIn(200, 201);
        return reply.json();
    }

    static String charge(long amount, String currency, String paymentMethodId) {
        return """
                {"amount": {"amount": %d, "currency": "%s"}, "description": "Order"%s}""".formatted(amount, currency,
                paymentMethodId == null ? "" : ", \"paymentMethodId\": \"" + paymentMethodId + "\"");
    }

    Reply charge(String customer, String body, String key) {
        return api.send("POST", "/customers/" + customer + "/charges", body, "Idempotency-Key", key);
    }

    Reply charge(String customer, String body) {
        return charge(customer, body, UUID.randomUUID().toString());
    }

    static void assertProblem(Reply reply, int status, String codeOrField) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.header("content-type")).isEqualTo("application/problem+json");
        var problem = reply.json();
        boolean named = codeOrField.equals(problem.path("code").asText())
                || StreamSupport.stream(problem.path("errors").spliterator(), false)
                .anyMatch(e -> e.path("field").asText().equals(codeOrField));
        assertThat(named).as("problem names %s: %s", codeOrField, reply).isTrue();
    }

    @Nested
    class SavedCards {

        @Test
        void savingACardShowsOnlyWhatIdentifiesIt() {
            var reply = api.post("/customers/" + customerId + "/payment-methods", card(VISA));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
            var pm = reply.json();
            assertThat(pm.path("id").asText()).startsWith("pm_");
            assertThat(pm.path("brand").asText()).isEqualTo("visa");
            assertThat(pm.path("bin").asText()).isEqualTo("424242");
            assertThat(pm.path("last4").asText()).isEqualTo("4242");
            assertThat(pm.path("expMonth").asInt()).isEqualTo(12);
            assertThat(pm.path("holderName").asText()).isEqualTo("Alice Smith");
            assertThat(pm.path("billingAddress").path("country").asText()).isEqualTo("US");
            assertThat(pm.path("fingerprint").asText()).hasSizeGreaterThan(10);
            assertThat(pm.path("isDefault").asBoolean()).isTrue();
            assertThat(reply.text()).doesNotContain(VISA).doesNotContain("\"123\"").doesNotContain("tok_");
        }

        @Test
        void theSameCardTwiceIsTheSameMethod() {
            var first = saveCard(customerId, VISA);
            var again = api.post("/customers/" + customerId + "/payment-methods", card("4242 4242 4242 4242"));
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json().path("id").asText()).isEqualTo(first.path("id").asText());
            assertThat(api.get("/customers/" + customerId + "/payment-methods").json().path("data")).hasSize(1);
        }

        @Test
        void badCardsAreRefusedNamingTheField() {
            assertProblem(api.post("/customers/" + customerId + "/payment-methods", card("4242424242424241")), 400, "card.number");
            assertProblem(api.post("/customers/" + customerId + "/payment-methods",
                    card(VISA).replace("\"expYear\": 2034", "\"expYear\": 2020")), 400, "card.expYear");
            assertProblem(api.post("/customers/" + customerId + "/payment-methods",
                    card(VISA).replace("\"cvc\": \"123\"", "\"cvc\": \"12\"")), 400, "card.cvc");
            assertProblem(api.post("/customers/" + customerId + "/payment-methods",
                    card(VISA).replace("\"country\": \"US\"", "\"country\": \"XX\"")), 400, "billingAddress.country");
            assertProblem(api.post("/customers/cus_00000000000000000000000000/payment-methods", card(VISA)), 404, "resource_missing");
            assertThat(api.get("/customers/" + customerId + "/payment-methods").json().path("data")).isEmpty();
        }

        @Test
        void listIsOldestFirstAndTheProfileAndListShowTheOldestCard() {
            var visa = saveCard(customerId, VISA);
            var mastercard = saveCard(customerId, MASTERCARD);
            var list = api.get("/customers/" + customerId + "/payment-methods").json().path("data");
            assertThat(list.get(0).path("id").asText()).isEqualTo(visa.path("id").asText());
            assertThat(list.get(1).path("isDefault").asBoolean()).isFalse();

            var profile = api.get("/customers/" + customerId).json();
            assertThat(profile.path("paymentMethod").path("last4").asText()).isEqualTo("4242");
            var row = api.get("/customers").json().path("data").get(0);
            assertThat(row.path("paymentMethod").path("brand").asText()).isEqualTo("visa");

            var made = api.post("/customers/" + customerId + "/payment-methods/" + mastercard.path("id").asText() + "/default", null);
            assertThat(made.status()).as(made.toString()).isEqualTo(200);
            assertThat(made.json().path("isDefault").asBoolean()).isTrue();

            assertThat(api.delete("/customers/" + customerId + "/payment-methods/" + visa.path("id").asText()).status()).isEqualTo(204);
            profile = api.get("/customers/" + customerId).json();
            assertThat(profile.path("paymentMethod").path("last4").asText()).isEqualTo("4444");
            assertThat(profile.path("defaultPaymentMethodId").asText()).isEqualTo(mastercard.path("id").asText());
            assertThat(api.delete("/customers/" + customerId + "/payment-methods/" + visa.path("id").asText()).status()).isEqualTo(404);
        }
    }

    @Nested
    class Charges {

        @Test
        void chargeNowSucceedsAndARetryReplaysIt() {
            var pm = saveCard(customerId, VISA);
            String key = UUID.randomUUID().toString();
            var first = charge(customerId, charge(8900, "USD", null), key);
            assertThat(first.status()).as(first.toString()).isEqualTo(201);
            var payment = first.json();
            assertThat(payment.path("id").asText()).startsWith("pay_");
            assertThat(payment.path("status").asText()).isEqualTo("succeeded");
            assertThat(payment.path("amount").path("amount").asLong()).isEqualTo(8900);
            assertThat(payment.path("paymentMethod").path("id").asText()).isEqualTo(pm.path("id").asText());
            assertThat(first.header("Location")).isEqualTo("/payments/" + payment.path("id").asText());

            var replay = charge(customerId, charge(8900, "USD", null), key);
            assertThat(replay.status()).isEqualTo(201);
            assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(replay.json()).isEqualTo(payment);
            assertThat(SandboxGateway.processor().chargesPerformed(payment.path("id").asText())).isEqualTo(1);

            api.delete("/customers/" + customerId + "/payment-methods/" + pm.path("id").asText());
            var afterCardDeleted = charge(customerId, charge(8900, "USD", null), key);
            assertThat(afterCardDeleted.status()).as("a replay answers before anything is read").isEqualTo(201);
            assertThat(afterCardDeleted.json()).isEqualTo(payment);

            assertProblem(charge(customerId, charge(9900, "USD", null), key), 422, "idempotency_key_reused");
            assertProblem(api.post("/customers/" + customerId + "/charges", charge(100, "USD", null)), 400, "Idempotency-Key");
            assertThat(api.get("/customers/" + customerId).json().path("currency").asText()).isEqualTo("USD");
        }

        @Test
        void declinesAre402WithTheirCodeAndStayInTheHistory() {
            for (var test : List.of(List.of(DECLINED, "card_declined"), List.of(INSUFFICIENT, "insufficient_funds"),
                    List.of("4000000000000069", "expired_card"), List.of("4000000000000119", "processing_error"),
                    List.of(DECLINE_ON_CHARGE, "card_declined"))) {
                var pm = saveCard(customerId, test.get(0));
                var reply = charge(customerId, charge(500, "USD", pm.path("id").asText()));
                assertProblem(reply, 402, test.get(1));
                assertThat(reply.json().path("paymentId").asText()).startsWith("pay_");
            }
            var failed = api.get("/customers/" + customerId + "/payments?status=failed").json().path("data");
            assertThat(failed).hasSize(5);
            assertThat(failed.get(0).path("failureCode").asText()).isEqualTo("card_declined");
            // the merchant tries another saved card
            var visa = saveCard(customerId, VISA);
            assertThat(charge(customerId, charge(500, "USD", visa.path("id").asText())).status()).isEqualTo(201);
        }

        @Test
        void badChargesAreRefusedBeforeAnythingMoves() {
            var pm = saveCard(customerId, VISA);
            assertProblem(charge(customerId, charge(0, "USD", null)), 400, "amount.amount");
            assertProblem(charge(customerId, charge(100_000_000, "USD", null)), 400, "amount.amount");
            assertProblem(charge(customerId, charge(100, "XYZ", null)), 400, "amount.currency");
            assertProblem(charge(customerId, "{\"amount\": {\"amount\": 100, \"currency\": \"USD\"}, \"tip\": 1}"), 400, "tip");
            assertProblem(charge("cus_00000000000000000000000000", charge(100, "USD", null)), 404, "resource_missing");
            assertProblem(charge(customerId, charge(100, "USD", "pm_00000000000000000000000000")), 404, "resource_missing");
            String other = customer("bob@example.com", "+14155550102");
            var bobsCard = saveCard(other, MASTERCARD);
            assertProblem(charge(customerId, charge(100, "USD", bobsCard.path("id").asText())), 404, "resource_missing");
            api.delete("/customers/" + customerId + "/payment-methods/" + pm.path("id").asText());
            assertProblem(charge(customerId, charge(100, "USD", pm.path("id").asText())), 404, "resource_missing");
            assertThat(api.get("/customers/" + customerId + "/payments").json().path("data")).isEmpty();
        }

        @Test
        void theFirstSuccessfulChargeFixesTheCurrency() {
            saveCard(customerId, VISA);
            assertThat(charge(customerId, charge(100, "EUR", null)).status()).isEqualTo(201);
            assertProblem(charge(customerId, charge(100, "USD", null)), 400, "amount.currency");
        }

        @Test
        void fiftyConcurrentRequestsWithOneKeyChargeOnce() throws Exception {
            saveCard(customerId, VISA);
            String key = UUID.randomUUID().toString();
            var tasks = new ArrayList<Callable<Reply>>();
            IntStream.range(0, 50).forEach(i -> tasks.add(() -> charge(customerId, charge(4200, "USD", null), key)));
            List<Reply> replies = new ArrayList<>();
            try (var pool = Executors.newFixedThreadPool(50)) {
                for (var future : pool.invokeAll(tasks)) {
                    replies.add(future.get());
                }
            }
            assertThat(replies).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isIn(201, 409));
            var payments = api.get("/customers/" + customerId + "/payments").json().path("data");
            assertThat(payments).hasSize(1);
            String paymentId = payments.get(0).path("id").asText();
            assertThat(SandboxGateway.processor().chargesPerformed(paymentId)).isEqualTo(1);
            replies.stream().filter(r -> r.status() == 201)
                    .forEach(r -> assertThat(r.json().path("id").asText()).isEqualTo(paymentId));
        }

        @Test
        void aLostProcessorResponseLeavesThePaymentPendingUntilTheRetrySettlesIt() {
            saveCard(customerId, SandboxGateway.LOST_RESPONSE_CARD);
            String key = UUID.randomUUID().toString();
            var lost = charge(customerId, charge(1500, "USD", null), key);
            assertProblem(lost, 502, "gateway_unavailable");
            String paymentId = lost.json().path("paymentId").asText();
            assertThat(api.get("/payments/" + paymentId).json().path("status").asText()).isEqualTo("pending");

            var retried = charge(customerId, charge(1500, "USD", null), key);
            assertThat(retried.status()).as(retried.toString()).isEqualTo(201);
            assertThat(retried.json().path("id").asText()).isEqualTo(paymentId);
            assertThat(retried.json().path("status").asText()).isEqualTo("succeeded");
            assertThat(SandboxGateway.processor().chargesPerformed(paymentId)).isEqualTo(1);
        }
    }

    @Nested
    class History {

        @Test
        void paymentsNewestFirstFilteredPagedAndFoundByReceipt() {
            var visa = saveCard(customerId, VISA);
            var declined = saveCard(customerId, DECLINED);
            var ids = new ArrayList<String>();
            for (int i = 0; i < 3; i++) {
                var reply = charge(customerId, """
                        {"amount": {"amount": %d, "currency": "USD"}, "storeId": "store-1", "terminalId": "pos-7", "receiptId": "R-%d-%s"}"""
                        .formatted(1000 + i, i, tenant));
                ids.add(reply.json().path("id").asText());
            }
            charge(customerId, charge(700, "USD", declined.path("id").asText()));

            var page1 = api.get("/customers/" + customerId + "/payments?status=succeeded&limit=2").json();
            assertThat(page1.path("data")).hasSize(2);
            assertThat(page1.path("data").get(0).path("id").asText()).isEqualTo(ids.get(2));
            var page2 = api.get("/customers/" + customerId + "/payments?status=succeeded&limit=2&cursor=" + page1.path("nextCursor").asText()).json();
            assertThat(page2.path("data")).hasSize(1);
            assertThat(page2.path("data").get(0).path("id").asText()).isEqualTo(ids.get(0));
            assertThat(page2.path("nextCursor").isNull()).isTrue();
            assertThat(api.get("/customers/" + customerId + "/payments").json().path("data")).hasSize(4);
            assertProblem(api.get("/customers/" + customerId + "/payments?status=lost"), 400, "status");

            var byReceipt = api.get("/payments?receiptId=R-1-" + tenant).json().path("data");
            assertThat(byReceipt).hasSize(1);
            assertThat(byReceipt.get(0).path("id").asText()).isEqualTo(ids.get(1));
            assertThat(byReceipt.get(0).path("storeId").asText()).isEqualTo("store-1");
            var found = api.get("/customers?q=R-2-" + tenant).json().path("data");
            assertThat(found).hasSize(1);
            assertThat(found.get(0).path("id").asText()).isEqualTo(customerId);
            assertThat(visa.path("id").asText()).startsWith("pm_");
        }

        @Test
        void aWrongMethodOnAPaymentsPathIs405WithAllow() {
            var reply = api.send("PUT", "/payments/pay_00000000000000000000000000", "{}");
            assertProblem(reply, 405, "method_not_allowed");
            assertThat(reply.header("Allow")).isEqualTo("GET");
            assertThat(api.send("PATCH", "/customers/" + customerId + "/charges", "{}").header("Allow")).isEqualTo("POST");
        }

        @Test
        void anotherTenantsPaymentIsNotFound() {
            saveCard(customerId, VISA);
            String paymentId = charge(customerId, charge(100, "USD", null)).json().path("id").asText();
            var intruder = new Api(cloud().apiUrl(), cloud().token("other" + tenant, "mallory"));
            assertProblem(intruder.get("/payments/" + paymentId), 404, "resource_missing");
            assertThat(api.get("/payments/" + paymentId).status()).isEqualTo(200);
        }
    }

    @Nested
    class Refunds {

        @Test
        void partialThenTheRestNeverMoreThanCaptured() {
            saveCard(customerId, VISA);
            String paymentId = charge(customerId, charge(10_000, "USD", null)).json().path("id").asText();
            String key = UUID.randomUUID().toString();
            var partial = api.send("POST", "/payments/" + paymentId + "/refunds",
                    "{\"amount\": {\"amount\": 2500, \"currency\": \"USD\"}, \"reason\": \"damaged\"}", "Idempotency-Key", key);
            assertThat(partial.status()).as(partial.toString()).isEqualTo(201);
            assertThat(partial.json().path("id").asText()).startsWith("re_");
            assertThat(partial.json().path("status").asText()).isEqualTo("succeeded");
            var replay = api.send("POST", "/payments/" + paymentId + "/refunds",
                    "{\"amount\": {\"amount\": 2500, \"currency\": \"USD\"}, \"reason\": \"damaged\"}", "Idempotency-Key", key);
            assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(api.get("/payments/" + paymentId).json().path("status").asText()).isEqualTo("partially_refunded");

            assertProblem(api.send("POST", "/payments/" + paymentId + "/refunds",
                    "{\"amount\": {\"amount\": 7501, \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString()),
                    400, "amount.amount");
            var rest = api.send("POST", "/payments/" + paymentId + "/refunds", null, "Idempotency-Key", UUID.randomUUID().toString());
            assertThat(rest.status()).as(rest.toString()).isEqualTo(201);
            assertThat(rest.json().path("amount").path("amount").asLong()).isEqualTo(7500);
            var payment = api.get("/payments/" + paymentId).json();
            assertThat(payment.path("status").asText()).isEqualTo("refunded");
            assertThat(payment.path("amountRefunded").path("amount").asLong()).isEqualTo(10_000);
            assertThat(payment.path("refunds")).hasSize(2);
            assertProblem(api.send("POST", "/payments/" + paymentId + "/refunds", null, "Idempotency-Key", UUID.randomUUID().toString()),
                    400, "payment_not_refundable");
        }

        @Test
        void aFailedPaymentCannotBeRefunded() {
            var declined = saveCard(customerId, DECLINED);
            String paymentId = charge(customerId, charge(100, "USD", declined.path("id").asText())).json().path("paymentId").asText();
            assertProblem(api.send("POST", "/payments/" + paymentId + "/refunds", null, "Idempotency-Key", "k-" + tenant),
                    400, "payment_not_refundable");
        }
    }

    @Nested
    class GuestPayments {

        Reply guest(String email, String phone, String number, long amount) {
            return api.send("POST", "/guest-payments", """
                    {"email": "%s", "phone": "%s", "amount": {"amount": %d, "currency": "USD"},
                     "card": {"number": "%s", "expMonth": 1, "expYear": 2033, "cvc": "999"}}"""
                    .formatted(email, phone, amount, number), "Idempotency-Key", UUID.randomUUID().toString());
        }

        @Test
        void guestPaymentsMatchTheCustomerByCardEmailOrPhone() {
            saveCard(customerId, "4000056655665556");
            var byCard = guest("someone@example.com", "+14155550999", "4000056655665556", 1000);
            assertThat(byCard.status()).as(byCard.toString()).isEqualTo(201);
            assertThat(byCard.json().path("guest").path("email").asText()).isEqualTo("someone@example.com");
            var byEmail = guest("ALICE@example.com", "+14155550998", "5105105105105100", 2000);
            var byPhone = guest("other@example.com", "+1 415 555 0101", "6011111111111117", 3000);
            var byAll = guest("alice@example.com", "+14155550101", "4000056655665556", 4000);
            guest("stranger@example.com", "+14155550997", "378282246310005", 5000);

            var related = api.get("/customers/" + customerId + "/related-guest-payments").json().path("data");
            assertThat(related).hasSize(4);
            assertThat(related.get(0).path("id").asText()).isEqualTo(byAll.json().path("id").asText());
            assertThat(related.get(0).path("matchedBy")).extracting(JsonNode::asText).containsExactlyInAnyOrder("card", "email", "phone");
            assertThat(matched(related, byCard)).containsExactly("card");
            assertThat(matched(related, byEmail)).containsExactly("email");
            assertThat(matched(related, byPhone)).containsExactly("phone");
        }

        @Test
        void badGuestPaymentsNameTheField() {
            assertProblem(guest("not-an-email", "+14155550999", VISA, 100), 400, "email");
            assertProblem(guest("a@example.com", "12", VISA, 100), 400, "phone");
            assertProblem(guest("a@example.com", "+14155550999", "1234", 100), 400, "card.number");
            assertProblem(guest("a@example.com", "+14155550999", VISA, -5), 400, "amount.amount");
        }

        private List<String> matched(JsonNode related, Reply payment) {
            for (var row : related) {
                if (row.path("id").asText().equals(payment.json().path("id").asText())) {
                    var reasons = new ArrayList<String>();
                    row.path("matchedBy").forEach(r -> reasons.add(r.asText()));
                    return reasons;
                }
            }
            return List.of();
        }
    }

    @Nested
    class Events {

        @Test
        void everyPaymentChangeReachesEveryConsumerQueue() {
            saveCard(customerId, VISA);
            var declined = saveCard(customerId, DECLINED);
            var paid = charge(customerId, charge(8900, "USD", null)).json();
            charge(customerId, charge(100, "USD", declined.path("id").asText()));
            api.send("POST", "/payments/" + paid.path("id").asText() + "/refunds",
                    "{\"amount\": {\"amount\": 900, \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString());

            for (String queue : EventInbox.QUEUES) {
                var events = EventInbox.await(cloud(), queue, tenant, e -> e.size() >= 3);
                assertThat(events).extracting(e -> e.path("type").asText())
                        .containsExactlyInAnyOrder("payment.succeeded", "payment.failed", "payment.refunded");
                var succeeded = events.stream().filter(e -> e.path("type").asText().equals("payment.succeeded")).findFirst().orElseThrow();
                assertThat(succeeded.path("id").asText()).startsWith("evt_");
                assertThat(succeeded.path("schemaVersion").asInt()).isEqualTo(1);
                assertThat(succeeded.path("customerId").asText()).isEqualTo(customerId);
                assertThat(succeeded.path("paymentId").asText()).isEqualTo(paid.path("id").asText());
                assertThat(succeeded.path("amount").asLong()).isEqualTo(8900);
                assertThat(succeeded.path("currency").asText()).isEqualTo("USD");
                var refunded = events.stream().filter(e -> e.path("type").asText().equals("payment.refunded")).findFirst().orElseThrow();
                assertThat(refunded.path("amount").asLong()).isEqualTo(900);
                assertThat(refunded.path("refundId").asText()).startsWith("re_");
            }
            // each consumer's own queue got them too: the LTV aggregator counted all three ...
            var stats = Eventually.get(() -> api.get("/customers/" + customerId).json().path("stats"),
                    s -> s.path("failedPayments").asLong() == 1 && s.path("refunded").path("amount").asLong() == 900);
            assertThat(stats.path("orders").asLong()).isEqualTo(1);
            assertThat(stats.path("failedPayments").asLong()).isEqualTo(1);
            assertThat(stats.path("refunded").path("amount").asLong()).isEqualTo(900);
            // ... and the points accrual earned on the charge and clawed back on the refund (a failed payment earns nothing)
            var rows = Eventually.get(() -> api.get("/customers/" + customerId + "/points/statement").json().path("data"),
                    r -> r.size() == 2);
            assertThat(rows).extracting(r -> r.path("type").asText() + " " + r.path("points").asLong() + " "
                    + r.path("transactionId").asText()).containsExactly(
                    "CLAWBACK -9 " + paid.path("id").asText(), "EARN 89 " + paid.path("id").asText());
        }
    }
}
