package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.clientele.shared.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The points reconciliation end to end. Its cloud does not send payment events to the points
 * consumer (they go to the LTV aggregator and the test tap only): the test hands some of them over
 * itself, and the others are lost messages, which the reconciliation must find in the ledger.
 */
class PointsReconcileTest {

    private static LocalCloud cloud;
    private static Path template;

    private final String tenant = "p" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    @BeforeAll
    static void startCloudThatLosesPointsEvents() throws Exception {
        String tapped = Files.readString(TestCloud.tappedTemplate());
        String urls = "EVENT_QUEUE_URLS: !Sub \"${LtvEventsQueue},${PointsEventsQueue},${MessagesEventsQueue},${WebhookEventsQueue},${" + TestCloud.EVENTS_TAP + "}\"";
        assertThat(tapped).contains(urls);
        template = Files.createTempFile("template-lost-points", ".yaml");
        Files.writeString(template, tapped.replace(urls, urls.replace("${PointsEventsQueue},", "")));
        cloud = LocalCloud.start(LocalCloud.Options.inMemory(template));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
        Files.deleteIfExists(template);
    }

    private String customerWithCard(int n) {
        String id = LtvRecomputeTest.customerWithCard(api, n);
        return id;
    }

    private String charge(String customer, long amount) {
        var reply = api.send("POST", "/customers/" + customer + "/charges",
                "{\"amount\": {\"amount\": " + amount + ", \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private String refund(String payment, long amount) {
        var reply = api.send("POST", "/payments/" + payment + "/refunds",
                "{\"amount\": {\"amount\": " + amount + ", \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    /** Hands the events of these ledger entries (payment or refund ids) to the points consumer, as SQS would have. */
    private void deliver(List<JsonNode> events, String... entries) {
        var wanted = List.of(entries);
        try (var sqs = EventInbox.sqs(cloud)) {
            for (var event : events) {
                String entry = event.path("refundId").isTextual() ? event.path("refundId").asText() : event.path("paymentId").asText();
                if (wanted.contains(entry)) {
                    sqs.sendMessage(r -> r.queueUrl(cloud.queueUrl("PointsEventsQueue")).messageBody(event.toString()));
                }
            }
        }
    }

    private JsonNode points(String customer) {
        return api.get("/customers/" + customer + "/points").json();
    }

    private JsonNode run(String body) {
        var reply = api.post("/admin/points-reconcile", body);
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        String id = reply.json().path("id").asText();
        assertThat(reply.header("Location")).isEqualTo("/admin/points-reconcile/" + id);
        assertThat(reply.json().path("kind").asText()).isEqualTo("points");
        var job = finished(id);
        // not an LTV job: the other route does not show it
        assertThat(api.get("/admin/ltv-recompute/" + id).status()).isEqualTo(404);
        return job;
    }

    private JsonNode finished(String jobId) {
        return LtvRecomputeTest.until(() -> api.get("/admin/points-reconcile/" + jobId).json(),
                job -> job.path("status").asText().equals("succeeded") || job.path("status").asText().equals("failed"));
    }

    private static JsonNode driftOf(JsonNode job, String customer) {
        return StreamSupport.stream(job.path("drifts").spliterator(), false)
                .filter(d -> d.path("customerId").asText().equals(customer)).findFirst().orElse(null);
    }

    private static List<String> texts(JsonNode array) {
        var list = new ArrayList<String>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    @Test
    void lostLotsAndClawbacksAreFoundInTheLedgerAppliedOnceAndReported() {
        String ada = customerWithCard(1);
        String bob = customerWithCard(2);
        String cy = customerWithCard(3);
        String ada1 = charge(ada, 8_900);
        String ada2 = charge(ada, 5_000);
        String bob1 = charge(bob, 3_000);
        String bobRefund = refund(bob1, 1_000);
        String cy1 = charge(cy, 2_000);
        var events = EventInbox.await(cloud, TestCloud.EVENTS_TAP, tenant, e -> e.size() == 5);
        assertThat(events).hasSize(5);
        // bob's charge and cy's get to the points consumer; ada's two charges and bob's refund are lost
        deliver(events, bob1, cy1);
        Eventually.get(() -> points(bob).path("lifetime").asLong() + points(cy).path("lifetime").asLong(), sum -> sum == 50);
        assertThat(points(ada).path("lifetime").asLong()).isZero();
        assertThat(points(bob).path("available").asLong()).isEqualTo(30);

        // a usual run leaves what is a few seconds old to the consumer: nothing is drift yet
        var usual = run(null);
        assertThat(usual.path("status").asText()).isEqualTo("succeeded");
        assertThat(usual.path("customersChecked").asLong()).isEqualTo(3);
        assertThat(usual.path("drifted").asLong()).isZero();
        assertThat(points(ada).path("lifetime").asLong()).isZero();

        // the operator's repair of the last minutes: the lost entries are applied and reported
        var repair = run("{\"includeRecent\": true}");
        assertThat(repair.path("status").asText()).as(repair.toString()).isEqualTo("succeeded");
        assertThat(repair.path("includeRecent").asBoolean()).isTrue();
        assertThat(repair.path("customersChecked").asLong()).isEqualTo(3);
        assertThat(repair.path("drifted").asLong()).isEqualTo(2);
        var adaDrift = driftOf(repair, ada);
        assertThat(texts(adaDrift.path("missingLots"))).containsExactlyInAnyOrder(ada1, ada2);
        assertThat(texts(adaDrift.path("missingClawbacks"))).isEmpty();
        assertThat(adaDrift.path("pointsAdded").asLong()).isEqualTo(139);
        assertThat(adaDrift.has("ltvBefore")).isFalse();
        var bobDrift = driftOf(repair, bob);
        assertThat(texts(bobDrift.path("missingLots"))).isEmpty();
        assertThat(texts(bobDrift.path("missingClawbacks"))).containsExactly(bobRefund);
        assertThat(bobDrift.path("pointsClawedBack").asLong()).isEqualTo(10);
        assertThat(driftOf(repair, cy)).isNull();
        // the balances are the ledger's: 89 + 50; 30 - 10; 20
        assertThat(points(ada).path("available").asLong()).isEqualTo(139);
        assertThat(points(ada).path("lifetime").asLong()).isEqualTo(139);
        assertThat(points(bob).path("available").asLong()).isEqualTo(20);
        assertThat(points(bob).path("clawedBack").asLong()).isEqualTo(10);
        assertThat(points(cy).path("available").asLong()).isEqualTo(20);

        // run again: nothing left to repair
        var again = run("{\"includeRecent\": true}");
        assertThat(again.path("drifted").asLong()).isZero();
        assertThat(again.path("drifts")).isEmpty();

        // a lost event turning up after all is a duplicate: nothing is credited twice
        deliver(events, ada1, bobRefund);
        try (var sqs = EventInbox.sqs(cloud)) {
            String queue = cloud.queueUrl("PointsEventsQueue");
            Eventually.get(() -> sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings(),
                    attributes -> attributes.values().stream().allMatch("0"::equals));
        }
        assertThat(points(ada).path("available").asLong()).isEqualTo(139);
        assertThat(points(bob).path("available").asLong()).isEqualTo(20);
        var statement = api.get("/customers/" + ada + "/points/statement").json().path("data");
        assertThat(statement).hasSize(2);
    }

    @Test
    void aRefundHandledBeforeItsChargeIsTriedAgainWithinSecondsNotAfterTheQueuesTimeout() {
        String ada = customerWithCard(1);
        String paid = charge(ada, 5_000);
        String refunded = refund(paid, 1_000);
        var events = EventInbox.await(cloud, TestCloud.EVENTS_TAP, tenant, e -> e.size() == 2);
        // the refund first: its charge has no lot yet, so it fails and goes back to the queue
        deliver(events, refunded);
        Eventually.get(() -> failedRefunds(), n -> n > 0);
        deliver(events, paid);
        long start = System.nanoTime();
        var points = Eventually.get(() -> points(ada), p -> p.path("clawedBack").asLong() == 10);
        assertThat(points.path("available").asLong()).isEqualTo(40);
        // the queue's visibility timeout is minutes; the second try came within seconds
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(20);
    }

    private long failedRefunds() {
        try (var sqs = EventInbox.sqs(cloud)) {
            var attributes = sqs.getQueueAttributes(r -> r.queueUrl(cloud.queueUrl("PointsEventsQueue"))
                    .attributeNamesWithStrings("ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
            return Long.parseLong(attributes.get("ApproximateNumberOfMessagesNotVisible"));
        }
    }

    @Test
    void oneCustomerOnlyAndOneUnreadableCustomerDoesNotStopTheRest() {
        String ada = customerWithCard(1);
        String broken = customerWithCard(2);
        String ada1 = charge(ada, 4_000);
        charge(broken, 1_000);
        // a payment item the reconciliation cannot read, in the broken customer's ledger
        try (DynamoDbClient dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            dynamo.putItem(r -> r.tableName(cloud.resources().get("Table")).item(Map.of(
                    "PK", AttributeValue.fromS(Keys.customer(tenant, broken)),
                    "SK", AttributeValue.fromS("PAY#pay_01KB0000000000000000000000"),
                    "entity", AttributeValue.fromS("payment"),
                    "amount", AttributeValue.fromS("not an amount"))));
        }

        JsonNode job;
        try (var captured = new CapturedOutput()) {
            var one = api.post("/admin/points-reconcile", "{\"customerId\": \"" + ada + "\", \"includeRecent\": true}");
            assertThat(one.status()).as(one.text()).isEqualTo(202);
            job = finished(one.json().path("id").asText());
            // the job's metrics are of its own kind, not the LTV recompute's
            var finishedJobs = Eventually.get(() -> captured.text().lines()
                    .filter(l -> l.startsWith("{\"_aws\":") && l.contains("\"JobsSucceeded\"") && l.contains("\"" + tenant + "\"")).toList(),
                    lines -> !lines.isEmpty());
            assertThat(finishedJobs).singleElement().satisfies(l -> assertThat(l).contains("\"JobKind\":\"points-reconcile\""));
        }
        assertThat(job.path("customersChecked").asLong()).as(job.toString()).isEqualTo(1);
        assertThat(texts(driftOf(job, ada).path("missingLots"))).containsExactly(ada1);
        assertThat(points(ada).path("available").asLong()).isEqualTo(40);

        var all = run("{\"includeRecent\": true}");
        assertThat(all.path("status").asText()).as(all.toString()).isEqualTo("succeeded");
        assertThat(all.path("customersChecked").asLong()).isEqualTo(2);
        assertThat(texts(driftOf(all, broken).path("unrepaired"))).containsExactly(broken);
        assertThat(driftOf(all, ada)).isNull();

        var missing = api.post("/admin/points-reconcile", "{\"customerId\": \"cus_01KB0000000000000000000000\"}");
        assertThat(missing.status()).isEqualTo(404);
    }
}
