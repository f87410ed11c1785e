package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.invoices.InvoicesWiring;
import com.clientele.invoices.OverdueRun;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Components;
import com.clientele.shared.Env;
import com.clientele.shared.events.EventQueues;
import com.clientele.shared.events.InvoiceEvent;
import com.clientele.shared.jobs.Budget;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The outstanding balance over HTTP: on the profile and the list rows, moved by every invoice write in its own
 * transaction (finalised, paid in parts, credited, voided, written off, two payments racing on the last cent);
 * the list's balance filters and sorts, and their bad values; the overdue run (two at once, one stopped
 * half-way): each invoice marked once, the balance moved once, an activity and an {@code invoice.overdue} each;
 * another tenant's invoices and runs never touch this tenant's balance.
 */
class InvoiceBalanceApiTest {

    private static final String VISA = "4242424242424242";

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "bal" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private Api.Reply send(String path, String body) {
        return api.send("POST", path, body, "Idempotency-Key", UUID.randomUUID().toString());
    }

    private static JsonNode ok(Api.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private String business(String email, String terms) {
        var reply = api.post("/customers", """
                {"type": "business", "firstName": "Ada", "lastName": "Byron", "email": "%s", "phone": "+14155550101",
                 "company": {"name": "Analytical Engines Ltd", "vatNumber": "GB123456789"}, "paymentTerms": "%s"}""".formatted(email, terms));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private String open(Api as, String customer, long amount) {
        var made = as.send("POST", "/invoices", """
                {"customerId": "%s", "currency": "USD", "lines": [{"description": "Consulting", "quantity": 1, "unitAmount": %d}]}"""
                .formatted(customer, amount), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        String id = made.json().path("id").asText();
        ok(as.post("/invoices/" + id + "/finalize", null));
        return id;
    }

    private String open(String customer, long amount) {
        return open(api, customer, amount);
    }

    private static String money(long amount) {
        return "{\"amount\": " + amount + ", \"currency\": \"USD\"}";
    }

    private JsonNode balance(String customer) {
        return ok(api.get("/customers/" + customer)).path("balance");
    }

    private void assertBalance(String customer, long outstanding, long overdue) {
        var balance = balance(customer);
        assertThat(balance.path("outstanding").asLong()).as("outstanding of " + balance).isEqualTo(outstanding);
        assertThat(balance.path("overdue").asLong()).as("overdue of " + balance).isEqualTo(overdue);
    }

    private List<String> listed(String query) {
        var ids = new java.util.ArrayList<String>();
        ok(api.get("/customers?" + query)).path("data").forEach(row -> ids.add(row.path("id").asText()));
        return ids;
    }

    /** An overdue run as the scheduled function builds it, at {@code at}, its events caught in {@code events}. */
    private OverdueRun run(Instant at, ConcurrentLinkedQueue<String> events) {
        var components = Components.from(new Env(cloud.environment("InvoicesOverdueFunction")))
                .with(Clock.class, Clock.fixed(at, ZoneOffset.UTC))
                .with(EventQueues.class, new EventQueues(null, List.of()) {
                    @Override
                    public void send(String eventId, String eventType, String json, String correlationId) {
                        events.add(eventType + " " + json);
                    }
                });
        return InvoicesWiring.overdueRun(components);
    }

    @Test
    void theBalanceFollowsEveryInvoiceWriteAndTheListFiltersAndSortsByIt() {
        String ada = business("ada@balance.example", "NET_30");
        assertBalance(ada, 0, 0);
        String first = open(ada, 10_000);
        assertBalance(ada, 10_000, 0);
        assertThat(balance(ada).path("currency").asText()).isEqualTo("USD");
        ok(send("/invoices/" + first + "/payments", "{\"amount\": " + money(3_000) + ", \"method\": \"bank_transfer\", \"reference\": \"T-1\"}"));
        assertBalance(ada, 7_000, 0);
        ok(send("/invoices/" + first + "/credit-notes", "{\"amount\": " + money(1_000) + ", \"reason\": \"goodwill\"}"));
        assertBalance(ada, 6_000, 0);
        String second = open(ada, 5_000);
        assertBalance(ada, 11_000, 0);
        ok(api.post("/invoices/" + second + "/void", null));
        assertBalance(ada, 6_000, 0);
        String third = open(ada, 2_000);
        ok(api.post("/invoices/" + third + "/mark-uncollectible", null));
        assertBalance(ada, 6_000, 0);
        ok(send("/invoices/" + third + "/payments", "{\"amount\": " + money(2_000) + ", \"method\": \"cash\", \"reference\": \"R-2\"}"));
        assertBalance(ada, 6_000, 0);

        // two card payments racing on the last cent: one succeeds, and the balance is right
        assertThat(api.post("/customers/" + ada + "/payment-methods", PaymentsApiContract.card(VISA)).status()).isEqualTo(201);
        var replies = IntStream.range(0, 2).mapToObj(i -> CompletableFuture.supplyAsync(() -> send("/invoices/" + first + "/pay",
                "{\"amount\": " + money(6_000) + "}"))).toList().stream().map(CompletableFuture::join).toList();
        assertThat(replies).extracting(Api.Reply::status).as(replies.toString()).containsOnlyOnce(200);
        assertBalance(ada, 0, 0);

        // the list: rows show it; filters and sorts by it
        String bea = business("bea@balance.example", "NET_14");
        String cal = business("cal@balance.example", "NET_7");
        open(bea, 4_000);
        open(cal, 9_000);
        open(cal, 1_000);
        var row = ok(api.get("/customers?sort=-outstandingBalance&limit=1")).path("data").get(0);
        assertThat(row.path("id").asText()).isEqualTo(cal);
        assertThat(row.path("balance").path("outstanding").asLong()).isEqualTo(10_000);
        assertThat(listed("sort=-outstandingBalance")).startsWith(cal, bea);
        assertThat(listed("sort=outstandingBalance&hasOutstandingBalance=true")).containsExactly(bea, cal);
        assertThat(listed("hasOutstandingBalance=true")).containsExactlyInAnyOrder(bea, cal);
        assertThat(listed("hasOutstandingBalance=false")).containsExactly(ada);
        assertThat(listed("balanceMin=5000")).containsExactly(cal);
        assertThat(listed("overdue=true")).isEmpty();
        assertThat(listed("overdue=false")).containsExactlyInAnyOrder(ada, bea, cal);
        assertThat(listed("hasOutstandingBalance=false&balanceMin=1")).as("a contradiction lists nothing").isEmpty();

        for (var bad : Map.of("hasOutstandingBalance=yes", "hasOutstandingBalance", "overdue=1", "overdue", "balanceMin=-1", "balanceMin",
                "balanceMin=99999999999999999999", "balanceMin", "balanceMin=ten", "balanceMin", "sort=-balance", "sort").entrySet()) {
            var reply = api.get("/customers?" + bad.getKey());
            assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
            assertThat(reply.json().path("errors").findValuesAsText("field")).as(bad.getKey()).containsExactly(bad.getValue());
        }
        var patch = api.send("PATCH", "/customers/" + ada, "{\"balance\": {\"outstanding\": 0}}", "If-Match", "\"1\"");
        assertThat(patch.status()).as(patch.toString()).isEqualTo(400);
    }

    @Test
    void theOverdueRunMarksEachInvoiceOnceWhateverRunsAtOnceOrStopsHalfWay() {
        String ada = business("ada@overdue.example", "NET_7");
        var invoices = IntStream.range(0, 12).mapToObj(i -> open(ada, 1_000)).toList();
        String later = business("lou@overdue.example", "NET_30");
        String notYet = open(later, 5_000);
        assertBalance(ada, 12_000, 0);

        // another tenant's run, and another tenant's invoices, never touch this tenant's
        var other = new Api(cloud.apiUrl(), cloud.token("o" + tenant, "mallory"));
        var otherCustomer = other.post("/customers", """
                {"type": "business", "firstName": "Mal", "lastName": "Lory", "email": "mal@other.example", "phone": "+14155550109",
                 "company": {"name": "Other Ltd"}, "paymentTerms": "NET_7"}""").json().path("id").asText();
        String othersInvoice = open(other, otherCustomer, 7_000);
        assertThat(other.post("/invoices/" + invoices.get(0) + "/void", null).status()).isEqualTo(404);
        assertThat(other.send("POST", "/invoices/" + invoices.get(0) + "/payments", "{\"amount\": " + money(1_000)
                + ", \"method\": \"cash\", \"reference\": \"R-1\"}", "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(404);
        Instant week = Instant.now().plus(Duration.ofDays(8));
        var events = new ConcurrentLinkedQueue<String>();
        var othersRun = run(week, events).run(null, "o" + tenant, 10, Budget.unlimited());
        assertThat(othersRun.marked()).as("the other tenant's own invoice only").isEqualTo(1);
        assertBalance(ada, 12_000, 0);
        assertThat(ok(other.get("/invoices/" + othersInvoice)).path("overdue").asBoolean()).isTrue();

        // one run stopped after its first page (a crash, a spent budget), then two at once
        var stopped = run(week, events).run(null, tenant, 10, Budget.of(() -> false));
        assertThat(stopped.finished()).isFalse();
        var both = IntStream.range(0, 2).mapToObj(i -> CompletableFuture.supplyAsync(() -> run(week, events).run(null, tenant, 10,
                Budget.unlimited()))).toList().stream().map(CompletableFuture::join).toList();
        long marked = stopped.marked() + both.stream().mapToLong(OverdueRun.Result::marked).sum();
        assertThat(marked).as("each invoice marked once: " + stopped + both).isEqualTo(invoices.size());
        assertBalance(ada, 12_000, 12_000);
        assertBalance(later, 5_000, 0);
        for (String id : invoices) {
            var invoice = ok(api.get("/invoices/" + id));
            assertThat(invoice.path("status").asText()).as("still open").isEqualTo("open");
            assertThat(invoice.path("overdue").asBoolean()).isTrue();
            assertThat(invoice.path("overdueSince").asText()).startsWith(week.toString().substring(0, 10));
        }
        assertThat(ok(api.get("/invoices/" + notYet)).path("overdue").asBoolean()).as("not due yet").isFalse();
        var overdueEvents = events.stream().filter(e -> e.startsWith(InvoiceEvent.OVERDUE + " ") && e.contains("\"tenantId\":\"" + tenant + "\"")).toList();
        assertThat(overdueEvents).as("one invoice.overdue per invoice").hasSize(invoices.size());
        assertThat(invoices).allSatisfy(id -> assertThat(overdueEvents).filteredOn(e -> e.contains(id)).hasSize(1));
        var kinds = ok(api.get("/customers/" + ada + "/activities?limit=100")).path("data").findValuesAsText("kind");
        assertThat(kinds.stream().filter("invoice.overdue"::equals)).hasSize(invoices.size());
        assertThat(run(week, events).run(null, tenant, 10, Budget.unlimited()).marked()).as("nothing left in the due index").isZero();

        // a payment on an overdue invoice lowers both; the list finds the customer by it
        ok(send("/invoices/" + invoices.get(0) + "/payments", "{\"amount\": " + money(400) + ", \"method\": \"bank_transfer\", \"reference\": \"T-9\"}"));
        assertBalance(ada, 11_600, 11_600);
        ok(api.post("/invoices/" + invoices.get(1) + "/void", null));
        assertBalance(ada, 10_600, 10_600);
        assertThat(listed("overdue=true")).containsExactly(ada);
        assertThat(listed("overdue=false")).containsExactly(later);
        assertThat(ok(api.post("/admin/invoices/overdue", null)).path("marked").asLong()).as("on demand, now: nothing is due").isZero();
    }
}
