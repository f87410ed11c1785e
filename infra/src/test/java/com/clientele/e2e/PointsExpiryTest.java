package com.clientele.e2e;

import com.clientele.loyalty.LoyaltyItems;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.local.LocalCloud;
import com.clientele.loyalty.PointsExpiryHandler;
import com.clientele.loyalty.PointsExpiryWorkerHandler;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.Keys;
import com.clientele.shared.events.PaymentEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The points expiry end to end: lots made due by payment events from a year and a few hours ago
 * (sent straight into PointsEventsQueue, applied by the accrual function; lots live 12 months by
 * default), so due since the last run of the expiry, a fresh charge through the API, the
 * expiry run as its schedule runs it ({@code POST /_local/schedules/PointsExpiryFunction}), and what
 * the API then shows. Also two runs at once, and a run whose budget runs out and continues through
 * PointsExpiryQueue (on a cloud of its own with a 25 ms budget and pages of two lots).
 */
class PointsExpiryTest {

    private static final ObjectMapper EVENTS = Json.MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true);

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "x" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
    /** A year and six hours ago: lots of the default 12-month lifetime earned then have been due for six hours. */
    private final Instant longAgo = Instant.now().truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC).minusMonths(12)
            .minusHours(6).toInstant();

    // ---- helpers -------------------------------------------------------------------------------

    private static String customer(Api api, int n) {
        var reply = api.post("/customers", """
                {"firstName": "Eve%d", "lastName": "Expiry", "email": "eve%d@example.com", "phone": "+141555%05d"}"""
                .formatted(n, n, n));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    /** A charge's or refund's event, as the payments function would send it. */
    private record Sent(String paymentId, long amount, Instant at, String storeId, String terminalId) {
    }

    private Sent charge(SqsClient sqs, LocalCloud cloud, String customer, long amount, Instant at, String store) {
        var sent = new Sent(Ids.next(Ids.PAYMENT), amount, at, store, "term_" + store);
        send(sqs, cloud, PaymentEvent.builder().id(Ids.next(Ids.EVENT)).type(PaymentEvent.SUCCEEDED).tenantId(tenant)
                .customerId(customer).paymentId(sent.paymentId()).amount(amount).currency("USD").occurredAt(at)
                .storeId(sent.storeId()).terminalId(sent.terminalId()).receiptId("r-" + sent.paymentId()).build());
        return sent;
    }

    private void refund(SqsClient sqs, LocalCloud cloud, String customer, Sent charge, long amount, Instant at) {
        send(sqs, cloud, PaymentEvent.builder().id(Ids.next(Ids.EVENT)).type(PaymentEvent.REFUNDED).tenantId(tenant)
                .customerId(customer).paymentId(charge.paymentId()).refundId(Ids.next(Ids.REFUND)).amount(amount)
                .currency("USD").occurredAt(at).build());
    }

    private static void send(SqsClient sqs, LocalCloud cloud, PaymentEvent event) {
        sqs.sendMessage(r -> r.queueUrl(cloud.resources().get("PointsEventsQueue")).messageBody(Json.write(event)));
    }

    private static JsonNode points(Api api, String customer) {
        return api.get("/customers/" + customer + "/points").json();
    }

    private static JsonNode pointsWhen(Api api, String customer, java.util.function.Predicate<JsonNode> done) {
        return Eventually.get(() -> points(api, customer), done);
    }

    private static List<JsonNode> expireLines(Api api, String customer) {
        var lines = new ArrayList<JsonNode>();
        api.get("/customers/" + customer + "/points/statement?limit=100").json().path("data").forEach(row -> {
            if (row.path("type").asText().equals("EXPIRE")) {
                lines.add(row);
            }
        });
        return lines;
    }

    private static String expiryDate(Instant earnedAt) {
        return earnedAt.atOffset(ZoneOffset.UTC).plusMonths(12).toLocalDate().toString();
    }

    /** The lot item of a payment, straight from the table. */
    private static Map<String, AttributeValue> lotItem(LocalCloud cloud, String tenant, String customer, String paymentId) {
        try (var dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            return dynamo.getItem(r -> r.tableName(cloud.resources().get("Table")).consistentRead(true)
                    .key(Map.of("PK", AttributeValue.fromS(Keys.customer(tenant, customer)),
                            "SK", AttributeValue.fromS(LoyaltyItems.lotSortKey(paymentId))))).item();
        }
    }

    /** The time of the last run the expiry recorded as finished. */
    private static Instant doneThrough(LocalCloud cloud) {
        try (var dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            var item = dynamo.getItem(r -> r.tableName(cloud.resources().get("Table")).consistentRead(true)
                    .key(Map.of("PK", AttributeValue.fromS(LoyaltyItems.POINTS_EXPIRY_RUNS),
                            "SK", AttributeValue.fromS(LoyaltyItems.POINTS_EXPIRY_DONE)))).item();
            return Instant.ofEpochMilli(Long.parseLong(item.get("throughMillis").n()));
        }
    }

    private static JsonNode runSchedule(LocalCloud cloud) {
        var reply = new Api(cloud.apiUrl(), null).post("/_local/schedules/PointsExpiryFunction", "");
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.json().path("result");
    }

    // ---- tests -----------------------------------------------------------------------------------

    @Test
    void theScheduledRunExpiresWhatIsLeftOfTheDueLotsOnceAndLeavesTheRest() {
        String id = customer(api, 1);
        assertThat(api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4242424242424242")).status())
                .isEqualTo(201);
        Sent a;
        Sent b;
        Sent c;
        try (var sqs = EventInbox.sqs(cloud)) {
            a = charge(sqs, cloud, id, 10_000, longAgo, "store_a");                                  // 100 points
            b = charge(sqs, cloud, id, 8_000, longAgo.plus(Duration.ofHours(1)), "store_b");        // 80
            c = charge(sqs, cloud, id, 4_000, longAgo.plus(Duration.ofHours(2)), "store_c");        // 40
            pointsWhen(api, id, p -> p.path("lifetime").asLong() == 220);
            refund(sqs, cloud, id, b, 3_000, longAgo.plus(Duration.ofHours(3)));                    // 30 of b's back: 50 left
            refund(sqs, cloud, id, c, 4_000, longAgo.plus(Duration.ofHours(4)));                    // all of c's: 0 left
            pointsWhen(api, id, p -> p.path("clawedBack").asLong() == 70);
        }
        var fresh = api.send("POST", "/customers/" + id + "/charges", "{\"amount\": {\"amount\": 2500, \"currency\": \"USD\"}}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(fresh.status()).as(fresh.text()).isEqualTo(201);
        String freshExpiry = expiryDate(Instant.parse(fresh.json().path("createdAt").asText()));
        var before = pointsWhen(api, id, p -> p.path("lifetime").asLong() == 245);
        assertThat(before.path("available").asLong()).isEqualTo(175);
        // a due lot is in the expiry index under its day; a lot at 0 is not
        var lotA = lotItem(cloud, tenant, id, a.paymentId());
        assertThat(lotA.get("GSI1PK").s()).startsWith("PTSEXP#" + expiryDate(a.at()) + "#");
        assertThat(lotItem(cloud, tenant, id, c.paymentId())).containsEntry("pointsLeft", AttributeValue.fromN("0"))
                .doesNotContainKeys("GSI1PK", "GSI1SK");

        var result = runSchedule(cloud);
        assertThat(result.path("continued").asBoolean()).isFalse();
        assertThat(result.path("lots").asLong()).isGreaterThanOrEqualTo(2);
        // the next run starts from this one's day (less one)
        assertThat(doneThrough(cloud)).isAfterOrEqualTo(Instant.parse(result.path("through").asText()));

        var after = points(api, id);
        assertThat(after.path("expired").asLong()).isEqualTo(150);            // 100 + what was left of b
        assertThat(after.path("available").asLong()).isEqualTo(25);           // only the fresh lot
        assertThat(after.path("clawedBack").asLong()).isEqualTo(70);
        assertThat(after.path("lifetime").asLong()).isEqualTo(245);
        assertThat(after.path("available").asLong() + after.path("expired").asLong() + after.path("clawedBack").asLong()
                + after.path("redeemed").asLong()).isEqualTo(after.path("lifetime").asLong());
        assertThat(after.path("nextExpiry").path("date").asText()).isEqualTo(freshExpiry);
        assertThat(after.path("nextExpiry").path("points").asLong()).isEqualTo(25);
        assertThat(api.get("/customers/" + id).json().path("pointsAvailable").asLong()).isEqualTo(25);
        assertThat(lotItem(cloud, tenant, id, a.paymentId())).containsEntry("pointsLeft", AttributeValue.fromN("0"))
                .doesNotContainKeys("GSI1PK", "GSI1SK");

        var lines = expireLines(api, id);
        assertThat(lines).extracting(l -> l.path("transactionId").asText() + " " + l.path("points").asLong() + " "
                        + l.path("pointsLeft").asLong() + " " + l.path("storeId").asText() + " " + l.path("terminalId").asText() + " "
                        + l.path("expiryDate").asText())
                .containsExactly(b.paymentId() + " -50 0 store_b term_store_b " + expiryDate(b.at()),
                        a.paymentId() + " -100 0 store_a term_store_a " + expiryDate(a.at()));
        assertThat(lines.get(1).path("lotId").asText()).startsWith("lot_");
        assertThat(Instant.parse(lines.get(1).path("createdAt").asText()))
                .isEqualTo(a.at().atOffset(ZoneOffset.UTC).plusMonths(12).toInstant());
        var statement = api.get("/customers/" + id + "/points/statement?limit=100").json();
        assertThat(statement.path("totals").path("expired").asLong()).isEqualTo(150);

        // again: nothing is due any more, nothing changes
        runSchedule(cloud);
        assertThat(points(api, id)).isEqualTo(after);
        assertThat(api.get("/customers/" + id + "/points/statement?limit=100").json().path("data"))
                .isEqualTo(statement.path("data"));
    }

    @Test
    void twoRunsAtOnceExpireEachLotExactlyOnce() throws Exception {
        int customers = 4;
        int lots = 3;
        var ids = new ArrayList<String>();
        var sums = new HashMap<String, Long>();
        try (var sqs = EventInbox.sqs(cloud)) {
            for (int n = 0; n < customers; n++) {
                String id = customer(api, 10 + n);
                ids.add(id);
                long sum = 0;
                for (int k = 0; k < lots; k++) {
                    long amount = 1_000L * (n + 1) + 100L * k;
                    charge(sqs, cloud, id, amount, longAgo.plus(Duration.ofMinutes(10L * k + n)), "store_" + k);
                    sum += amount / 100;
                }
                sums.put(id, sum);
            }
        }
        for (String id : ids) {
            pointsWhen(api, id, p -> p.path("lifetime").asLong() == sums.get(id));
        }

        var env = cloud.environment("PointsExpiryFunction");
        var runs = List.of(new PointsExpiryHandler(env), new PointsExpiryHandler(env));
        var start = new CyclicBarrier(runs.size());
        var results = new ArrayList<Future<Map<String, Object>>>();
        try (var threads = Executors.newFixedThreadPool(runs.size())) {
            for (var run : runs) {
                results.add(threads.submit(() -> {
                    start.await();
                    return run.handleRequest(Map.of("time", Instant.now().toString()), null);
                }));
            }
        }
        long expiredByBoth = 0;
        for (var result : results) {
            assertThat(result.get()).containsEntry("continued", false);
            expiredByBoth += ((Number) result.get().get("lots")).longValue();
        }
        // between them, the two runs expired each lot once (the only due lots of this cloud are this test's)
        assertThat(expiredByBoth).isEqualTo((long) customers * lots);

        for (String id : ids) {
            var points = points(api, id);
            assertThat(points.path("expired").asLong()).as(id).isEqualTo(sums.get(id));
            assertThat(points.path("available").asLong()).as(id).isZero();
            assertThat(points.path("lifetime").asLong()).as(id).isEqualTo(sums.get(id));
            assertThat(points.path("nextExpiry").isNull()).isTrue();
            var lines = expireLines(api, id);
            assertThat(lines).as(id).hasSize(lots);
            assertThat(lines.stream().map(l -> l.path("lotId").asText()).distinct()).hasSize(lots);
            assertThat(lines.stream().mapToLong(l -> -l.path("points").asLong()).sum()).isEqualTo(sums.get(id));
            assertThat(api.get("/customers/" + id).json().path("pointsAvailable").asLong()).isZero();
        }
    }

    @Test
    void aRunOutOfBudgetContinuesThroughItsQueueUntilEveryDueLotIsExpiredOnce() throws Exception {
        Path template = Files.createTempFile("template-expiry", ".yaml");
        String original = Files.readString(TestCloud.template());
        assertThat(original).contains("EXPIRY_BUDGET_MILLIS: \"240000\"").contains("EXPIRY_PAGE_SIZE: \"100\"");
        Files.writeString(template, original.replace("EXPIRY_BUDGET_MILLIS: \"240000\"", "EXPIRY_BUDGET_MILLIS: \"25\"")
                .replace("EXPIRY_PAGE_SIZE: \"100\"", "EXPIRY_PAGE_SIZE: \"2\""));
        try (var fast = LocalCloud.start(LocalCloud.Options.inMemory(template)); var sqs = EventInbox.sqs(fast)) {
            var fastApi = new Api(fast.apiUrl(), fast.token(tenant, "alice"));
            var ids = new ArrayList<String>();
            var sums = new HashMap<String, Long>();
            for (int n = 0; n < 3; n++) {
                String id = customer(fastApi, 20 + n);
                ids.add(id);
                long sum = 0;
                for (int k = 0; k < 3; k++) {
                    long amount = 2_000L + 1_000L * n + 100L * k;
                    charge(sqs, fast, id, amount, longAgo.minus(Duration.ofDays(k)).plus(Duration.ofMinutes(n)), "store_" + k);
                    sum += amount / 100;
                }
                sums.put(id, sum);
            }
            for (String id : ids) {
                pointsWhen(fastApi, id, p -> p.path("lifetime").asLong() == sums.get(id));
            }

            var first = runSchedule(fast);
            assertThat(first.path("continued").asBoolean()).isTrue();   // it stopped, and sent the rest on
            assertThat(first.path("lots").asLong()).isLessThan(9);

            for (String id : ids) {
                var points = Eventually.get(() -> points(fastApi, id), p -> p.path("expired").asLong() == sums.get(id),
                        Duration.ofSeconds(60));
                assertThat(points.path("expired").asLong()).as(id).isEqualTo(sums.get(id));
                assertThat(points.path("available").asLong()).as(id).isZero();
            }
            String queue = fast.resources().get("PointsExpiryQueue");
            Eventually.get(() -> sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes(), a -> a.values().stream().allMatch("0"::equals), Duration.ofSeconds(60));
            for (String id : ids) {
                var lines = expireLines(fastApi, id);
                assertThat(lines).as(id).hasSize(3);
                assertThat(lines.stream().map(l -> l.path("lotId").asText()).distinct()).hasSize(3);
                assertThat(points(fastApi, id).path("expired").asLong()).isEqualTo(sums.get(id));
            }
            String dlq = fast.resources().get("PointsExpiryDlq");
            assertThat(sqs.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo("0");
        } finally {
            Files.deleteIfExists(template);
        }
    }

    /** events/loyalty/expiry-*.json are what {@code sam local invoke -e} feeds the two functions. */
    @Test
    void theSampleEventsAreServed() throws Exception {
        var scheduled = EVENTS.readValue(Files.readString(TestCloud.events().resolve("loyalty/expiry-scheduled.json")),
                new TypeReference<Map<String, Object>>() { });
        var result = new PointsExpiryHandler(cloud.environment("PointsExpiryFunction")).handleRequest(scheduled, null);
        // the run's "now" is the event's time (or now, if that is later than now)
        assertThat(Instant.parse((String) result.get("through"))).isBeforeOrEqualTo(Instant.parse((String) scheduled.get("time")));
        assertThat(result).containsEntry("continued", false).containsKey("lots");

        var continuation = EVENTS.readValue(Files.readString(TestCloud.events().resolve("loyalty/expiry-continue.json")), SQSEvent.class);
        var body = Json.MAPPER.readTree(continuation.getRecords().get(0).getBody());
        assertThat(body.path("through").asText()).isEqualTo(scheduled.get("time"));
        var response = new PointsExpiryWorkerHandler(cloud.environment("PointsExpiryWorkerFunction")).handleRequest(continuation, null);
        assertThat(response.getBatchItemFailures()).isEmpty();

        // a backfill by hand: no time (now), a wider look-back
        var backfill = EVENTS.readValue(Files.readString(TestCloud.events().resolve("loyalty/expiry-backfill.json")),
                new TypeReference<Map<String, Object>>() { });
        assertThat(backfill).containsEntry("lookbackDays", 60);
        var caughtUp = new PointsExpiryHandler(cloud.environment("PointsExpiryFunction")).handleRequest(backfill, null);
        assertThat(Duration.between(Instant.parse((String) caughtUp.get("through")), Instant.now())).isLessThan(Duration.ofMinutes(1));
    }
}
