package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Billing groups' consolidated invoices over HTTP, on the local cloud whose clock the test moves: the
 * members' subscription periods billed while they are members go to the group's month, invoiced once to
 * the payer when the month is over (a line per member subscription period, each member's total, the
 * group's terms); the members are neither charged nor invoiced for them; a member who joins mid-period
 * has that period billed on its own and the next to the group; one who leaves has its next billed to itself.
 */
class ConsolidatedInvoicesTest {

    private static final LocalCloud CLOUD = TestCloud.movable();
    private static final String GOOD_CARD = "4242424242424242";

    private final String tenant = "cons" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final Api api = new Api(CLOUD.apiUrl(), CLOUD.token(tenant, "alice"));
    private final CloudClock clock = new CloudClock(CLOUD.apiUrl());

    @Test
    void aGroupsMonthIsOneInvoiceForThePayerWithALinePerMemberSubscriptionAndMembershipCountsFromTheNextPeriod() {
        // the 10th of a month to come, 00:01 UTC: clear of the daily schedules
        var month = YearMonth.from(clock.now().atZone(ZoneOffset.UTC)).plusMonths(1);
        clock.set(month.atDay(10).atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(60));

        String payer = business("Payer");
        String ann = business("Ann");
        String bob = business("Bob");
        String cyd = business("Cyd");
        String groupId = group("North", payer, "NET_30");
        join(groupId, ann);
        join(groupId, bob);

        String price = price(product("Fleet"), 2900);
        String cheaper = price(product("Fleet lite"), 1900);
        String annSub = start(ann, price);
        String bobSub = start(bob, cheaper);
        String cydSub = start(cyd, cheaper);
        assertThat(payments(ann)).as("a member's period goes to the group: no charge of its own").isEmpty();
        assertThat(payments(bob)).isEmpty();
        assertThat(payments(cyd)).as("not a member yet: charged on its own").hasSize(1);

        // mid-period: Cyd joins (its period 1 stays its own), Bob leaves (its period 1 stays with the group)
        join(groupId, cyd);
        assertThat(api.send("DELETE", "/billing-groups/" + groupId + "/members/" + bob, null).status()).isEqualTo(204);

        // the month is over: one invoice for the payer, a line per member subscription period, the members' totals
        clock.set(month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(60));
        runNow();
        var invoices = invoices(payer);
        assertThat(invoices).hasSize(1);
        var invoice = invoices.get(0);
        assertThat(invoice.path("status").asText()).isEqualTo("open");
        assertThat(invoice.path("number").asText()).startsWith("INV-");
        assertThat(invoice.path("currency").asText()).isEqualTo("USD");
        assertThat(invoice.path("total").path("amount").asLong()).isEqualTo(2900 + 1900);
        assertThat(invoice.path("paymentTerms").asText()).isEqualTo("NET_30");
        assertThat(invoice.path("dueDate").asText()).isEqualTo(month.plusMonths(1).atDay(1).plusDays(30).toString());
        assertThat(invoice.path("billingGroup").path("billingGroupId").asText()).isEqualTo(groupId);
        assertThat(invoice.path("billingGroup").path("billingPeriod").asText()).isEqualTo(month.toString());
        var lines = new ArrayList<String>();
        invoice.path("lines").forEach(l -> lines.add(l.path("description").asText()));
        assertThat(lines).hasSize(2).anySatisfy(d -> assertThat(d).contains(ann).contains(annSub).contains("period 1"))
                .anySatisfy(d -> assertThat(d).contains(bob).contains(bobSub).contains("period 1"));
        var members = new ArrayList<String>();
        invoice.path("billingGroup").path("members").forEach(m -> members.add(m.path("customerId").asText() + " "
                + m.path("lines").asInt() + " " + m.path("total").path("amount").asLong()));
        assertThat(members).containsExactlyInAnyOrder(ann + " 1 2900", bob + " 1 1900");
        for (String member : List.of(ann, bob, cyd)) {
            assertThat(invoices(member)).as("no invoice of a member's own").isEmpty();
        }
        assertThat(payments(ann)).isEmpty();
        assertThat(payments(bob)).isEmpty();

        // a rerun makes nothing new
        assertThat(runNow().path("billingGroups").path("invoiced").asLong()).isZero();
        assertThat(invoices(payer)).hasSize(1);

        // the next periods: Ann's and Cyd's to the group, Bob's (no longer a member) to Bob's card
        clock.set(month.plusMonths(1).atDay(10).atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(120));
        runNow();
        assertThat(payments(bob)).as("left the group: its next period charged on its own").hasSize(1);
        assertThat(payments(cyd)).as("joined mid-period: its next period goes to the group").hasSize(1);
        assertThat(payments(ann)).isEmpty();
        clock.set(month.plusMonths(2).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(60));
        runNow();
        var next = invoices(payer).stream().filter(i -> i.path("billingGroup").path("billingPeriod").asText()
                .equals(month.plusMonths(1).toString())).toList();
        assertThat(next).hasSize(1);
        var nextLines = new ArrayList<String>();
        next.get(0).path("lines").forEach(l -> nextLines.add(l.path("description").asText()));
        assertThat(nextLines).hasSize(2).anySatisfy(d -> assertThat(d).contains(annSub).contains("period 2"))
                .anySatisfy(d -> assertThat(d).contains(cydSub).contains("period 2"));
        assertThat(next.get(0).path("total").path("amount").asLong()).isEqualTo(2900 + 1900);
        assertThat(invoices(payer)).hasSize(2);
    }

    @Test
    void aMonthWhosePayerIsGoneWaitsWithItsLinesAndIsInvoicedToTheGroupsNextPayer() {
        var month = YearMonth.from(clock.now().atZone(ZoneOffset.UTC)).plusMonths(1);
        clock.set(month.atDay(12).atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(60));
        String payer = business("Gone");
        String member = business("Mia");
        String groupId = group("South", payer, "NET_7");
        join(groupId, member);
        String sub = start(member, price(product("Route"), 4100));
        assertThat(api.send("DELETE", "/customers/" + payer, null).status()).isEqualTo(204);

        clock.set(month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(60));
        var run = api.post("/admin/renewals", "");
        assertThat(run.status()).as(run.text()).isEqualTo(200);
        assertThat(run.json().path("billingGroups").path("failed").asLong()).as("the payer is deleted: no invoice").isEqualTo(1);
        assertThat(payments(member)).as("nor a charge of the member's own").isEmpty();

        String next = business("Next");
        var current = api.get("/billing-groups/" + groupId);
        var patched = api.send("PATCH", "/billing-groups/" + groupId, "{\"payerId\": \"" + next + "\"}", "If-Match", current.header("etag"));
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(runNow().path("billingGroups").path("invoiced").asLong()).isEqualTo(1);
        var invoices = invoices(next);
        assertThat(invoices).hasSize(1);
        assertThat(invoices.get(0).path("lines").get(0).path("description").asText()).contains(member).contains(sub);
        assertThat(invoices.get(0).path("paymentTerms").asText()).isEqualTo("NET_7");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private JsonNode runNow() {
        var run = api.post("/admin/renewals", "");
        assertThat(run.status()).as(run.text()).isEqualTo(200);
        assertThat(run.json().path("failed").asLong()).as(run.text()).isZero();
        assertThat(run.json().path("billingGroups").path("failed").asLong()).as(run.text()).isZero();
        return run.json();
    }

    /** A business customer with a saved card. */
    private String business(String name) {
        String id = BillingGroupsApiTest.business(api, name);
        var saved = api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card(GOOD_CARD));
        assertThat(saved.status()).as(saved.text()).isEqualTo(201);
        return id;
    }

    private String group(String name, String payer, String terms) {
        var group = api.post("/billing-groups", """
                {"name": "%s", "payerId": "%s", "currency": "USD", "paymentTerms": "%s"}""".formatted(name, payer, terms));
        assertThat(group.status()).as(group.text()).isEqualTo(201);
        return group.json().path("id").asText();
    }

    private void join(String groupId, String customerId) {
        var reply = api.post("/billing-groups/" + groupId + "/members", "{\"customerId\": \"" + customerId + "\"}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    }

    private String product(String name) {
        var created = api.send("POST", "/products", "{\"name\": \"" + name + "\"}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private String price(String product, long unitAmount) {
        var created = api.send("POST", "/prices", """
                {"productId": "%s", "currency": "USD", "unitAmount": %d, "type": "recurring", "recurring": {"interval": "month"}}"""
                .formatted(product, unitAmount), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private String start(String customer, String price) {
        var started = api.send("POST", "/customers/" + customer + "/subscriptions", """
                {"priceId": "%s", "trialDays": 0, "assetSerialNumber": "SN-%s"}""".formatted(price,
                UUID.randomUUID().toString().substring(0, 6)), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(started.status()).as(started.text()).isEqualTo(201);
        return started.json().path("id").asText();
    }

    private List<JsonNode> payments(String customer) {
        var list = new ArrayList<JsonNode>();
        api.get("/customers/" + customer + "/payments?limit=100").json().path("data").forEach(list::add);
        return list;
    }

    private List<JsonNode> invoices(String customer) {
        var reply = api.get("/customers/" + customer + "/invoices?limit=100");
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        var list = new ArrayList<JsonNode>();
        reply.json().path("data").forEach(list::add);
        return list;
    }

}
