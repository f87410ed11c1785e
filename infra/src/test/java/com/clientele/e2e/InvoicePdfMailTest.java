package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.clientele.local.LocalMail;
import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A finalised invoice's PDF over HTTP and by email: rendered once by the invoice PDF function, stored in the
 * exports bucket, downloaded through a short-lived presigned link and read back as text; attached to the invoice
 * email in the local mailbox; deleted when the customer is erased. The email's bounce, reported as SES would
 * ({@code POST /_local/mail/bounce}), marks the communication bounced. The subscriptions' reminders on the
 * payment-event path are emailed once per event.
 */
class InvoicePdfMailTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "pdf" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
    private final HttpClient http = HttpClient.newHttpClient();

    private String customer(String body) {
        var reply = api.post("/customers", body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private static String text(byte[] pdf) throws IOException {
        try (var document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }

    private List<JsonNode> communications(String customer) {
        var list = new ArrayList<JsonNode>();
        api.get("/customers/" + customer + "/communications").json().path("data").forEach(list::add);
        return list;
    }

    private JsonNode localMail(String to) throws Exception {
        var response = http.send(HttpRequest.newBuilder(cloud.apiUrl().resolve("/_local/mail?to=" + to)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body()).path("data");
    }

    private int bounce(String messageId) throws Exception {
        return http.send(HttpRequest.newBuilder(cloud.apiUrl().resolve("/_local/mail/bounce"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Json.MAPPER.createObjectNode().put("messageId", messageId))))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aFinalisedInvoicesPdfIsLinkedEmailedBouncedAndDeletedWithTheCustomer() throws Exception {
        String email = "ada-" + tenant + "@engines.example";
        String ada = customer("""
                {"type": "business", "firstName": "Ada", "lastName": "Byron", "email": "%s", "phone": "+14155550101",
                 "company": {"name": "Analytical Engines Ltd", "vatNumber": "GB123456789"}, "paymentTerms": "NET_14",
                 "addresses": [{"kind": "billing", "line1": "12 Analytical Row", "city": "London", "country": "GB", "isDefault": true}]}"""
                .formatted(email));
        var made = api.send("POST", "/invoices", """
                {"customerId": "%s", "currency": "USD", "lines": [
                  {"description": "Consulting, November", "quantity": 12, "unitAmount": 15000, "taxRate": 20}]}""".formatted(ada),
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        String id = made.json().path("id").asText();

        // a draft has no PDF
        var draft = api.get("/invoices/" + id + "/pdf");
        assertThat(draft.status()).as(draft.toString()).isEqualTo(409);
        assertThat(draft.json().path("code").asText()).isEqualTo("invoice_draft");

        var open = api.post("/invoices/" + id + "/finalize", null);
        assertThat(open.status()).as(open.toString()).isEqualTo(200);
        String number = open.json().path("number").asText();
        String due = open.json().path("dueDate").asText();
        assertThat(LocalDate.parse(due)).isAfter(LocalDate.parse(open.json().path("finalizedAt").asText().substring(0, 10)));

        // the link: once the PDF function stored it (409 invoice_pdf_pending with Retry-After until then)
        var link = Eventually.get(() -> api.get("/invoices/" + id + "/pdf"), r -> {
            if (r.status() == 409) {
                assertThat(r.json().path("code").asText()).isEqualTo("invoice_pdf_pending");
                assertThat(r.header("Retry-After")).isNotNull();
            }
            return r.status() == 200;
        }).json();
        Instant expires = Instant.parse(link.path("expiresAt").asText());
        assertThat(expires).isBetween(Instant.now().plus(Duration.ofMinutes(3)), Instant.now().plus(Duration.ofMinutes(6)));
        var download = http.send(HttpRequest.newBuilder(URI.create(link.path("url").asText())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        String pdf = text(download.body());
        assertThat(pdf).contains("Invoice " + number, "Ada Byron", "Analytical Engines Ltd", "GB123456789", "12 Analytical Row",
                "Consulting, November", "2160.00", "Due: " + due, "Net 14");

        // the invoice email carries the same PDF
        var mail = Eventually.get(() -> cloud.mailbox().stream().filter(m -> email.equalsIgnoreCase(m.to())).toList(), l -> !l.isEmpty());
        assertThat(mail).hasSize(1);
        LocalMail invoiceMail = mail.get(0);
        assertThat(invoiceMail.subject()).isEqualTo("Invoice " + number);
        assertThat(invoiceMail.attachments()).singleElement().satisfies(file -> {
            assertThat(file.name()).isEqualTo(number + ".pdf");
            assertThat(file.contentType()).isEqualTo("application/pdf");
            assertThat(text(file.bytes())).contains("Invoice " + number, "Analytical Engines Ltd", "2160.00", "Due: " + due);
        });
        var listed = localMail(email).get(0).path("attachments").get(0);
        assertThat(listed.path("name").asText()).isEqualTo(number + ".pdf");
        assertThat(listed.path("size").asInt()).isEqualTo(download.body().length);

        // a second finalisation sends nothing and renders nothing again
        assertThat(api.post("/invoices/" + id + "/finalize", null).status()).isEqualTo(200);
        var again = api.get("/invoices/" + id + "/pdf").json();
        var second = http.send(HttpRequest.newBuilder(URI.create(again.path("url").asText())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(second.body()).isEqualTo(download.body());

        // SES reports a bounce of the email: the communication is marked bounced, once
        var sent = Eventually.get(() -> communications(ada), l -> l.stream().anyMatch(c -> c.path("template").asText().equals("invoice")
                && c.path("status").asText().equals("sent")));
        var invoiceMessage = sent.stream().filter(c -> c.path("template").asText().equals("invoice")).findFirst().orElseThrow();
        assertThat(bounce("<no-such-message@local>")).isEqualTo(404);
        assertThat(bounce(invoiceMessage.path("providerMessageId").asText())).isEqualTo(202);
        var bounced = Eventually.get(() -> communications(ada), l -> l.stream().anyMatch(c -> c.path("status").asText().equals("bounced")));
        assertThat(bounced).filteredOn(c -> c.path("template").asText().equals("invoice")).singleElement()
                .satisfies(c -> assertThat(c.path("reason").asText()).isEqualTo("bounce_permanent"));
        assertThat(communications(ada)).hasSize(sent.size());

        // erased: the stored PDF is gone
        var erased = api.post("/customers/" + ada + "/erase", null);
        assertThat(erased.status()).as(erased.toString()).isEqualTo(200);
        try (var s3 = S3Client.builder().endpointOverride(cloud.s3Endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
            var key = "invoices/" + tenant + "/" + id + ".pdf";
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s3.headObject(r -> r.bucket(cloud.resources().get("ExportsBucket")).key(key)))
                    .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class)
                    .satisfies(e -> assertThat(((software.amazon.awssdk.services.s3.model.S3Exception) e).statusCode()).isEqualTo(404));
        }
        var gone = http.send(HttpRequest.newBuilder(URI.create(link.path("url").asText())).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(gone.statusCode()).as("the old link opens nothing").isEqualTo(404);
    }

    @Test
    void theSubscriptionsRemindersAreEmailedOncePerEvent() throws Exception {
        String email = "grace-" + tenant + "@hopper.example";
        String grace = customer("""
                {"firstName": "Grace", "lastName": "Hopper", "email": "%s", "phone": "+14155550102"}""".formatted(email));
        String renewal = """
                {"id": "evt_%s", "type": "subscription.renewal_upcoming", "schemaVersion": 1, "tenantId": "%s", "customerId": "%s",
                 "subscriptionId": "sub_01KB2C8H0K2M4N6P8R0S2T4V6W", "occurredAt": "2026-12-01T09:00:00Z", "period": 3,
                 "renewalAt": "2026-12-08T09:00:00Z", "amount": 4900, "currency": "USD", "contractEndDate": null}"""
                .formatted(UUID.randomUUID().toString().replace("-", ""), tenant, grace);
        String ending = """
                {"id": "evt_%s", "type": "subscription.contract_ending", "schemaVersion": 1, "tenantId": "%s", "customerId": "%s",
                 "subscriptionId": "sub_01KB2C8H0K2M4N6P8R0S2T4V6W", "occurredAt": "2026-12-01T09:00:00Z", "period": null,
                 "renewalAt": null, "amount": 4900, "currency": "USD", "contractEndDate": "2026-12-31"}"""
                .formatted(UUID.randomUUID().toString().replace("-", ""), tenant, grace);
        // the marketing opt-out does not hold these back: they are service messages about the customer's contract
        try (var sqs = SqsClient.builder().endpointOverride(cloud.sqsEndpoint()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
            String queue = cloud.queueUrl("MessagesEventsQueue");
            for (String event : List.of(renewal, ending, renewal)) {
                sqs.sendMessage(r -> r.queueUrl(queue).messageBody(event));
            }
        }
        var mail = Eventually.get(() -> cloud.mailbox().stream().filter(m -> email.equalsIgnoreCase(m.to())).toList(), l -> l.size() >= 2);
        assertThat(mail).extracting(LocalMail::subject).containsExactlyInAnyOrder(
                "Your sub_01KB2C8H0K2M4N6P8R0S2T4V6W renews on 2026-12-08", "Your sub_01KB2C8H0K2M4N6P8R0S2T4V6W contract ends on 2026-12-31");
        assertThat(mail).filteredOn(m -> m.subject().contains("renews")).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("49.00"));
        var recorded = Eventually.get(() -> communications(grace), l -> l.size() == 2
                && l.stream().allMatch(c -> c.path("status").asText().equals("sent")));
        assertThat(recorded).extracting(c -> c.path("template").asText())
                .containsExactlyInAnyOrder("renewal_reminder", "contract_end_reminder");
        Thread.sleep(1500);
        assertThat(cloud.mailbox().stream().filter(m -> email.equalsIgnoreCase(m.to()))).as("the repeated event sent nothing").hasSize(2);
    }
}
