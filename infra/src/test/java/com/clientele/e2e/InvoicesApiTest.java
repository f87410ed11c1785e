package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.invoices.InvoicesWiring;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Components;
import com.clientele.shared.Env;
import com.clientele.shared.Ids;
import com.clientele.shared.Money;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Invoices over HTTP: made by hand, of an order and of a subscription's period; drafts edited under
 * If-Match; finalised with numbers unique and gapless per tenant, due on the customer's payment terms;
 * paid in parts by a bank transfer and a saved card (a replay under the same key pays nothing twice; two
 * payments racing on the last cent: one succeeds); credit notes off an open invoice and refunded of a
 * paid one; voided and written off; merge, export and erasure reach invoices; bad input is a 4xx naming
 * the field; another tenant sees nothing.
 */
class InvoicesApiTest {

    private static final String VISA = "4242424242424242";
    private static final String DECLINED = "4000000000000341";

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "inv" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private Api.Reply send(String path, String body) {
        return send(path, body, UUID.randomUUID().toString());
    }

    private Api.Reply send(String path, String body, String key) {
        return api.send("POST", path, body, "Idempotency-Key", key);
    }

    private static String created(Api.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private static JsonNode ok(Api.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static String field(Api.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isBetween(400, 499);
        return reply.json().path("errors").get(0).path("field").asText();
    }

    private String business(String email, String terms) {
        return created(api.post("/customers", """
                {"type": "business", "firstName": "Ada", "lastName": "Byron", "email": "%s", "phone": "+14155550101",
                 "company": {"name": "Analytical Engines Ltd", "vatNumber": "GB123456789"}, "paymentTerms": "%s",
                 "addresses": [{"kind": "billing", "line1": "12 Analytical Row", "city": "London", "country": "GB", "isDefault": true}]}"""
                .formatted(email, terms)));
    }

    private String individual(String email) {
        return created(api.post("/customers", """
                {"firstName": "Grace", "lastName": "Hopper", "email": "%s", "phone": "+14155550102",
                 "addresses": [{"kind": "billing", "line1": "1 Navy Way", "city": "Arlington", "country": "US"}]}""".formatted(email)));
    }

    private void card(String customer, String number) {
        assertThat(api.post("/customers/" + customer + "/payment-methods", PaymentsApiContract.card(number)).status()).isEqualTo(201);
    }

    private String draft(String customer, long unitAmount, int quantity, String taxRate) {
        return created(send("/invoices", """
                {"customerId": "%s", "currency": "USD", "lines": [{"description": "Consulting", "quantity": %d, "unitAmount": %d, "taxRate": %s}]}"""
                .formatted(customer, quantity, unitAmount, taxRate)));
    }

    private JsonNode open(String customer, long amount) {
        return ok(api.post("/invoices/" + draft(customer, amount, 1, "0") + "/finalize", null));
    }

    private static String money(long amount) {
        return "{\"amount\": " + amount + ", \"currency\": \"USD\"}";
    }

    private List<JsonNode> paymentsOf(String customer, String invoice) {
        var list = new ArrayList<JsonNode>();
        api.get("/customers/" + customer + "/payments?invoiceId=" + invoice).json().path("data").forEach(list::add);
        return list;
    }

    /** The customer's communications of template {@code invoice}. */
    private List<JsonNode> invoiceEmails(String customer) {
        var reply = api.get("/customers/" + customer + "/communications");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        var found = new ArrayList<JsonNode>();
        reply.json().path("data").forEach(c -> {
            if (c.path("template").asText().equals("invoice")) {
                found.add(c);
            }
        });
        return found;
    }

    @Test
    void aDraftIsEditedFinalisedOnItsTermsAndPaidByATransferAndACard() {
        String ada = business("ada@engines.example", "NET_30");
        card(ada, VISA);
        var made = send("/invoices", """
                {"customerId": "%s", "currency": "USD", "memo": "November", "lines": [
                  {"description": "Consulting, November", "quantity": 12, "unitAmount": 15000, "taxRate": 20},
                  {"description": "Travel", "quantity": 1, "unitAmount": 3333, "taxRate": 7.5}]}""".formatted(ada));
        String id = created(made);
        assertThat(made.header("Location")).isEqualTo("/invoices/" + id);
        var draft = made.json();
        assertThat(draft.path("status").asText()).isEqualTo("draft");
        assertThat(draft.path("number").isNull()).as("a draft has no number").isTrue();
        assertThat(draft.path("subtotal").path("amount").asLong()).isEqualTo(183_333);
        assertThat(draft.path("tax").path("amount").asLong()).as("36000 + 7.5% of 3333 = 249.975, rounded half up").isEqualTo(36_250);
        assertThat(draft.path("total").path("amount").asLong()).isEqualTo(219_583);
        assertThat(draft.path("amountDue").path("amount").asLong()).isEqualTo(219_583);

        // a draft is edited under If-Match; a line sent back as read keeps its computed fields out of the way
        assertThat(api.send("PATCH", "/invoices/" + id, "{\"memo\": \"x\"}").status()).isEqualTo(428);
        assertThat(api.patch("/invoices/" + id, "{\"memo\": \"x\"}", "\"7\"").status()).isEqualTo(412);
        var lines = draft.path("lines").get(0).toString();
        var edited = api.patch("/invoices/" + id, "{\"memo\": \"Thank you\", \"lines\": [" + lines + "]}", made.header("ETag"));
        assertThat(edited.json().path("memo").asText()).as(edited.toString()).isEqualTo("Thank you");
        assertThat(edited.json().path("total").path("amount").asLong()).isEqualTo(216_000);
        assertThat(field(api.patch("/invoices/" + id, "{\"status\": \"paid\"}", edited.header("ETag")))).isEqualTo("status");
        var whole = edited.json().deepCopy();
        ((ObjectNode) whole).put("memo", "Sent back whole");
        var sentBack = api.patch("/invoices/" + id, whole.toString(), edited.header("ETag"));
        assertThat(sentBack.status()).as("the whole invoice as read, sent back: " + sentBack).isEqualTo(200);
        assertThat(sentBack.json().path("memo").asText()).isEqualTo("Sent back whole");
        assertThat(sentBack.json().path("total").path("amount").asLong()).isEqualTo(216_000);

        // finalised: numbered, billed to the company as it is now, due in 30 days
        var open = ok(api.post("/invoices/" + id + "/finalize", null));
        assertThat(open.path("status").asText()).isEqualTo("open");
        assertThat(open.path("number").asText()).matches("INV-\\d{4}-000001");
        LocalDate finalised = LocalDate.ofInstant(Instant.parse(open.path("finalizedAt").asText()), ZoneOffset.UTC);
        assertThat(open.path("number").asText()).startsWith("INV-" + finalised.getYear() + "-");
        assertThat(open.path("paymentTerms").asText()).isEqualTo("NET_30");
        assertThat(open.path("dueDate").asText()).isEqualTo(finalised.plusDays(30).toString());
        assertThat(open.path("billTo").path("company").asText()).isEqualTo("Analytical Engines Ltd");
        assertThat(open.path("billTo").path("vatNumber").asText()).isEqualTo("GB123456789");
        assertThat(open.path("billTo").path("address").path("line1").asText()).isEqualTo("12 Analytical Row");
        assertThat(ok(api.post("/invoices/" + id + "/finalize", null)).path("number").asText()).as("finalising again changes nothing")
                .isEqualTo(open.path("number").asText());
        // the customer is emailed the invoice once, however often it is finalised
        var sent = Eventually.get(() -> invoiceEmails(ada), mails -> mails.size() == 1 && mails.get(0).path("status").asText().equals("sent"));
        assertThat(sent.get(0).path("subject").asText()).isEqualTo("Invoice " + open.path("number").asText());
        assertThat(cloud.mailbox()).as("in the local mail server").anyMatch(m -> m.to().equalsIgnoreCase("ada@engines.example")
                && m.subject().equals("Invoice " + open.path("number").asText()) && m.text().contains("due on " + open.path("dueDate").asText()));
        var noEdit = api.patch("/invoices/" + id, "{\"memo\": \"late\"}", "\"" + open.path("version").asLong() + "\"");
        assertThat(noEdit.status()).as("an open invoice is not edited").isEqualTo(409);
        assertThat(noEdit.json().path("code").asText()).isEqualTo("invoice_open");

        // an individual customer's invoice is due on receipt; the next number follows
        String grace = individual("grace@navy.example");
        var second = open(grace, 5000);
        assertThat(second.path("number").asText()).matches("INV-\\d{4}-000002");
        assertThat(second.path("paymentTerms").asText()).isEqualTo("DUE_ON_RECEIPT");
        assertThat(second.path("dueDate").asText()).isEqualTo(LocalDate.ofInstant(Instant.parse(second.path("finalizedAt").asText()),
                ZoneOffset.UTC).toString());

        // a bank transfer pays part of it; more than is due is refused, naming the amount
        var transfer = ok(send("/invoices/" + id + "/payments", "{\"amount\": " + money(100_000)
                + ", \"method\": \"bank_transfer\", \"reference\": \"TRF-0042\"}"));
        assertThat(transfer.path("status").asText()).isEqualTo("open");
        assertThat(transfer.path("amountPaid").path("amount").asLong()).isEqualTo(100_000);
        assertThat(transfer.path("amountDue").path("amount").asLong()).isEqualTo(116_000);
        assertThat(field(send("/invoices/" + id + "/pay", "{\"amount\": " + money(116_001) + "}"))).isEqualTo("amount.amount");
        assertThat(field(send("/invoices/" + id + "/payments", "{\"method\": \"bank_transfer\"}"))).isEqualTo("reference");

        // the card pays the rest; a replay under the same key pays nothing twice
        String key = UUID.randomUUID().toString();
        var paid = send("/invoices/" + id + "/pay", null, key);
        assertThat(ok(paid).path("status").asText()).isEqualTo("paid");
        assertThat(paid.json().path("amountDue").path("amount").asLong()).isZero();
        var replay = send("/invoices/" + id + "/pay", null, key);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        var payments = paymentsOf(ada, id);
        assertThat(payments).extracting(p -> p.path("amount").path("amount").asLong()).containsExactlyInAnyOrder(116_000L, 100_000L);
        assertThat(payments).allSatisfy(p -> assertThat(p.path("invoiceId").asText()).isEqualTo(id));
        assertThat(payments).extracting(p -> p.path("offline").path("method").asText("card")).containsExactlyInAnyOrder("card", "bank_transfer");
        assertThat(send("/invoices/" + id + "/pay", null).json().path("code").asText()).isEqualTo("invoice_paid");

        // LTV counts both payments; the feed and the lists show the invoice
        Eventually.get(() -> api.get("/customers/" + ada).json().path("stats"), s -> s.path("ltv").path("amount").asLong() == 216_000);
        assertThat(api.get("/customers/" + ada + "/activities").json().path("data").findValuesAsText("kind"))
                .contains("invoice.finalized", "invoice.paid");
        assertThat(api.get("/invoices?status=paid").json().path("data").findValuesAsText("id")).containsExactly(id);
        assertThat(api.get("/invoices?status=open").json().path("data").findValuesAsText("id"))
                .containsExactly(second.path("id").asText());
        assertThat(api.get("/customers/" + ada + "/invoices").json().path("data").findValuesAsText("id")).containsExactly(id);
    }

    @Test
    void aDeclinedCardLeavesTheInvoiceOpenAndTwoPaymentsRacingOnTheLastCentPayItOnce() {
        String dan = business("dan@declined.example", "NET_7");
        card(dan, DECLINED);
        var invoice = open(dan, 5000);
        String id = invoice.path("id").asText();
        var declined = send("/invoices/" + id + "/pay", null);
        assertThat(declined.status()).as(declined.toString()).isEqualTo(402);
        assertThat(declined.json().path("invoiceStatus").asText()).isEqualTo("open");
        assertThat(declined.json().path("amountDue").path("amount").asLong()).isEqualTo(5000);
        assertThat(ok(api.get("/invoices/" + id)).path("payments")).as("the declined payment's reservation is dropped").isEmpty();

        String ann = business("ann@racing.example", "NET_14");
        card(ann, VISA);
        for (int round = 0; round < 3; round++) {
            String racing = open(ann, 5000).path("id").asText();
            var replies = IntStream.range(0, 2).mapToObj(i -> CompletableFuture.supplyAsync(() -> send("/invoices/" + racing + "/pay",
                    "{\"amount\": " + money(5000) + "}"))).toList().stream().map(CompletableFuture::join).toList();
            assertThat(replies).extracting(Api.Reply::status).as(replies.toString()).containsOnlyOnce(200);
            assertThat(replies).filteredOn(r -> r.status() != 200).allSatisfy(r -> assertThat(r.status()).isBetween(400, 409));
            var after = ok(api.get("/invoices/" + racing));
            assertThat(after.path("status").asText()).isEqualTo("paid");
            assertThat(after.path("amountPaid").path("amount").asLong()).isEqualTo(5000);
            assertThat(paymentsOf(ann, racing)).as("one payment, once").hasSize(1);
        }
    }

    @Test
    void finalisationsAtOnceTakeEveryNumberOnce() {
        String ada = business("ada.numbers@engines.example", "NET_30");
        var drafts = IntStream.range(0, 6).mapToObj(i -> draft(ada, 1000 + i, 1, "0")).toList();
        var numbers = drafts.stream().map(d -> CompletableFuture.supplyAsync(() -> api.post("/invoices/" + d + "/finalize", null)))
                .toList().stream().map(CompletableFuture::join).map(r -> ok(r).path("number").asText()).sorted().toList();
        int year = LocalDate.now(ZoneOffset.UTC).getYear();
        assertThat(numbers).as("unique and without gaps").containsExactlyElementsOf(IntStream.rangeClosed(1, 6)
                .mapToObj(n -> "INV-%d-%06d".formatted(year, n)).toList());
        assertThat(field(api.post("/invoices/" + created(send("/invoices", "{\"customerId\": \"" + ada + "\", \"currency\": \"USD\"}"))
                + "/finalize", null))).as("a draft without lines takes no number").isEqualTo("lines");
        assertThat(ok(api.post("/invoices/" + draft(ada, 1, 1, "0") + "/finalize", null)).path("number").asText())
                .isEqualTo("INV-%d-%06d".formatted(year, 7));
    }

    @Test
    void creditNotesReduceAnOpenInvoiceOrRefundAPaidOne() {
        String ada = business("ada.credit@engines.example", "NET_30");
        card(ada, VISA);
        String id = open(ada, 10_000).path("id").asText();
        var credited = ok(send("/invoices/" + id + "/credit-notes", "{\"amount\": " + money(3000) + ", \"reason\": \"Late delivery\"}"));
        assertThat(credited.path("amountCredited").path("amount").asLong()).isEqualTo(3000);
        assertThat(credited.path("amountDue").path("amount").asLong()).isEqualTo(7000);
        assertThat(credited.path("creditNotes").get(0).path("id").asText()).startsWith(Ids.CREDIT_NOTE);
        assertThat(field(send("/invoices/" + id + "/credit-notes", "{\"amount\": " + money(7001) + "}"))).as("above what it asks")
                .isEqualTo("amount.amount");
        assertThat(field(send("/invoices/" + id + "/credit-notes", "{\"amount\": {\"amount\": 100, \"currency\": \"EUR\"}}")))
                .isEqualTo("amount.currency");
        var paid = ok(send("/invoices/" + id + "/pay", null));
        assertThat(paid.path("status").asText()).isEqualTo("paid");
        assertThat(paid.path("amountPaid").path("amount").asLong()).isEqualTo(7000);

        // a paid invoice's credit note refunds its card payment, through the refund path
        var refunded = ok(send("/invoices/" + id + "/credit-notes", "{\"amount\": " + money(2000) + "}"));
        assertThat(refunded.path("amountRefunded").path("amount").asLong()).isEqualTo(2000);
        var note = refunded.path("creditNotes").get(1);
        assertThat(note.path("refundId").asText()).startsWith(Ids.REFUND);
        var payment = paymentsOf(ada, id).get(0);
        assertThat(payment.path("amountRefunded").path("amount").asLong()).isEqualTo(2000);
        assertThat(payment.path("refunds").get(0).path("id").asText()).isEqualTo(note.path("refundId").asText());
        assertThat(field(send("/invoices/" + id + "/credit-notes", "{\"amount\": " + money(5001) + "}"))).as("above what is left")
                .isEqualTo("amount.amount");
        var cashier = new Api(cloud.apiUrl(), cloud.token(tenant, "carl", List.of("invoices:write")));
        assertThat(cashier.send("POST", "/invoices/" + id + "/credit-notes", "{\"amount\": " + money(100) + "}", "Idempotency-Key",
                UUID.randomUUID().toString()).status()).as("a refund needs payments:refund").isEqualTo(403);

        // void: only with nothing paid; a void invoice takes no payment; an uncollectible one still does
        assertThat(api.post("/invoices/" + id + "/void", null).json().path("code").asText()).isEqualTo("invoice_paid");
        String other = open(ada, 4000).path("id").asText();
        var voided = ok(api.post("/invoices/" + other + "/void", null));
        assertThat(voided.path("status").asText()).isEqualTo("void");
        assertThat(voided.path("amountDue").path("amount").asLong()).isZero();
        var payVoid = send("/invoices/" + other + "/pay", null);
        assertThat(payVoid.status()).isEqualTo(409);
        assertThat(payVoid.json().path("code").asText()).isEqualTo("invoice_void");
        String written = open(ada, 4000).path("id").asText();
        assertThat(ok(api.post("/invoices/" + written + "/mark-uncollectible", null)).path("status").asText()).isEqualTo("uncollectible");
        var late = ok(send("/invoices/" + written + "/payments", "{\"method\": \"cheque\", \"reference\": \"CHQ 001234\"}"));
        assertThat(late.path("status").asText()).isEqualTo("paid");
        assertThat(api.get("/customers/" + ada + "/activities").json().path("data").findValuesAsText("kind"))
                .contains("invoice.credited", "invoice.voided", "invoice.marked_uncollectible");
    }

    @Test
    void anOrderIsInvoicedOnceAndAPeriodCollectedByInvoiceIsInvoicedOnce() {
        String ada = business("ada.orders@engines.example", "NET_14");
        String product = created(send("/products", "{\"name\": \"Analytical Engine\"}"));
        String oneOff = created(send("/prices", "{\"productId\": \"" + product + "\", \"currency\": \"USD\", \"unitAmount\": 45000, "
                + "\"type\": \"one_time\"}"));
        String order = created(send("/orders", "{\"customerId\": \"" + ada + "\", \"items\": [{\"priceId\": \"" + oneOff
                + "\", \"quantity\": 2}]}"));
        var invoice = send("/invoices", "{\"orderId\": \"" + order + "\"}");
        String id = created(invoice);
        assertThat(invoice.json().path("customerId").asText()).isEqualTo(ada);
        assertThat(invoice.json().path("orderId").asText()).isEqualTo(order);
        assertThat(invoice.json().path("lines").get(0).path("description").asText()).isEqualTo("Analytical Engine");
        assertThat(invoice.json().path("total").path("amount").asLong()).isEqualTo(90_000);
        var again = send("/invoices", "{\"orderId\": \"" + order + "\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("invoiceId").asText()).isEqualTo(id);
        assertThat(field(send("/invoices", "{\"orderId\": \"" + order + "\", \"lines\": []}"))).isEqualTo("lines");
        ok(api.post("/invoices/" + id + "/finalize", null));
        var paid = ok(send("/invoices/" + id + "/payments", "{\"method\": \"bank_transfer\", \"reference\": \"TRF-77\"}"));
        assertThat(paid.path("status").asText()).isEqualTo("paid");
        assertThat(ok(api.get("/orders/" + order)).path("status").asText()).as("its invoice paid, the order is paid").isEqualTo("paid");
        assertThat(api.get("/customers/" + ada + "/payments?orderId=" + order).json().path("data").findValuesAsText("invoiceId"))
                .as("the invoice's payment names the order too").containsExactly(id);

        // a subscription collected by invoice: its first period is invoiced when it starts, and finalised
        String monthly = created(send("/prices", "{\"productId\": \"" + product + "\", \"currency\": \"USD\", \"unitAmount\": 8900, "
                + "\"type\": \"recurring\", \"recurring\": {\"interval\": \"month\", \"contractMonths\": 12}}"));
        String subscription = created(send("/customers/" + ada + "/subscriptions", "{\"priceId\": \"" + monthly
                + "\", \"collection\": \"send_invoice\"}"));
        var invoices = api.get("/customers/" + ada + "/invoices").json().path("data");
        var period = invoices.get(0);
        assertThat(period.path("subscriptionId").asText()).isEqualTo(subscription);
        assertThat(period.path("period").asInt()).isEqualTo(1);
        assertThat(period.path("status").asText()).isEqualTo("open");
        assertThat(period.path("total").path("amount").asLong()).isEqualTo(8900);
        assertThat(period.path("paymentTerms").asText()).isEqualTo("NET_14");
        // asked again (a run that died before recording the period): the same invoice, no second one
        var service = InvoicesWiring.service(Components.from(new Env(cloud.environment("RenewalsFunction"))));
        assertThat(service.invoicePeriod(tenant, ada, subscription, 1, new Money(8900, "USD"), "again"))
                .isEqualTo(period.path("id").asText());
        assertThat(api.get("/customers/" + ada + "/invoices").json().path("data")).hasSize(invoices.size());
        assertThat(ok(api.post("/admin/renewals", null)).path("invoiced").asLong()).as("nothing more is due").isZero();
        assertThat(api.get("/customers/" + ada + "/invoices").json().path("data")).hasSize(invoices.size());
    }

    @Test
    void mergeExportAndErasureReachInvoices() {
        String primary = business("primary@engines.example", "NET_30");
        String duplicate = business("duplicate@engines.example", "NET_7");
        String moved = open(duplicate, 2500).path("id").asText();
        var merge = api.post("/customers/" + primary + "/merge", "{\"duplicateId\": \"" + duplicate + "\"}");
        assertThat(merge.status()).as(merge.toString()).isEqualTo(200);
        assertThat(merge.json().path("moves").path("invoices").asInt()).isEqualTo(1);
        assertThat(ok(api.get("/invoices/" + moved)).path("customerId").asText()).isEqualTo(primary);
        assertThat(api.get("/customers/" + primary + "/invoices").json().path("data").findValuesAsText("id")).containsExactly(moved);

        var export = ok(api.get("/customers/" + primary + "/data-export"));
        assertThat(export.path("invoices").findValuesAsText("id")).containsExactly(moved);
        assertThat(api.post("/customers/" + primary + "/erase", null).status()).isEqualTo(200);
        var erased = ok(api.get("/invoices/" + moved));
        assertThat(erased.path("billTo").path("name").isMissingNode() || erased.path("billTo").path("name").isNull()).isTrue();
        assertThat(erased.path("billTo").path("address").isMissingNode() || erased.path("billTo").path("address").isNull()).isTrue();
        assertThat(erased.path("number").asText()).as("the books keep the invoice").startsWith("INV-");
        assertThat(erased.path("total").path("amount").asLong()).isEqualTo(2500);
        assertThat(api.get("/invoices/" + moved).text()).doesNotContain("Ada", "Byron", "Analytical Row", "duplicate@engines.example");
    }

    @Test
    void badInputIsA4xxNamingTheFieldAndAnotherTenantSeesNothing() {
        String ada = business("ada.bad@engines.example", "NET_30");
        String by = "{\"customerId\": \"" + ada + "\", \"currency\": \"USD\", \"lines\": [";
        java.util.function.Function<String, String> line = fields -> by + "{\"description\": \"X\", " + fields + "}]}";
        assertThat(field(send("/invoices", line.apply("\"quantity\": 0, \"unitAmount\": 1")))).isEqualTo("lines[0].quantity");
        assertThat(field(send("/invoices", line.apply("\"quantity\": 1.5, \"unitAmount\": 1")))).isEqualTo("lines[0].quantity");
        assertThat(field(send("/invoices", line.apply("\"quantity\": 9223372036854775808, \"unitAmount\": 1"))))
                .isEqualTo("lines[0].quantity");
        assertThat(field(send("/invoices", line.apply("\"quantity\": 1, \"unitAmount\": -1")))).isEqualTo("lines[0].unitAmount");
        assertThat(field(send("/invoices", line.apply("\"quantity\": 1, \"unitAmount\": 1e400")))).isEqualTo("lines[0].unitAmount");
        assertThat(field(send("/invoices", line.apply("\"quantity\": 1000000, \"unitAmount\": 999999999999"))))
                .as("an amount past the largest invoice, no overflow").isEqualTo("lines[0].unitAmount");
        assertThat(field(send("/invoices", line.apply("\"quantity\": 1, \"unitAmount\": 1, \"taxRate\": 100.5")))).isEqualTo("lines[0].taxRate");
        assertThat(field(send("/invoices", line.apply("\"quantity\": 1, \"unitAmount\": 1, \"taxRate\": 0.00001")))).isEqualTo("lines[0].taxRate");
        assertThat(field(send("/invoices", line.apply("\"quantity\": 1")))).isEqualTo("lines[0].unitAmount");
        assertThat(field(send("/invoices", by.replace("\"lines\": [", "\"lines\": [{\"quantity\": 1, \"unitAmount\": 1}]}")))).isEqualTo(
                "lines[0].description");
        String big = "{\"description\": \"X\", \"quantity\": 1000000, \"unitAmount\": 999999}";
        assertThat(field(send("/invoices", by + String.join(", ", java.util.Collections.nCopies(2, big)) + "]}")))
                .as("lines adding up past the largest invoice").isEqualTo("lines");
        String one = "{\"description\": \"X\", \"quantity\": 1, \"unitAmount\": 1}";
        assertThat(field(send("/invoices", by + String.join(", ", java.util.Collections.nCopies(101, one)) + "]}"))).isEqualTo("lines");
        assertThat(field(send("/invoices", by + one + "], \"colour\": \"red\"}"))).isEqualTo("colour");
        assertThat(field(send("/invoices", "{\"customerId\": \"cus_01KB0000000000000000000000\", \"currency\": \"USD\"}")))
                .isEqualTo("customerId");
        assertThat(field(send("/invoices", "{\"currency\": \"USD\"}"))).isEqualTo("customerId");
        assertThat(field(send("/invoices", "{\"customerId\": \"" + ada + "\"}"))).as("no currency yet").isEqualTo("currency");
        assertThat(field(send("/invoices", "{\"customerId\": \"" + ada + "\", \"currency\": \"XYZ\"}"))).isEqualTo("currency");
        assertThat(field(send("/invoices", "{\"orderId\": \"ord_01KB0000000000000000000000\"}"))).isEqualTo("orderId");

        String id = open(ada, 1000).path("id").asText();
        assertThat(field(send("/invoices/" + id + "/pay", "{\"amount\": " + money(0) + "}"))).isEqualTo("amount.amount");
        assertThat(field(send("/invoices/" + id + "/pay", "{\"amount\": " + money(Long.MAX_VALUE) + "}"))).isEqualTo("amount.amount");
        assertThat(field(send("/invoices/" + id + "/pay", "{\"paymentMethodId\": \"nope\"}"))).isEqualTo("paymentMethodId");
        assertThat(field(send("/invoices/" + id + "/pay", null))).as("no saved card").isEqualTo("paymentMethodId");
        assertThat(ok(api.get("/invoices/" + id)).path("payments")).as("a refused payment reserves nothing").isEmpty();
        assertThat(field(send("/invoices/" + id + "/payments", "{\"method\": \"barter\", \"reference\": \"x\"}"))).isEqualTo("method");
        assertThat(field(api.get("/invoices?status=late"))).isEqualTo("status");
        assertThat(api.get("/invoices/in_01KB0000000000000000000000").status()).isEqualTo(404);
        assertThat(api.get("/invoices/not-an-id").status()).isEqualTo(404);

        var other = new Api(cloud.apiUrl(), cloud.token("other" + tenant, "mallory"));
        assertThat(other.get("/invoices/" + id).status()).isEqualTo(404);
        assertThat(other.send("POST", "/invoices/" + id + "/pay", null, "Idempotency-Key", UUID.randomUUID().toString()).status())
                .isEqualTo(404);
        assertThat(other.post("/invoices/" + id + "/void", null).status()).isEqualTo(404);
        assertThat(other.get("/invoices?status=open").json().path("data")).isEmpty();
        var viewer = new Api(cloud.apiUrl(), cloud.token(tenant, "vera", List.of("invoices:read")));
        assertThat(viewer.post("/invoices/" + id + "/finalize", null).status()).isEqualTo(403);
    }
}
