package com.clientele.bench;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.local.LocalCloud;
import com.clientele.loyalty.PointsAccrualHandler;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Throughput of the points accrual with three active campaigns against none: batches of 10 payment
 * events (the template's batch size), each a new succeeded charge, given to {@code PointsAccrualHandler}
 * in-process on an in-memory {@link LocalCloud}, batch by batch in turn for each way (see
 * {@link Bench#interleave}):
 * <ul>
 *   <li><b>none</b>: a tenant without campaigns (one Query finds none);</li>
 *   <li><b>3 campaigns</b>: a tenant with three active campaigns that all apply: x2 for everyone, 50
 *       points from 20.00 USD for everyone, x1.5 for the {@code loyal} segment: the segment settings are read
 *       for it (the customers, with no orders in their figures, are not in it) — two
 *       statement lines and participations more per charge;</li>
 *   <li><b>3 campaigns, cached</b>: the same with {@code CAMPAIGN_CACHE_SECONDS=60} (the active campaigns
 *       read once per warm function and minute).</li>
 * </ul>
 *
 * <p>Run from the repository root:
 * <pre>
 *   mvn -q -B -o -pl infra -am -DskipTests package exec:exec -Dlocal.main=com.clientele.bench.CampaignAccrualBenchmark [-Dlocal.args="BATCHES WARMUP CUSTOMERS"]
 * </pre>
 */
public final class CampaignAccrualBenchmark {

    static final int BATCH = 10;

    private CampaignAccrualBenchmark() {
    }

    record Way(String name, String tenant, PointsAccrualHandler handler, List<String> customers) {

        void accrue(int round) {
            var records = new ArrayList<SQSEvent.SQSMessage>();
            for (int i = 0; i < BATCH; i++) {
                int n = round * BATCH + i;
                var message = new SQSEvent.SQSMessage();
                message.setMessageId(UUID.randomUUID().toString());
                message.setBody(event(tenant, customers.get(n % customers.size()), n));
                records.add(message);
            }
            var batch = new SQSEvent();
            batch.setRecords(records);
            var failures = handler.handleRequest(batch, null).getBatchItemFailures();
            if (!failures.isEmpty()) {
                throw new IllegalStateException(name + ": " + failures.size() + " events failed");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int batches = Bench.intOption(options, 0, 300);
        int warmUp = Bench.intOption(options, 1, 60);
        int customers = Bench.intOption(options, 2, 50);
        Map<Way, Samples> results;
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()));
             var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var environment = cloud.environment("PointsAccrualFunction");
            var cached = new HashMap<>(environment);
            cached.put("CAMPAIGN_CACHE_SECONDS", "60");
            String run = Long.toString(System.currentTimeMillis(), 36);
            var ways = List.of(
                    new Way("none", "none" + run, new PointsAccrualHandler(environment), seed(cloud, http, "none" + run, customers, false)),
                    new Way("3 campaigns", "three" + run, new PointsAccrualHandler(environment),
                            seed(cloud, http, "three" + run, customers, true)),
                    new Way("3 campaigns, cached", "cached" + run, new PointsAccrualHandler(cached),
                            seed(cloud, http, "cached" + run, customers, true)));
            Bench.interleave(ways, warmUp, 0, Way::accrue);
            results = Bench.interleave(ways, 0, batches, (way, n) -> way.accrue(warmUp + n));
        }
        System.out.printf("%nPoints accrual, batches of %d new charges: %,d batches per way after %,d warm-up, %d customers per way, "
                + "%d CPUs, one JVM on loopback%n", BATCH, batches, warmUp, customers, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-22s %12s %10s %10s %10s%n", "", "events/s", "p50 ms", "p99 ms", "ratio");
        double base = 0;
        for (var entry : results.entrySet()) {
            var s = entry.getValue();
            double perSecond = BATCH * 1000.0 / s.mean();
            if (base == 0) {
                base = perSecond;
            }
            System.out.printf("%-22s %12.0f %10.2f %10.2f %10.2f%n", entry.getKey().name(), perSecond, s.percentile(50), s.percentile(99),
                    perSecond / base);
        }
        System.exit(0); // DynamoDB Local leaves a non-daemon thread behind
    }

    /** {@code count} customers of {@code tenant}; with {@code campaigns}, three active campaigns that apply to every charge. */
    static List<String> seed(LocalCloud cloud, HttpClient http, String tenant, int count, boolean campaigns) {
        var api = new ApiClient(http, cloud.apiUrl(), cloud.token(tenant, "bench-user"));
        var ids = new ArrayList<String>();
        for (int n = 0; n < count; n++) {
            ids.add(api.create("/customers", WarmBenchmark.customerJson(tenant, n)));
        }
        ApiClient.expect(200, api.send("PUT", "/loyalty/settings", """
                {"pointsPerUnit": 1, "rounding": "DOWN", "lotLifetimeMonths": 12, "referrerBonus": 0, "refereeBonus": 0,
                 "otpRequired": false, "pointValue": {"amount": 1, "currency": "USD"}}"""), "settings");
        if (campaigns) {
            for (String body : List.of("""
                    {"name": "Double", "startsAt": "2020-01-01T00:00:00Z", "earning": {"multiplier": 2}}""", """
                    {"name": "Basket", "startsAt": "2020-01-01T00:00:00Z",
                     "earning": {"amountBonus": {"minimum": {"amount": 2000, "currency": "USD"}, "points": 50}}}""", """
                    {"name": "Loyal", "startsAt": "2020-01-01T00:00:00Z", "audience": {"type": "segment", "segment": "loyal"},
                     "earning": {"multiplier": 1.5}}""")) {
                String id = api.create("/campaigns", body, "Idempotency-Key", UUID.randomUUID().toString());
                ApiClient.expect(200, api.send("POST", "/campaigns/" + id + "/activate", null), "activate");
            }
        }
        return ids;
    }

    static String event(String tenant, String customer, int n) {
        String id = String.format("%026d", n);
        return """
                {"id": "evt_%s", "type": "payment.succeeded", "schemaVersion": 1, "tenantId": "%s", "customerId": "%s",
                 "paymentId": "pay_%s", "refundId": null, "amount": 4200, "currency": "USD", "occurredAt": "%s",
                 "storeId": "store_1", "terminalId": "till_1", "receiptId": null, "failureCode": null}"""
                .formatted(id, tenant, customer, id, Instant.now());
    }
}
