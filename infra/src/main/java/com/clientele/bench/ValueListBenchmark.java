package com.clientele.bench;

import com.clientele.customers.CustomerItems;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.Keys;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The customers list by value against the plain list. On an in-memory {@link LocalCloud}, seeds
 * CUSTOMERS customers of one tenant (created through the API; their stats, with varied LTV, orders
 * and times, written straight into the profiles as the LTV aggregator would), then for each kind of
 * list page reports:
 * <ul>
 *   <li>the DynamoDB calls one request makes (the function in-process over a recording client);</li>
 *   <li>p50 and p99 through the HTTP API (JWT check, event, handler), all kinds interleaved request
 *       by request, and the p50 ratio to the plain list page (default sort, GSI3, one Query).</li>
 * </ul>
 *
 * <p>Run from the repository root after {@code mvn -DskipTests install}:
 * <pre>
 *   mvn -q -o -pl infra exec:exec -Dlocal.main=com.clientele.bench.ValueListBenchmark [-Dlocal.args="CUSTOMERS REQUESTS WARMUP"]
 * </pre>
 * Defaults: 3000 customers, 500 timed requests per kind after 100 warm-up ones.
 */
public final class ValueListBenchmark {

    private static final String TENANT = "value";
    private static final int THREADS = 4;

    private ValueListBenchmark() {
    }

