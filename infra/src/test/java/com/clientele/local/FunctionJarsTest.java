package com.clientele.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.bench.ColdStartBenchmark;
import com.clientele.bench.ColdStartProbe;
import com.clientele.catalogue.CatalogueHandler;
import com.clientele.customers.CustomersHandler;
import com.clientele.e2e.TestCloud;
import com.clientele.exports.ExportsApiHandler;
import com.clientele.orders.OrdersHandler;
import com.clientele.ltv.LtvRecomputeApiHandler;
import com.clientele.payments.PaymentsHandler;
import com.clientele.shared.Json;
import com.clientele.subscriptions.SubscriptionsHandler;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every function deploys its own jar (its CodeUri), which holds only the classes its handler reaches:
 * each jar is within the size limits, and each one, alone on the class path of a fresh JVM (with the
 * probe's classes), builds its handler as Lambda does and serves the function's sample events
 * against this test's own local cloud — so a class that the build's minimisation left out, or a
 * class loaded by name (Jackson, the SDK's interceptors and service metadata), fails here and not in
 * AWS. The cloud runs with its SQS event sources off: the child JVMs are the only consumers.
 */
class FunctionJarsTest {

    /**
     * The product's limits on a deployed function, in bytes (MB = 10^6 bytes). SDK 2.57 (the first our mirror
     * serves with SES v2) has larger service models than 2.40: about 0.4 to 0.7 MB more in every jar, which
     * took the export functions past 15 MB. The message sender alone holds SES, SNS, S3 and Jakarta Mail; it
     * serves a queue, never a request.
     */
    static final long MAX_BYTES = 16_000_000;
    static final long MAX_CUSTOMERS_BYTES = 12_000_000;
    static final long MAX_SENDER_BYTES = 21_000_000;
    /** The invoices API presigns links to the issued PDFs: S3's classes (about 3.8 MB) on top of invoices, orders and payments. */
    static final long MAX_INVOICES_BYTES = 17_000_000;
    /** The invoice PDF function: PDFBox and FontBox (about 3.2 MB with their fonts and CMaps), S3 and the messages port. */
    static final long MAX_PDF_BYTES = 20_000_000;
    private static final List<String> JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    private static final ObjectMapper EVENTS = Json.MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final String SAMPLE_CUSTOMER = "cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF";

    private static LocalCloud cloud;
    private static Path work;
    private static String tenant;
    private static final Map<String, String> ids = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("function-jars");
        cloud = LocalCloud.start(LocalCloud.Options.inMemory(withoutEventSources()));
        tenant = "jar" + UUID.randomUUID().toString().substring(0, 8);
        seed();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
        ColdStartBenchmark.deleteTree(work);
    }

    @Test
    void everyFunctionHasAJarOfItsOwnWithinTheLimits() throws IOException {
        var jars = new LinkedHashMap<String, Path>();
        for (var function : Template.load(TestCloud.template()).functions()) {
            assertThat(function.codeUri()).as(function.logicalId()).isEqualTo("functions/target/lambda/" + function.logicalId() + ".jar");
            Path jar = jar(function.logicalId());
            assertThat(jar).as("build the functions module first (mvn package)").isRegularFile();
            assertThat(Files.size(jar)).as(jar.toString())
                    .isLessThanOrEqualTo(switch (function.logicalId()) {
                        case "MessagesFunction" -> MAX_SENDER_BYTES;
                        case "InvoicesFunction" -> MAX_INVOICES_BYTES;
                        case "InvoicePdfFunction" -> MAX_PDF_BYTES;
                        default -> MAX_BYTES;
                    });
            jars.put(function.logicalId(), jar);
        }
        assertThat(Files.size(jars.get("CustomersFunction"))).isLessThanOrEqualTo(MAX_CUSTOMERS_BYTES);
        // what each function does not use is not in its jar
        assertThat(classes(jars.get("CustomersFunction"))).noneMatch(c -> c.startsWith("software/amazon/awssdk/services/s3/")
                || c.startsWith("software/amazon/awssdk/services/sqs/") || c.startsWith("com/clientele/exports/"));
        assertThat(classes(jars.get("LtvAggregatorFunction"))).noneMatch(c -> c.startsWith("software/amazon/awssdk/services/s3/")
                || c.startsWith("com/google/i18n/phonenumbers/"));
        assertThat(classes(jars.get("ExportWorkerFunction"))).anyMatch(c -> c.startsWith("software/amazon/awssdk/services/s3/"));
        // only the sender sends: the SES and SNS clients and the mail classes are in its jar alone (SDK 2.57's
        // artifacts leave a package-info class in every jar, which is no code)
        var senderClasses = List.of("software/amazon/awssdk/services/sesv2/SesV2Client.class",
                "software/amazon/awssdk/services/sns/SnsClient.class", "jakarta/mail/Session.class");
        for (var jar : jars.entrySet()) {
            boolean sender = jar.getKey().equals("MessagesFunction");
            assertThat(classes(jar.getValue()).stream().anyMatch(senderClasses::contains)).as(jar.getKey()).isEqualTo(sender);
        }
        // only the invoice PDF function renders: PDFBox (its classes, fonts and other resources) is in its jar alone
        for (var jar : jars.entrySet()) {
            boolean renders = jar.getKey().equals("InvoicePdfFunction");
            assertThat(entries(jar.getValue()).stream().anyMatch(e -> e.startsWith("org/apache/pdfbox/") || e.startsWith("org/apache/fontbox/")))
                    .as(jar.getKey()).isEqualTo(renders);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFunctionBootsFromItsOwnJarAndServesItsSampleEvents() throws IOException {
        var functions = Template.load(TestCloud.template()).functions().stream().map(Template.FunctionSpec::logicalId).toList();
        assertThat(scenarios().keySet()).as("a scenario for every function of the template").containsExactlyInAnyOrderElementsOf(functions);
        return scenarios().entrySet().stream().map(scenario -> DynamicTest.dynamicTest(scenario.getKey(), () -> {
            var steps = scenario.getValue();
            var responses = serve(scenario.getKey(), steps.stream().map(Step::event).toList());
            assertThat(responses).as(scenario.getKey()).hasSameSizeAs(steps);
            for (int i = 0; i < steps.size(); i++) {
                steps.get(i).expect().accept(responses.get(i));
            }
        }));
    }

    /** Each function's sample events, in order, each with what its response must show. */
    private static Map<String, List<Step>> scenarios() {
        var scenarios = new LinkedHashMap<String, List<Step>>();
        // the update first: a referral changes the referrer's version, which the update's If-Match names
        scenarios.put("CustomersFunction", List.of(api("customers/get.json", 200), api("customers/update.json", 200),
                api("customers/create.json", 201), api("customers/create-referred.json", 201), api("customers/list.json", 200),
                api("customers/search.json", 200), api("customers/analytics.json", 200)));
        scenarios.put("PaymentsFunction", List.of(api("payments/list-cards.json", 200), api("payments/get-payment.json", 200),
                api("payments/guest-payment.json", 201)));
        scenarios.put("OutboxRelayFunction", List.of(new Step("outbox-relay/scheduled.json", r -> assertThat(r.has("sent")).as(r.toString()).isTrue())));
        scenarios.put("LtvAggregatorFunction", List.of(sqs("ltv-aggregator/payment-events.json")));
        scenarios.put("LoyaltyFunction", List.of(api("loyalty/get-settings.json", 200), api("loyalty/points.json", 200),
                api("loyalty/statement.json", 200), api("loyalty/adjust.json", 201)));
        scenarios.put("PointsAccrualFunction", List.of(sqs("loyalty/accrual-charge.json")));
        scenarios.put("PointsExpiryFunction", List.of(schedule("loyalty/expiry-scheduled.json")));
        scenarios.put("TierReviewFunction", List.of(schedule("tiers/review-scheduled.json")));
        scenarios.put("PointsExpiryWorkerFunction", List.of(sqs("loyalty/expiry-continue.json")));
        scenarios.put("LtvRecomputeApiFunction", List.of(api("ltv-recompute/start-one.json", 202), api("ltv-recompute/get.json", 200)));
        scenarios.put("LtvRecomputeWorkerFunction", List.of(sqs("ltv-recompute/worker-step.json")));
        scenarios.put("LtvRecomputeScheduleFunction", List.of(schedule("ltv-recompute/scheduled.json")));
        // the worker's step writes the file to S3 (no other worker runs here), then the API shows it done
        scenarios.put("ExportWorkerFunction", List.of(sqs("exports/worker-step.json")));
        // a step of a run this tenant does not have: nothing to do, nothing failed
        scenarios.put("CouponRunWorkerFunction", List.of(sqs("campaigns/coupon-run-step.json")));
        scenarios.put("ExportsApiFunction", List.of(new Step("exports/get.json", r -> assertThat(r.path("body").asText())
                .as(r.toString()).contains("\"status\":\"succeeded\"")), api("exports/list.json", 200)));
        // before the catalogue's: its last sample archives the price the orders' samples sell
        scenarios.put("OrdersFunction", List.of(api("orders/place-order.json", 201), api("orders/get-order.json", 200),
                api("orders/list-customer-orders.json", 200), api("orders/list-orders.json", 200), api("orders/fulfil-order.json", 200)));
        scenarios.put("InvoicesFunction", List.of(api("invoices/create-invoice.json", 201), api("invoices/list-customer-invoices.json", 200),
                api("invoices/list-invoices.json", 200)));
        scenarios.put("SubscriptionsFunction", List.of(api("subscriptions/start.json", 201), api("subscriptions/list.json", 200),
                api("subscriptions/get.json", 200), api("subscriptions/pause.json", 200), api("subscriptions/resume.json", 200),
                api("subscriptions/change.json", 200), api("subscriptions/extend.json", 200), api("subscriptions/cancel.json", 200),
                api("subscriptions/buyout.json", 200)));
        scenarios.put("CatalogueFunction", List.of(api("catalogue/create-product.json", 201), api("catalogue/list-products.json", 200),
                api("catalogue/get-product.json", 200), api("catalogue/create-variant.json", 201), api("catalogue/create-price.json", 201),
                api("catalogue/list-prices.json", 200), api("catalogue/get-price.json", 200), api("catalogue/archive-price.json", 200)));
        scenarios.put("BillingFunction", List.of(api("billing/get-settings.json", 200), api("billing/put-settings.json", 200),
                api("billing/run-renewals.json", 200)));
        scenarios.put("RenewalsFunction", List.of(schedule("billing/renewals-scheduled.json")));
        scenarios.put("RenewalsWorkerFunction", List.of(sqs("billing/renewals-continue.json")));
        scenarios.put("InvoicesOverdueFunction", List.of(schedule("invoices/overdue-scheduled.json")));
        // the erasure purges the tenant's export files from S3: last, since it erases the customer
        // the receipt of the seeded charge was recorded by the seed: the event again is a duplicate; the sender sends it
        // an endpoint of this tenant, then a charge's event: stored and given its delivery, whose wake-up waits on the
        // delivery queue (nothing polls it here); the sweep finds nothing due yet
        scenarios.put("WebhooksFunction", List.of(api("webhooks/create-endpoint.json", 201), api("webhooks/list-endpoints.json", 200),
                api("webhooks/list-events.json", 200)));
        scenarios.put("WebhookFunction", List.of(sqs("webhooks/payment-events.json")));
        scenarios.put("WebhookRetryFunction", List.of(new Step("webhooks/retries-scheduled.json",
                r -> assertThat(r.path("woken").asInt(-1)).as(r.toString()).isZero())));
        scenarios.put("PaymentMessagesFunction", List.of(sqs("messages/payment-events.json")));
        scenarios.put("MessagesFunction", List.of(sqs("messages/send.json")));
        // the seeded invoice, finalised: its PDF rendered from the function's own jar and stored in the bucket
        scenarios.put("InvoicePdfFunction", List.of(new Step("invoices/issue-pdf.json", r -> {
            assertThat(r.path("batchItemFailures")).as(r.toString()).isEmpty();
            assertThat(storedPdf()).as("the stored PDF").startsWith("%PDF-");
        })));
        // a bounce of a message SES never sent for this tenant: changes nothing, fails nothing
        scenarios.put("EmailFeedbackFunction", List.of(sqs("messages/email-feedback.json")));
        // a notice about a payment this tenant does not have: refused (logged, counted), fails nothing
        scenarios.put("DisputeNotificationsFunction", List.of(sqs("disputes/notification.json")));
        scenarios.put("RelationshipFunction", List.of(api("relationship/create-note.json", 201), api("relationship/list-notes.json", 200),
                api("relationship/activities.json", 200), api("relationship/communications.json", 200), api("relationship/data-export.json", 200), api("relationship/erase.json", 200)));
        return scenarios;
    }

    private record Step(String event, Consumer<JsonNode> expect) {
    }

    private static Step api(String event, int status) {
        return new Step(event, r -> assertThat(r.path("statusCode").asInt()).as(event + ": " + r.path("body").asText()).isEqualTo(status));
    }

    private static Step sqs(String event) {
        return new Step(event, r -> assertThat(r.path("batchItemFailures")).as(event + ": " + r).isEmpty());
    }

    private static Step schedule(String event) {
        return new Step(event, r -> assertThat(r.isObject()).as(event + ": " + r).isTrue());
    }

    /** What the sample events refer to, made in-process in this test's tenant: a customer, a card, a charge, jobs. */
    private static void seed() throws IOException {
        var customers = new CustomersHandler(cloud.environment("CustomersFunction"));
        // the referrer: the sample's email with another local part (the customers function creates the sample's own)
        var created = customers.handleRequest(apiEvent("customers/create.json", Map.of("grace@hopper.example", "referrer@hopper.example")), null);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        var customer = Json.MAPPER.readTree(created.getBody());
        ids.put(SAMPLE_CUSTOMER, customer.path("id").asText());
        ids.put("7K3M-9QXR", customer.path("referralCode").asText());

        var payments = new PaymentsHandler(cloud.environment("PaymentsFunction"));
        var card = payments.handleRequest(apiEvent("payments/save-card.json", ids), null);
        assertThat(card.getStatusCode()).as(card.getBody()).isEqualTo(201);
        ids.put("pm_01KAZ61Q8W2E4R6T8Y0U2I4O6P", Json.MAPPER.readTree(card.getBody()).path("id").asText());
        var charge = payments.handleRequest(apiEvent("payments/charge.json", ids), null);
        assertThat(charge.getStatusCode()).as(charge.getBody()).isEqualTo(201);
        ids.put("pay_01KAZ63N5B7V9C1X3Z5A7S9D1F", Json.MAPPER.readTree(charge.getBody()).path("id").asText());

        // the charge's receipt, recorded and queued (nothing polls the queue here): the sender's sample sends it
        var receipts = new com.clientele.messages.PaymentMessagesHandler(cloud.environment("PaymentMessagesFunction"));
        var message = new SQSEvent.SQSMessage();
        message.setMessageId("seed-receipt");
        message.setBody(Json.MAPPER.readTree(sample("messages/payment-events.json", ids)).path("Records").get(0).path("body").asText());
        var batch = new SQSEvent();
        batch.setRecords(List.of(message));
        var recorded = receipts.handleRequest(batch, null);
        assertThat(recorded.getBatchItemFailures()).isEmpty();
        var communications = com.clientele.messages.MessagesWiring.communications(
                com.clientele.shared.Components.from(cloud.environment("RelationshipFunction")))
                .list(tenant, ids.get(SAMPLE_CUSTOMER), Map.of());
        assertThat(communications.data()).hasSize(1);
        ids.put("msg_01KB4E6G8J0L2N4Q6S8U0W2Y4A", communications.data().get(0).id());

        var recompute = new LtvRecomputeApiHandler(cloud.environment("LtvRecomputeApiFunction"));
        var job = recompute.handleRequest(apiEvent("ltv-recompute/start-all.json", ids), null);
        assertThat(job.getStatusCode()).as(job.getBody()).isEqualTo(202);
        ids.put("job_01KAZ6R2M4N6B8V0C2X4Z6A8S0", Json.MAPPER.readTree(job.getBody()).path("id").asText());

        // the update's If-Match: the customer's version now (the card and the charge changed it)
        var read = customers.handleRequest(apiEvent("customers/get.json", ids), null);
        ids.put("\"if-match\": \"\\\"1\\\"\"", "\"if-match\": " + Json.MAPPER.writeValueAsString(read.getHeaders().get("ETag")));

        // a product and its price, made under keys of their own (the function's samples then make theirs)
        var catalogue = new CatalogueHandler(cloud.environment("CatalogueFunction"));
        var product = catalogue.handleRequest(apiEvent("catalogue/create-product.json", Map.of("7a1b2c3d-", "seed-7a1b2c3d-")), null);
        assertThat(product.getStatusCode()).as(product.getBody()).isEqualTo(201);
        ids.put("prod_01KB2C4D6F8G0H2J4K6M8N0P2Q", Json.MAPPER.readTree(product.getBody()).path("id").asText());
        var priceIds = new HashMap<>(ids);
        priceIds.put("9c3d4e5f-", "seed-9c3d4e5f-");
        var price = catalogue.handleRequest(apiEvent("catalogue/create-price.json", priceIds), null);
        assertThat(price.getStatusCode()).as(price.getBody()).isEqualTo(201);
        ids.put("price_01KB2C6F8H0K2M4N6P8R0S2T4V", Json.MAPPER.readTree(price.getBody()).path("id").asText());

        // an order of that price (all recurring: paid as placed), under a key of its own
        var order = new OrdersHandler(cloud.environment("OrdersFunction")).handleRequest(apiEvent("orders/place-order.json",
                withKey(ids, "0d1e2f3a-")), null);
        assertThat(order.getStatusCode()).as(order.getBody()).isEqualTo(201);
        ids.put("ord_01KB3D5F7H9K1M3P5R7T9V1X3Z", Json.MAPPER.readTree(order.getBody()).path("id").asText());

        // a subscription at that price, under a key of its own (the function's sample starts another)
        var subscriptions = new SubscriptionsHandler(cloud.environment("SubscriptionsFunction"));
        var subscription = subscriptions.handleRequest(apiEvent("subscriptions/start.json", withKey(ids, "5e6f7a8b-")), null);
        assertThat(subscription.getStatusCode()).as(subscription.getBody()).isEqualTo(201);
        ids.put("sub_01KB2C8H0K2M4N6P8R0S2T4V6W", Json.MAPPER.readTree(subscription.getBody()).path("id").asText());

        // a finalised invoice, under a key of its own (the function's sample makes another): the PDF function's sample issues it
        var invoices = new com.clientele.invoices.InvoicesHandler(cloud.environment("InvoicesFunction"));
        var invoice = invoices.handleRequest(apiEvent("invoices/create-invoice.json", withKey(ids, "3c4d5e6f-")), null);
        assertThat(invoice.getStatusCode()).as(invoice.getBody()).isEqualTo(201);
        ids.put("in_01KB4E6G8J0L2N4Q6S8U0W2Y4A", Json.MAPPER.readTree(invoice.getBody()).path("id").asText());
        var finalised = invoices.handleRequest(apiEvent("invoices/finalize-invoice.json", ids), null);
        assertThat(finalised.getStatusCode()).as(finalised.getBody()).isEqualTo(200);
        // the subscription moved the customer's figures, the invoice its balance, each a version later: the update's
        // If-Match names the version now
        var reread = customers.handleRequest(apiEvent("customers/get.json", ids), null);
        ids.put("\"if-match\": \"\\\"1\\\"\"", "\"if-match\": " + Json.MAPPER.writeValueAsString(reread.getHeaders().get("ETag")));

        var exports = new ExportsApiHandler(cloud.environment("ExportsApiFunction"));
        var export = exports.handleRequest(apiEvent("exports/start.json", ids), null);
        assertThat(export.getStatusCode()).as(export.getBody()).isEqualTo(202);
        ids.put("exp_01KAZ7C3D5F7H9K1M3P5R7T9V1", Json.MAPPER.readTree(export.getBody()).path("id").asText());
    }

    /** The first bytes of the seeded invoice's stored PDF, as text. */
    private static String storedPdf() {
        try (var s3 = software.amazon.awssdk.services.s3.S3Client.builder().endpointOverride(cloud.s3Endpoint()).forcePathStyle(true)
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).credentialsProvider(
                        software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test"))).build()) {
            byte[] pdf = s3.getObjectAsBytes(r -> r.bucket(cloud.resources().get("ExportsBucket"))
                    .key(com.clientele.invoices.InvoiceFiles.key(tenant, ids.get("in_01KB4E6G8J0L2N4Q6S8U0W2Y4A")))).asByteArray();
            return new String(pdf, 0, 5, StandardCharsets.US_ASCII);
        }
    }

    /** The seeded ids, and the sample's Idempotency-Key starting {@code key} made the seed's own. */
    private static Map<String, String> withKey(Map<String, String> ids, String key) {
        var replaced = new HashMap<>(ids);
        replaced.put(key, "seed-" + key);
        return replaced;
    }

    /** A sample event's text for this test's tenant, with the sample's ids replaced by the seeded ones. */
    private static String sample(String name, Map<String, String> replacements) throws IOException {
        String text = Files.readString(TestCloud.events().resolve(name))
                .replace("\"tenant_id\": \"acme\"", "\"tenant_id\": \"" + tenant + "\"")
                .replace("\\\"tenantId\\\": \\\"acme\\\"", "\\\"tenantId\\\": \\\"" + tenant + "\\\"");
        for (var id : replacements.entrySet()) {
            text = text.replace(id.getKey(), id.getValue());
        }
        return text;
    }

    private static APIGatewayV2HTTPEvent apiEvent(String name, Map<String, String> replacements) throws IOException {
        return EVENTS.readValue(sample(name, replacements), APIGatewayV2HTTPEvent.class);
    }

    /** Runs the function's handler from its own jar in a fresh JVM on the events; its responses, in order. */
    private static List<JsonNode> serve(String functionId, List<String> events) throws Exception {
        Path folder = Files.createDirectories(work.resolve(functionId));
        var command = new ArrayList<String>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(JVM_FLAGS);
        command.addAll(List.of("-cp", ColdStartBenchmark.probeClasspath(jar(functionId), folder), ColdStartProbe.class.getName(),
                handlerClass(functionId), "--events"));
        for (String event : events) {
            Path file = folder.resolve(event.replace('/', '-'));
            Files.writeString(file, sample(event, ids));
            command.add(file.toString());
        }
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(cloud.environment(functionId));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(functionId + " from its own jar:\n" + output).isZero();
        var responses = new ArrayList<JsonNode>();
        for (String line : output.lines().filter(l -> l.startsWith("probe-response ")).toList()) {
            responses.add(Json.MAPPER.readTree(line.substring("probe-response ".length())));
        }
        return responses;
    }

    private static String handlerClass(String functionId) {
        return Template.load(TestCloud.template()).functions().stream().filter(f -> f.logicalId().equals(functionId))
                .findFirst().orElseThrow().handler().split("::")[0];
    }

    private static Path jar(String functionId) {
        String codeUri = Template.load(TestCloud.template()).functions().stream().filter(f -> f.logicalId().equals(functionId))
                .findFirst().orElseThrow().codeUri();
        return TestCloud.template().toAbsolutePath().getParent().resolve(codeUri).normalize();
    }

    private static List<String> classes(Path jar) throws IOException {
        return entries(jar).stream().filter(n -> n.endsWith(".class")).toList();
    }

    private static List<String> entries(Path jar) throws IOException {
        try (var zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(java.util.zip.ZipEntry::getName).toList();
        }
    }

    /** The template with every SQS event source disabled: the functions started from their jars consume instead. */
    private static Path withoutEventSources() throws IOException {
        String source = "          Type: SQS\n          Properties:\n";
        String text = Files.readString(TestCloud.template());
        assertThat(text).contains(source);
        Path copy = Files.createTempFile("template-no-event-sources", ".yaml");
        copy.toFile().deleteOnExit();
        Files.writeString(copy, text.replace(source, source + "            Enabled: false\n"));
        return copy;
    }
}
