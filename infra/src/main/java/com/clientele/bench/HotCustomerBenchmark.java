package com.clientele.bench;

import com.clientele.bench.ChargeBenchmark.Payer;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Json;
import com.clientele.shared.events.Batches;
import com.clientele.shared.events.Refused;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Hot customers under load, as a busy tenant would make them: CLIENTS threads charge CUSTOMERS
 * customers (a saved card each) CHARGES times in all, every tenth charge followed by a partial
 * refund, spread evenly over SECONDS, through the local cloud's HTTP API. Then it reads every
 * customer's stats ({@code GET /customers/{id}}) and points ({@code GET /customers/{id}/points})
 * until they equal the ledger the clients made (LTV, orders, refunded; points earned, clawed back,
 * available), and reports the time from the last answer to that moment, the writes the consumers
 * lost to contention ({@link Refused#conflicts()}: each one a read again, and after a few an event
 * left to the queue's visibility timeout), the messages the consumers failed ({@link Batches#failed()})
 * and the answers by status class.
 *
 * <pre>
 *   mvn -q -pl infra -am -DskipTests package exec:exec -Dlocal.main=com.clientele.bench.HotCustomerBenchmark [-Dlocal.args="CLIENTS CUSTOMERS CHARGES SECONDS"]
 * </pre>
 * Defaults: 16 clients, 20 customers, 600 charges (and 60 refunds) in 60 seconds.
 */
public final class HotCustomerBenchmark {

    static final long CHARGE = 8_900;
    static final long REFUND = 900;
    /** The default programme: a point per whole unit, rounded down; a refund takes its share, rounded down. */
    static final long POINTS = 89;
    static final long CLAWBACK = 9;
    static final long TIMEOUT_SECONDS = 600;

    private HotCustomerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int clients = Bench.intOption(options, 0, 16);
        int customers = Bench.intOption(options, 1, 20);
        int charges = Bench.intOption(options, 2, 600);
        int seconds = Bench.intOption(options, 3, 60);

        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()));
             var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var api = new ApiClient(http, cloud.apiUrl(), cloud.token("hot", "bench-user"));
            List<Payer> payers = ChargeBenchmark.seed(api, "hot", 0, customers);
            var orders = new AtomicLongArray(customers);
            var refunds = new AtomicLongArray(customers);
            var byClass = new AtomicLongArray(6);
            var next = new AtomicInteger();
            long conflictsBefore = Refused.conflicts();
            long failedBefore = Batches.failed();
            int requests = charges + charges / 10;
            long start = System.nanoTime();
            long interval = TimeUnit.SECONDS.toNanos(seconds) / requests;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    for (int n = next.getAndIncrement(); n < charges; n = next.getAndIncrement()) {
                        // the n-th charge's slot, counting the refunds that go before it
                        waitUntil(start + interval * (n + n / 10));
                        int who = n % customers;
                        var charged = api.send("POST", "/customers/" + payers.get(who).customerId() + "/charges",
                                "{\"amount\": {\"amount\": " + CHARGE + ", \"currency\": \"USD\"}}",
                                "Idempotency-Key", UUID.randomUUID().toString());
                        byClass.incrementAndGet(charged.statusCode() / 100);
                        JsonNode payment = charged.statusCode() == 201 ? tree(charged.body()) : null;
                        if (payment == null || !"succeeded".equals(payment.path("status").asText())) {
                            continue;
                        }
                        orders.incrementAndGet(who);
                        if (n % 10 == 9) {
                            waitUntil(start + interval * (n + n / 10 + 1));
                            var refunded = api.send("POST", "/payments/" + payment.path("id").asText() + "/refunds",
                                    "{\"amount\": {\"amount\": " + REFUND + ", \"currency\": \"USD\"}}",
                                    "Idempotency-Key", UUID.randomUUID().toString());
                            byClass.incrementAndGet(refunded.statusCode() / 100);
                            if (refunded.statusCode() == 201) {
                                refunds.incrementAndGet(who);
                            }
                        }
                    }
                    return null;
                });
            }
            pool.shutdown();
            pool.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long lastAnswer = System.nanoTime();
            double load = (lastAnswer - start) / 1e9;

            var pending = new ArrayList<Integer>();
            for (int i = 0; i < customers; i++) {
                pending.add(i);
            }
            long deadline = lastAnswer + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                pending.removeIf(i -> matches(api, payers.get(i).customerId(), orders.get(i), refunds.get(i)));
                if (!pending.isEmpty()) {
                    Thread.sleep(100);
                }
            }
            double converged = (System.nanoTime() - lastAnswer) / 1e9;

            long totalOrders = 0;
            long totalRefunds = 0;
            for (int i = 0; i < customers; i++) {
                totalOrders += orders.get(i);
                totalRefunds += refunds.get(i);
            }
            System.out.printf("%nHot customers: %d clients, %d customers, %d charges and %d refunds succeeded in %.1f s%n",
                    clients, customers, totalOrders, totalRefunds, load);
            System.out.printf("  answers: 2xx %d, 4xx %d, 5xx %d%n", byClass.get(2), byClass.get(4), byClass.get(5));
            if (pending.isEmpty()) {
                System.out.printf("  stats and points equal the ledger %.1f s after the last answer (target <= 10 s)%n", converged);
            } else {
                System.out.printf("  %d customers still differ from the ledger %d s after the last answer%n", pending.size(), TIMEOUT_SECONDS);
            }
            System.out.printf("  consumer writes lost to contention: %d (target 0)%n", Refused.conflicts() - conflictsBefore);
            System.out.printf("  messages failed (left to the queue's visibility timeout): %d%n", Batches.failed() - failedBefore);
        }
        // DynamoDB Local leaves a non-daemon thread sleeping after it stops.
        System.exit(0);
    }

    /** Whether the customer's stats and points are what its {@code orders} charges and {@code refunds} refunds make. */
    private static boolean matches(ApiClient api, String customerId, long orders, long refunds) {
        var stats = tree(api.get("/customers/" + customerId).body()).path("stats");
        if (stats.path("orders").asLong() != orders || stats.path("ltv").path("amount").asLong() != orders * CHARGE - refunds * REFUND
                || stats.path("refunded").path("amount").asLong() != refunds * REFUND) {
            return false;
        }
        var points = tree(api.get("/customers/" + customerId + "/points").body());
        return points.path("lifetime").asLong() == orders * POINTS && points.path("clawedBack").asLong() == refunds * CLAWBACK
                && points.path("available").asLong() == orders * POINTS - refunds * CLAWBACK;
    }

    private static JsonNode tree(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void waitUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
