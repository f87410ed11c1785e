package com.clientele.bench;

import com.clientele.customers.CustomersHandler;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Instant;
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
 *   <li>{@code handler TENANT ID}: builds {@link CustomersHandler} as Lambda would and has it answer
 *       one {@code GET /customers/{id}} (must be a 200);</li>
 *   <li>{@code baseline PK SK}: builds a bare {@link DynamoDbClient} (URL-connection HTTP client,
 *       explicit region, credentials and endpoint) and does the one GetItem that request needs.</li>
 * </ul>
 * Prints one line of {@code key=value} timestamps (epoch microseconds; the JVM start in epoch
 * milliseconds) for the parent to read. Not meant to be run by hand.
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    public static void main(String[] args) {
        long mainAt = nowMicros();
        var env = System.getenv();
        String mode = args[0];
        long initDoneAt;
        String outcome;
        switch (mode) {
            case "handler" -> {
                var handler = new CustomersHandler(env);
                initDoneAt = nowMicros();
                String tenant = args[1];
                String id = args[2];
                var response = handler.handleRequest(
                        ApiEvents.get(tenant, "/customers/{id}", "/customers/" + id, Map.of()), null);
                outcome = "status=" + response.getStatusCode();
                if (response.getStatusCode() != 200) {
                    fail(mode, outcome + " " + response.getBody());
                }
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
            default -> throw new IllegalArgumentException("mode is handler or baseline, not " + mode);
        }
        long respondedAt = nowMicros();
        // Read after the response, so the management classes it loads are not part of the timings.
        long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.printf("probe mode=%s %s jvmStartMillis=%d mainAt=%d initDoneAt=%d respondedAt=%d%n",
                mode, outcome, jvmStartMillis, mainAt, initDoneAt, respondedAt);
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
