package com.clientele.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.e2e.TestCloud;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.jobs.JobRecords;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The cap on a tenant's concurrent exports, on the local cloud's DynamoDB with the queue left
 * out (the exports stay queued until the test ends them): exact under concurrency, released by
 * success or failure, and not held by an export whose release was lost.
 */
class ExportSlotsTest {

    private static final int CAP = 3;
    private static DynamoDbClient dynamo;
    private static ExportRepository exports;
    private static Env env;

    private final String tenant = "s" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final List<ExportMessage> sent = Collections.synchronizedList(new ArrayList<>());
    private final ExportQueue queue = new ExportQueue(null, null) {
        @Override
        public void send(ExportMessage message) {
            sent.add(message);
        }
    };
    private final ExportService service = new ExportService(exports, null, queue, new Cursors("test"), Clock.systemUTC(), CAP);

    @BeforeAll
    static void connect() {
        env = new Env(TestCloud.embedded().environment("ExportsApiFunction"));
        dynamo = Aws.dynamoDb(env);
        exports = new ExportRepository(dynamo, env.require("TABLE_NAME"));
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    private String start() {
        service.start(tenant, "alice", ExportRequest.of(null));
        return sent.get(sent.size() - 1).exportId();
    }

    private static int status(Throwable e) {
        return ((ApiException) e).status();
    }

    @Test
    void manyConcurrentStartsTakeExactlyTheCap() throws Exception {
        var go = new CountDownLatch(1);
        var outcomes = new ArrayList<Future<Integer>>();
        try (var pool = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < 10; i++) {
                outcomes.add(pool.submit(() -> {
                    go.await();
                    try {
                        service.start(tenant, "alice", ExportRequest.of(null));
                        return 202;
                    } catch (ApiException e) {
                        return e.status();
                    }
                }));
            }
            go.countDown();
            var statuses = new ArrayList<Integer>();
            for (var f : outcomes) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(s -> s == 202).hasSize(CAP);
            assertThat(statuses).filteredOn(s -> s == 429).hasSize(10 - CAP);
        }
        assertThat(sent).hasSize(CAP);
        // A refused start leaves no export behind: only the ones holding the slots are listed.
        assertThat(exports.all(tenant)).extracting(stored -> stored.job().id())
                .containsExactlyInAnyOrderElementsOf(sent.stream().map(ExportMessage::exportId).toList());
    }

    @Test
    void aSucceededOrFailedExportGivesItsSlotBackAndARetryTakesOne() {
        var ids = new ArrayList<String>();
        for (int i = 0; i < CAP; i++) {
            ids.add(start());
        }
        assertThatThrownBy(this::start).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.code()).isEqualTo("too_many_exports");
            assertThat(e.headers()).containsEntry("Retry-After", "30");
        });
        exports.fail(tenant, ids.get(0), "the test failed it", Instant.now());
        String fourth = start();
        assertThatThrownBy(this::start).satisfies(e -> assertThat(status(e)).isEqualTo(429));
        // A retry of the failed export needs a slot too.
        assertThatThrownBy(() -> service.retry(tenant, ids.get(0))).satisfies(e -> assertThat(status(e)).isEqualTo(429));
        exports.fail(tenant, fourth, "the test failed it", Instant.now());
        assertThat(service.retry(tenant, ids.get(0)).status().value()).isEqualTo("queued");
        assertThatThrownBy(this::start).satisfies(e -> assertThat(status(e)).isEqualTo(429));
    }

    @Test
    void aSlotWhoseReleaseWasLostIsFreedWhenTheCapIsReached() {
        var ids = new ArrayList<String>();
        for (int i = 0; i < CAP; i++) {
            ids.add(start());
        }
        // Failed without its release, as a crash between the two writes would leave it.
        JobRecords.fail(dynamo, env.require("TABLE_NAME"), Map.of("PK", AttributeValue.fromS(ExportKeys.exports(tenant)),
                "SK", AttributeValue.fromS(ids.get(1))), "crashed", Instant.now());
        String next = start();
        assertThat(next).isNotIn(ids);
        assertThatThrownBy(this::start).satisfies(e -> assertThat(status(e)).isEqualTo(429));
    }
}
