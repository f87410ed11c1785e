package com.clientele.bench;

import com.clientele.customers.CustomerItems;
import com.clientele.local.LocalCloud;
import com.clientele.loyalty.LoyaltyHandler;
import com.clientele.loyalty.LoyaltyItems;
import com.clientele.shared.Activity;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.Ids;
import com.clientele.shared.Keys;
import com.clientele.shared.events.AppliedEntries;
import com.clientele.shared.http.Idempotency;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Warm latency of a redemption ({@code POST /customers/{id}/points/redemptions}, 10 points, a fresh
 * Idempotency-Key each, no OTP) against the DynamoDB calls it makes. On an in-memory
 * {@link LocalCloud}, interleaved request by request (see {@link Bench#interleave}):
 * <ul>
 *   <li><b>HTTP API</b>: through the local HttpApi (JWT check, event, handler) on a keep-alive connection;</li>
 *   <li><b>handler</b>: {@code LoyaltyHandler} invoked in-process with a ready-made event;</li>
 *   <li><b>raw</b>: the same calls made directly with the function's SDK client configuration, in its
 *       order and with its conditions, on the raw tenant's real items: consistent GetItem of the
 *       idempotency key and of the profile; PutItem of the claim; GetItem of the settings and of the
 *       balance; Query of the lots; one TransactWriteItems of the marker, the balance ({@code version}),
 *       the lot ({@code pointsLeft}), the statement line, the activity, the completed key (with a
 *       response of the service's size) and the profile's {@code pointsAvailable}.</li>
 * </ul>
 * Each way has its own tenant and CUSTOMERS customers, each credited 10,000,000 points once (one lot),
 * so that every redemption touches one lot, as most do.
 *
 * <p>Run from the repository root after {@code mvn -DskipTests install}:
 * <pre>
 *   mvn -q -o -pl infra validate exec:exec -Dlocal.main=com.clientele.bench.RedemptionBenchmark [-Dlocal.args="REQUESTS WARMUP CUSTOMERS"]
 * </pre>
 */
public final class RedemptionBenchmark {

    static final String ROUTE = "/customers/{id}/points/redemptions";
    static final String REDEEM = """
            {"points": 10, "reason": "coffee", "storeId": "store_1", "terminalId": "till_2"}""";
    static final String CALLS = "4 GetItem, PutItem, Query, TransactWriteItems (7)";

    interface Way {
        String name();

        void redeem(int n);
    }

    private RedemptionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int requests = Bench.intOption(options, 0, 1_000);
        int warmUp = Bench.intOption(options, 1, 300);
        int customers = Bench.intOption(options, 2, 20);
        Map<Way, Samples> results;
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()));
             var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var environment = cloud.environment("LoyaltyFunction");
            var dynamo = Aws.dynamoDb(new Env(environment));
            String table = cloud.resources().get("Table");
            var httpApi = new ApiClient(http, cloud.apiUrl(), cloud.token("http", "bench-user"));
            var handlerApi = new ApiClient(http, cloud.apiUrl(), cloud.token("handler", "bench-user"));
            var rawApi = new ApiClient(http, cloud.apiUrl(), cloud.token("raw", "bench-user"));
            // the size of a stored redemption response, for the raw completion item
            String sample = httpApi.send("POST", ROUTE.replace("{id}", seed(httpApi, "http", customers, 1).getFirst()), REDEEM,
                    "Idempotency-Key", UUID.randomUUID().toString()).body();
            List<Way> ways = List.of(
                    new HttpApi(httpApi, seed(httpApi, "http", 0, customers)),
                    new InProcess(new LoyaltyHandler(environment), seed(handlerApi, "handler", 0, customers)),
                    new Raw(dynamo, table, seed(rawApi, "raw", 0, customers), sample));
            Bench.interleave(ways, warmUp, 0, Way::redeem);
            results = Bench.interleave(ways, 0, requests, Way::redeem);
        }
        System.out.printf("%nWarm redemption latency, ms: %,d per row after %,d warm-up, %d customers per way, %d CPUs, "
                + "one JVM on loopback%n", requests, warmUp, customers, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-64s %8s %8s%n", "", "p50", "p99");
        Samples raw = results.entrySet().stream().filter(e -> e.getKey() instanceof Raw).findFirst().orElseThrow().getValue();
        results.forEach((way, s) -> System.out.printf("%-64s %8.2f %8.2f%n",
                way instanceof Raw ? "raw " + CALLS : way.name() + " POST " + ROUTE, s.percentile(50), s.percentile(99)));
        System.out.println("\nRatios to the raw calls        p50      p99");
        results.forEach((way, s) -> {
            if (!(way instanceof Raw)) {
                System.out.printf("redemption %-16s %7.2fx %7.2fx%n", way.name(), s.percentile(50) / raw.percentile(50),
                        s.percentile(99) / raw.percentile(99));
            }
        });
        System.exit(0); // DynamoDB Local leaves a non-daemon thread behind
    }

    /** Customers {@code from}.. of {@code tenant}, each credited 10,000,000 points (one lot). */
    static List<String> seed(ApiClient api, String tenant, int from, int count) {
        var ids = new ArrayList<String>();
        for (int n = from; n < from + count; n++) {
            String id = api.create("/customers", WarmBenchmark.customerJson(tenant, n));
            var credit = api.send("POST", "/customers/" + id + "/points/adjustments", "{\"points\": 10000000, \"reason\": \"bench\"}",
                    "Idempotency-Key", UUID.randomUUID().toString());
            ApiClient.expect(201, credit, "credit");
            ids.add(id);
        }
        // the programme saved (a real tenant has one): the redemption reads it
        ApiClient.expect(200, api.send("PUT", "/loyalty/settings", """
                {"pointsPerUnit": 1, "rounding": "DOWN", "lotLifetimeMonths": 12, "referrerBonus": 0, "refereeBonus": 0,
                 "otpRequired": false, "pointValue": {"amount": 1, "currency": "USD"}}"""), "settings");
        return ids;
    }

    record HttpApi(ApiClient api, List<String> customers) implements Way {
        @Override
        public String name() {
            return "HTTP API";
        }

        @Override
        public void redeem(int n) {
            String path = ROUTE.replace("{id}", customers.get(n % customers.size()));
            ApiClient.expect(201, api.send("POST", path, REDEEM, "Idempotency-Key", UUID.randomUUID().toString()), "redeem");
        }
    }

    record InProcess(LoyaltyHandler handler, List<String> customers) implements Way {
        @Override
        public String name() {
            return "handler";
        }

        @Override
        public void redeem(int n) {
            String path = ROUTE.replace("{id}", customers.get(n % customers.size()));
            var response = handler.handleRequest(ApiEvents.event("handler", "POST", ROUTE, path, Map.of(),
                    Map.of("content-type", "application/json", "idempotency-key", UUID.randomUUID().toString()), REDEEM), null);
            ApiClient.expect(201, response.getStatusCode(), "redeem", response.getBody());
        }
    }

    /** The calls of a redemption, made directly on the raw tenant's items. */
    record Raw(DynamoDbClient dynamo, String table, List<String> customers, String response) implements Way {
        static final String TENANT = "raw";

        @Override
        public String name() {
            return "raw";
        }

        @Override
        public void redeem(int n) {
            String customer = customers.get(n % customers.size());
            String pk = Keys.customer(TENANT, customer);
            String key = UUID.randomUUID().toString();
            String id = Ids.next(Ids.REDEMPTION);
            Instant now = Instant.now();
            var idempotencyKey = WarmBenchmark.key(Idempotency.idempotencyKey(TENANT, key), Idempotency.IDEMPOTENCY);
            if (!get(idempotencyKey).isEmpty()) {
                throw new IllegalStateException("key exists");
            }
            get(WarmBenchmark.key(pk, CustomerItems.PROFILE));
            var claim = new HashMap<>(idempotencyKey);
            claim.put("entity", AttributeValue.fromS("idempotencyKey"));
            claim.put("state", AttributeValue.fromS("in_progress"));
            claim.put("requestHash", AttributeValue.fromS("0".repeat(64)));
            claim.put("resourceId", AttributeValue.fromS(id));
            claim.put("lockedUntil", AttributeValue.fromS(now.plus(Duration.ofMinutes(1)).toString()));
            claim.put("ttl", AttributeValue.fromN(Long.toString(now.plus(Duration.ofDays(1)).getEpochSecond())));
            dynamo.putItem(r -> r.tableName(table).item(claim).conditionExpression("attribute_not_exists(PK)"));
            get(WarmBenchmark.key(Keys.settings(TENANT), LoyaltyItems.LOYALTY_SETTINGS));
            var balance = new HashMap<>(get(WarmBenchmark.key(pk, LoyaltyItems.POINTS_BALANCE)));
            var lot = new HashMap<>(dynamo.query(r -> r.tableName(table).consistentRead(true)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :lots)")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":lots", AttributeValue.fromS(LoyaltyItems.POINT_LOT))))
                    .items().getFirst());

            String version = balance.get("version").n();
            String left = lot.get("pointsLeft").n();
            long available = Long.parseLong(balance.get("available").n()) - 10;
            balance.put("available", AttributeValue.fromN(Long.toString(available)));
            balance.put("redeemed", AttributeValue.fromN(Long.toString(Long.parseLong(balance.get("redeemed").n()) + 10)));
            balance.put("version", AttributeValue.fromN(Long.toString(Long.parseLong(version) + 1)));
            lot.put("pointsLeft", AttributeValue.fromN(Long.toString(Long.parseLong(left) - 10)));
            var marker = new HashMap<>(WarmBenchmark.key(pk, AppliedEntries.appliedEntrySortKey("points", id)));
            marker.put("processedAt", AttributeValue.fromS(now.toString()));
            var line = new HashMap<>(WarmBenchmark.key(pk, LoyaltyItems.statementLineSortKey(now, id)));
            line.put("type", AttributeValue.fromS("REDEEM"));
            line.put("createdAt", AttributeValue.fromS(now.toString()));
            line.put("lotId", lot.get("id"));
            line.put("transactionId", AttributeValue.fromS(id));
            line.put("points", AttributeValue.fromN("-10"));
            line.put("pointsLeft", lot.get("pointsLeft"));
            line.put("reason", AttributeValue.fromS("coffee"));
            var activity = new HashMap<>(WarmBenchmark.key(pk, Activity.activitySortKey(now, Activity.Kind.POINTS_REDEEMED, id)));
            activity.put("at", AttributeValue.fromS(now.toString()));
            activity.put("kind", AttributeValue.fromS("points.redeemed"));
            activity.put("summary", AttributeValue.fromS("Redeemed 10 points: coffee"));
            activity.put("ref", AttributeValue.fromS(id));
            var completion = new HashMap<>(claim);
            completion.put("state", AttributeValue.fromS("completed"));
            completion.put("responseStatus", AttributeValue.fromN("201"));
            completion.put("responseBody", AttributeValue.fromS(response));
            dynamo.transactWriteItems(r -> r.transactItems(
                    put(marker, "attribute_not_exists(PK)", Map.of()),
                    put(balance, "version = :v", Map.of(":v", AttributeValue.fromN(version))),
                    put(lot, "pointsLeft = :left", Map.of(":left", AttributeValue.fromN(left))),
                    put(line, null, Map.of()),
                    put(activity, null, Map.of()),
                    put(completion, "resourceId = :id", Map.of(":id", AttributeValue.fromS(id))),
                    TransactWriteItem.builder().update(Update.builder().tableName(table).key(WarmBenchmark.key(pk, CustomerItems.PROFILE))
                            .updateExpression("SET pointsAvailable = :p ADD version :one").conditionExpression("attribute_exists(PK)")
                            .expressionAttributeValues(Map.of(":p", AttributeValue.fromN(Long.toString(available)),
                                    ":one", AttributeValue.fromN("1"))).build()).build()));
        }

        private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
            return dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key)).item();
        }

        private TransactWriteItem put(Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values) {
            var put = Put.builder().tableName(table).item(item);
            if (condition != null) {
                put.conditionExpression(condition);
            }
            if (!values.isEmpty()) {
                put.expressionAttributeValues(values);
            }
            return TransactWriteItem.builder().put(put.build()).build();
        }
    }
}
