package com.clientele.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.customers.CustomersHandler;
import com.clientele.payments.PaymentsHandler;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One cold start, in a fresh JVM that {@link ColdStartBenchmark} spawns on the Lambda jar's
 * classpath, with the function's environment as its process environment:
 * <ul>
 *   <li>{@code customers TENANT ID}: builds {@link CustomersHandler} as Lambda would and has it answer
 *       one {@code GET /customers/{id}} (must be a 200);</li>
 *   <li>{@code payments TENANT ID}: builds {@link PaymentsHandler} as Lambda would and has it answer
 *       one {@code GET /payments/{id}} (must be a 200);</li>
 *   <li>{@code baseline PK SK}: builds a bare {@link DynamoDbClient} (URL-connection HTTP client,
 *       explicit region, credentials and endpoint) and does the one GetItem that request needs.</li>
 * </ul>
 * Prints one line of {@code key=value} timestamps (epoch microseconds; the JVM start in epoch
 * milliseconds) for the parent to read. Not meant to be run by hand.
 */
public final class ColdStartProbe {

    /** The functions a probe can start, as its first argument names them. */
    static final List<String> FUNCTIONS = List.of("customers", "payments");

    private ColdStartProbe() {
    }

    public static void main(String[] args) {
        long mainAt = nowMicros();
        var env = System.getenv();
        String mode = args[0];
        long initDoneAt;
        String outcome;
        switch (mode) {
            // One branch per function, each with its concrete type, so that neither probe loads the other's handler.
            case "customers" -> {
                var handler = new CustomersHandler(env);
                initDoneAt = nowMicros();
                outcome = served(mode, handler.handleRequest(
                        ApiEvents.get(args[1], "/customers/{id}", "/customers/" + args[2], Map.of()), null));
            }
            case "payments" -> {
                var handler = new PaymentsHandler(env);
                initDoneAt = nowMicros();
                outcome = served(mode, handler.handleRequest(
                        ApiEvents.get(args[1], "/payments/{id}", "/payments/" + args[2], Map.of()), null));
            }
            case "baseline" -> {
                var client = DynamoDbClient.builder()
                        .httpClient(UrlConnectionHttpClient.create())
                        .region(Region.of(env.get("AWS_REGION")))
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
                        .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_DYNAMODB")))
                        .build();
                initDoneAt = nowMicros();
                var item = client.getItem(r -> r.tableName(env.get("TABLE_NAME")).consistentRead(true)
                        .key(Map.of("PK", AttributeValue.fromS(args[1]), "SK", AttributeValue.fromS(args[2])))).item();
                outcome = "attributes=" + item.size();
                if (item.isEmpty()) {
                    fail(mode, "no item");
                }
            }
            default -> throw new IllegalArgumentException("mode is customers, payments or baseline, not " + mode);
        }
        long respondedAt = nowMicros();
        // Read after the response, so the management classes it loads are not part of the timings.
        long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.printf("probe mode=%s %s jvmStartMillis=%d mainAt=%d initDoneAt=%d respondedAt=%d%n",
                mode, outcome, jvmStartMillis, mainAt, initDoneAt, respondedAt);
    }

    /** The outcome of a handler's response, which must be a 200. */
    private static String served(String mode, APIGatewayV2HTTPResponse response) {
        String outcome = "status=" + response.getStatusCode();
        if (response.getStatusCode() != 200) {
            fail(mode, outcome + " " + response.getBody());
        }
        return outcome;
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private static void fail(String mode, String why) {
        System.out.println("probe mode=" + mode + " failed: " + why);
        System.exit(1);
    }
}
