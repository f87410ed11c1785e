package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.clientele.local.LocalMail;
import com.clientele.messages.Attachment;
import com.clientele.messages.MessageRequest;
import com.clientele.messages.MessageTemplate;
import com.clientele.messages.Messages;
import com.clientele.messages.MessagesWiring;
import com.clientele.shared.Components;
import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Messages to customers over the local cloud, read back from its mail server's mailbox: a receipt per
 * charge and a notice per declined one, one-time codes by email, marketing only with consent, an
 * attachment, nothing sent twice for one communication however often it is delivered, and a provider
 * that keeps failing retried, then shown failed.
 */
class MessagesTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private String customer(Api on, String email) {
        var reply = on.post("/customers", """
                {"firstName": "Alice", "lastName": "Smith", "email": "%s", "phone": "+14155550123"}""".formatted(email));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private String charge(Api on, String customer, String card, long amount, int status) {
        var saved = on.post("/customers/" + customer + "/payment-methods", PaymentsApiContract.card(card));
        assertThat(saved.status()).as(saved.toString()).isIn(200, 201);
        var charged = on.send("POST", "/customers/" + customer + "/charges", PaymentsApiContract.charge(amount, "USD",
                saved.json().path("id").asText()), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(charged.status()).as(charged.toString()).isEqualTo(status);
        return charged.json().path("paymentId").asText(charged.json().path("id").asText());
    }

    private static List<LocalMail> mailTo(LocalCloud cloud, String address) {
        return cloud.mailbox().stream().filter(m -> address.equalsIgnoreCase(m.to())).toList();
    }

    private static List<LocalMail> mailTo(LocalCloud cloud, String address, int count) {
        return Eventually.get(() -> mailTo(cloud, address), mail -> mail.size() >= count);
    }

    private static JsonNode communications(Api on, String customer) {
        var reply = on.get("/customers/" + customer + "/communications");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().path("data");
    }

    @Test
    void aChargeSendsOneReceiptAndADeclinedOneANoticeAndARedeliveredMessageIsNotSentAgain() throws Exception {
        String email = "receipts-" + tenant + "@example.com";
        String id = customer(api, email);
        charge(api, id, PaymentsApiContract.VISA, 1234, 201);

        var receipt = mailTo(cloud, email, 1);
        assertThat(receipt).hasSize(1);
        assertThat(receipt.get(0).subject()).isEqualTo("Your receipt for 12.34 USD");
        assertThat(receipt.get(0).text()).contains("Hello Alice").contains("12.34 USD").contains("pay_");
        assertThat(receipt.get(0).html()).contains("<p>Hello Alice,</p>");
        var sent = Eventually.get(() -> communications(api, id), list -> list.size() == 1
                && "sent".equals(list.get(0).path("status").asText()));
        var recorded = sent.get(0);
        assertThat(recorded.path("template").asText()).isEqualTo("payment_receipt");
        assertThat(recorded.path("channel").asText()).isEqualTo("email");
        assertThat(recorded.path("status").asText()).isEqualTo("sent");
        assertThat(recorded.path("to").asText()).isEqualTo(email);
        assertThat(recorded.path("subject").asText()).isEqualTo("Your receipt for 12.34 USD");
        assertThat(recorded.path("attempts").asInt()).isEqualTo(1);
        assertThat(recorded.path("providerMessageId").asText()).isEqualTo(receipt.get(0).messageId());
        assertThat(recorded.path("messageId").asText()).startsWith("receipt:pay_");

        // the same communication delivered again (SQS at least once): skipped, still one email
        try (var sqs = EventInbox.sqs(cloud)) {
            String url = cloud.queueUrl("MessagesQueue");
            String job = Json.write(Map.of("tenantId", tenant, "customerId", id, "communicationId", recorded.path("id").asText(),
                    "variables", Map.of("amount", "12.34 USD", "paymentId", "pay_x", "date", "2026-12-01", "firstName", "Alice")));
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(job));
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(job));
            Eventually.get(() -> sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes(), a -> a.values().stream().allMatch("0"::equals));
        }

