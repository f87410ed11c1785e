package com.clientele.bench;

import com.clientele.customers.CustomerItems;
import com.clientele.customers.CustomersHandler;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.Ids;
import com.clientele.shared.Keys;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Warm latency of the customers API against the DynamoDB calls it makes. On an in-memory
 * {@link LocalCloud}, times create, get and list-page (limit 20) requests three ways, interleaved
 * request by request so that noise falls on all three alike:
 * <ul>
 *   <li><b>HTTP API</b>: through the local HttpApi (JWT check, event, handler) with a keep-alive
 *       {@link HttpClient};</li>
 *   <li><b>handler</b>: the same function invoked in-process with a ready-made event (no HTTP, no JWT);</li>
 *   <li><b>raw</b>: the DynamoDB call behind each request, with the function's own SDK client
 *       configuration: one TransactWriteItems of the same six items (profile as the API stores it,
 *       email guard, four search terms, with the same conditions), one consistent GetItem, one Query
 *       of GSI3 (Limit 21, newest first).</li>
 * </ul>
 * Each way writes to its own tenant, so every list reads a partition of the same size.
 *
 * <p>Run from the repository root after {@code mvn -DskipTests install}:
 * <pre>
 *   mvn -q -o -pl infra exec:exec -Dlocal.main=com.clientele.bench.WarmBenchmark [-Dlocal.args="REQUESTS WARMUP"]
 * </pre>
 * REQUESTS (default 1000) are timed per operation and way, after WARMUP (default 300) untimed ones.
 */
public final class WarmBenchmark {

    static final int DEFAULT_REQUESTS = 1_000;
    static final int DEFAULT_WARM_UP = 300;

    enum Operation { CREATE, GET, LIST }

    /** One way of performing the three operations; {@code n} numbers the customer to create. */
    interface Way {
        String name();

        void create(int n);

        void get(int n);

        void list();
    }

    private WarmBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int requests = Bench.intOption(options, 0, DEFAULT_REQUESTS);
        int warmUp = Bench.intOption(options, 1, DEFAULT_WARM_UP);

