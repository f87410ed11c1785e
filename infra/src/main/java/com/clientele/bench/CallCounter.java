package com.clientele.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.customers.CustomersHandler;
import com.clientele.customers.CustomersWiring;
import com.clientele.local.LocalCloud;
import com.clientele.payments.PaymentsHandler;
import com.clientele.shared.Aws;
import com.clientele.shared.Components;
import com.clientele.shared.Env;
import com.clientele.shared.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * How many DynamoDB and SQS calls each request of the customers and payments APIs makes. Builds
 * the handlers over a {@link DynamoDbClient} and an {@link SqsClient} whose interceptor records every
 * API call by operation name (with the item count of transactions and batch reads), against an
 * in-memory {@link LocalCloud}, and sends them one request of each kind. For charges it also checks
 * that the count does not grow with the customer's history: the 1st to the 50th charge of one
 * customer make as many calls, the 2nd to the 50th the very same ones.
 *
 * <p>Run from the repository root after {@code mvn -DskipTests install}:
 * <pre>
 *   mvn -q -o -pl infra exec:exec -Dlocal.main=com.clientele.bench.CallCounter
 * </pre>
 */
public final class CallCounter {

    private static final String TENANT = "count";
    private static final int CUSTOMERS = 25;
    private static final int CHARGES = 50;
    private static final String DECLINED_CARD = "4000000000000002";

    /** Records the DynamoDB and SQS operations made since the last {@link #drain()}. */
    static final class Recorder implements ExecutionInterceptor {
        private final List<String> calls = new ArrayList<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            String detail = switch (context.request()) {
                case TransactWriteItemsRequest tx -> " (" + tx.transactItems().size() + " items)";
                case BatchGetItemRequest batch -> " (" + batch.requestItems().values().stream()
                        .mapToInt(keys -> keys.keys().size()).sum() + " keys)";
                default -> "";
            };
            synchronized (calls) {
                calls.add(operation + detail);
            }
        }

