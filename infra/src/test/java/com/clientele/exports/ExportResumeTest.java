package com.clientele.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.analytics.TenantCounters;
import com.clientele.customers.Company;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerService;
import com.clientele.customers.CustomerStats;
import com.clientele.customers.CustomerType;
import com.clientele.e2e.Api;
import com.clientele.e2e.TestCloud;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.jobs.JobMetrics;
import com.clientele.shared.jobs.JobStatus;
import com.clientele.shared.jobs.StepRunner;
import com.clientele.shared.metrics.MetricRecord;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * An export of several parts (2,700 wide rows: about 8 MB, so two parts of S3's 5 MiB minimum),
 * worked by the worker's runner in this JVM against the local cloud's DynamoDB and S3, with the
 * messages it sends captured, so that a test decides when each invocation runs and where it dies:
 * through several invocations, and dying after a part's upload but before its record, after the
 * last part's upload, and in the middle of completing. Each time the file comes out whole, in the
 * list's order, no row twice. (Same package as the runner, for its seams.)
 */
class ExportResumeTest {

    private static final int CUSTOMERS = 2_700;
    private static final List<String> COLUMNS = List.of("id", "firstName", "lastName", "company", "companyRegistrationNumber",
            "vatNumber");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalCloud cloud;
    private static Env env;
    private static DynamoDbClient dynamo;
    private static String tenant;
    /** The seeded ids, newest first: the export's order. */
    private static List<String> expected;

    private final List<ExportMessage> sent = Collections.synchronizedList(new ArrayList<>());
    private final List<String> retries = Collections.synchronizedList(new ArrayList<>());
    private final ExportQueue queue = new ExportQueue(null, null) {
        @Override
        public void send(ExportMessage message) {
            sent.add(message);
        }

        @Override
        public void retryIn(String receiptHandle, int seconds) {
            retries.add(receiptHandle + " in " + seconds + " s");
        }
    };

    @BeforeAll
    static void seed() throws Exception {
        cloud = TestCloud.embedded();
        env = new Env(cloud.environment("ExportWorkerFunction"));
        dynamo = Aws.dynamoDb(env);
        tenant = "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String table = env.require("TABLE_NAME");
        var profiles = new CustomerRepository(dynamo, table);
        var ids = new ArrayList<String>();
        var items = new ArrayList<Map<String, AttributeValue>>();
        Instant joined = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < CUSTOMERS; i++) {
            String id = Ids.next(Ids.CUSTOMER);
            ids.add(id);
            // Wide rows, but keys within DynamoDB's limits (the name is in the by-name index's sort key).
            var c = Customer.builder().id(id).type(CustomerType.BUSINESS).firstName("F" + i + "-" + "x".repeat(300)).lastName("L" + "y".repeat(300))
                    .email("c" + i + "@example.com").phone("+14155550100")
                    .company(new Company("C" + i + "-" + "z".repeat(1_500), "r".repeat(500), "v".repeat(500)))
                    .stats(CustomerStats.zero(null)).createdAt(joined).updatedAt(joined).build();
            items.add(profiles.profileUpdate(tenant, c, c).item().toMap());
        }
        try (var pool = Executors.newFixedThreadPool(4)) {
            var writes = new ArrayList<Future<?>>();
            for (int i = 0; i < items.size(); i += 25) {
                var chunk = items.subList(i, Math.min(items.size(), i + 25)).stream()
                        .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build()).toList();
                writes.add(pool.submit(() -> {
                    var pending = chunk;
                    while (!pending.isEmpty()) {
                        var request = pending;
                        pending = dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, request))).unprocessedItems()
                                .getOrDefault(table, List.of());
                    }
                }));
            }
            for (var w : writes) {
                w.get();
            }
        }
        Collections.reverse(ids);
        expected = List.copyOf(ids);
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    // ---- the pieces, as the worker function builds them, with files that can fail on cue --------

    /** The bucket, failing once at the point named. */
    static final class Faulty implements ExportFiles {
        private final ExportFiles files;
        private volatile int failAfterUploadOf;
        private volatile boolean failInComplete;
        private volatile boolean failEveryUpload;

        Faulty(ExportFiles files) {
            this.files = files;
        }

        @Override
        public String start(String key, String fileName) {
            return files.start(key, fileName);
        }

        @Override
        public String upload(String key, String uploadId, int number, PartBuffer bytes) {
            if (failEveryUpload) {
                throw new IllegalStateException("S3 is down");
            }
            String etag = files.upload(key, uploadId, number, bytes);
            if (number == failAfterUploadOf) {
                failAfterUploadOf = 0;
                throw new IllegalStateException("the invocation died after uploading part " + number);
            }
            return etag;
        }

        @Override
        public void complete(String key, String uploadId, List<Part> parts) {
            if (failInComplete) {
                failInComplete = false;
                files.complete(key, uploadId, parts);
                throw new IllegalStateException("the invocation died as it completed the upload");
            }
            files.complete(key, uploadId, parts);
        }

        @Override
        public void abort(String key, String uploadId) {
            files.abort(key, uploadId);
        }

        @Override
        public void delete(String key) {
            files.delete(key);
        }

        @Override
        public URL link(String key, Duration validity) {
            return files.link(key, validity);
        }
    }

    private final Faulty files = new Faulty(new S3ExportFiles(S3ExportFiles.client(env), S3ExportFiles.presigner(env), env.require("EXPORT_BUCKET")));
    private final ExportRepository exports = new ExportRepository(dynamo, env.require("TABLE_NAME"));
    private final ExportService service = new ExportService(exports, files, queue, new Cursors("test"), Clock.systemUTC(),
            ExportService.DEFAULT_MAX_ACTIVE);
    /** What the runner and the export count, across the test's invocations. */
    private final List<MetricRecord> metrics = Collections.synchronizedList(new ArrayList<>());
    private final JobMetrics jobMetrics = new JobMetrics(metrics::add, JobMetrics.EXPORT);
    private final ExportRunner export = new ExportRunner(exports, files,
            new CustomerService(new CustomerRepository(dynamo, env.require("TABLE_NAME")),
                    new Cursors(env.require("CURSOR_SECRET")), Clock.systemUTC())::customers,
            new TenantCounters(dynamo, env.require("TABLE_NAME"))::read, Clock.systemUTC(), ExportRunner.MIN_PART_BYTES, 250,
            jobMetrics);
    /** The worker's runner, on its last delivery the third. */
    private final StepRunner<ExportMessage> runner = new StepRunner<>(ExportMessage.class, export, queue,
            new StepRunner.Settings(600_000, ExportWorkerHandler.RESERVE_MILLIS, 3), jobMetrics);

    private static final BooleanSupplier PLENTY_OF_TIME = () -> true;
    private static final BooleanSupplier NO_TIME_LEFT = () -> false;

    private ExportMessage start() {
        service.start(tenant, "alice", ExportRequest.of(Json.MAPPER.valueToTree(Map.of("columns", COLUMNS))));
        assertThat(sent).hasSize(1);
        return sent.remove(0);
    }

    private ExportRepository.Stored stored(String id) {
        return exports.find(tenant, id).orElseThrow();
    }

    /** Downloads the finished export and checks it holds every seeded row once, in the list's order. */
    private void assertWhole(String exportId) throws Exception {
        assertWhole(exportId, 2);
    }

    private void assertWhole(String exportId, int parts) throws Exception {
        var export = service.get(tenant, exportId);
        assertThat(export.status()).as(export.toString()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(export.rowsWritten()).isEqualTo(CUSTOMERS);
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(export.downloadUrl())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat((long) response.body().length).isEqualTo(export.bytes()).isGreaterThan(ExportRunner.MIN_PART_BYTES + 1_000_000L);
        List<List<String>> rows;
        try (var it = new CsvMapper().readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .<List<String>>readValues(response.body())) {
            rows = it.readAll();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(rows.get(0)).isEqualTo(COLUMNS);
        var data = rows.subList(1, rows.size());
        assertThat(data).extracting(r -> r.get(0)).containsExactlyElementsOf(expected);
        for (int i = 0; i < data.size(); i++) {
            int seeded = CUSTOMERS - 1 - i;
            assertThat(data.get(i).get(1)).isEqualTo("F" + seeded + "-" + "x".repeat(300));
            assertThat(data.get(i).get(3)).isEqualTo("C" + seeded + "-" + "z".repeat(1_500));
            assertThat(data.get(i).get(5)).hasSize(500);
        }
        assertThat(stored(exportId).parts()).hasSize(parts);
    }

    // ---- tests ---------------------------------------------------------------------------------

    @Test
    void aBudgetSpentAfterEachPartTakesSeveralInvocationsAndTheFileComesOutWhole() throws Exception {
        var first = start();
        runner.run(first, 1, NO_TIME_LEFT);
        var afterOne = stored(first.exportId());
        assertThat(afterOne.job().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(afterOne.step()).isEqualTo(1);
        assertThat(afterOne.parts()).hasSize(1);
        assertThat(afterOne.job().rowsWritten()).isBetween(1L, CUSTOMERS - 1L);
        assertThat(afterOne.cursor()).isNotNull();
        assertThat(sent).containsExactly(first.next());

        // the first message again (its run died between the hand-over and the send): it sends the hand-over again
        runner.run(first, 2, PLENTY_OF_TIME);
        assertThat(sent).containsExactly(first.next(), first.next());
        assertThat(stored(first.exportId()).version()).isEqualTo(afterOne.version());

        runner.run(sent.get(0), 1, NO_TIME_LEFT);
        assertWhole(first.exportId());
        // counted: the rows of each recorded part (their sum is the file's), then the export succeeded, once
        assertThat(metrics).filteredOn(r -> r.value("JobItems") != null).extracting(r -> r.value("JobItems"))
                .hasSizeGreaterThanOrEqualTo(2).satisfies(rows -> assertThat(rows.stream().mapToLong(Long::longValue).sum())
                        .isEqualTo(CUSTOMERS));
        assertThat(metrics).filteredOn(r -> r.value("JobsSucceeded") != null).singleElement()
                .satisfies(r -> assertThat(r.value("JobDuration")).isPositive());
        // a late copy of a finished export's message does nothing
        runner.run(sent.get(1), 1, PLENTY_OF_TIME);
        assertThat(stored(first.exportId()).version()).isEqualTo(afterOne.version() + 1);
    }

    @Test
    void anInvocationThatDiesAfterUploadingAPartBeforeRecordingItIsResumedWithoutDuplicates() throws Exception {
        var message = start();
        files.failAfterUploadOf = 1;
        assertThatThrownBy(() -> runner.run(message, 1, PLENTY_OF_TIME)).hasMessageContaining("after uploading part 1");
        var dead = stored(message.exportId());
        assertThat(dead.job().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(dead.uploadId()).isNotNull();
        assertThat(dead.parts()).isEmpty();
        assertThat(dead.job().rowsWritten()).isZero();

        runner.run(message, 2, PLENTY_OF_TIME); // SQS delivers it again
        assertWhole(message.exportId());
        assertThat(stored(message.exportId()).uploadId()).isEqualTo(dead.uploadId());
    }

    @Test
    void anInvocationThatDiesAfterUploadingTheLastPartIsResumedFromTheLastRecord() throws Exception {
        var message = start();
        files.failAfterUploadOf = 2;
        assertThatThrownBy(() -> runner.run(message, 1, PLENTY_OF_TIME)).hasMessageContaining("after uploading part 2");
        var dead = stored(message.exportId());
        assertThat(dead.parts()).hasSize(1);
        assertThat(dead.completing()).isFalse();
        runner.run(message, 2, PLENTY_OF_TIME);
        assertWhole(message.exportId());
    }

    @Test
    void anInvocationThatDiesWhileCompletingTheUploadFinishesOnTheNextDelivery() throws Exception {
        var message = start();
        files.failInComplete = true;
        assertThatThrownBy(() -> runner.run(message, 1, PLENTY_OF_TIME)).hasMessageContaining("completed the upload");
        var dead = stored(message.exportId());
        assertThat(dead.completing()).isTrue();
        assertThat(dead.job().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(dead.job().rowsWritten()).isEqualTo(CUSTOMERS);
        runner.run(message, 2, PLENTY_OF_TIME);
        assertWhole(message.exportId());
    }

    /**
     * The worker function on its last delivery marks the export failed with the reason; a retry
     * over the API queues it again, and the local cloud's own worker writes it whole.
     */
    @Test
    void aFailedExportSaysWhyAndARetryOverTheApiWritesItWhole() throws Exception {
        var message = start();
        files.failEveryUpload = true;
        var handler = new ExportWorkerHandler(runner);
        var record = new SQSEvent.SQSMessage();
        record.setMessageId("m-1");
        record.setReceiptHandle("handle-1");
        record.setBody(Json.write(message));
        var event = new SQSEvent();
        event.setRecords(List.of(record));
        // the first failures: retried soon, backing off, the export still running
        for (int receives = 1; receives <= 2; receives++) {
            record.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receives)));
            assertThat(handler.handleRequest(event, null).getBatchItemFailures()).hasSize(1);
        }
        assertThat(retries).containsExactly("handle-1 in 30 s", "handle-1 in 60 s");
        assertThat(service.get(tenant, message.exportId()).status()).isEqualTo(JobStatus.RUNNING);
        // the last delivery: failed, saying why
        record.setAttributes(Map.of("ApproximateReceiveCount", "3"));
        assertThat(handler.handleRequest(event, null).getBatchItemFailures()).hasSize(1);
        assertThat(retries).hasSize(2);
        var failed = service.get(tenant, message.exportId());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).contains("failed 3 times").contains("S3 is down");
        assertThat(failed.downloadUrl()).isNull();
        assertThat(metrics).filteredOn(r -> r.value("JobsFailed") != null).singleElement()
                .satisfies(r -> assertThat(r.value("MessagesDeadLettered")).isEqualTo(1));
        var stored = stored(message.exportId());

        var api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
        var retried = api.post("/exports/" + message.exportId() + "/retry", null);
        assertThat(retried.status()).as(retried.text()).isEqualTo(202);
        assertThat(retried.json().path("status").asText()).isEqualTo("queued");
        assertThat(retried.json().path("attempt").asInt()).isEqualTo(2);
        assertThat(retried.json().path("error").isNull()).isTrue();
        var deadline = Instant.now().plusSeconds(120);
        while (!service.get(tenant, message.exportId()).status().equals(JobStatus.SUCCEEDED) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertWhole(message.exportId(), 1); // the cloud's worker has the template's parts: 8 MiB, one here
        assertThat(stored(message.exportId()).uploadId()).isNotEqualTo(stored.uploadId());
    }
}