    /** A kind of page: a label and its query (path and query string). */
    private record Kind(String label, String route, String path, Map<String, String> query) {
        String uri() {
            return path + (query.isEmpty() ? "" : "?" + query.entrySet().stream()
                    .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&")));
        }
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int customers = Bench.intOption(options, 0, 3_000);
        int requests = Bench.intOption(options, 1, 500);
        int warmUp = Bench.intOption(options, 2, 100);

        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()));
             var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             var dynamo = Aws.dynamoDb(new Env(cloud.environment("CustomersFunction")))) {
            var api = new ApiClient(http, cloud.apiUrl(), cloud.token(TENANT, "bench-user"));
            long started = System.nanoTime();
            seed(api, dynamo, cloud.resources().get("Table"), customers);
            System.out.printf("%nSeeded %,d customers in %.1f s%n", customers, (System.nanoTime() - started) / 1e9);

            String secondPage = nextCursor(api.get("/customers?sort=-ltv&limit=20").body());
            var kinds = List.of(
                    new Kind("plain list (newest first)", "/customers", "/customers", Map.of("limit", "20")),
                    new Kind("sort=-ltv", "/customers", "/customers", Map.of("limit", "20", "sort", "-ltv")),
                    new Kind("sort=-ltv, page 2 (cursor)", "/customers", "/customers",
                            Map.of("limit", "20", "sort", "-ltv", "cursor", secondPage)),
                    new Kind("sort=-ltv&ltvMin=250000 (key range)", "/customers", "/customers",
                            Map.of("limit", "20", "sort", "-ltv", "ltvMin", "250000")),
                    new Kind("sort=-ltv&segment=high_value", "/customers", "/customers",
                            Map.of("limit", "20", "sort", "-ltv", "segment", "high_value")),
                    new Kind("sort=-ltv&segment=at_risk (filter)", "/customers", "/customers",
                            Map.of("limit", "20", "sort", "-ltv", "segment", "at_risk")),
                    new Kind("segment=loyal (filter, newest first)", "/customers", "/customers",
                            Map.of("limit", "20", "segment", "loyal")),
                    new Kind("top (limit 100)", "/customers/top", "/customers/top", Map.of()));

            var calls = countCalls(cloud, kinds);
            var timings = Bench.interleave(kinds, warmUp, requests, (kind, i) ->
                    ApiClient.expect(200, api.get(kind.uri()), kind.label()));

            double plain = timings.get(kinds.getFirst()).percentile(50);
            System.out.printf("%nList pages of %,d customers (limit 20 unless told): DynamoDB calls per request, and latency%n"
                    + "through the HTTP API in ms (%,d requests per kind after %,d warm-up, %d CPUs, one JVM on loopback)%n%n",
                    customers, requests, warmUp, Runtime.getRuntime().availableProcessors());
            System.out.printf("%-40s %-34s %5s %8s %8s %9s%n", "page", "DynamoDB calls", "rows", "p50", "p99", "p50 ratio");
            for (var kind : kinds) {
                var samples = timings.get(kind);
                var counted = calls.get(kind);
                System.out.printf("%-40s %-34s %5d %8.2f %8.2f %8.2fx%n", kind.label(), counted.summary(), counted.rows(),
                        samples.percentile(50), samples.percentile(99), samples.percentile(50) / plain);
            }
        }
        // DynamoDB Local leaves a non-daemon thread (its shard-rollover job) sleeping for minutes after it stops.
        System.exit(0);
    }

    private record Counted(String summary, int rows) {
    }

    /** The DynamoDB calls of one request of each kind, by the function in-process over a recording client. */
    private static Map<Kind, Counted> countCalls(LocalCloud cloud, List<Kind> kinds) throws Exception {
        var recorder = new CallCounter.Recorder();
        var result = new LinkedHashMap<Kind, Counted>();
        try (var dynamo = CallCounter.recordingDynamoDb(cloud.environment("CustomersFunction"), recorder)) {
            var handler = CallCounter.customersHandler(cloud, dynamo);
            for (var kind : kinds) {
                var query = new LinkedHashMap<>(kind.query());
                if (query.containsKey("cursor")) {
                    // The in-process function signs cursors with its own secret: take a cursor from it.
                    var first = handler.handleRequest(ApiEvents.get(TENANT, kind.route(), kind.path(),
                            Map.of("limit", "20", "sort", "-ltv")), null);
                    query.put("cursor", nextCursor(first.getBody()));
                }
                recorder.drain();
                var response = handler.handleRequest(ApiEvents.get(TENANT, kind.route(), kind.path(), query), null);
                ApiClient.expect(200, response.getStatusCode(), kind.label(), response.getBody());
                var made = recorder.drain();
                var byOperation = new LinkedHashMap<String, Integer>();
                made.forEach(call -> byOperation.merge(call, 1, Integer::sum));
                String summary = made.size() + ": " + byOperation.entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
                int rows = com.clientele.shared.Json.MAPPER.readTree(response.getBody()).path("data").size();
                result.put(kind, new Counted(summary, rows));
            }
        }
        return result;
    }

    private static String nextCursor(String body) {
        try {
            return com.clientele.shared.Json.MAPPER.readTree(body).path("nextCursor").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Creates the customers through the API, then writes each one's stats: LTV spread over 0 to
     * 500,000 (a fifth with no purchase), 1 to 8 orders, first purchases over the last 90 days, and
     * a recent failed payment for about one in twenty.
     */
    private static void seed(ApiClient api, DynamoDbClient dynamo, String table, int customers) throws Exception {
        var pool = Executors.newFixedThreadPool(THREADS);
        try {
            var tasks = new ArrayList<Callable<Void>>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                tasks.add(() -> {
                    for (int n = thread; n < customers; n += THREADS) {
                        String id = api.create("/customers", WarmBenchmark.customerJson(TENANT, n));
                        writeStats(dynamo, table, id, n);
                    }
                    return null;
                });
            }
            for (var future : pool.invokeAll(tasks)) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void writeStats(DynamoDbClient dynamo, String table, String id, int n) {
        long mix = (n * 2_654_435_761L) & 0x7fffffff;
        long orders = n % 5 == 0 ? 0 : 1 + mix % 8;
        long ltv = orders == 0 ? 0 : mix % 500_000;
        Instant now = Instant.now();
        String currency = orders == 0 ? "null" : "\"USD\"";
        String first = orders == 0 ? "null" : "\"" + now.minus(mix % 90, ChronoUnit.DAYS) + "\"";
        String failed = n % 20 == 3 ? "\"" + now.minus(mix % 60, ChronoUnit.DAYS) + "\"" : "null";
        String json = """
                {"ltv": {"amount": %d, "currency": %s}, "orders": %d, "averageOrderValue": {"amount": %d, "currency": %s},
                 "firstPurchaseAt": %s, "lastPurchaseAt": %s, "lastOrderValue": null, "refunded": {"amount": 0, "currency": %s},
                 "failedPayments": %d, "lastFailedAt": %s, "returning": %s}""".formatted(ltv, currency, orders,
                orders == 0 ? 0 : ltv / orders, currency, first, first, currency, failed.equals("null") ? 0 : 1, failed,
                orders >= 2);
        dynamo.updateItem(r -> r.tableName(table)
                .key(WarmBenchmark.key(Keys.customer(TENANT, id), CustomerItems.PROFILE))
                .updateExpression("SET #s = :s, GSI5SK = :k")
                .expressionAttributeNames(Map.of("#s", "stats"))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromM(EnhancedDocument.fromJson(json).toMap()),
                        ":k", AttributeValue.fromS(CustomerItems.ltvSortKey(ltv, id)))));
    }
}
