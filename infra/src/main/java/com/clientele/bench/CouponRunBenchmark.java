package com.clientele.bench;

import com.clientele.campaigns.CampaignRepository;
import com.clientele.campaigns.CouponRepository;
import com.clientele.campaigns.CouponRun;
import com.clientele.campaigns.CouponRunMessage;
import com.clientele.campaigns.CouponRunQueue;
import com.clientele.campaigns.CouponRunRepository;
import com.clientele.campaigns.CouponRunService;
import com.clientele.campaigns.CouponRunner;
import com.clientele.customers.CustomersWiring;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Components;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.jobs.JobMetrics;
import com.clientele.shared.jobs.StepRunner;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Bulk coupon generation: CUSTOMERS customers of one tenant seeded straight into DynamoDB Local (profiles as
 * the app stores them, as the export benchmark seeds them), a campaign for everyone with a percent-off
 * coupon, and a coupon run worked to the end in this JVM: the API's start (the service), then each step's
 * message handed to the worker's runner as the queue would, each step working PAGES pages of the
 * customers list (100 customers a page, the template's page size: about 10,000 customers a step). After
 * each step, a full collection and the heap in use: what stays alive as the run goes on. Reports the run's
 * time (its steps only), coupons per second and that heap, step by step.
 *
 * <pre>
 *   mvn -q -pl infra -am -DskipTests package exec:exec -Dlocal.main=com.clientele.bench.CouponRunBenchmark [-Dlocal.args="CUSTOMERS PAGES"]
 * </pre>
 */
public final class CouponRunBenchmark {

    static final int DEFAULT_CUSTOMERS = 100_000;
    static final int PAGE_SIZE = 100;
    private static final String TENANT = "benchcoupons";

    private CouponRunBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int customers = Bench.intOption(options, 0, DEFAULT_CUSTOMERS);
        int pagesPerStep = Bench.intOption(options, 1, 100);
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()))) {
            var components = Components.from(cloud.environment("CouponRunWorkerFunction"));
            var dynamo = components.dynamoDb();
            String table = components.table();

            long seedStart = System.nanoTime();
            ExportBenchmark.seed(dynamo, table, TENANT, customers);
            System.out.printf("Seeded %,d customers in %.1f s%n", customers, seconds(seedStart));

            String campaignId = campaign(cloud);

            var steps = new ArrayDeque<CouponRunMessage>();
            var queue = new CouponRunQueue(null, null) {
                @Override
                public void send(CouponRunMessage message) {
                    steps.add(message);
                }
            };
            var campaigns = new CampaignRepository(dynamo, components.enhanced(), table);
            var runs = new CouponRunRepository(dynamo, components.enhanced(), table);
            var service = new CouponRunService(campaigns, runs, queue, components.cursors(), components.clock());
            var metrics = new JobMetrics(components.metrics(), JobMetrics.COUPON_RUN);
            var runner = new StepRunner<>(CouponRunMessage.class, new CouponRunner(runs, campaigns,
                    new CouponRepository(dynamo, components.enhanced(), table), CustomersWiring.service(components)::customers,
                    components.clock(), new SecureRandom(), PAGE_SIZE, metrics), queue, new StepRunner.Settings(1, 0, 5), metrics);

            var run = service.start(new CouponRunService.NewRun(TENANT, campaignId, "bench"),
                    IdempotentWrite.owned(Ids.next(Ids.COUPON_RUN), false));
            System.out.printf("%nCoupon run over %,d customers, %d CPUs, one JVM on loopback (DynamoDB Local), %d customers a page, "
                    + "%d pages a step%n", customers, Runtime.getRuntime().availableProcessors(), PAGE_SIZE, pagesPerStep);
            System.out.printf("  %-6s %10s %10s %9s %12s %22s%n", "step", "customers", "coupons", "time s", "coupons/s", "heap after full GC MB");
            System.out.printf("  %-6s %10d %10d %9.1f %12s %22.1f%n", "start", 0, 0, 0.0, "", heapAfterGc());
            double runSeconds = 0;
            long maxHeap = 0;
            CouponRun state = run;
            while (!steps.isEmpty()) {
                var message = steps.poll();
                long start = System.nanoTime();
                runner.run(message, 1, pages(pagesPerStep));
                runSeconds += seconds(start);
                state = service.get(TENANT, campaignId, run.id());
                double heap = heapAfterGc();
                maxHeap = Math.max(maxHeap, (long) heap);
                System.out.printf("  %-6d %,10d %,10d %9.1f %,12.0f %22.1f%n", message.step(), state.customersSeen(), state.couponsMade(),
                        runSeconds, state.couponsMade() / runSeconds, heap);
            }
            System.out.printf("%n  %s: %,d customers seen, %,d coupons made, %,d skipped, %,d failed in %.1f s: %,.0f coupons/s "
                            + "(%.2f ms a customer); heap after full GC at most %d MB%n", state.status(), state.customersSeen(),
                    state.couponsMade(), state.skipped(), state.failed(), runSeconds, state.couponsMade() / runSeconds,
                    runSeconds * 1000 / Math.max(1, state.customersSeen()), maxHeap);
            Bench.check(state.couponsMade() == customers, "every customer got a coupon");
        }
        // DynamoDB Local leaves a non-daemon thread (its shard-rollover job) sleeping for minutes after it stops.
        System.exit(0);
    }

    /** A campaign for everyone with a percent-off coupon offer, made through the API. */
    private static String campaign(LocalCloud cloud) throws Exception {
        try (var http = HttpClient.newHttpClient()) {
            var response = http.send(HttpRequest.newBuilder(cloud.apiUrl().resolve("/campaigns"))
                    .header("Authorization", "Bearer " + cloud.token(TENANT, "bench")).header("Content-Type", "application/json")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"name": "Ten percent for everyone", "startsAt": "2020-01-01T00:00:00Z",
                             "coupon": {"type": "percent_off", "percentOff": 10}}""")).build(), HttpResponse.BodyHandlers.ofString());
            Bench.check(response.statusCode() == 201, "the campaign was made: " + response.body());
            return Json.MAPPER.readTree(response.body()).path("id").asText();
        }
    }

    /** A step's time: {@code pages} pages (the first is always worked), then it hands over. */
    private static BooleanSupplier pages(int pages) {
        int[] asked = {0};
        return () -> ++asked[0] < pages;
    }

    /** The heap in use after a full collection, in MB: what is still alive. */
    private static double heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024.0 / 1024.0;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
