package com.clientele.e2e;

import com.clientele.customers.CustomerItems;
import com.clientele.ltv.JobKeys;
import com.clientele.ltv.RecomputeJob;
import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.clientele.shared.Keys;
import com.clientele.shared.events.AppliedEntries;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The LTV recompute end to end: jobs started over HTTP, worked by the worker function through
 * LtvRecomputeQueue, drift found and repaired. The whole-tenant, concurrent and daily cases run on a
 * cloud of their own whose worker has a 30 ms budget per message and reads 10 customers a page, so
 * that a job of a few hundred customers takes dozens of continuation messages.
 */
class LtvRecomputeTest {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);
    private static LocalCloud fast;
    private static Path fastTemplate;

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = tenant();
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private static String tenant() {
        return "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @BeforeAll
    static void startFastCloud() throws Exception {
        fastTemplate = Files.createTempFile("template", ".yaml");
        String original = Files.readString(TestCloud.template());
        assertThat(original).contains("RECOMPUTE_BUDGET_MILLIS: \"240000\"").contains("RECOMPUTE_PAGE_SIZE: \"100\"");
        Files.writeString(fastTemplate, original.replace("RECOMPUTE_BUDGET_MILLIS: \"240000\"", "RECOMPUTE_BUDGET_MILLIS: \"30\"")
                .replace("RECOMPUTE_PAGE_SIZE: \"100\"", "RECOMPUTE_PAGE_SIZE: \"10\""));
        fast = LocalCloud.start(LocalCloud.Options.inMemory(fastTemplate));
    }

    @AfterAll
    static void stopFastCloud() throws Exception {
        if (fast != null) {
            fast.close();
        }
        Files.deleteIfExists(fastTemplate);
    }

    // ---- helpers -------------------------------------------------------------------------------

    static String customer(Api api, int n) {
        var reply = api.post("/customers", """
                {"firstName": "Ada%d", "lastName": "Byron", "email": "ada%d@example.com", "phone": "+141520%05d"}"""
                .formatted(n, n, n));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    static String customerWithCard(Api api, int n) {
        String id = customer(api, n);
        assertThat(api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4242424242424242")).status())
                .isEqualTo(201);
        return id;
    }

    static void charge(Api api, String customer, long amount) {
        var reply = api.send("POST", "/customers/" + customer + "/charges",
                "{\"amount\": {\"amount\": " + amount + ", \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
    }

    /** Writes wrong stats straight into the profile (as a bug or a lost event would leave them). */
    static void corrupt(LocalCloud cloud, String tenant, String customer, long ltv, long orders) {
        try (DynamoDbClient dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            dynamo.updateItem(r -> r.tableName(cloud.resources().get("Table"))
                    .key(Map.of("PK", AttributeValue.fromS(Keys.customer(tenant, customer)), "SK", AttributeValue.fromS(CustomerItems.PROFILE)))
                    .updateExpression("SET stats.ltv = :ltv, stats.orders = :orders")
                    .expressionAttributeValues(Map.of(
                            ":ltv", AttributeValue.fromM(Map.of("amount", AttributeValue.fromN(Long.toString(ltv)),
                                    "currency", AttributeValue.fromS("USD"))),
                            ":orders", AttributeValue.fromN(Long.toString(orders)))));
        }
    }

    static JsonNode start(Api api, String body) {
        var reply = api.post("/admin/ltv-recompute", body);
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        assertThat(reply.header("Location")).isEqualTo("/admin/ltv-recompute/" + reply.json().path("id").asText());
        assertThat(reply.json().path("status").asText()).isEqualTo("queued");
        return reply.json();
    }

    static JsonNode finished(Api api, String jobId) {
        return until(() -> api.get("/admin/ltv-recompute/" + jobId).json(),
                job -> job.path("status").asText().equals("succeeded") || job.path("status").asText().equals("failed"));
    }

    static <T> T until(Supplier<T> read, Predicate<T> done) {
        return Eventually.get(read, done, JOB_TIMEOUT);
    }

    static long steps(LocalCloud cloud, String tenant, String jobId) {
        try (DynamoDbClient dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            return Long.parseLong(dynamo.getItem(r -> r.tableName(cloud.resources().get("Table"))
                    .key(Map.of("PK", AttributeValue.fromS(JobKeys.recomputeJob(tenant, jobId)), "SK", AttributeValue.fromS(JobKeys.JOB))))
                    .item().get("step").n());
        }
    }

    // ---- one customer, the API's rules ---------------------------------------------------------

    @Test
    void driftIsReportedAndRepaired() {
        String id = customerWithCard(api, 1);
        charge(api, id, 8_900);
        charge(api, id, 12_900);
        Eventually.get(() -> api.get("/customers/" + id).json().path("stats"), s -> s.path("orders").asLong() == 2);
        corrupt(cloud, tenant, id, 1, 7);
        assertThat(api.get("/customers/" + id).json().path("stats").path("orders").asLong()).isEqualTo(7);

        var job = finished(api, start(api, "{\"customerId\": \"" + id + "\"}").path("id").asText());
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        assertThat(job.path("trigger").asText()).isEqualTo("api");
        assertThat(job.path("requestedBy").asText()).isEqualTo("alice");
        assertThat(job.path("customersChecked").asLong()).isEqualTo(1);
        assertThat(job.path("drifted").asLong()).isEqualTo(1);
        var drift = job.path("drifts").get(0);
        assertThat(drift.path("customerId").asText()).isEqualTo(id);
        assertThat(drift.path("ltvBefore").path("amount").asLong()).isEqualTo(1);
        assertThat(drift.path("ltvAfter").path("amount").asLong()).isEqualTo(21_800);
        assertThat(drift.path("ordersBefore").asLong()).isEqualTo(7);
        assertThat(drift.path("ordersAfter").asLong()).isEqualTo(2);
        var stats = api.get("/customers/" + id).json().path("stats");
        assertThat(stats.path("ltv").path("amount").asLong()).isEqualTo(21_800);
        assertThat(stats.path("orders").asLong()).isEqualTo(2);
        assertThat(stats.path("averageOrderValue").path("amount").asLong()).isEqualTo(10_900);

        // the whole tenant now: nothing drifted; and the repaired stats keep counting new charges once
        var again = finished(api, start(api, null).path("id").asText());
        assertThat(again.path("customersChecked").asLong()).isEqualTo(1);
        assertThat(again.path("drifted").asLong()).isZero();
        charge(api, id, 1_000);
        stats = Eventually.get(() -> api.get("/customers/" + id).json().path("stats"), s -> s.path("orders").asLong() == 3);
        assertThat(stats.path("ltv").path("amount").asLong()).isEqualTo(22_800);
    }

    /** Deletes the aggregator's marker of a ledger entry (with {@link #corrupt}: as if its event had been lost). */
    static void unmark(LocalCloud cloud, String tenant, String customer, String entryId) {
        try (DynamoDbClient dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            dynamo.deleteItem(r -> r.tableName(cloud.resources().get("Table"))
                    .key(Map.of("PK", AttributeValue.fromS(Keys.customer(tenant, customer)),
                            "SK", AttributeValue.fromS(AppliedEntries.appliedEntrySortKey("ltv", entryId)))));
        }
    }

    /** The profile's stats as stored (to put back later). */
    static AttributeValue storedStats(LocalCloud cloud, String tenant, String customer) {
        try (DynamoDbClient dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            return dynamo.getItem(r -> r.tableName(cloud.resources().get("Table")).consistentRead(true)
                    .key(Map.of("PK", AttributeValue.fromS(Keys.customer(tenant, customer)), "SK", AttributeValue.fromS(CustomerItems.PROFILE))))
                    .item().get("stats");
        }
    }

    static void putStats(LocalCloud cloud, String tenant, String customer, AttributeValue stats) {
        try (DynamoDbClient dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            dynamo.updateItem(r -> r.tableName(cloud.resources().get("Table"))
                    .key(Map.of("PK", AttributeValue.fromS(Keys.customer(tenant, customer)), "SK", AttributeValue.fromS(CustomerItems.PROFILE)))
                    .updateExpression("SET stats = :stats").expressionAttributeValues(Map.of(":stats", stats)));
        }
    }

    @Test
    void includeRecentRepairsTheLastMinutesAndALateEventThenCountsNothing() {
        String id = customerWithCard(api, 1);
        var before = storedStats(cloud, tenant, id);
        charge(api, id, 8_900);
        Eventually.get(() -> api.get("/customers/" + id).json().path("stats"), s -> s.path("orders").asLong() == 1);
        var event = EventInbox.await(cloud, TestCloud.EVENTS_TAP, tenant, events -> !events.isEmpty()).get(0);
        String paymentId = event.path("paymentId").asText();
        // the charge's event "lost": not counted, not marked; the entry is a few seconds old
        unmark(cloud, tenant, id, paymentId);
        putStats(cloud, tenant, id, before);

        var usual = finished(api, start(api, "{\"customerId\": \"" + id + "\"}").path("id").asText());
        assertThat(usual.path("includeRecent").asBoolean()).isFalse();
        assertThat(usual.path("drifted").asLong()).as("young entries are in flight for a usual recompute").isZero();
        assertThat(api.get("/customers/" + id).json().path("stats").path("orders").asLong()).isZero();

        var repair = finished(api, start(api, "{\"customerId\": \"" + id + "\", \"includeRecent\": true}").path("id").asText());
        assertThat(repair.path("status").asText()).isEqualTo("succeeded");
        assertThat(repair.path("includeRecent").asBoolean()).isTrue();
        assertThat(repair.path("drifted").asLong()).isEqualTo(1);
        var stats = api.get("/customers/" + id).json().path("stats");
        assertThat(stats.path("ltv").path("amount").asLong()).isEqualTo(8_900);
        assertThat(stats.path("orders").asLong()).isEqualTo(1);

        // the event arrives after all: the repair marked its entry, so it counts nothing
        try (var sqs = EventInbox.sqs(cloud)) {
            String queue = cloud.queueUrl("LtvEventsQueue");
            sqs.sendMessage(r -> r.queueUrl(queue).messageBody(event.toString()));
            Eventually.get(() -> sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings(),
                    attributes -> attributes.values().stream().allMatch("0"::equals));
        }
        stats = api.get("/customers/" + id).json().path("stats");
        assertThat(stats.path("ltv").path("amount").asLong()).isEqualTo(8_900);
        assertThat(stats.path("orders").asLong()).isEqualTo(1);
    }

    @Test
    void badRequestsNameTheFieldAndOtherTenantsJobsAreNotFound() {
        var wrongType = api.post("/admin/ltv-recompute", "{\"customerId\": 42}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().path("errors").get(0).path("field").asText()).isEqualTo("customerId");
        var notABoolean = api.post("/admin/ltv-recompute", "{\"includeRecent\": \"yes\"}");
        assertThat(notABoolean.status()).isEqualTo(400);
        assertThat(notABoolean.json().path("errors").get(0).path("field").asText()).isEqualTo("includeRecent");
        var unknown = api.post("/admin/ltv-recompute", "{\"customer\": \"cus_x\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("errors").get(0).path("field").asText()).isEqualTo("customer");
        var malformed = api.post("/admin/ltv-recompute", "{\"customerId\": \"bob\"}");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("errors").get(0).path("field").asText()).isEqualTo("customerId");
        assertThat(api.post("/admin/ltv-recompute", "{\"customerId\": \"cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF\"}").status()).isEqualTo(404);
        assertThat(api.post("/admin/ltv-recompute", "[1]").status()).isEqualTo(400);

        String mine = start(api, null).path("id").asText();
        var other = new Api(cloud.apiUrl(), cloud.token(tenant(), "mallory"));
        var stranger = other.get("/admin/ltv-recompute/" + mine);
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(stranger.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(api.get("/admin/ltv-recompute/job_nope").status()).isEqualTo(404);
        assertThat(finished(api, mine).path("customersChecked").asLong()).isZero();
    }

    // ---- a whole tenant, in many steps ---------------------------------------------------------

    @Test
    void aWholeTenantIsCheckedExactlyOnceAcrossManyContinuations() {
        var fastApi = new Api(fast.apiUrl(), fast.token(tenant, "alice"));
        int count = 240;
        var ids = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            ids.add(customer(fastApi, i));
        }
        for (int i : new int[] {3, 117, 239}) {
            corrupt(fast, tenant, ids.get(i), 5_000, 1);
        }
        String jobId = start(fastApi, "{}").path("id").asText();
        var job = finished(fastApi, jobId);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.path("customersChecked").asLong()).isEqualTo(count);
        assertThat(job.path("drifted").asLong()).isEqualTo(3);
        assertThat(job.path("drifts")).extracting(d -> d.path("customerId").asText())
                .containsExactlyInAnyOrder(ids.get(3), ids.get(117), ids.get(239));
        assertThat(job.path("finishedAt").asText()).isNotEmpty();
        assertThat(steps(fast, tenant, jobId)).as("continuation messages").isGreaterThan(5);
        for (int i : new int[] {3, 117, 239}) {
            var stats = fastApi.get("/customers/" + ids.get(i)).json().path("stats");
            assertThat(stats.path("ltv").path("amount").asLong()).isZero();
            assertThat(stats.path("orders").asLong()).isZero();
        }
    }

    /**
     * Charges whose events are in flight while a whole-tenant job runs over the same customers
     * (one of them with corrupted stats): every customer ends at the ledger's figures, and only the
     * corrupted one is reported as drift.
     */
    @Test
    void theAggregatorAndARecomputeRunningTogetherEndAtTheLedgersFigures() throws Exception {
        var fastApi = new Api(fast.apiUrl(), fast.token(tenant, "alice"));
        var ids = new ArrayList<String>();
        for (int i = 0; i < 8; i++) {
            ids.add(customerWithCard(fastApi, 100 + i));
        }
        for (int i = 0; i < 30; i++) {
            customer(fastApi, 200 + i); // more customers, so the job takes several steps
        }
        charge(fastApi, ids.get(0), 700);
        Eventually.get(() -> fastApi.get("/customers/" + ids.get(0)).json().path("stats"), s -> s.path("orders").asLong() == 1);
        corrupt(fast, tenant, ids.get(0), 99, 9);

        long[] amounts = {1_000, 2_500, 4_000};
        List<Future<?>> charges = new ArrayList<>();
        String jobId;
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (String id : ids) {
                charges.add(pool.submit(() -> {
                    for (long amount : amounts) {
                        charge(fastApi, id, amount);
                    }
                }));
            }
            jobId = start(fastApi, null).path("id").asText();
            for (var f : charges) {
                f.get();
            }
        }
        var job = finished(fastApi, jobId);
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        assertThat(job.path("customersChecked").asLong()).isEqualTo(38);
        assertThat(job.path("drifted").asLong()).isEqualTo(1);
        assertThat(job.path("drifts").get(0).path("customerId").asText()).isEqualTo(ids.get(0));
        for (String id : ids) {
            long expected = 7_500 + (id.equals(ids.get(0)) ? 700 : 0);
            long orders = id.equals(ids.get(0)) ? 4 : 3;
            var stats = Eventually.get(() -> fastApi.get("/customers/" + id).json().path("stats"),
                    s -> s.path("orders").asLong() == orders && s.path("ltv").path("amount").asLong() == expected);
            assertThat(stats.path("orders").asLong()).as(id).isEqualTo(orders);
            assertThat(stats.path("ltv").path("amount").asLong()).as(id).isEqualTo(expected);
        }
        // and once the events have all arrived, the stats stay there: nothing counted twice
        Thread.sleep(1_000);
        var again = finished(fastApi, start(fastApi, null).path("id").asText());
        assertThat(again.path("drifted").asLong()).isZero();
        assertThat(fastApi.get("/customers/" + ids.get(1)).json().path("stats").path("ltv").path("amount").asLong()).isEqualTo(7_500);
    }

    // ---- the daily schedule --------------------------------------------------------------------

    @Test
    void theDailyScheduleStartsOneJobPerTenantPerDay() {
        var fastApi = new Api(fast.apiUrl(), fast.token(tenant, "alice"));
        String id = customer(fastApi, 1);
        corrupt(fast, tenant, id, 10, 1);
        fast.runSchedule("LtvRecomputeScheduleFunction");
        String day = LocalDate.now(ZoneOffset.UTC).toString();
        String jobId = until(() -> dailyJob(day), java.util.Objects::nonNull);
        assertThat(jobId).startsWith("job_");
        var job = finished(fastApi, jobId);
        assertThat(job.path("trigger").asText()).isEqualTo("schedule");
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        assertThat(job.path("customersChecked").asLong()).isEqualTo(1);
        assertThat(job.path("drifted").asLong()).isEqualTo(1);

        fast.runSchedule("LtvRecomputeScheduleFunction"); // a second run the same day: the same job
        try {
            Thread.sleep(1_500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(dailyJob(day)).isEqualTo(jobId);
    }

    private String dailyJob(String day) {
        try (DynamoDbClient dynamo = TestCloud.dynamoDb(fast.dynamoDbEndpoint())) {
            var item = dynamo.getItem(r -> r.tableName(fast.resources().get("Table")).consistentRead(true)
                    .key(Map.of("PK", AttributeValue.fromS(JobKeys.dailyJob(tenant, RecomputeJob.LTV, day)), "SK", AttributeValue.fromS(JobKeys.JOB))))
                    .item();
            return item == null || item.isEmpty() ? null : item.get("jobId").s();
        }
    }
}
