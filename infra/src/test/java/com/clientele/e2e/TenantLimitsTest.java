package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limits that keep one tenant's heavy work from crowding out the others, end to end: one
 * whole-tenant recompute job at a time, and a cap on concurrent exports. They run on a cloud of
 * their own whose job queues hold each message 3 seconds before the workers see it, so that the
 * jobs started together are all still queued when the last request is answered.
 */
class TenantLimitsTest {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);
    private static final String DELAY = "      DelaySeconds: 3\n";
    private static LocalCloud cloud;
    private static Path template;

    private final String tenant = "l" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private Api api;

    @BeforeAll
    static void startCloudWithDelayedJobQueues() throws Exception {
        String original = Files.readString(TestCloud.template());
        String delayed = original;
        for (String queue : List.of("ExportJobsQueue", "LtvRecomputeQueue")) {
            String head = "  " + queue + ":\n    Type: AWS::SQS::Queue\n    Properties:\n";
            assertThat(delayed).contains(head);
            delayed = delayed.replace(head, head + DELAY);
        }
        template = Files.createTempFile("template-delayed", ".yaml");
        Files.writeString(template, delayed);
        cloud = LocalCloud.start(LocalCloud.Options.inMemory(template));
    }

    @AfterAll
    static void stopCloud() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
        Files.deleteIfExists(template);
    }

    private Api api() {
        if (api == null) {
            api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
            var customer = api.post("/customers", """
                    {"firstName": "Ada", "lastName": "Byron", "email": "ada@example.com", "phone": "+14155550123"}""");
            assertThat(customer.status()).as(customer.text()).isEqualTo(201);
        }
        return api;
    }

    /** {@code n} calls let go at once; their replies in the order of the calls. */
    private static List<Api.Reply> together(int n, Callable<Api.Reply> call) throws Exception {
        var go = new CountDownLatch(1);
        var replies = new ArrayList<Future<Api.Reply>>();
        try (var pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                replies.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            var out = new ArrayList<Api.Reply>();
            for (var reply : replies) {
                out.add(reply.get());
            }
            return out;
        }
    }

    // ---- one whole-tenant recompute at a time ----------------------------------------------------

    @Test
    void twoConcurrentWholeTenantRecomputesMakeOneJobAndBothAnswerIt() throws Exception {
        var api = api();
        var replies = together(2, () -> api.post("/admin/ltv-recompute", null));
        assertThat(replies).extracting(Api.Reply::status).as(replies.toString()).containsExactlyInAnyOrder(202, 200);
        String jobId = replies.get(0).json().path("id").asText();
        assertThat(replies.get(1).json().path("id").asText()).isEqualTo(jobId);
        for (var reply : replies) {
            assertThat(reply.header("Location")).isEqualTo("/admin/ltv-recompute/" + jobId);
        }
        // while it is queued, another start answers it too; a job for one customer is not limited
        var again = api.post("/admin/ltv-recompute", "{}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("id").asText()).isEqualTo(jobId);
        String customer = api.get("/customers").json().path("data").get(0).path("id").asText();
        var one = api.post("/admin/ltv-recompute", "{\"customerId\": \"" + customer + "\"}");
        assertThat(one.status()).isEqualTo(202);
        assertThat(one.json().path("id").asText()).isNotEqualTo(jobId);

        var job = Eventually.get(() -> api.get("/admin/ltv-recompute/" + jobId).json(),
                j -> j.path("status").asText().equals("succeeded"), JOB_TIMEOUT);
        assertThat(job.path("customersChecked").asLong()).isEqualTo(1);
        // once it is over, a new one starts
        var next = api.post("/admin/ltv-recompute", null);
        assertThat(next.status()).isEqualTo(202);
        assertThat(next.json().path("id").asText()).isNotEqualTo(jobId);
    }

    // ---- a cap on concurrent exports -------------------------------------------------------------

    @Test
    void oneExportOverTheCapIs429WithRetryAfterUntilOneIsOver() throws Exception {
        var api = api();
        int cap = Integer.parseInt(cloud.environment("ExportsApiFunction").get("MAX_ACTIVE_EXPORTS"));
        var replies = together(cap + 1, () -> api.post("/exports/customers", null));
        assertThat(replies).extracting(Api.Reply::status).as(replies.toString()).containsOnly(202, 429)
                .filteredOn(status -> status == 429).hasSize(1);
        var refused = replies.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
        assertThat(refused.json().path("code").asText()).isEqualTo("too_many_exports");
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
        // another tenant is not held back by this one's exports
        var other = new Api(cloud.apiUrl(), cloud.token(tenant + "x", "bob"));
        assertThat(other.post("/exports/customers", null).status()).isEqualTo(202);

        String first = replies.stream().filter(r -> r.status() == 202).findFirst().orElseThrow().json().path("id").asText();
        var done = Eventually.get(() -> api.get("/exports/" + first).json(),
                e -> e.path("status").asText().equals("succeeded"), JOB_TIMEOUT);
        assertThat(done.path("rowsWritten").asLong()).isEqualTo(1);
        var next = api.post("/exports/customers", null);
        assertThat(next.status()).as(next.text()).isEqualTo(202);
    }
}
