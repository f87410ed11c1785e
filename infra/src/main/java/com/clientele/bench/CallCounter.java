package com.clientele.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerService;
import com.clientele.customers.CustomersHandler;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Json;
import com.clientele.shared.http.Cursors;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * How many DynamoDB calls each request of the customers API makes. Builds the handler over a
 * {@link DynamoDbClient} whose interceptor records every API call by operation name (with the
 * item count of transactions and batch reads), against an in-memory {@link LocalCloud}, and sends
 * it one request of each kind.
 *
 * <p>Run from the repository root after {@code mvn -DskipTests install}:
 * <pre>
 *   mvn -q -o -pl infra exec:exec -Dlocal.main=com.clientele.bench.CallCounter
 * </pre>
 */
public final class CallCounter {

    private static final String TENANT = "count";
    private static final int CUSTOMERS = 25;

    /** Records the DynamoDB operations made since the last {@link #drain()}. */
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
            var dynamo = DynamoDbClient.builder()
                    .httpClient(UrlConnectionHttpClient.create())
                    .region(Region.of(env.get("AWS_REGION")))
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
                    .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_DYNAMODB")))
                    .overrideConfiguration(o -> o.addExecutionInterceptor(recorder))
                    .build();
            var repository = new CustomerRepository(DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build(),
                    cloud.resources().get("Table"));
            var handler = new CustomersHandler(new CustomerService(repository, new Cursors("x"), Clock.systemUTC()));
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
            var page = session.count("list page 1 (limit 20)", 200, list(Map.of("limit", "20")));
            String cursor = Json.MAPPER.readTree(page).path("nextCursor").asText();
            session.count("list page 2 (cursor)", 200, list(Map.of("limit", "20", "cursor", cursor)));
            session.count("list sort=name", 200, list(Map.of("limit", "20", "sort", "name")));
            session.count("list sort=-ltv", 200, list(Map.of("limit", "20", "sort", "-ltv")));
            session.count("list email=", 200, list(Map.of("email", WarmBenchmark.email(TENANT, 3))));
            session.count("list phone=", 200, list(Map.of("phone", "+14155550123")));
            session.count("list q= (search)", 200, list(Map.of("q", "ada", "limit", "20")));
            session.count("update (PATCH, name)", 200, ApiEvents.event(TENANT, "PATCH", "/customers/{id}",
                    "/customers/" + first, Map.of(), Map.of("content-type", "application/json", "if-match", "\"1\""),
                    "{\"firstName\":\"Augusta\"}"));
            session.count("delete", 204, ApiEvents.event(TENANT, "DELETE", "/customers/{id}", "/customers/" + first,
                    Map.of(), Map.of(), null));
        }
        // DynamoDB Local leaves a non-daemon thread (its shard-rollover job) sleeping for minutes after it stops.
        System.exit(0);
    }

    private static APIGatewayV2HTTPEvent create(int n) {
        return ApiEvents.post(TENANT, "/customers", "/customers", WarmBenchmark.customerJson(TENANT, n));
    }

    private static APIGatewayV2HTTPEvent list(Map<String, String> query) {
        return ApiEvents.get(TENANT, "/customers", "/customers", query);
    }

    /** Sends requests to the handler and prints the calls each one made. */
    private record Session(CustomersHandler handler, Recorder recorder) {

        String create(int n) {
            var response = handler.handleRequest(CallCounter.create(n), null);
            if (response.getStatusCode() != 201) {
                throw new IllegalStateException("create answered " + response.getStatusCode() + ": " + response.getBody());
            }
            String location = response.getHeaders().get("Location");
            return location.substring(location.lastIndexOf('/') + 1);
        }

        /** Prints the calls of one request; returns its body. */
        String count(String label, int expectedStatus, APIGatewayV2HTTPEvent event) {
            recorder.drain();
            var response = handler.handleRequest(event, null);
            if (response.getStatusCode() != expectedStatus) {
                throw new IllegalStateException(label + " answered " + response.getStatusCode() + ": " + response.getBody());
            }
            var calls = recorder.drain();
            var summary = new LinkedHashMap<String, Integer>();
            calls.forEach(call -> summary.merge(call, 1, Integer::sum));
            var parts = new ArrayList<String>();
            summary.forEach((call, times) -> parts.add(times + " " + call));
            System.out.printf("  %-24s %d -> %d call%s: %s%n", label, response.getStatusCode(), calls.size(),
                    calls.size() == 1 ? "" : "s", String.join(", ", parts));
            return response.getBody();
        }
    }
}
