package com.clientele.bench;

import com.clientele.customers.CustomerItems;
import com.clientele.local.LocalCloud;
import com.clientele.payments.PaymentItems;
import com.clientele.payments.PaymentsHandler;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.Ids;
import com.clientele.shared.Keys;
import com.clientele.shared.Table.Index;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.events.Sqs;
import com.clientele.shared.http.Idempotency;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Warm latency of charge now ({@code POST /customers/{id}/charges}, a saved card, a fresh
 * Idempotency-Key each) against the DynamoDB and SQS calls a charge makes. On an in-memory
 * {@link LocalCloud}, times charges three ways, interleaved request by request (see
 * {@link Bench#interleave}):
 * <ul>
 *   <li><b>HTTP API</b>: through the local HttpApi (JWT check, event, handler) on a keep-alive connection;</li>
 *   <li><b>handler</b>: {@code PaymentsHandler} invoked in-process with a ready-made event (no HTTP, no JWT);</li>
 *   <li><b>raw</b>: the calls behind a charge that is not the customer's first, made directly with the
 *       function's own SDK client configuration and in its order, on copies of the items a real charge
 *       stored and with the same conditions: consistent GetItem of the profile, of the card and of the
 *       idempotency key;
 *       PutItem of the idempotency claim (new key only); TransactWriteItems of the pending payment (new
 *       only) and its pointer; TransactWriteItems of the settled payment (at version 1), the idempotency
 *       completion (still ours, in progress) and the outbox item; one SQS SendMessage per consumer
 *       queue; DeleteItem of the outbox item.</li>
 * </ul>
 * Each way has its own tenant and its own CUSTOMERS customers (a card saved, one charge made
 * before timing starts, so every timed charge is a later one); charges go round the customers.
 *
 * <p>Run from the repository root after {@code mvn -DskipTests install}:
 * <pre>
 *   mvn -q -o -pl infra exec:exec -Dlocal.main=com.clientele.bench.ChargeBenchmark [-Dlocal.args="REQUESTS WARMUP CUSTOMERS"]
 * </pre>
 * REQUESTS (default 1000) are timed per way, after WARMUP (default 300) untimed ones, over CUSTOMERS
 * (default 20) customers per way.
 */
public final class ChargeBenchmark {

    static final int DEFAULT_REQUESTS = 1_000;
    static final int DEFAULT_WARM_UP = 300;
    static final int DEFAULT_CUSTOMERS = 20;
    static final String VISA = "4242424242424242";
    static final String ROUTE = "/customers/{id}/charges";
    static final String CHARGE = """
            {"amount": {"amount": 8900, "currency": "USD"}, "description": "Order"}""";

    /** One way of charging; {@code n} picks the customer. */
    interface Way {
        String name();

        void charge(int n);
    }

    /** A customer with a saved card. */
    record Payer(String customerId, String cardId) {
    }

    private ChargeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int requests = Bench.intOption(options, 0, DEFAULT_REQUESTS);
        int warmUp = Bench.intOption(options, 1, DEFAULT_WARM_UP);
        int customers = Bench.intOption(options, 2, DEFAULT_CUSTOMERS);

        Map<Way, Samples> results;
        RawCalls raw;
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()));
             var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var environment = cloud.environment("PaymentsFunction");
            var env = new Env(environment);
            var dynamo = Aws.dynamoDb(env);
            var sqs = Sqs.create(env);
            String table = cloud.resources().get("Table");
            List<String> queues = Arrays.stream(env.require("EVENT_QUEUE_URLS").split(",")).map(String::strip).toList();

            var httpApi = new ApiClient(http, cloud.apiUrl(), cloud.token("http", "bench-user"));
            // The raw calls copy the items of this customer's second charge: a later charge, as timed.
            var modelPayer = seed(httpApi, "http", customers, 1).getFirst();
            charge(httpApi, modelPayer, UUID.randomUUID().toString());
            var model = Model.of(dynamo, sqs, table, queues, modelPayer, httpApi);

            raw = new RawCalls(dynamo, sqs, table, queues, "raw",
                    seed(new ApiClient(http, cloud.apiUrl(), cloud.token("raw", "bench-user")), "raw", 0, customers), model);
            List<Way> ways = List.of(
                    new HttpApi(httpApi, seed(httpApi, "http", 0, customers)),
                    new InProcessHandler(new PaymentsHandler(environment), "handler",
                            seed(new ApiClient(http, cloud.apiUrl(), cloud.token("handler", "bench-user")), "handler", 0, customers)),
                    raw);
            // Each customer's first charge fixes their currency (the profile joins the settle): untimed.
            for (int i = 0; i < customers; i++) {
                for (var way : ways) {
                    way.charge(i);
                }
            }
            Bench.interleave(ways, warmUp, 0, Way::charge);
            raw.steps.clear();
            results = Bench.interleave(ways, 0, requests, Way::charge);
        }
        report(results, requests, warmUp, customers);
        System.out.println("\nRaw calls one by one, ms      p50      p99");
        raw.steps.print(26);
        // DynamoDB Local leaves a non-daemon thread (its shard-rollover job) sleeping for minutes after it stops.
        System.exit(0);
    }

    private static void report(Map<Way, Samples> results, int requests, int warmUp, int customers) {
        System.out.printf("%nWarm charge latency, ms: %,d charges per row after %,d warm-up, %d customers per way, "
                        + "%d CPUs, all in one JVM on loopback%n",
                requests, warmUp, customers, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-72s %8s %8s%n", "", "p50", "p99");
        Samples raw = null;
        for (var entry : results.entrySet()) {
            var way = entry.getKey();
            var samples = entry.getValue();
            String what = way instanceof RawCalls ? "raw " + RawCalls.CALLS : way.name() + " POST " + ROUTE;
            System.out.printf("%-72s %8.2f %8.2f%n", what, samples.percentile(50), samples.percentile(99));
            if (way instanceof RawCalls) {
                raw = samples;
            }
        }
        System.out.println("\nRatios to the raw calls     p50      p99");
        for (var entry : results.entrySet()) {
            if (!(entry.getKey() instanceof RawCalls)) {
                var samples = entry.getValue();
                System.out.printf("charge %-16s %7.2fx %7.2fx%n", entry.getKey().name(),
                        samples.percentile(50) / raw.percentile(50), samples.percentile(99) / raw.percentile(99));
            }
        }
    }

    /** Customers {@code from} to {@code from + count - 1} of {@code tenant}, each with the Visa test card saved. */
    static List<Payer> seed(ApiClient api, String tenant, int from, int count) {
        var payers = new ArrayList<Payer>();
        for (int n = from; n < from + count; n++) {
            String customerId = api.create("/customers", WarmBenchmark.customerJson(tenant, n));
            payers.add(new Payer(customerId, api.create("/customers/" + customerId + "/payment-methods", cardJson(VISA))));
        }
        return payers;
    }

    /** A saved-card body for {@code number}, as the end-to-end tests send it. */
    static String cardJson(String number) {
        return """
                {"card": {"number": "%s", "expMonth": 12, "expYear": 2034, "cvc": "123", "holderName": "Ada Lovelace"},
                 "billingAddress": {"line1": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"}}"""
                .formatted(number);
    }

    /** Charges the payer's default card through the API; returns the payment's id. */
    static String charge(ApiClient api, Payer payer, String idempotencyKey) {
        return api.create("/customers/" + payer.customerId() + "/charges", CHARGE, "Idempotency-Key", idempotencyKey);
    }

    /** Through the local HttpApi, on one keep-alive connection. */
    record HttpApi(ApiClient api, List<Payer> payers) implements Way {
        @Override
        public String name() {
            return "HTTP API";
        }

        @Override
        public void charge(int n) {
            ChargeBenchmark.charge(api, payers.get(n % payers.size()), UUID.randomUUID().toString());
        }
    }

    /** The function called directly, as the local cloud's gateway does once a request is authorised. */
    record InProcessHandler(PaymentsHandler handler, String tenant, List<Payer> payers) implements Way {
        @Override
        public String name() {
            return "handler";
        }

        @Override
        public void charge(int n) {
            String path = "/customers/" + payers.get(n % payers.size()).customerId() + "/charges";
            var response = handler.handleRequest(ApiEvents.event(tenant, "POST", ROUTE, path, Map.of(),
                    Map.of("content-type", "application/json", "idempotency-key", UUID.randomUUID().toString()), CHARGE), null);
            ApiClient.expect(201, response.getStatusCode(), "POST " + ROUTE, response.getBody());
        }
    }

    /**
     * What one later charge stored, in tenant "http": the settled payment, its pointer, the completed
     * idempotency key, and the event's JSON as the queues received it.
     */
    record Model(Payer payer, String paymentId, String idempotencyKey, String eventId, Map<String, AttributeValue> payment,
                 Map<String, AttributeValue> pointer, Map<String, AttributeValue> completion, String event) {

        static Model of(DynamoDbClient dynamo, SqsClient sqs, String table, List<String> queues, Payer payer, ApiClient api) {
            String key = UUID.randomUUID().toString();
            String paymentId = charge(api, payer, key);
            var payment = RawSteps.read(dynamo, table, Keys.customer("http", payer.customerId()), PaymentItems.paymentSortKey(paymentId));
            var pointer = RawSteps.read(dynamo, table, PaymentItems.paymentPointer("http", paymentId), PaymentItems.POINTER);
            var completion = RawSteps.read(dynamo, table, Idempotency.idempotencyKey("http", key), Idempotency.IDEMPOTENCY);
            for (int attempt = 0; attempt < 20; attempt++) {
                for (var message : sqs.receiveMessage(r -> r.queueUrl(queues.getFirst()).maxNumberOfMessages(10)
                        .messageAttributeNames("All").waitTimeSeconds(1)).messages()) {
                    if (message.body().contains(paymentId)) {
                        return new Model(payer, paymentId, key, message.messageAttributes().get("eventId").stringValue(),
                                payment, pointer, completion, message.body());
                    }
                }
            }
            throw new IllegalStateException("the event of payment " + paymentId + " never reached " + queues.getFirst());
        }
    }

    /** The DynamoDB and SQS calls behind a later charge, made directly. */
    static final class RawCalls implements Way {
        static final String CALLS = "3 GetItem, PutItem, 2 TransactWriteItems, 2 SendMessage, DeleteItem";
        private static final Duration LOCK = Duration.ofSeconds(60);
        private final DynamoDbClient dynamo;
        private final SqsClient sqs;
        private final String table;
        private final List<String> queues;
        private final String tenant;
        private final List<Payer> payers;
        private final Model model;
        /** Each call's own time (the two sends together), since the last clear. */
        final RawSteps steps;

        RawCalls(DynamoDbClient dynamo, SqsClient sqs, String table, List<String> queues, String tenant, List<Payer> payers,
                 Model model) {
            this.dynamo = dynamo;
            this.sqs = sqs;
            this.table = table;
            this.queues = queues;
            this.tenant = tenant;
            this.payers = payers;
            this.model = model;
            this.steps = new RawSteps(table);
        }

        @Override
        public String name() {
            return "raw";
        }

        @Override
        public void charge(int n) {
            var payer = payers.get(n % payers.size());
            String key = UUID.randomUUID().toString();
            String paymentId = Ids.next(Ids.PAYMENT);
            String eventId = Ids.next(Ids.EVENT);
            String home = Keys.customer(tenant, payer.customerId());
            var names = new LinkedHashMap<String, String>();
            names.put("T#http#", "T#" + tenant + "#");
            names.put(model.payer().customerId(), payer.customerId());
            names.put(model.payer().cardId(), payer.cardId());
            names.put(model.paymentId(), paymentId);
            names.put(model.idempotencyKey(), key);
            names.put(model.eventId(), eventId);
            String now = Instant.now().toString();

            get("GetItem profile", home, CustomerItems.PROFILE);
            get("GetItem card", home, PaymentItems.cardSortKey(payer.cardId()));
            var idempotencyKey = WarmBenchmark.key(Idempotency.idempotencyKey(tenant, key), Idempotency.IDEMPOTENCY);
            if (!steps.step("GetItem idempotency key", () -> dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                    .key(idempotencyKey))).item().isEmpty()) {
                throw new IllegalStateException("idempotency key " + key + " exists");
            }

            var completion = RawSteps.rename(model.completion(), names);
            var claim = new HashMap<>(completion);
            claim.keySet().removeAll(List.of("responseStatus", "responseHeaders", "responseBody"));
            claim.put("state", AttributeValue.fromS("in_progress"));
            claim.put("lockedUntil", AttributeValue.fromS(Instant.now().plus(LOCK).toString()));
            steps.step("PutItem claim", () -> dynamo.putItem(r -> r.tableName(table).item(claim)
                    .conditionExpression("attribute_not_exists(PK)")));

            var settled = RawSteps.rename(model.payment(), names);
            var pending = new HashMap<>(settled);
            pending.put("status", AttributeValue.fromS("pending"));
            pending.put("version", AttributeValue.fromN("1"));
            pending.remove("gatewayReference");
            steps.step("TransactWrite pending (2)", () -> dynamo.transactWriteItems(r -> r.transactItems(
                    steps.put(pending, "attribute_not_exists(PK)", Map.of(), Map.of()),
                    steps.put(RawSteps.rename(model.pointer(), names), null, Map.of(), Map.of()))));

            String event = RawSteps.rename(model.event(), names);
            var outboxKey = WarmBenchmark.key(home, Outbox.outboxSortKey(eventId));
            var outbox = new HashMap<>(outboxKey);
            outbox.put(Index.GSI3.pk(), AttributeValue.fromS(Outbox.outboxShard(Outbox.outboxShardOf(eventId))));
            outbox.put(Index.GSI3.sk(), AttributeValue.fromS(now + "#" + eventId));
            outbox.put("entity", AttributeValue.fromS("outbox"));
            outbox.put("eventId", AttributeValue.fromS(eventId));
            outbox.put("eventType", AttributeValue.fromS("payment.succeeded"));
            outbox.put("event", AttributeValue.fromS(event));
            steps.step("TransactWrite settle (3)", () -> dynamo.transactWriteItems(r -> r.transactItems(
                    steps.put(settled, "#v = :v", Map.of("#v", "version"), Map.of(":v", AttributeValue.fromN("1"))),
                    steps.put(completion, "resourceId = :id AND #s = :running", Map.of("#s", "state"),
                            Map.of(":id", AttributeValue.fromS(paymentId), ":running", AttributeValue.fromS("in_progress"))),
                    steps.put(outbox, null, Map.of(), Map.of()))));

            steps.step("SendMessage x" + queues.size(), () -> {
                for (String url : queues) {
                    sqs.sendMessage(r -> r.queueUrl(url).messageBody(event).messageAttributes(Map.of(
                            "eventId", MessageAttributeValue.builder().dataType("String").stringValue(eventId).build(),
                            "eventType", MessageAttributeValue.builder().dataType("String").stringValue("payment.succeeded").build())));
                }
                return null;
            });
            steps.step("DeleteItem outbox", () -> dynamo.deleteItem(r -> r.tableName(table).key(outboxKey)));
        }

        private void get(String step, String pk, String sk) {
            if (steps.step(step, () -> dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(WarmBenchmark.key(pk, sk))))
                    .item().isEmpty()) {
                throw new IllegalStateException("raw GetItem found no " + pk + " " + sk);
            }
        }
    }
}