        var results = new HashMap<String, Samples>();
        List<Way> ways;
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()));
             var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             var dynamo = Aws.dynamoDb(new Env(cloud.environment("CustomersFunction")))) {
            String table = cloud.resources().get("Table");
            var api = new HttpApi(new ApiClient(http, cloud.apiUrl(), cloud.token("http", "bench-user")));
            var handler = new InProcessHandler(new CustomersHandler(cloud.environment("CustomersFunction")));
            // The raw writes copy a profile item exactly as the function stored it: this customer's,
            // numbered past those the loop creates.
            int model = warmUp + requests;
            api.create(model);
            var stored = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                    .key(key(Keys.customer("http", api.ids.getFirst()), CustomerItems.PROFILE))).item();
            var raw = new RawDynamoDb(dynamo, table, stored, email("http", model));
            ways = List.of(api, handler, raw);

            for (var operation : Operation.values()) {
                Bench.interleave(ways, warmUp, requests, (way, i) -> {
                    switch (operation) {
                        case CREATE -> way.create(i);
                        case GET -> way.get(i);
                        case LIST -> way.list();
                    }
                }).forEach((way, samples) -> results.put(operation + " " + way.name(), samples));
            }
        }
        report(results, ways, requests, warmUp);
        // DynamoDB Local leaves a non-daemon thread (its shard-rollover job) sleeping for minutes after it stops.
        System.exit(0);
    }

    private static void report(Map<String, Samples> results, List<Way> ways, int requests, int warmUp) {
        System.out.printf("%nWarm latency, ms: %,d requests per row after %,d warm-up, %d CPUs, all in one JVM on loopback%n",
                requests, warmUp, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-8s %-44s %8s %8s%n", "", "", "p50", "p99");
        for (var operation : Operation.values()) {
            for (var way : ways) {
                var samples = results.get(operation + " " + way.name());
                System.out.printf("%-8s %-44s %8.2f %8.2f%n", operation.name().toLowerCase(Locale.ROOT),
                        describe(operation, way), samples.percentile(50), samples.percentile(99));
            }
        }
        System.out.println("\nRatios to raw DynamoDB            p50      p99");
        for (var operation : Operation.values()) {
            var raw = results.get(operation + " raw");
            for (var way : List.of("HTTP API", "handler")) {
                var samples = results.get(operation + " " + way);
                System.out.printf("%-8s %-20s %7.2fx %7.2fx%n", operation.name().toLowerCase(Locale.ROOT), way,
                        samples.percentile(50) / raw.percentile(50), samples.percentile(99) / raw.percentile(99));
            }
        }
    }

    private static String describe(Operation operation, Way way) {
        if (!way.name().equals("raw")) {
            return switch (operation) {
                case CREATE -> way.name() + " POST /customers";
                case GET -> way.name() + " GET /customers/{id}";
                case LIST -> way.name() + " GET /customers?limit=20";
            };
        }
        return switch (operation) {
            case CREATE -> "raw TransactWriteItems (6 puts)";
            case GET -> "raw GetItem (consistent)";
            case LIST -> "raw Query GSI3 (Limit 21, newest first)";
        };
    }

    static String email(String tenant, int n) {
        return tenant + "-" + n + "@example.com";
    }

    static String customerJson(String tenant, int n) {
        return """
                {"firstName":"Ada","lastName":"Lovelace","email":"%s","phone":"+14155550123"}""".formatted(email(tenant, n));
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("PK", AttributeValue.fromS(pk), "SK", AttributeValue.fromS(sk));
    }

    /** Through the local HttpApi, on one keep-alive connection. */
    static final class HttpApi implements Way {
        private final ApiClient api;
        final List<String> ids = new ArrayList<>();

        HttpApi(ApiClient api) {
            this.api = api;
        }

        @Override
        public String name() {
            return "HTTP API";
        }

        @Override
        public void create(int n) {
            ids.add(api.create("/customers", customerJson("http", n)));
        }

        @Override
        public void get(int n) {
            ApiClient.expect(200, api.get("/customers/" + ids.get(n % ids.size())), "GET /customers/{id}");
        }

        @Override
        public void list() {
            ApiClient.expect(200, api.get("/customers?limit=20"), "GET /customers");
        }
    }

    /** The function called directly, as the local cloud's gateway does once a request is authorised. */
    static final class InProcessHandler implements Way {
        private static final String TENANT = "handler";
        private final CustomersHandler handler;
        private final List<String> ids = new ArrayList<>();

        InProcessHandler(CustomersHandler handler) {
            this.handler = handler;
        }

        @Override
        public String name() {
            return "handler";
        }

        @Override
        public void create(int n) {
            var response = handler.handleRequest(
                    ApiEvents.post(TENANT, "/customers", "/customers", customerJson(TENANT, n)), null);
            ApiClient.expect(201, response.getStatusCode(), "POST /customers", response.getBody());
            String location = response.getHeaders().get("Location");
            ids.add(location.substring(location.lastIndexOf('/') + 1));
        }

        @Override
        public void get(int n) {
            String id = ids.get(n % ids.size());
            var response = handler.handleRequest(ApiEvents.get(TENANT, "/customers/{id}", "/customers/" + id, Map.of()), null);
            ApiClient.expect(200, response.getStatusCode(), "GET /customers/{id}", response.getBody());
        }

        @Override
        public void list() {
            var response = handler.handleRequest(ApiEvents.get(TENANT, "/customers", "/customers", Map.of("limit", "20")), null);
            ApiClient.expect(200, response.getStatusCode(), "GET /customers", response.getBody());
        }
    }

    /** The DynamoDB calls behind each request, made directly. */
    static final class RawDynamoDb implements Way {
        private static final String TENANT = "raw";
        private final DynamoDbClient dynamo;
        private final String table;
        private final Map<String, AttributeValue> storedProfile;
        private final String storedId;
        private final String storedEmail;
        private final List<String> ids = new ArrayList<>();

        /** {@code storedProfile}: a profile item the function wrote, for {@code storedEmail} in tenant "http". */
        RawDynamoDb(DynamoDbClient dynamo, String table, Map<String, AttributeValue> storedProfile, String storedEmail) {
            this.dynamo = dynamo;
            this.table = table;
            this.storedProfile = storedProfile;
            this.storedId = storedProfile.get("id").s();
            this.storedEmail = storedEmail;
        }

        @Override
        public String name() {
            return "raw";
        }

        @Override
        public void create(int n) {
            String id = Ids.next(Ids.CUSTOMER);
            String email = email(TENANT, n);
            var items = new ArrayList<TransactWriteItem>();
            items.add(put(profile(id, email), true, false));
            items.add(put(Map.of("PK", AttributeValue.fromS(CustomerItems.emailGuard(TENANT, email)),
                    "SK", AttributeValue.fromS(CustomerItems.UNIQUE), "entity", AttributeValue.fromS("emailGuard"),
                    "customerId", AttributeValue.fromS(id)), true, true));
            for (String term : List.of(email, "14155550123", "ada lovelace", "lovelace ada")) {
                items.add(put(Map.of("PK", AttributeValue.fromS(CustomerItems.searchPartition(TENANT, term)),
                        "SK", AttributeValue.fromS(CustomerItems.searchSortKey(term, id)), "entity", AttributeValue.fromS("searchTerm"),
                        "customerId", AttributeValue.fromS(id)), false, false));
            }
            dynamo.transactWriteItems(r -> r.transactItems(items));
            ids.add(id);
        }

        @Override
        public void get(int n) {
            var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                    .key(key(Keys.customer(TENANT, ids.get(n % ids.size())), CustomerItems.PROFILE))).item();
            if (item.isEmpty()) {
                throw new IllegalStateException("raw GetItem found nothing");
            }
        }

        @Override
        public void list() {
            var page = dynamo.query(r -> r.tableName(table).indexName("GSI3")
                    .keyConditionExpression("GSI3PK = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.customers(TENANT))))
                    .limit(21).scanIndexForward(false));
            if (page.count() != 21) {
                throw new IllegalStateException("raw Query returned " + page.count() + " items");
            }
        }

        /**
         * The stored profile re-keyed: this tenant, id and email in place of the stored ones in every
         * top-level string (keys, index keys, id, email). Every key starts with "T#tenant#" (see Keys).
         */
        private Map<String, AttributeValue> profile(String id, String email) {
            var item = new HashMap<String, AttributeValue>();
            storedProfile.forEach((name, value) -> item.put(name, value.s() == null ? value : AttributeValue.fromS(value.s()
                    .replace("T#http#", "T#" + TENANT + "#").replace(storedId, id).replace(storedEmail, email))));
            return item;
        }

        private TransactWriteItem put(Map<String, AttributeValue> item, boolean mustBeNew, boolean returnOldOnConflict) {
            var put = Put.builder().tableName(table).item(item);
            if (mustBeNew) {
                put.conditionExpression("attribute_not_exists(PK)");
            }
            if (returnOldOnConflict) {
                put.returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
            }
            return TransactWriteItem.builder().put(put.build()).build();
        }
    }
}
