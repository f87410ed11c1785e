package com.clientele.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.catalogue.CatalogueHandler;
import com.clientele.customers.CustomerItems;
import com.clientele.customers.CustomersHandler;
import com.clientele.local.LocalCloud;
import com.clientele.orders.OrderItems;
import com.clientele.orders.OrdersHandler;
import com.clientele.payments.PaymentsHandler;
import com.clientele.shared.Activity;
import com.clientele.shared.Aws;
import com.clientele.shared.Components;
import com.clientele.shared.Env;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.Keys;
import com.clientele.shared.http.Idempotency;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Order creation ({@code POST /orders} for an existing customer by id, one line, nothing charged) against the
 * DynamoDB calls it makes, and the calls each order request makes. On an in-memory {@link LocalCloud}:
 * <ul>
 *   <li><b>handler</b>: {@code OrdersHandler} invoked in-process with a ready-made event (no HTTP, no JWT),
 *       a new Idempotency-Key each;</li>
 *   <li><b>raw</b>: the same calls made directly with the function's own SDK client configuration, in its
 *       order and with its conditions, on copies of the items a real order stored: consistent GetItem of
 *       the idempotency key and of the profile; BatchGetItem of the price, then of its product and variant;
 *       PutItem of the idempotency claim; TransactWriteItems of the order, its pointer, its activity, the
 *       stored response and the check that the customer is live; PutItem of the audit line.</li>
 * </ul>
 * Both ways are interleaved request by request ({@link Bench#interleave}), each in its own tenant with its
 * own CUSTOMERS customers, orders going round them. Then it prints the calls of each kind of order request
 * (by id, by details matched or new, paid at once, paid later, read, listed), from a client that records them.
 *
 * <p>Run from the repository root after {@code mvn -DskipTests install}:
 * <pre>
 *   mvn -q -o -pl infra exec:exec -Dlocal.main=com.clientele.bench.OrderBenchmark [-Dlocal.args="REQUESTS WARMUP CUSTOMERS"]
 * </pre>
 * REQUESTS (default 1000) are timed per way, after WARMUP (default 300) untimed ones, over CUSTOMERS
 * (default 20) customers per way.
 */
public final class OrderBenchmark {

    static final int DEFAULT_REQUESTS = 1_000;
    static final int DEFAULT_WARM_UP = 300;
    static final int DEFAULT_CUSTOMERS = 20;
    private static final String ROUTE = "/orders";

    /** One way of placing an order; {@code n} picks the customer. */
    interface Way {
        String name();

        void place(int n);
    }

    /** A tenant's customers and the variant and price its orders sell. */
    record Shop(String tenant, List<String> customers, String productId, String variantId, String priceId) {

        String order(int n) {
            return """
                    {"customerId": "%s", "items": [{"variantId": "%s", "priceId": "%s", "quantity": 1}]}"""
                    .formatted(customers.get(n % customers.size()), variantId, priceId);
        }
    }

    private OrderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int requests = Bench.intOption(options, 0, DEFAULT_REQUESTS);
        int warmUp = Bench.intOption(options, 1, DEFAULT_WARM_UP);
        int customers = Bench.intOption(options, 2, DEFAULT_CUSTOMERS);

        Map<Way, Samples> results;
        RawCalls raw;
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()))) {
            var environment = cloud.environment("OrdersFunction");
            var dynamo = Aws.dynamoDb(new Env(environment));
            String table = cloud.resources().get("Table");
            var handler = new OrdersHandler(environment);
            var placing = shop(cloud, "handler", customers);
            var model = Model.of(dynamo, table, handler, placing);
            raw = new RawCalls(dynamo, table, shop(cloud, "raw", customers), model);
            List<Way> ways = List.of(new InProcess(handler, placing), raw);
            Bench.interleave(ways, warmUp, 0, Way::place);
            raw.steps.clear();
            results = Bench.interleave(ways, 0, requests, Way::place);
            report(results, requests, warmUp, customers);
            System.out.println("\nRaw calls one by one, ms      p50      p99");
            raw.steps.print(30);
            countCalls(cloud);
        }
        // DynamoDB Local leaves a non-daemon thread (its shard-rollover job) sleeping for minutes after it stops.
        System.exit(0);
    }

    private static void report(Map<Way, Samples> results, int requests, int warmUp, int customers) {
        System.out.printf("%nWarm order creation latency, ms: %,d orders per row after %,d warm-up, %d customers per way, "
                + "%d CPUs, all in one JVM on loopback%n", requests, warmUp, customers, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-80s %8s %8s%n", "", "p50", "p99");
        results.forEach((way, samples) -> System.out.printf("%-80s %8.2f %8.2f%n",
                way instanceof RawCalls ? "raw " + RawCalls.CALLS : way.name() + " POST " + ROUTE,
                samples.percentile(50), samples.percentile(99)));
        var rawSamples = results.get(results.keySet().stream().filter(w -> w instanceof RawCalls).findFirst().orElseThrow());
        results.forEach((way, samples) -> {
            if (!(way instanceof RawCalls)) {
                System.out.printf("%nRatio to the raw calls: p50 %.2fx, p99 %.2fx%n", samples.percentile(50) / rawSamples.percentile(50),
                        samples.percentile(99) / rawSamples.percentile(99));
            }
        });
    }

    /** A tenant with {@code count} customers and a product, its variant and a one-time price of it. */
    static Shop shop(LocalCloud cloud, String tenant, int count) throws Exception {
        var customersHandler = new CustomersHandler(cloud.environment("CustomersFunction"));
        var ids = new ArrayList<String>();
        for (int n = 0; n < count; n++) {
            ids.add(created(customersHandler, ApiEvents.post(tenant, "/customers", "/customers", """
                    {"firstName":"Ada","lastName":"Lovelace","email":"%s","phone":"+14155550123",
                     "addresses":[{"kind":"billing","line1":"1 Main St","city":"Springfield","country":"US","isDefault":true}]}"""
                    .formatted(WarmBenchmark.email(tenant, n)))));
        }
        var catalogue = new CatalogueHandler(cloud.environment("CatalogueFunction"));
        String product = created(catalogue, keyed(tenant, "/products", "/products", "{\"name\": \"FlexBook 14\"}"));
        String variant = created(catalogue, keyed(tenant, "/products/{id}/variants", "/products/" + product + "/variants",
                "{\"name\": \"16 GB\"}"));
        String price = created(catalogue, keyed(tenant, "/prices", "/prices", """
                {"productId": "%s", "variantId": "%s", "currency": "USD", "unitAmount": 120000, "type": "one_time"}"""
                .formatted(product, variant)));
        return new Shop(tenant, ids, product, variant, price);
    }

    /** A POST with a body and a new Idempotency-Key. */
    static APIGatewayV2HTTPEvent keyed(String tenant, String route, String path, String json) {
        var headers = new LinkedHashMap<String, String>();
        if (json != null) {
            headers.put("content-type", "application/json");
        }
        headers.put("idempotency-key", UUID.randomUUID().toString());
        return ApiEvents.event(tenant, "POST", route, path, Map.of(), headers, json);
    }

    private static String created(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, APIGatewayV2HTTPEvent event)
            throws Exception {
        var response = handler.handleRequest(event, null);
        ApiClient.expect(201, response.getStatusCode(), event.getRouteKey(), response.getBody());
        return Json.MAPPER.readTree(response.getBody()).path("id").asText();
    }

    /** The function called directly, as the local cloud's gateway does once a request is authorised. */
    record InProcess(OrdersHandler handler, Shop shop) implements Way {
        @Override
        public String name() {
            return "handler";
        }

        @Override
        public void place(int n) {
            var event = keyed(shop.tenant(), ROUTE, ROUTE, shop.order(n));
            var response = handler.handleRequest(event, null);
            ApiClient.expect(201, response.getStatusCode(), "POST " + ROUTE, response.getBody());
        }

        String placeReturningId(int n, String key) throws Exception {
            var event = ApiEvents.event(shop.tenant(), "POST", ROUTE, ROUTE, Map.of(),
                    Map.of("content-type", "application/json", "idempotency-key", key), shop.order(n));
            var response = handler.handleRequest(event, null);
            ApiClient.expect(201, response.getStatusCode(), "POST " + ROUTE, response.getBody());
            return Json.MAPPER.readTree(response.getBody()).path("id").asText();
        }
    }

    /** What one order stored, in the placing tenant: the order, its pointer, its activity and the completed idempotency key. */
    record Model(Shop shop, String customerId, String orderId, String idempotencyKey, Map<String, AttributeValue> order,
                 Map<String, AttributeValue> pointer, Map<String, AttributeValue> activity, Map<String, AttributeValue> completion) {

        static Model of(DynamoDbClient dynamo, String table, OrdersHandler handler, Shop shop) throws Exception {
            String key = UUID.randomUUID().toString();
            String orderId = new InProcess(handler, shop).placeReturningId(0, key);
            String customerId = shop.customers().getFirst();
            String home = Keys.customer(shop.tenant(), customerId);
            var order = RawSteps.read(dynamo, table, home, "ORD#" + orderId);
            var created = Instant.parse(order.get("createdAt").s());
            return new Model(shop, customerId, orderId, key, order,
                    RawSteps.read(dynamo, table, Keys.tenant(shop.tenant()) + "#ORDER#" + orderId, OrderItems.POINTER),
                    RawSteps.read(dynamo, table, home, Activity.activitySortKey(created, Activity.Kind.ORDER_CREATED, orderId)),
                    RawSteps.read(dynamo, table, Idempotency.idempotencyKey(shop.tenant(), key), Idempotency.IDEMPOTENCY));
        }
    }

    /** The DynamoDB calls behind an order, made directly. */
    static final class RawCalls implements Way {
        static final String CALLS = "2 GetItem, 2 BatchGetItem, PutItem, TransactWriteItems (5), PutItem";
        private static final Duration LOCK = Duration.ofSeconds(60);
        private final DynamoDbClient dynamo;
        private final String table;
        private final Shop shop;
        private final Model model;
        /** Each call's own time, since the last clear. */
        final RawSteps steps;

        RawCalls(DynamoDbClient dynamo, String table, Shop shop, Model model) {
            this.dynamo = dynamo;
            this.table = table;
            this.shop = shop;
            this.model = model;
            this.steps = new RawSteps(table);
        }

        @Override
        public String name() {
            return "raw";
        }

        @Override
        public void place(int n) {
            String customerId = shop.customers().get(n % shop.customers().size());
            String key = UUID.randomUUID().toString();
            String orderId = Ids.next(Ids.ORDER);
            String home = Keys.customer(shop.tenant(), customerId);
            var names = new LinkedHashMap<String, String>();
            names.put("T#" + model.shop().tenant() + "#", "T#" + shop.tenant() + "#");
            names.put(model.customerId(), customerId);
            names.put(model.shop().productId(), shop.productId());
            names.put(model.shop().variantId(), shop.variantId());
            names.put(model.shop().priceId(), shop.priceId());
            names.put(model.orderId(), orderId);
            names.put(model.idempotencyKey(), key);

            var idempotencyKey = WarmBenchmark.key(Idempotency.idempotencyKey(shop.tenant(), key), Idempotency.IDEMPOTENCY);
            if (!steps.step("GetItem idempotency key", () -> dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                    .key(idempotencyKey))).item().isEmpty()) {
                throw new IllegalStateException("idempotency key " + key + " exists");
            }
            steps.step("GetItem profile", () -> dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                    .key(WarmBenchmark.key(home, CustomerItems.PROFILE))));
            var catalogue = Keys.tenant(shop.tenant()) + "#CATALOGUE";
            batch("BatchGetItem price", List.of(WarmBenchmark.key(catalogue, "PRICE#" + shop.priceId())));
            batch("BatchGetItem product, variant", List.of(WarmBenchmark.key(catalogue, "PRODUCT#" + shop.productId()),
                    WarmBenchmark.key(catalogue, "VARIANT#" + shop.productId() + "#" + shop.variantId())));

            var completion = RawSteps.rename(model.completion(), names);
            var claim = new HashMap<>(completion);
            claim.keySet().removeAll(List.of("responseStatus", "responseHeaders", "responseBody", "customerId", "GSI2PK", "GSI2SK"));
            claim.put("state", AttributeValue.fromS("in_progress"));
            claim.put("lockedUntil", AttributeValue.fromS(Instant.now().plus(LOCK).toString()));
            steps.step("PutItem claim", () -> dynamo.putItem(r -> r.tableName(table).item(claim)
                    .conditionExpression("attribute_not_exists(PK) OR #ttl < :now").expressionAttributeNames(Map.of("#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond()))))));

            steps.step("TransactWrite order (5)", () -> dynamo.transactWriteItems(r -> r.transactItems(
                    steps.put(RawSteps.rename(model.order(), names), "attribute_not_exists(PK)", Map.of(), Map.of()),
                    steps.put(RawSteps.rename(model.pointer(), names), null, Map.of(), Map.of()),
                    steps.put(RawSteps.rename(model.activity(), names), null, Map.of(), Map.of()),
                    steps.put(completion, "resourceId = :id AND #s = :running", Map.of("#s", "state"),
                            Map.of(":id", AttributeValue.fromS(orderId), ":running", AttributeValue.fromS("in_progress"))),
                    TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                            .key(WarmBenchmark.key(home, CustomerItems.PROFILE)).conditionExpression("#s = :active")
                            .expressionAttributeNames(Map.of("#s", "status"))
                            .expressionAttributeValues(Map.of(":active", AttributeValue.fromS("active"))).build()).build())));

            // the router's audit line of the change, as AuditLog writes it (ids only)
            var at = Instant.now();
            var line = new HashMap<String, AttributeValue>();
            line.put("PK", AttributeValue.fromS(Keys.tenant(shop.tenant()) + "#AUDIT#" + at.atZone(ZoneOffset.UTC).toLocalDate()));
            line.put("SK", AttributeValue.fromS("%015d#%s".formatted(at.toEpochMilli(), UUID.randomUUID())));
            line.put("entity", AttributeValue.fromS("audit"));
            line.put("at", AttributeValue.fromS(at.toString()));
            line.put("actor", AttributeValue.fromM(Map.of("userId", AttributeValue.fromS("bench-user"),
                    "role", AttributeValue.fromS("custom"), "requestId", AttributeValue.fromS(UUID.randomUUID().toString()))));
            line.put("action", AttributeValue.fromS("POST " + ROUTE));
            line.put("status", AttributeValue.fromN("201"));
            line.put("customerId", AttributeValue.fromS(customerId));
            line.put("resourceIds", AttributeValue.fromM(Map.of("created", AttributeValue.fromS(orderId))));
            line.put("ttl", AttributeValue.fromN(Long.toString(at.plus(Duration.ofDays(400)).getEpochSecond())));
            steps.step("PutItem audit line", () -> dynamo.putItem(r -> r.tableName(table).item(line)));
        }

        private void batch(String step, List<Map<String, AttributeValue>> keys) {
            var read = steps.step(step, () -> dynamo.batchGetItem(r -> r.requestItems(Map.of(table,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build()))));
            if (read.responses().get(table).size() != keys.size()) {
                throw new IllegalStateException("raw BatchGetItem found " + read.responses().get(table).size() + " of " + keys);
            }
        }
    }

    /** The calls of each kind of order request, from a DynamoDB and an SQS client that record them. */
    private static void countCalls(LocalCloud cloud) throws Exception {
        var env = cloud.environment("OrdersFunction");
        var recorder = new CallCounter.Recorder();
        var dynamo = CallCounter.recordingDynamoDb(env, recorder);
        var sqs = Aws.build(SqsClient.builder().overrideConfiguration(o -> o.addExecutionInterceptor(recorder)), new Env(env),
                "AWS_ENDPOINT_URL_SQS");
        var orders = new CallCounter.Session(new OrdersHandler(Components.from(env).with(DynamoDbClient.class, dynamo)
                .with(SqsClient.class, sqs)), recorder);
        var shop = shop(cloud, "count", 2);
        String customer = shop.customers().getFirst();
        var payments = new PaymentsHandler(cloud.environment("PaymentsFunction"));
        created(payments, ApiEvents.post(shop.tenant(), "/customers/{id}/payment-methods", "/customers/" + customer + "/payment-methods",
                ChargeBenchmark.cardJson(ChargeBenchmark.VISA)));
        System.out.printf("%nDynamoDB and SQS calls per order request%n");
        String line = "[{\"variantId\": \"%s\", \"priceId\": \"%s\", \"quantity\": 1}]".formatted(shop.variantId(), shop.priceId());
        orders.count("place by customerId", 201, keyed(shop.tenant(), ROUTE, ROUTE, shop.order(0)));
        orders.count("place, price left out", 201, keyed(shop.tenant(), ROUTE, ROUTE,
                "{\"customerId\": \"" + customer + "\", \"items\": [{\"variantId\": \"" + shop.variantId() + "\", \"quantity\": 1}]}"));
        orders.count("place by details, matched", 201, keyed(shop.tenant(), ROUTE, ROUTE, """
                {"customer": {"email": "%s", "firstName": "Ada", "lastName": "Lovelace", "phone": "+14155550123"}, "items": %s}"""
                .formatted(WarmBenchmark.email(shop.tenant(), 1), line)));
        orders.count("place by details, new", 201, keyed(shop.tenant(), ROUTE, ROUTE, """
                {"customer": {"email": "new@example.com", "firstName": "Grace", "lastName": "Hopper", "phone": "+14155550199"},
                 "billingAddress": {"line1": "1 Navy Way", "city": "Arlington", "country": "US"}, "items": %s}""".formatted(line)));
        var paid = orders.count("place and pay (\"pay\": true)", 201, keyed(shop.tenant(), ROUTE, ROUTE,
                "{\"customerId\": \"" + customer + "\", \"pay\": true, \"items\": " + line + "}"));
        String paidId = Json.MAPPER.readTree(paid.response().getBody()).path("id").asText();
        var pending = orders.call(201, keyed(shop.tenant(), ROUTE, ROUTE, shop.order(0)));
        String pendingId = Json.MAPPER.readTree(pending.response().getBody()).path("id").asText();
        orders.count("pay a pending order", 200, keyed(shop.tenant(), "/orders/{id}/pay", "/orders/" + pendingId + "/pay", null));
        orders.count("get", 200, ApiEvents.get(shop.tenant(), "/orders/{id}", "/orders/" + paidId, Map.of()));
        orders.count("customer's orders (limit 20)", 200, ApiEvents.get(shop.tenant(), "/customers/{id}/orders",
                "/customers/" + customer + "/orders", Map.of("limit", "20")));
        orders.count("orders by status", 200, ApiEvents.get(shop.tenant(), "/orders", "/orders", Map.of("status", "paid")));
        orders.count("fulfil", 200, ApiEvents.event(shop.tenant(), "POST", "/orders/{id}/fulfil", "/orders/" + paidId + "/fulfil",
                Map.of(), Map.of(), null));
        var cancel = keyed(shop.tenant(), "/orders/{id}/cancel", "/orders/" + pendingId + "/cancel", null);
        var jwt = cancel.getRequestContext().getAuthorizer().getJwt();
        var claims = new HashMap<>(jwt.getClaims());
        claims.put("scope", "orders:write payments:refund");
        jwt.setClaims(claims);
        orders.count("cancel a paid order (refund)", 200, cancel);
    }
}
