package com.clientele.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.local.LocalContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.management.ManagementFactory;
import java.lang.reflect.ParameterizedType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One cold start, in a fresh JVM started on a function's own code (its jar, or the jar unpacked as
 * Lambda unpacks it) plus this probe's classes, with the function's environment as its process environment. The handler is built as
 * Lambda builds it: its class loaded by name, its no-argument constructor (which reads
 * {@code System.getenv()}). Modes:
 * <ul>
 *   <li>{@code HANDLER_CLASS TENANT ROUTE PATH}: the handler answers one {@code GET PATH} of that
 *       route (must be a 200), timed for {@link ColdStartBenchmark};</li>
 *   <li>{@code HANDLER_CLASS --events FILE...}: the handler serves each event file in turn (read as
 *       the handler's input type, as Lambda's runtime reads the JSON it is sent), and each response
 *       is printed as one {@code probe-response JSON} line, for {@code FunctionJarsTest};</li>
 *   <li>{@code baseline PK SK}: builds a bare {@link DynamoDbClient} (URL-connection HTTP client,
 *       explicit region, credentials and endpoint) and does the one GetItem a request needs.</li>
 * </ul>
 * In the timed modes, {@code -Dprobe.pauseAfterInit=true} makes the probe wait between init and
 * the request ({@link #awaitInvoke}). They print one line of {@code key=value} timestamps (epoch microseconds; the JVM start
 * in epoch milliseconds) for the parent to read. Uses only classes every function's jar holds (the
 * Lambda interfaces, Jackson, the DynamoDB client) besides its own, {@link ApiEvents} and
 * {@link LocalContext}, which the parent puts on the class path too. Not meant to be run by hand.
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long mainAt = nowMicros();
        var env = System.getenv();
        String mode = args[0];
        if (args.length > 1 && args[1].equals("--events")) {
            serveEvents(handler(mode), args);
            return;
        }
        long initDoneAt;
        long resumedAt;
        String outcome;
        if (mode.equals("baseline")) {
            var client = DynamoDbClient.builder()
                    .httpClient(UrlConnectionHttpClient.create())
                    .region(Region.of(env.get("AWS_REGION")))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
                    .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_DYNAMODB")))
                    .build();
            initDoneAt = nowMicros();
            resumedAt = awaitInvoke(initDoneAt);
            var item = client.getItem(r -> r.tableName(env.get("TABLE_NAME")).consistentRead(true)
                    .key(Map.of("PK", AttributeValue.fromS(args[1]), "SK", AttributeValue.fromS(args[2])))).item();
            outcome = "attributes=" + item.size();
            if (item.isEmpty()) {
                fail(mode, "no item");
            }
        } else {
            var handler = handler(mode);
            initDoneAt = nowMicros();
            resumedAt = awaitInvoke(initDoneAt);
            var response = (APIGatewayV2HTTPResponse) handler.handleRequest(
                    ApiEvents.get(args[1], args[2], args[3], Map.of()), new LocalContext(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "probe"), 60));
            outcome = "status=" + response.getStatusCode();
            if (response.getStatusCode() != 200) {
                fail(mode, outcome + " " + response.getBody());
            }
        }
        long respondedAt = nowMicros();
        // Read after the response, so the management classes it loads are not part of the timings.
        long cpuMicros = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1000).orElse(0L);
        long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.printf("probe mode=%s %s jvmStartMillis=%d mainAt=%d initDoneAt=%d resumedAt=%d respondedAt=%d cpuMicros=%d%n",
                mode, outcome, jvmStartMillis, mainAt, initDoneAt, resumedAt, respondedAt, cpuMicros);
    }

    /**
     * With {@code -Dprobe.pauseAfterInit=true}: says {@code probe-init-done} and waits for a line on
     * standard input, so the parent can cap the CPU of the invocation that follows, as Lambda caps an
     * invocation's (init runs with burst CPU); returns when it resumed.
     */
    private static long awaitInvoke(long initDoneAt) throws java.io.IOException {
        if (!Boolean.getBoolean("probe.pauseAfterInit")) {
            return initDoneAt;
        }
        System.out.println("probe-init-done");
        System.out.flush();
        System.in.read();
        return nowMicros();
    }

    /** The handler as Lambda builds it: by class name, with its public no-argument constructor. */
    @SuppressWarnings("unchecked")
    private static RequestHandler<Object, Object> handler(String className) throws ReflectiveOperationException {
        return (RequestHandler<Object, Object>) Class.forName(className).getConstructor().newInstance();
    }

    private static void serveEvents(RequestHandler<Object, Object> handler, String[] args) throws Exception {
        // Lambda's event JSON names ("Records", "eventSourceARN") differ from the event classes' only in case.
        ObjectMapper events = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .build();
        Class<?> input = inputType(handler.getClass());
        for (int i = 2; i < args.length; i++) {
            Object event = events.readValue(Files.readString(Path.of(args[i])), input);
            Object response = handler.handleRequest(event, new LocalContext(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "probe"), 60));
            System.out.println("probe-response " + events.writeValueAsString(response));
        }
    }

    /** The I of the {@code RequestHandler<I, O>} the handler implements. */
    private static Class<?> inputType(Class<?> type) {
        for (var implemented : type.getGenericInterfaces()) {
            if (implemented instanceof ParameterizedType parameterized && parameterized.getRawType() == RequestHandler.class) {
                var argument = parameterized.getActualTypeArguments()[0];
                return argument instanceof ParameterizedType generic ? (Class<?>) generic.getRawType() : (Class<?>) argument;
            }
        }
        throw new IllegalArgumentException(type + " does not implement RequestHandler<I, O>");
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