        List<String> drain() {
            synchronized (calls) {
                var drained = List.copyOf(calls);
                calls.clear();
                return drained;
            }
        }
    }

    private CallCounter() {
    }

    public static void main(String[] args) throws Exception {
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()))) {
            var env = cloud.environment("CustomersFunction");
            var recorder = new Recorder();
            var dynamo = recordingDynamoDb(env, recorder);
            var handler = customersHandler(cloud, dynamo);
            var session = new Session(handler, recorder);

            String first = session.create(0);
            for (int n = 1; n < CUSTOMERS; n++) {
                session.create(n);
            }
            recorder.drain();
            System.out.printf("%nDynamoDB calls per request, in a tenant of %d customers%n", CUSTOMERS);
            session.count("create", 201, create(CUSTOMERS));
            session.count("create, email taken", 409, create(0));
            session.count("get", 200, ApiEvents.get(TENANT, "/customers/{id}", "/customers/" + first, Map.of()));
            var page = session.count("list page 1 (limit 20)", 200, list(Map.of("limit", "20"))).response().getBody();
            String cursor = Json.MAPPER.readTree(page).path("nextCursor").asText();
            session.count("list page 2 (cursor)", 200, list(Map.of("limit", "20", "cursor", cursor)));
            session.count("list sort=name", 200, list(Map.of("limit", "20", "sort", "name")));
            session.count("list sort=-ltv", 200, list(Map.of("limit", "20", "sort", "-ltv")));
            session.count("list sort=-ltv&ltvMin=", 200, list(Map.of("limit", "20", "sort", "-ltv", "ltvMin", "1")));
            session.count("list sort=-ltv&segment=loyal", 200, list(Map.of("limit", "20", "sort", "-ltv", "segment", "loyal")));
            session.count("list type=business", 200, list(Map.of("limit", "20", "type", "business")));
            session.count("top (limit 100)", 200, ApiEvents.get(TENANT, "/customers/top", "/customers/top", Map.of()));
            session.count("segment settings (GET)", 200, ApiEvents.get(TENANT, "/settings/segments", "/settings/segments", Map.of()));
            session.count("segment settings (PUT)", 200, ApiEvents.event(TENANT, "PUT", "/settings/segments", "/settings/segments",
                    Map.of(), Map.of("content-type", "application/json"), """
                    {"highValueLtv": {"amount": 100000, "currency": "USD"}, "atRiskDays": 30, "loyalOrders": 3, "newDays": 30}"""));
            session.count("list email=", 200, list(Map.of("email", WarmBenchmark.email(TENANT, 3))));
            session.count("list phone=", 200, list(Map.of("phone", "+14155550123")));
            session.count("list q= (search)", 200, list(Map.of("q", "ada", "limit", "20")));
            session.count("update (PATCH, name)", 200, ApiEvents.event(TENANT, "PATCH", "/customers/{id}",
                    "/customers/" + first, Map.of(), Map.of("content-type", "application/json", "if-match", "\"1\""),
                    "{\"firstName\":\"Augusta\"}"));
            session.count("delete", 204, ApiEvents.event(TENANT, "DELETE", "/customers/{id}", "/customers/" + first,
                    Map.of(), Map.of(), null));

            countPayments(cloud, dynamo, recorder, session);
        }
        // DynamoDB Local leaves a non-daemon thread (its shard-rollover job) sleeping for minutes after it stops.
        System.exit(0);
    }

    /** A DynamoDB client configured as the function's, recording every call into {@code recorder}. */
    static DynamoDbClient recordingDynamoDb(Map<String, String> env, Recorder recorder) {
        return Aws.build(DynamoDbClient.builder().overrideConfiguration(o -> o.addExecutionInterceptor(recorder)),
                new Env(env), "AWS_ENDPOINT_URL_DYNAMODB");
    }

    /** The customers function in-process, over {@code dynamo}. */
    static CustomersHandler customersHandler(LocalCloud cloud, DynamoDbClient dynamo) {
        return new CustomersHandler(CustomersWiring.service(Components.from(cloud.environment("CustomersFunction"))
                .with(DynamoDbClient.class, dynamo)));
    }

    /** The payments API, over the same DynamoDB client and an SQS client recording into the same recorder. */
    private static void countPayments(LocalCloud cloud, DynamoDbClient dynamo, Recorder recorder, Session customers) {
        var env = cloud.environment("PaymentsFunction");
        var sqs = Aws.build(SqsClient.builder().overrideConfiguration(o -> o.addExecutionInterceptor(recorder)),
                new Env(env), "AWS_ENDPOINT_URL_SQS");
        var queues = Arrays.stream(env.get("EVENT_QUEUE_URLS").split(",")).map(String::strip).toList();
        var session = new Session(new PaymentsHandler(Components.from(env).with(DynamoDbClient.class, dynamo).with(SqsClient.class, sqs)),
                recorder);
        String customer = customers.create(CUSTOMERS + 1);
        String decliner = customers.create(CUSTOMERS + 2);
        System.out.printf("%nDynamoDB and SQS calls per request of the payments API (%d event queues)%n", queues.size());
        session.count("save card (first)", 201, post("/customers/{id}/payment-methods", "/customers/" + customer
                + "/payment-methods", ChargeBenchmark.cardJson(ChargeBenchmark.VISA), null));
        session.call(201, post("/customers/{id}/payment-methods", "/customers/" + decliner + "/payment-methods",
                ChargeBenchmark.cardJson(DECLINED_CARD), null));

        var charges = new ArrayList<List<String>>();
        String secondKey = null;
        String lastPayment = null;
        for (int n = 1; n <= CHARGES; n++) {
            String key = UUID.randomUUID().toString();
            var charge = charge(customer, key);
            var counted = switch (n) {
                case 1 -> session.count("charge (1st of customer)", 201, charge);
                case 2 -> session.count("charge (2nd)", 201, charge);
                case CHARGES -> session.count("charge (" + CHARGES + "th)", 201, charge);
                default -> session.call(201, charge);
            };
            charges.add(counted.calls());
            secondKey = n == 2 ? key : secondKey;
            lastPayment = ApiClient.lastSegment(counted.response().getHeaders().get("Location"));
        }
        boolean sameCount = charges.stream().allMatch(calls -> calls.size() == charges.getFirst().size());
        boolean sameCalls = charges.stream().skip(1).allMatch(calls -> calls.equals(charges.get(1)));
        System.out.printf("  charges 1 to %d: %d calls each: %s; charges 2 to %d, the same calls: %s%n", CHARGES,
                charges.getFirst().size(), sameCount ? "yes" : "NO", CHARGES, sameCalls ? "yes" : "NO");
        if (!sameCount || !sameCalls) {
            charges.forEach(calls -> System.out.println("    " + calls));
            throw new IllegalStateException("the calls of a charge changed with the customer's history");
        }
        session.count("charge replayed (2nd's key)", 201, charge(customer, secondKey));
        session.count("charge declined", 402, charge(decliner, UUID.randomUUID().toString()));
        session.count("refund (all of the " + CHARGES + "th)", 201, post("/payments/{id}/refunds",
                "/payments/" + lastPayment + "/refunds", null, UUID.randomUUID().toString()));
        session.count("guest payment", 201, post("/guest-payments", "/guest-payments", """
                {"email": "guest@example.com", "phone": "+14155550999", "amount": {"amount": 1000, "currency": "USD"},
                 "card": {"number": "4242424242424242", "expMonth": 1, "expYear": 2033, "cvc": "999"}}""",
                UUID.randomUUID().toString()));
        session.count("get payment", 200, ApiEvents.get(TENANT, "/payments/{id}", "/payments/" + lastPayment, Map.of()));
        session.count("payment history (limit 20)", 200, ApiEvents.get(TENANT, "/customers/{id}/payments",
                "/customers/" + customer + "/payments", Map.of("limit", "20")));
    }

    private static APIGatewayV2HTTPEvent charge(String customer, String idempotencyKey) {
        return post(ChargeBenchmark.ROUTE, "/customers/" + customer + "/charges", ChargeBenchmark.CHARGE, idempotencyKey);
    }

    /** A POST of the payments API, with an Idempotency-Key unless {@code idempotencyKey} is null. */
    private static APIGatewayV2HTTPEvent post(String route, String path, String json, String idempotencyKey) {
        var headers = new LinkedHashMap<String, String>();
        if (json != null) {
            headers.put("content-type", "application/json");
        }
        if (idempotencyKey != null) {
            headers.put("idempotency-key", idempotencyKey);
        }
        return ApiEvents.event(TENANT, "POST", route, path, Map.of(), headers, json);
    }

    private static APIGatewayV2HTTPEvent create(int n) {
        return ApiEvents.post(TENANT, "/customers", "/customers", WarmBenchmark.customerJson(TENANT, n));
    }

    private static APIGatewayV2HTTPEvent list(Map<String, String> query) {
        return ApiEvents.get(TENANT, "/customers", "/customers", query);
    }

    /** A response and the calls made for it. */
    record Counted(APIGatewayV2HTTPResponse response, List<String> calls) {
    }

    /** Sends requests to a handler and prints the calls each one made. */
    record Session(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, Recorder recorder) {

        String create(int n) {
            var response = handler.handleRequest(CallCounter.create(n), null);
            if (response.getStatusCode() != 201) {
                throw new IllegalStateException("create answered " + response.getStatusCode() + ": " + response.getBody());
            }
            String location = response.getHeaders().get("Location");
            return location.substring(location.lastIndexOf('/') + 1);
        }

        /** Sends one request, which must answer {@code expectedStatus}; returns its response and calls. */
        Counted call(int expectedStatus, APIGatewayV2HTTPEvent event) {
            recorder.drain();
            var response = handler.handleRequest(event, null);
            if (response.getStatusCode() != expectedStatus) {
                throw new IllegalStateException(event.getRouteKey() + " answered " + response.getStatusCode() + ": "
                        + response.getBody());
            }
            return new Counted(response, recorder.drain());
        }

        /** Prints the calls of one request. */
        Counted count(String label, int expectedStatus, APIGatewayV2HTTPEvent event) {
            var counted = call(expectedStatus, event);
            var response = counted.response();
            var calls = counted.calls();
            var summary = new LinkedHashMap<String, Integer>();
            calls.forEach(call -> summary.merge(call, 1, Integer::sum));
            var parts = new ArrayList<String>();
            summary.forEach((call, times) -> parts.add(times + " " + call));
            System.out.printf("  %-28s %d -> %d call%s: %s%n", label, response.getStatusCode(), calls.size(),
                    calls.size() == 1 ? "" : "s", String.join(", ", parts));
            return counted;
        }
    }
}
