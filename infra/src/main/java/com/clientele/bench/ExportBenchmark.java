package com.clientele.bench;

import com.clientele.customers.CardSummary;
import com.clientele.customers.Company;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerStats;
import com.clientele.customers.CustomerType;
import com.clientele.exports.ExportWorkerHandler;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.Keys;
import com.clientele.shared.Money;
import com.clientele.shared.Table.Index;
import com.clientele.shared.events.Sqs;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The CSV export of a whole tenant against a raw read of the same items, and the export's memory.
 * Seeds CUSTOMERS customers (one tenant, default 100,000) and 10,000 (another) straight into
 * DynamoDB Local: profiles as the app stores them, a third of them businesses, with stats, a card
 * and points. The template runs with the export worker's event source switched off, so that this
 * program decides where the worker runs. Then, one after the other:
 *
 * <ul>
 *   <li>raw: every page of the Query the export reads ({@code GSI3PK = T#t#CUSTOMERS}, newest
 *       first, DynamoDB's 1 MB pages), counting the items;</li>
 *   <li>the export: {@code POST /exports/customers} through the local API, its messages worked by
 *       the worker function in this JVM, until it reads {@code succeeded} (the whole path: the list's
 *       pages, the CSV, the parts uploaded to the embedded S3, the records); the file is then
 *       downloaded through its link and its lines counted;</li>
 *   <li>memory: the same export of each tenant worked by the worker in a child JVM with
 *       {@code -Xmx64m -XX:+UseSerialGC} (Lambda's collector), reporting its heap.</li>
 * </ul>
 *
 * <pre>
 *   mvn -q -pl infra -am -DskipTests package exec:exec -Dlocal.main=com.clientele.bench.ExportBenchmark [-Dlocal.args="CUSTOMERS HEAP"]
 * </pre>
 * (HEAP: the child JVM's -Xmx, default 64m.)
 */
public final class ExportBenchmark {

    static final int DEFAULT_CUSTOMERS = 100_000;
    static final int SMALL = 10_000;
    private static final String TENANT = "bench";
    private static final String SMALL_TENANT = "bench10k";

    private ExportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int customers = Bench.intOption(options, 0, DEFAULT_CUSTOMERS);
        String heap = options.size() > 1 ? options.get(1) : "64m";
        Path template = withoutExportWorker(Bench.template());
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(template));
             var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var workerEnv = cloud.environment("ExportWorkerFunction");
            var env = new Env(workerEnv);
            var dynamo = Aws.dynamoDb(env);
            String table = env.require("TABLE_NAME");

            long seedStart = System.nanoTime();
            seed(dynamo, table, TENANT, customers);
            seed(dynamo, table, SMALL_TENANT, SMALL);
            System.out.printf("Seeded %,d + %,d customers in %.1f s%n", customers, SMALL, seconds(seedStart));

            // warm-up, untimed: the raw reads and an export of the small tenant, in this JVM
            var handler = new ExportWorkerHandler(workerEnv);
            var sqs = Sqs.create(env);
            String queue = env.require("EXPORT_QUEUE_URL");
            raw(dynamo, table, SMALL_TENANT, 0);
            raw(dynamo, table, SMALL_TENANT, PAGE);
            export(http, cloud, SMALL_TENANT, () -> ExportWorkerProbe.drain(sqs, queue, handler));

            long rawStart = System.nanoTime();
            long rawItems = raw(dynamo, table, TENANT, 0);
            double rawSeconds = seconds(rawStart);
            long pagedStart = System.nanoTime();
            raw(dynamo, table, TENANT, PAGE);
            double pagedSeconds = seconds(pagedStart);

            long exportStart = System.nanoTime();
            var done = export(http, cloud, TENANT, () -> ExportWorkerProbe.drain(sqs, queue, handler));
            double exportSeconds = seconds(exportStart);
            long downloadStart = System.nanoTime();
            long lines = lines(http, done.path("downloadUrl").asText());
            double downloadSeconds = seconds(downloadStart);

            System.out.printf("%nCSV export of one tenant: %,d customers, %d CPUs, one JVM on loopback (DynamoDB Local, ElasticMQ, S3Mock)%n",
                    customers, Runtime.getRuntime().availableProcessors());
            System.out.printf("  raw Query, 1 MB pages (GSI3, newest)   %7.1f s  %,9.0f items/s  %,d items%n",
                    rawSeconds, rawItems / rawSeconds, rawItems);
            System.out.printf("  raw Query, %d-item pages               %7.1f s  %,9.0f items/s%n", PAGE, pagedSeconds, rawItems / pagedSeconds);
            System.out.printf("  export (API -> queue -> worker -> S3)  %7.1f s  %,9.0f rows/s   %,d rows, %,d bytes, %s (%s)%n",
                    exportSeconds, customers / exportSeconds, done.path("rowsWritten").asLong(), done.path("bytes").asLong(),
                    done.path("status").asText(), done.path("error").asText(""));
            System.out.printf("  download through the presigned link    %7.1f s  %,d lines (header + rows)%n", downloadSeconds, lines);
            System.out.printf("  ratio export / raw %.2fx (1 MB pages), %.2fx (%d-item pages)%n", exportSeconds / rawSeconds,
                    exportSeconds / pagedSeconds, PAGE);

            System.out.printf("%nThe worker alone in a child JVM, -Xmx%s -XX:+UseSerialGC:%n", heap);
            for (String tenant : List.of(SMALL_TENANT, TENANT)) {
                var child = startChild(workerEnv, heap);
                var result = export(http, cloud, tenant, () -> { });
                String probe = child.await();
                System.out.printf("  %-9s %,7d rows  %s  [%s]%n", tenant, result.path("rowsWritten").asLong(),
                        result.path("status").asText(), probe);
            }
        }
        // DynamoDB Local leaves a non-daemon thread (its shard-rollover job) sleeping for minutes after it stops.
        System.exit(0);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The template with the export worker's SQS event source disabled: this program runs the worker. */
    static Path withoutExportWorker(Path template) throws Exception {
        String text = Files.readString(template);
        String source = "Queue: !GetAtt ExportJobsQueue.Arn\n";
        if (!text.contains(source)) {
            throw new IllegalStateException("the template's export worker has no event source on ExportJobsQueue");
        }
        Path copy = Files.createTempFile("template-export-bench", ".yaml");
        copy.toFile().deleteOnExit();
        Files.writeString(copy, text.replace(source, source + "            Enabled: false\n"));
        return copy;
    }

    /** Customers as the app stores them (profiles only: what the export reads). */
    static void seed(DynamoDbClient dynamo, String table, String tenant, int count) throws Exception {
        var profiles = new CustomerRepository(dynamo, table);
        var random = new Random(42);
        String[] first = {"Ada", "Grace", "Alan", "Zoë", "Mary", "Linus", "Barbara", "Dennis", "Frances", "Ken"};
        String[] last = {"Lovelace", "Hopper", "Turing", "Łódź", "Jackson", "Torvalds", "Liskov", "Ritchie", "Allen", "Thompson"};
        Instant now = Instant.now();
        var items = new ArrayList<Map<String, AttributeValue>>(count);
        for (int i = 0; i < count; i++) {
            String id = Ids.next(Ids.CUSTOMER);
            boolean business = i % 3 == 0;
            long orders = random.nextInt(12);
            long ltv = orders * (1_000 + random.nextInt(20_000));
            Instant joined = now.minus(Duration.ofDays(400)).plusSeconds(i);
            Instant last1 = orders == 0 ? null : now.minus(Duration.ofDays(random.nextInt(300)));
            var stats = orders == 0 ? CustomerStats.zero(null)
                    : new CustomerStats(new Money(ltv, "USD"), orders, new Money(ltv / orders, "USD"), last1.minus(Duration.ofDays(30)),
                            last1, new Money(ltv / orders, "USD"), new Money(0, "USD"), 0, null, orders >= 2);
            var customer = Customer.builder().id(id).type(business ? CustomerType.BUSINESS : CustomerType.INDIVIDUAL).firstName(first[i % first.length])
                    .lastName(last[(i / 10) % last.length]).email("customer" + i + "@example.com").phone(String.format("+1415%07d", i))
                    .company(business ? new Company("Company " + i + ", Inc.", null, null) : null).paymentTerms(business ? "NET_30" : null)
                    .currency(orders == 0 ? null : "USD")
                    .paymentMethod(orders == 0 ? null : new CardSummary("pm_" + i, "visa", String.format("%04d", i % 10_000)))
                    .stats(stats).pointsAvailable(random.nextInt(5_000)).createdAt(joined).updatedAt(joined).build();
            items.add(profiles.profileUpdate(tenant, customer, customer).item().toMap());
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            var writes = new ArrayList<Future<?>>();
            for (int i = 0; i < items.size(); i += 25) {
                var chunk = items.subList(i, Math.min(items.size(), i + 25));
                writes.add(pool.submit(() -> Bench.batchWrite(dynamo, table, chunk)));
            }
            for (var w : writes) {
                w.get();
            }
        }
    }


    /** The export's page size (the template's EXPORT_PAGE_SIZE). */
    static final int PAGE = 500;

    /**
     * The export's read, raw: every page of the tenant's customers on GSI3, newest first, of
     * {@code limit} items (0: as many as DynamoDB's 1 MB allows). Returns the items.
     */
    static long raw(DynamoDbClient dynamo, String table, String tenant, int limit) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            var startKey = start;
            var page = dynamo.query(r -> r.tableName(table).indexName(Index.GSI3.name()).scanIndexForward(false)
                    .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", Index.GSI3.pk()))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.customers(tenant))))
                    .limit(limit > 0 ? limit : null).exclusiveStartKey(startKey));
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    /** Asks for an export of every customer of the tenant, lets {@code worker} run, and waits until it is done. */
    static JsonNode export(HttpClient http, LocalCloud cloud, String tenant, Runnable worker) throws Exception {
        String token = cloud.token(tenant, "bench-user");
        var started = http.send(HttpRequest.newBuilder(cloud.apiUrl().resolve("/exports/customers"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 202) {
            throw new IllegalStateException("the export did not start: " + started.statusCode() + " " + started.body());
        }
        String location = started.headers().firstValue("Location").orElseThrow();
        worker.run();
        while (true) {
            var export = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(cloud.apiUrl().resolve(location))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            String status = export.path("status").asText();
            if (status.equals("succeeded") || status.equals("failed")) {
                return export;
            }
            Thread.sleep(50);
        }
    }

    /** Downloads the file through its link, streaming, and counts its lines. */
    private static long lines(HttpClient http, String url) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body();
             var reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            return reader.lines().count();
        }
    }

    /** The worker in its own JVM with a fixed heap, on the worker's environment; its report line when it ends. */
    private static Child startChild(Map<String, String> environment, String heap) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        var builder = new ProcessBuilder(java, "-Xmx" + heap, "-Xms" + heap, "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), ExportWorkerProbe.class.getName()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new Child(builder.start());
    }

    private record Child(Process process) {
        String await() throws Exception {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return output.lines().filter(l -> l.startsWith("probe ")).findFirst()
                    .map(l -> l.substring("probe ".length())).orElse("no report; exit " + process.exitValue() + ": " + output.strip());
        }
    }
}
