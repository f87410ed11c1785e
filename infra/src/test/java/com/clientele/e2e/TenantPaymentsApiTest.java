package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.e2e.Api.Reply;
import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /payments} without a receipt id, over HTTP: every payment of the tenant (customers' and guests'),
 * newest first, in pages of one Query each, filtered by status, creation time, amount, card and customer; bad
 * input named; another tenant's payments and cursors kept out.
 */
class TenantPaymentsApiTest {

    private LocalCloud cloud;
    private Api api;
    /** The payments made, oldest first. */
    private final List<JsonNode> made = new ArrayList<>();
    private String ada;
    private String bob;

    @BeforeEach
    void setUp() {
        cloud = TestCloud.embedded();
        api = new Api(cloud.apiUrl(), cloud.token(tenant("pay"), "alice"));
        ada = customer(api, "ada@example.com");
        bob = customer(api, "bob@example.com");
        String declining = card(ada, PaymentsApiContract.DECLINE_ON_CHARGE);
        String visa = card(ada, PaymentsApiContract.VISA);
        String mastercard = card(ada, PaymentsApiContract.MASTERCARD);
        String bobs = card(bob, PaymentsApiContract.VISA);
        made.add(charge(ada, 3000, declining, 402));
        made.add(charge(ada, 1000, visa, 201));
        made.add(charge(ada, 2500, mastercard, 201));
        made.add(charge(bob, 4000, bobs, 201));
        var guest = api.send("POST", "/guest-payments", """
                {"email": "guest@example.com", "phone": "+14155550123", "amount": {"amount": 700, "currency": "USD"},
                 "card": {"number": "378282246310005", "expMonth": 1, "expYear": 2033, "cvc": "9999"}}""",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(guest.status()).as(guest.toString()).isEqualTo(201);
        made.add(api.get("/payments/" + guest.json().path("id").asText()).json());
    }

    @Test
    void everyPaymentOfTheTenantNewestFirstInPages() {
        var all = api.get("/payments").json();
        assertThat(ids(all.path("data"))).containsExactlyElementsOf(newestFirst(made));
        assertThat(all.path("nextCursor").isNull() || all.path("nextCursor").isMissingNode()).isTrue();
        var guest = all.path("data").get(0);
        assertThat(guest.path("guest").path("email").asText()).isEqualTo("guest@example.com");
        assertThat(guest.path("customerId").isMissingNode() || guest.path("customerId").isNull()).isTrue();
        var bobs = all.path("data").get(1);
        assertThat(bobs.path("customerId").asText()).isEqualTo(bob);
        assertThat(bobs.path("amount").path("amount").asLong()).isEqualTo(4000);
        assertThat(bobs.path("paymentMethod").path("last4").asText()).isEqualTo("4242");
        assertThat(bobs.path("status").asText()).isEqualTo("succeeded");

        assertThat(pages("/payments?limit=2", 2)).containsExactlyElementsOf(newestFirst(made));
        assertThat(pages("/payments?limit=1", 1)).containsExactlyElementsOf(newestFirst(made));
    }

    @Test
    void filtersByStatusAmountCardCustomerAndTime() {
        assertThat(ids("/payments?status=failed")).containsExactly(id(0));
        assertThat(ids("/payments?status=failed,succeeded")).containsExactlyElementsOf(newestFirst(made));
        assertThat(ids("/payments?status=pending,refunded")).isEmpty();
        assertThat(ids("/payments?amountMin=1000&amountMax=2500")).containsExactly(id(2), id(1));
        assertThat(ids("/payments?amountMin=3000")).containsExactly(id(3), id(0));
        assertThat(ids("/payments?amountMax=700")).containsExactly(id(4));
        assertThat(ids("/payments?last4=4444")).containsExactly(id(2));
        assertThat(ids("/payments?last4=0005")).containsExactly(id(4));
        assertThat(ids("/payments?customerId=" + bob)).containsExactly(id(3));
        assertThat(ids("/payments?customerId=" + ada + "&status=succeeded")).containsExactly(id(2), id(1));
        assertThat(ids("/payments?customerId=cus_01J0000000000000000000000A")).isEmpty();

        String third = made.get(2).path("createdAt").asText();
        assertThat(ids("/payments?createdFrom=" + encode(third))).containsExactly(id(4), id(3), id(2));
        assertThat(ids("/payments?createdTo=" + encode(third))).containsExactly(id(2), id(1), id(0));
        assertThat(ids("/payments?customerId=" + ada + "&createdFrom=" + encode(third))).containsExactly(id(2));
        String today = Instant.parse(third).atZone(ZoneOffset.UTC).toLocalDate().toString();
        String yesterday = Instant.parse(third).atZone(ZoneOffset.UTC).toLocalDate().minusDays(1).toString();
        assertThat(ids("/payments?createdFrom=" + today + "&createdTo=" + today)).hasSize(5);
        assertThat(ids("/payments?createdTo=" + yesterday)).isEmpty();
        assertThat(ids("/payments?customerId=" + ada + "&createdTo=" + yesterday)).isEmpty();
    }

    @Test
    void aFilteredPageIsOneQueryAndMayHoldFewerRowsThanItsLimit() {
        // the failed payment is the oldest: the first page reads the three newest, none of which failed
        var first = api.get("/payments?status=failed&limit=2").json();
        assertThat(first.path("data")).isEmpty();
        assertThat(first.path("nextCursor").asText()).isNotEmpty();
        assertThat(pages("/payments?status=failed&limit=2", 2)).containsExactly(id(0));
    }

    @Test
    void badInputIsA400NamingTheField() {
        field("/payments?createdFrom=yesterday", "createdFrom");
        field("/payments?createdTo=2026-02-30", "createdTo");
        field("/payments?createdFrom=%2B999999999-01-01T00:00:00Z", "createdFrom");
        field("/payments?createdFrom=2026-02-01&createdTo=2026-01-01", "createdFrom");
        field("/payments?amountMin=5&amountMax=1", "amountMin");
        field("/payments?amountMin=-1", "amountMin");
        field("/payments?amountMax=99999999999999999999", "amountMax");
        field("/payments?last4=12a4", "last4");
        field("/payments?last4=12345", "last4");
        field("/payments?limit=0", "limit");
        field("/payments?limit=1000000000", "limit");
        field("/payments?status=lost", "status");
        field("/payments?status=succeeded,", "status");
        field("/payments?customerId=bob", "customerId");
        field("/payments?colour=red", "colour");
        String cursor = api.get("/payments?limit=1").json().path("nextCursor").asText();
        field("/payments?limit=1&cursor=" + cursor.substring(0, cursor.length() - 2) + "AA", "cursor");
        field("/payments?limit=1&cursor=" + cursor + "&status=succeeded", "cursor");
        field("/payments?limit=1&cursor=" + cursor + "&customerId=" + ada, "cursor");
        field("/payments?cursor=garbage", "cursor");
    }

    @Test
    void anotherTenantSeesNoneOfThem() {
        var other = new Api(cloud.apiUrl(), cloud.token(tenant("oth"), "mallory"));
        String cursor = api.get("/payments?limit=1").json().path("nextCursor").asText();
        assertThat(other.get("/payments").json().path("data")).isEmpty();
        assertThat(other.get("/payments?customerId=" + ada).json().path("data")).isEmpty();
        var stolen = other.get("/payments?limit=1&cursor=" + cursor);
        assertThat(stolen.status()).as(stolen.toString()).isEqualTo(400);
        assertThat(stolen.json().path("errors").get(0).path("field").asText()).isEqualTo("cursor");
        String carol = customer(other, "carol@example.com");
        var paid = other.send("POST", "/customers/" + carol + "/charges", PaymentsApiContract.charge(900, "USD", card(other, carol,
                PaymentsApiContract.VISA)), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
        assertThat(ids(other.get("/payments").json().path("data"))).containsExactly(paid.json().path("id").asText());
        assertThat(ids("/payments")).containsExactlyElementsOf(newestFirst(made)).doesNotContain(paid.json().path("id").asText());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static String tenant(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static String customer(Api api, String email) {
        var reply = api.post("/customers", """
                {"firstName": "Ada", "lastName": "Lovelace", "email": "%s", "phone": "+1415555%04d"}""".formatted(email,
                Math.floorMod(email.hashCode(), 10_000)));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private String card(String customer, String number) {
        return card(api, customer, number);
    }

    private static String card(Api api, String customer, String number) {
        var reply = api.post("/customers/" + customer + "/payment-methods", PaymentsApiContract.card(number));
        assertThat(reply.status()).as(reply.toString()).isIn(200, 201);
        return reply.json().path("id").asText();
    }

    private JsonNode charge(String customer, long amount, String card, int status) {
        var reply = api.send("POST", "/customers/" + customer + "/charges", PaymentsApiContract.charge(amount, "USD", card),
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        String id = status == 201 ? reply.json().path("id").asText() : reply.json().path("paymentId").asText();
        return api.get("/payments/" + id).json();
    }

    private String id(int index) {
        return made.get(index).path("id").asText();
    }

    private static List<String> newestFirst(List<JsonNode> payments) {
        return payments.reversed().stream().map(p -> p.path("id").asText()).toList();
    }

    private static List<String> ids(JsonNode data) {
        var ids = new ArrayList<String>();
        data.forEach(p -> ids.add(p.path("id").asText()));
        return ids;
    }

    private List<String> ids(String path) {
        var reply = api.get(path);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return ids(reply.json().path("data"));
    }

    /** Every row of the list, page after page; no page longer than {@code limit}. */
    private List<String> pages(String path, int limit) {
        var ids = new ArrayList<String>();
        String cursor = null;
        for (int page = 0; page < 20; page++) {
            var reply = api.get(path + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().path("data").size()).isLessThanOrEqualTo(limit);
            ids.addAll(ids(reply.json().path("data")));
            cursor = reply.json().path("nextCursor").asText(null);
            if (cursor == null || cursor.isEmpty()) {
                return ids;
            }
        }
        throw new AssertionError("more than 20 pages");
    }

    private void field(String path, String field) {
        Reply reply = api.get(path);
        assertThat(reply.status()).as(path + " → " + reply).isEqualTo(400);
        assertThat(reply.json().path("errors").findValuesAsText("field")).as(path).contains(field);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
