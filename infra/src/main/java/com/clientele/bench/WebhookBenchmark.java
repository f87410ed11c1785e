package com.clientele.bench;

import com.clientele.local.LocalCloud;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Outbound webhooks in the local cloud, to a receiver on loopback that answers 200 at once:
 * <ol>
 *   <li>throughput: {@code EVENTS} payment events put on {@code WebhookEventsQueue} at once, each stored, given
 *   its delivery, and POSTed signed by {@code WebhookFunction} (through the delivery queue): deliveries per
 *   second, first send to last arrival; against raw HTTP POSTs of the same bodies from this JVM, 10 at a time
 *   (a batch's worth), to the same receiver;</li>
 *   <li>latency: {@code CHARGES} charges through the API one after another, each waited for at the receiver:
 *   from the payment's commit (its event's {@code createdAt}) to the webhook's arrival, p50 and p99.</li>
 * </ol>
 * Run from the repository root:
 * <pre>
 *   mvn -q -pl infra -am -DskipTests package exec:exec -Dlocal.main=com.clientele.bench.WebhookBenchmark [-Dlocal.args="EVENTS CHARGES"]
 * </pre>
 */
public final class WebhookBenchmark {

    private WebhookBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int events = Bench.intOption(options, 0, 1_000);
        int charges = Bench.intOption(options, 1, 200);
        String template = Files.readString(Bench.template()).replace("WEBHOOK_ALLOW_LOOPBACK: \"false\"", "WEBHOOK_ALLOW_LOOPBACK: \"true\"");
        var copy = Files.createTempFile("template-webhook-bench", ".yaml");
        copy.toFile().deleteOnExit();
        Files.writeString(copy, template);
        var arrivals = new ConcurrentHashMap<String, Instant>();
        var receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("Clientele-Event-Id");
            arrivals.putIfAbsent(id != null ? id : new String(body, StandardCharsets.UTF_8), Instant.now());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(copy));
             var sqs = SqsClient.builder().endpointOverride(cloud.sqsEndpoint()).region(Region.US_EAST_1)
                     .httpClient(UrlConnectionHttpClient.create())
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
            var http = HttpClient.newHttpClient();
            String tenant = "bench" + UUID.randomUUID().toString().substring(0, 8);
            var api = new ApiClient(http, cloud.apiUrl(), cloud.token(tenant, "bench"));
            api.create("/webhook-endpoints", "{\"url\": \"" + url + "\", \"events\": [\"*\"]}");

            // 1. throughput, after a warm-up of 50 events
            String queue = cloud.queueUrl("WebhookEventsQueue");
            deliver(sqs, queue, tenant, 50, arrivals);
            arrivals.clear();
            var bodies = bodies(tenant, events);
            long start = System.nanoTime();
            for (var body : bodies) {
                sqs.sendMessage(r -> r.queueUrl(queue).messageBody(body));
            }
            waitFor(arrivals, events, Duration.ofMinutes(10));
            double webhookSeconds = (System.nanoTime() - start) / 1e9;
            arrivals.clear();
            start = System.nanoTime();
            rawPosts(http, URI.create(url), bodies);
            double rawSeconds = (System.nanoTime() - start) / 1e9;
            Bench.check(arrivals.size() == events, "the raw POSTs did not all arrive");
            System.out.printf("throughput: %,d webhooks in %.2f s: %.0f deliveries/s; raw POSTs of the same bodies (10 at a time): %.2f s, %.0f/s;"
                    + " raw/webhooks %.1fx%n", events, webhookSeconds, events / webhookSeconds, rawSeconds, events / rawSeconds,
                    webhookSeconds / rawSeconds);

            // 2. latency from a charge's commit to its webhook's arrival
            arrivals.clear();
            String customer = api.create("/customers", "{\"firstName\": \"Bench\", \"lastName\": \"Mark\", \"email\": \"" + tenant
                    + "@example.com\", \"phone\": \"+14155550100\"}");
            api.create("/customers/" + customer + "/payment-methods", "{\"card\": {\"number\": \"4242424242424242\", \"expMonth\": 12,"
                    + " \"expYear\": 2034, \"cvc\": \"123\"}}");
            var latency = new Samples();
            for (int i = 0; i < charges + 10; i++) {
                var response = api.send("POST", "/customers/" + customer + "/charges",
                        "{\"amount\": {\"amount\": " + (100 + i) + ", \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString());
                ApiClient.expect(201, response, "a charge");
                String payment = Json.MAPPER.readTree(response.body()).path("id").asText();
                var event = waitForPayment(api, payment);
                Instant arrived = waitFor(arrivals, event.id(), Duration.ofSeconds(60));
                if (i >= 10) {
                    latency.add(Duration.between(event.createdAt(), arrived).toNanos() / 1e6);
                }
            }
            System.out.printf("charge commit to webhook arrival (%d charges): p50 %.0f ms, p99 %.0f ms%n", charges, latency.median(),
                    latency.percentile(99));
        } finally {
            receiver.stop(0);
        }
        System.exit(0); // the local cloud's pollers and servers would keep the JVM
    }

    private record Stored(String id, Instant createdAt) {
    }

    /** The payment's event, once stored (its id is what the receiver is told). */
    private static Stored waitForPayment(ApiClient api, String payment) throws Exception {
        for (int i = 0; i < 600; i++) {
            var page = Json.MAPPER.readTree(api.get("/events?objectId=" + payment).body()).path("data");
            if (!page.isEmpty()) {
                return new Stored(page.get(0).path("id").asText(), Instant.parse(page.get(0).path("createdAt").asText()));
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no event for " + payment);
    }

    private static List<String> bodies(String tenant, int count) {
        var bodies = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            bodies.add(Json.write(Map.of("id", Ids.next(Ids.EVENT), "type", "payment.succeeded", "schemaVersion", 1, "tenantId", tenant,
                    "customerId", Ids.next(Ids.CUSTOMER), "paymentId", Ids.next(Ids.PAYMENT), "amount", 1_000 + i, "currency", "USD",
                    "occurredAt", Instant.now().toString())));
        }
        return bodies;
    }

    private static void deliver(SqsClient sqs, String queue, String tenant, int count, Map<String, Instant> arrivals) {
        for (var body : bodies(tenant, count)) {
            sqs.sendMessage(r -> r.queueUrl(queue).messageBody(body));
        }
        waitFor(arrivals, count, Duration.ofMinutes(2));
    }

    private static void rawPosts(HttpClient http, URI url, List<String> bodies) throws Exception {
        var permits = new Semaphore(10);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var body : bodies) {
                permits.acquire();
                threads.submit(() -> {
                    try {
                        http.send(HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        permits.release();
                    }
                    return null;
                });
            }
        }
    }

    private static void waitFor(Map<String, Instant> arrivals, int count, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (arrivals.size() < count) {
            Bench.check(Instant.now().isBefore(deadline), "only " + arrivals.size() + " of " + count + " webhooks arrived");
            sleep();
        }
    }

    private static Instant waitFor(Map<String, Instant> arrivals, String id, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!arrivals.containsKey(id)) {
            Bench.check(Instant.now().isBefore(deadline), "the webhook of " + id + " did not arrive");
            sleep();
        }
        return arrivals.get(id);
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
