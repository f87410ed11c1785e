package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.clientele.payments.SandboxGateway;
import com.clientele.shared.Keys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The erasure reaches every place a customer's personal data is kept, whatever the customer's state:
 * a live customer, a deleted one, a merged duplicate and the primary it was merged into. Each has
 * every kind of personal data (profile, address, metadata, a saved card's holder name and billing
 * address, a charge's description, a refund's reason, a points adjustment's reason, notes, an OTP
 * sent to it, the stored responses of idempotent requests, an export file holding it); after the
 * erasure no item of the table, no export object of the tenant and no line the functions logged
 * holds any of it, and the saved card can no longer be charged. An erasure does not fail on another
 * customer using the anonymous email; deleted and merged customers can be exported.
 */
class ErasureReachTest {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    /** A customer and the personal texts it was given (each one its own, found nowhere else). */
    private record Person(String id, String tag, List<String> personal, String chargeBody, String chargeKey) {
    }

    private Person person(String tag, String phone) {
        String first = "Zelda" + tag;
        String last = "Quixote" + tag;
        String email = "zelda." + tag.toLowerCase() + "." + tenant + "@example.com";
        var created = api.post("/customers", """
                {"firstName": "%s", "lastName": "%s", "email": "%s", "phone": "%s",
                 "addresses": [{"kind": "billing", "line1": "77 Hidden Lane %s", "city": "Hiddenville%s", "country": "GB", "isDefault": true}],
                 "metadata": {"hobby": "falconry%s"}}""".formatted(first, last, email, phone, tag, tag, tag));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asText();
        var card = api.post("/customers/" + id + "/payment-methods", """
                {"card": {"number": "4242424242424242", "expMonth": 12, "expYear": 2034, "cvc": "123", "holderName": "Holder%s Quill"},
                 "billingAddress": {"line1": "88 Billing Way %s", "city": "Springfield", "postalCode": "12345", "country": "US"}}"""
                .formatted(tag, tag));
        assertThat(card.status()).as(card.toString()).isEqualTo(201);
        String chargeBody = "{\"amount\": {\"amount\": 5000, \"currency\": \"USD\"}, \"description\": \"Gift for aunt" + tag + "\"}";
        String chargeKey = UUID.randomUUID().toString();
        var charge = api.send("POST", "/customers/" + id + "/charges", chargeBody, "Idempotency-Key", chargeKey);
        assertThat(charge.status()).as(charge.toString()).isEqualTo(201);
        var refund = api.send("POST", "/payments/" + charge.json().path("id").asText() + "/refunds",
                "{\"amount\": {\"amount\": 1000, \"currency\": \"USD\"}, \"reason\": \"Returned by nephew" + tag + "\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(refund.status()).as(refund.toString()).isEqualTo(201);
        Eventually.get(() -> api.get("/customers/" + id + "/points").json(), p -> p.path("available").asLong() == 40);
        var adjust = api.send("POST", "/customers/" + id + "/points/adjustments",
                "{\"points\": 10, \"reason\": \"Goodwill for sprained" + tag + "\"}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(adjust.status()).as(adjust.toString()).isEqualTo(201);
        var note = api.post("/customers/" + id + "/notes",
                "{\"type\": \"phone\", \"summary\": \"Likes calls about llamas" + tag + "\", \"followUp\": \"Ring on tuesday" + tag + "\"}");
        assertThat(note.status()).as(note.toString()).isEqualTo(201);
        assertThat(api.send("POST", "/customers/" + id + "/points/otp", null).status()).isEqualTo(201);
        String digits = phone.substring(1);
        return new Person(id, tag, List.of(first, last, email, digits, "***" + digits.substring(digits.length() - 4),
                "Hidden Lane " + tag, "Hiddenville" + tag, "falconry" + tag, "Holder" + tag, "Billing Way " + tag,
                "aunt" + tag, "nephew" + tag, "sprained" + tag, "llamas" + tag, "tuesday" + tag), chargeBody, chargeKey);
    }

    @Test
    void noPersonalDataIsLeftAnywhereWhateverTheCustomersState() throws Exception {
        var captured = new CapturedOutput();
        var erased = new ArrayList<Person>();
        try {
            var live = person("Live", "+14155550201");
            var deleted = person("Gone", "+14155550202");
            var duplicate = person("Twin", "+14155550203");
            var primary = person("Main", "+14155550204");
            // someone else took the live customer's anonymous email
            var squatter = api.post("/customers", """
                    {"firstName": "Sam", "lastName": "Squat", "email": "erased+%s@erased.invalid", "phone": "+14155550299"}"""
                    .formatted(live.id().toLowerCase()));
            assertThat(squatter.status()).as(squatter.toString()).isEqualTo(201);

            assertThat(api.send("DELETE", "/customers/" + deleted.id(), null).status()).isEqualTo(204);
            var merged = api.post("/customers/" + primary.id() + "/merge", "{\"duplicateId\": \"" + duplicate.id() + "\"}");
            assertThat(merged.status()).as(merged.toString()).isEqualTo(200);

            // the data exports of a deleted and a merged customer
            var deletedExport = api.get("/customers/" + deleted.id() + "/data-export");
            assertThat(deletedExport.status()).as(deletedExport.toString()).isEqualTo(200);
            assertThat(deletedExport.json().path("customer").path("firstName").asText()).isEqualTo("ZeldaGone");
            assertThat(deletedExport.json().path("customer").path("status").asText()).isEqualTo("deleted");
            assertThat(deletedExport.json().path("payments").get(0).path("description").asText()).isEqualTo("Gift for auntGone");
            var duplicateExport = api.get("/customers/" + duplicate.id() + "/data-export");
            assertThat(duplicateExport.status()).as(duplicateExport.toString()).isEqualTo(200);
            assertThat(duplicateExport.json().path("customer").path("mergedInto").asText()).isEqualTo(primary.id());
            assertThat(duplicateExport.json().path("customer").path("email").asText()).startsWith("zelda.twin.");
            assertThat(duplicateExport.json().path("pointsOtps")).hasSize(1);

            // an export file holding them all, made before the erasures
            var export = api.post("/exports/customers", "{\"columns\": [\"id\", \"firstName\", \"lastName\", \"email\", \"phone\"]}");
            assertThat(export.status()).as(export.toString()).isEqualTo(202);
            String exportId = export.json().path("id").asText();
            var done = Eventually.get(() -> api.get("/exports/" + exportId).json(),
                    e -> e.path("status").asText().equals("succeeded") || e.path("status").asText().equals("failed"), JOB_TIMEOUT);
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(objects()).contains("ZeldaLive", "ZeldaMain");

            // the stored responses of idempotent requests quote them
            assertThat(tenantItems()).contains("idempotencyKey", "auntLive", "nephewMain", "sprainedTwin");
            String card = api.get("/customers/" + live.id()).json().path("defaultPaymentMethodId").asText();
            String token = partition(live.id()).replaceAll("(?s).*cardToken=AttributeValue\\(S=([^)]+)\\).*", "$1");
            assertThat(token).startsWith("tok_sandbox_");
            for (var person : List.of(live, deleted, duplicate, primary)) {
                var reply = api.post("/customers/" + person.id() + "/erase", null);
                assertThat(reply.status()).as(person.tag() + ": " + reply).isEqualTo(200);
                erased.add(person);
                assertThat(partition(person.id())).as("the partition of " + person.tag()).doesNotContain(person.personal());
            }

            var charge = api.send("POST", "/customers/" + live.id() + "/charges",
                    "{\"amount\": {\"amount\": 100, \"currency\": \"USD\"}, \"paymentMethodId\": \"" + card + "\"}",
                    "Idempotency-Key", UUID.randomUUID().toString());
            assertThat(charge.status()).as(charge.toString()).isEqualTo(409);
            assertThat(charge.json().path("code").asText()).isEqualTo("payment_method_removed");
            // a retry of a charge made before the erasure is still a replay (never a second charge), of nothing personal
            var replay = api.send("POST", "/customers/" + live.id() + "/charges", live.chargeBody(), "Idempotency-Key", live.chargeKey());
            assertThat(replay.status()).as(replay.toString()).isEqualTo(201);
            assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(replay.json().path("id").asText()).startsWith("pay_");
            assertThat(replay.text()).doesNotContain("aunt");
            assertThat(api.get("/exports/" + exportId).json().path("status").asText()).isEqualTo("purged");
            assertThat(api.get("/customers/" + squatter.json().path("id").asText()).json().path("email").asText())
                    .isEqualTo("erased+" + live.id().toLowerCase() + "@erased.invalid");
            assertThat(SandboxGateway.processor().tokenDeleted(token)).as("the card removed at the gateway").isTrue();
        } finally {
            captured.close();
        }
        String table = tenantItems();
        assertThat(table).contains("payment.succeeded", "Charged 50.00 USD");
        String objects = objects();
        String logs = captured.text();
        for (var person : erased) {
            for (String personal : person.personal()) {
                assertThat(table).as("the table, for " + person.tag()).doesNotContain(personal);
                assertThat(objects).as("the export objects, for " + person.tag()).doesNotContain(personal);
                assertThat(logs).as("the logs, for " + person.tag()).doesNotContain(personal);
            }
        }
    }

    /** Every item of the customer's partition, one a line. */
    private String partition(String customerId) {
        var dump = new StringBuilder();
        try (var dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            dynamo.queryPaginator(r -> r.tableName(cloud.resources().get("Table")).consistentRead(true)
                    .keyConditionExpression("PK = :pk").expressionAttributeValues(Map.of(":pk",
                            AttributeValue.fromS(Keys.customer(tenant, customerId))))).items()
                    .forEach(item -> dump.append(item).append('\n'));
        }
        return dump.toString();
    }

    /** Every item of the table that is the tenant's (its key or an index key names it), one a line. */
    private String tenantItems() {
        var dump = new StringBuilder();
        try (var dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            dynamo.scanPaginator(r -> r.tableName(cloud.resources().get("Table"))).items().forEach(item -> {
                String line = item.toString();
                if (line.contains(tenant)) {
                    dump.append(line).append('\n');
                }
            });
        }
        return dump.toString();
    }

    /** The contents of every export object of the tenant. */
    private String objects() {
        var text = new StringBuilder();
        try (var s3 = S3Client.builder().endpointOverride(cloud.s3Endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
            String bucket = cloud.resources().get("ExportsBucket");
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix("exports/" + tenant + "/")).contents().forEach(object ->
                    text.append(s3.getObjectAsBytes(r -> r.bucket(bucket).key(object.key())).asUtf8String()).append('\n'));
        }
        return text.toString();
    }
}