        charge(api, id, PaymentsApiContract.DECLINE_ON_CHARGE, 5000, 402);
        var both = mailTo(cloud, email, 2);
        assertThat(both).extracting(LocalMail::subject)
                .containsExactly("Your receipt for 12.34 USD", "Your payment of 50.00 USD did not go through");
        assertThat(both.get(1).text()).contains("the card was declined");
        var list = Eventually.get(() -> communications(api, id), l -> l.size() == 2 && "sent".equals(l.get(0).path("status").asText()));
        assertThat(list).extracting(c -> c.path("template").asText()).containsExactly("payment_failed", "payment_receipt");
        assertThat(list.get(1).path("attempts").asInt()).as("the redelivered message was not sent again").isEqualTo(1);
    }

    @Test
    void aCodeByEmailArrivesInTheMailboxAndIsNeverShownToTheCaller() {
        String email = "codes-" + tenant + "@example.com";
        String id = customer(api, email);
        var issued = api.post("/customers/" + id + "/points/otp", "{\"channel\": \"email\"}");
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        assertThat(issued.json().path("channel").asText()).isEqualTo("email");
        assertThat(issued.json().path("code").isNull()).as("the code goes to the customer only").isTrue();

        var mail = mailTo(cloud, email, 1);
        assertThat(mail).hasSize(1);
        assertThat(mail.get(0).subject()).isEqualTo("Your code to redeem points");
        var code = java.util.regex.Pattern.compile("code is (\\d{6})").matcher(mail.get(0).text());
        assertThat(code.find()).as(mail.get(0).text()).isTrue();
        var list = Eventually.get(() -> communications(api, id), l -> l.size() == 1 && "sent".equals(l.get(0).path("status").asText()));
        assertThat(list.get(0).path("template").asText()).isEqualTo("loyalty_code");
        assertThat(list.toString()).doesNotContain(code.group(1));

        var sms = api.post("/customers/" + id + "/points/otp", null);
        assertThat(sms.json().path("channel").asText()).isEqualTo("sms");
        assertThat(sms.json().path("code").asText()).as("the SMS sandbox still shows its code").matches("\\d{6}");
        assertThat(api.post("/customers/" + id + "/points/otp", "{\"channel\": \"fax\"}").status()).isEqualTo(400);
    }

    @Test
    void marketingGoesOnlyToCustomersWhoAgreedAndTransactionalMessagesToAll() throws Exception {
        String email = "news-" + tenant + "@example.com";
        String id = customer(api, email);
        var profile = api.get("/customers/" + id);
        assertThat(profile.json().path("communicationPreferences").path("marketingEmail").asBoolean()).isFalse();
        Messages messages = MessagesWiring.messages(Components.from(cloud.environment("PaymentMessagesFunction")));
        var news = Map.of("headline", "Winter offers", "text", "Ten percent off this week.");

        var skipped = messages.send(MessageRequest.email(tenant, id, "news:1", MessageTemplate.MARKETING, news)).orElseThrow();
        assertThat(skipped.status().value()).isEqualTo("skipped");
        assertThat(skipped.reason()).isEqualTo("opted_out");

        var agreed = api.patch("/customers/" + id, "{\"communicationPreferences\": {\"marketingEmail\": true}}", profile.header("ETag"));
        assertThat(agreed.status()).as(agreed.toString()).isEqualTo(200);
        assertThat(agreed.json().path("communicationPreferences").path("marketingEmail").asBoolean()).isTrue();
        assertThat(agreed.json().path("communicationPreferences").path("marketingSms").asBoolean()).isFalse();
        messages.send(MessageRequest.email(tenant, id, "news:2", MessageTemplate.MARKETING, news));
        // the invoice (transactional) with a file from the exports bucket
        try (var s3 = s3(cloud)) {
            s3.putObject(r -> r.bucket(cloud.resources().get("ExportsBucket")).key("attachments/" + tenant + "/note.txt"),
                    RequestBody.fromString("a small attachment", StandardCharsets.UTF_8));
        }
        messages.send(MessageRequest.email(tenant, id, "invoice:INV-1", MessageTemplate.INVOICE,
                Map.of("invoiceNumber", "INV-2026-000001", "amount", "120.00 EUR", "dueDate", "2026-12-15"))
                .withAttachments(List.of(new Attachment("attachments/" + tenant + "/note.txt", "note.txt"))));

        var mail = mailTo(cloud, email, 2);
        assertThat(mail).extracting(LocalMail::subject).containsExactlyInAnyOrder("Winter offers", "Invoice INV-2026-000001");
        var invoice = mail.stream().filter(m -> m.subject().startsWith("Invoice")).findFirst().orElseThrow();
        assertThat(invoice.attachments()).hasSize(1);
        assertThat(invoice.attachments().get(0).name()).isEqualTo("note.txt");
        assertThat(new String(invoice.attachments().get(0).bytes(), StandardCharsets.UTF_8)).isEqualTo("a small attachment");
        var list = Eventually.get(() -> communications(api, id), l -> l.size() == 3
                && "sent".equals(l.get(0).path("status").asText()) && "sent".equals(l.get(1).path("status").asText()));
        assertThat(list).extracting(c -> c.path("status").asText()).containsExactly("sent", "sent", "skipped");
        assertThat(list.get(2).path("reason").asText()).isEqualTo("opted_out");
        assertThat(list.get(2).path("to").isNull()).isTrue();
        assertThat(mailTo(cloud, email)).as("the skipped message was not sent").hasSize(2);
        // asked again, a message id is recorded once
        messages.send(MessageRequest.email(tenant, id, "news:2", MessageTemplate.MARKETING, news));
        assertThat(communications(api, id)).hasSize(3);
    }

    @Test
    void aMergeMovesTheCommunicationsTheExportShowsThemAndTheErasureScrubsThem() {
        String duplicateEmail = "dup-" + tenant + "@example.com";
        String duplicate = customer(api, duplicateEmail);
        charge(api, duplicate, PaymentsApiContract.VISA, 900, 201);
        mailTo(cloud, duplicateEmail, 1);
        Eventually.get(() -> communications(api, duplicate), l -> l.size() == 1 && "sent".equals(l.get(0).path("status").asText()));
        var second = api.post("/customers", """
                {"firstName": "Alicia", "lastName": "Smith", "email": "primary-%s@example.com", "phone": "+14155550124"}""".formatted(tenant));
        String primary = second.json().path("id").asText();

        var merged = api.post("/customers/" + primary + "/merge", "{\"duplicateId\": \"" + duplicate + "\"}");
        assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
        assertThat(merged.json().path("moves").path("communications").asInt()).isEqualTo(1);
        var moved = communications(api, primary);
        assertThat(moved).singleElement().satisfies(c -> {
            assertThat(c.path("customerId").asText()).isEqualTo(primary);
            assertThat(c.path("template").asText()).isEqualTo("payment_receipt");
        });

        var export = api.get("/customers/" + primary + "/data-export");
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        assertThat(export.json().path("communications")).singleElement()
                .satisfies(c -> assertThat(c.path("to").asText()).isEqualTo(duplicateEmail));

        assertThat(api.post("/customers/" + primary + "/erase", null).status()).isEqualTo(200);
        var erased = communications(api, primary).get(0);
        assertThat(erased.path("to").isNull()).isTrue();
        assertThat(erased.path("subject").asText()).isEqualTo("[erased]");
        assertThat(erased.path("status").asText()).isEqualTo("sent");
        assertThat(api.get("/customers/" + primary + "/data-export").text()).doesNotContain(duplicateEmail);
    }

    @Test
    void anotherTenantsCustomerAndAMissingScopeAreRefused() {
        String id = customer(api, "scope-" + tenant + "@example.com");
        var other = new Api(cloud.apiUrl(), cloud.token("o" + tenant, "mallory"));
        assertThat(other.get("/customers/" + id + "/communications").status()).isEqualTo(404);
        var noScope = new Api(cloud.apiUrl(), cloud.token(tenant, "bob", List.of("payments:read")));
        assertThat(noScope.get("/customers/" + id + "/communications").status()).isEqualTo(403);
    }

    @Test
    void aProviderThatKeepsFailingIsRetriedThenTheMessageIsShownFailed() throws Exception {
        String original = Files.readString(TestCloud.template());
        String sender = "          EMAIL_SENDER: ses\n";
        String retry = "MESSAGES_RETRY_SECONDS: \"60\"";
        assertThat(original).contains(sender).contains(retry);
        Path template = Files.createTempFile("template-failing-mail", ".yaml");
        template.toFile().deleteOnExit();
        // an SMTP server that is not there: every send fails; retries after 1 s, 2 s, 3 s, 4 s
        Files.writeString(template, original.replace(sender, sender + "          SMTP_HOST: 127.0.0.1\n          SMTP_PORT: \"1\"\n")
                .replace(retry, "MESSAGES_RETRY_SECONDS: \"1\""));
        try (var failing = LocalCloud.start(LocalCloud.Options.inMemory(template))) {
            var on = new Api(failing.apiUrl(), failing.token(tenant, "alice"));
            String email = "down-" + tenant + "@example.com";
            String id = customer(on, email);
            charge(on, id, PaymentsApiContract.VISA, 700, 201);
            var list = Eventually.get(() -> communications(on, id), l -> l.size() == 1
                    && "failed".equals(l.get(0).path("status").asText()), Duration.ofSeconds(90));
            assertThat(list.get(0).path("status").asText()).isEqualTo("failed");
            assertThat(list.get(0).path("reason").asText()).isEqualTo("provider_error");
            assertThat(list.get(0).path("attempts").asInt()).as("one send per receive the queue allows").isEqualTo(5);
            assertThat(list.get(0).path("failedAt").isTextual()).isTrue();
            assertThat(mailTo(failing, email)).isEmpty();
        }
    }

    private static S3Client s3(LocalCloud cloud) {
        return S3Client.builder().endpointOverride(cloud.s3Endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }
}
