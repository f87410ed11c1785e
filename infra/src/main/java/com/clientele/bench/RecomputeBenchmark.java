package com.clientele.bench;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerStats;
import com.clientele.customers.CustomerType;
import com.clientele.local.LocalCloud;
import com.clientele.ltv.LtvRepository;
import com.clientele.ltv.RecomputeJobs;
import com.clientele.ltv.RecomputeService;
import com.clientele.ltv.StatsFold;
import com.clientele.payments.Payment;
import com.clientele.payments.PaymentItems;
import com.clientele.payments.PaymentRepository;
import com.clientele.payments.PaymentStatus;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.Keys;
import com.clientele.shared.Money;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The LTV recompute of a whole tenant against the raw reads of the same ledgers. Seeds CUSTOMERS
 * customers with PAYMENTS payments each straight into DynamoDB Local (batch writes of the items the
 * app stores: profiles, payments, the aggregator's markers; every 100th customer with drifted
 * stats), then times, one after the other on one thread each:
 *
 * <ul>
 *   <li>the job: {@code POST /admin/ltv-recompute} through the local API, worked by the worker
 *       function through LtvRecomputeQueue, until the job reads {@code succeeded};</li>
 *   <li>the service loop: {@link RecomputeService#recompute} per customer, in process (no queue,
 *       no job item; no drift left by then, so reads only);</li>
 *   <li>raw: one Query per customer partition, {@code PK = T#t#C#<id> AND begins_with(SK, "PAY#")},
 *       consistent, every page read; then the same Queries {@link RecomputeJobs#CONCURRENT_CHECKS} at
 *       once, as many as the job checks customers at once.</li>
 * </ul>
 *
 * <pre>
 *   mvn -q -pl infra -am -DskipTests package exec:exec -Dlocal.main=com.clientele.bench.RecomputeBenchmark [-Dlocal.args="CUSTOMERS PAYMENTS"]
 * </pre>
 */
public final class RecomputeBenchmark {

    static final int DEFAULT_CUSTOMERS = 10_000;
    static final int DEFAULT_PAYMENTS = 10;
    private static final String TENANT = "bench";
    private static final Instant NOW = Instant.now();

    private RecomputeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int customers = Bench.intOption(options, 0, DEFAULT_CUSTOMERS);
        int payments = Bench.intOption(options, 1, DEFAULT_PAYMENTS);
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()));
             var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var env = new Env(cloud.environment("LtvRecomputeWorkerFunction"));
            var dynamo = Aws.dynamoDb(env);
            String table = env.require("TABLE_NAME");

            long seedStart = System.nanoTime();
            var ids = seed(dynamo, table, customers, payments);
            System.out.printf("Seeded %,d customers x %d payments in %.1f s%n", customers, payments, seconds(seedStart));

            // warm-up: the raw reads and the service on the first thousand, untimed
            var service = new RecomputeService(new LtvRepository(dynamo, table, new CustomerRepository(dynamo, table)),
                    Clock.systemUTC());
            for (String id : ids.subList(0, Math.min(1_000, ids.size()))) {
                raw(dynamo, table, id);
            }

            long jobStart = System.nanoTime();
            var job = runJob(http, cloud.apiUrl(), cloud.token(TENANT, "bench-user"));
            double jobSeconds = seconds(jobStart);

            long serviceStart = System.nanoTime();
            long serviceDrifted = 0;
            for (String id : ids) {
                serviceDrifted += service.recompute(TENANT, id).filter(RecomputeService.Result::drifted).isPresent() ? 1 : 0;
            }
            double serviceSeconds = seconds(serviceStart);

            long rawStart = System.nanoTime();
            long rows = 0;
            for (String id : ids) {
                rows += raw(dynamo, table, id);
            }
            double rawSeconds = seconds(rawStart);

            // the same Queries as many at once as the job checks customers at once
            long overlappedStart = System.nanoTime();
            var overlappedRows = new java.util.concurrent.atomic.AtomicLong();
            try (var threads = java.util.concurrent.Executors.newFixedThreadPool(RecomputeJobs.CONCURRENT_CHECKS)) {
                for (String id : ids) {
                    threads.submit(() -> overlappedRows.addAndGet(raw(dynamo, table, id)));
                }
            }
            double overlappedSeconds = seconds(overlappedStart);

            System.out.printf("%nLTV recompute of one tenant: %,d customers x %d payments, %d CPUs, one JVM on loopback%n",
                    customers, payments, Runtime.getRuntime().availableProcessors());
            System.out.printf("  job (API -> queue -> worker)   %8.1f s  %6.2f ms/customer  checked %,d, drifted %,d (%s)%n",
                    jobSeconds, jobSeconds * 1000 / customers, job.path("customersChecked").asLong(), job.path("drifted").asLong(),
                    job.path("status").asText());
            System.out.printf("  service loop (in process)      %8.1f s  %6.2f ms/customer  drifted %,d (repaired by the job)%n",
                    serviceSeconds, serviceSeconds * 1000 / customers, serviceDrifted);
            System.out.printf("  raw Query per ledger           %8.1f s  %6.2f ms/customer  %,d payments read%n",
                    rawSeconds, rawSeconds * 1000 / customers, rows);
            System.out.printf("  raw, %d at once                 %8.1f s  %6.2f ms/customer  %,d payments read%n",
                    RecomputeJobs.CONCURRENT_CHECKS, overlappedSeconds, overlappedSeconds * 1000 / customers, overlappedRows.get());
            System.out.printf("  ratio job / raw %.2fx (target <= 1.6), job / raw %d at once %.2fx, service / raw %.2fx%n",
                    jobSeconds / rawSeconds, RecomputeJobs.CONCURRENT_CHECKS, jobSeconds / overlappedSeconds, serviceSeconds / rawSeconds);
        }
        // DynamoDB Local leaves a non-daemon thread (its shard-rollover job) sleeping for minutes after it stops.
        System.exit(0);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Customers as the app stores them: the profile (stats from the ledger), the payments, the markers. */
    private static List<String> seed(DynamoDbClient dynamo, String table, int customers, int payments) throws Exception {
        var profiles = new CustomerRepository(dynamo, table);
        var ids = new ArrayList<String>();
        var items = new ArrayList<Map<String, AttributeValue>>();
        for (int c = 0; c < customers; c++) {
            String id = Ids.next(Ids.CUSTOMER);
            ids.add(id);
            var ledger = new ArrayList<Payment>();
            for (int p = 0; p < payments; p++) {
                Instant at = NOW.minus(Duration.ofDays(6L * (payments - p))).plusSeconds(c);
                ledger.add(Payment.builder().id(Ids.next(Ids.PAYMENT)).customerId(id).status(PaymentStatus.SUCCEEDED)
                        .amount(new Money(1_000L + 100L * p, "USD")).description("Order " + p).createdAt(at).updatedAt(at).version(2).build());
            }
            CustomerStats stats = StatsFold.fromLedger(ledger);
            if (c % 100 == 0) {
                stats = CustomerStats.zero("USD"); // drifted: the job finds and repairs these
            }
            Instant joined = NOW.minus(Duration.ofDays(365));
            var customer = Customer.builder().id(id).type(CustomerType.INDIVIDUAL).firstName("Ada" + c).lastName("Byron")
                    .email("ada" + c + "@example.com").phone(String.format("+1415%07d", 2_000_000 + c)).currency("USD").stats(stats)
                    .createdAt(joined).updatedAt(joined).build();
            items.add(profiles.profileUpdate(TENANT, customer, customer).item().toMap());
            for (var payment : ledger) {
                items.add(PaymentRepository.customerPaymentItem(TENANT, payment, "tok_bench").toMap());
                if (payment.updatedAt().isAfter(NOW.minus(Duration.ofDays(30)))) {
                    items.add(LtvRepository.appliedMarker(TENANT, id, payment.id(), payment.updatedAt()).toMap());
                }
            }
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            var writes = new ArrayList<Future<?>>();
            for (int i = 0; i < items.size(); i += 25) {
                var chunk = items.subList(i, Math.min(items.size(), i + 25));
                writes.add(pool.submit(() -> Bench.batchWrite(dynamo, table, chunk)));
            }
            for (var w : writes) {
                w.get();
            }
        }
        return ids;
    }


    /** One customer's ledger, raw: every page of the Query. Returns the number of payments. */
    private static int raw(DynamoDbClient dynamo, String table, String customerId) {
        int count = 0;
        Map<String, AttributeValue> start = null;
        do {
            var startKey = start;
            var page = dynamo.query(r -> r.tableName(table).consistentRead(true)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :pay)")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.customer(TENANT, customerId)),
                            ":pay", AttributeValue.fromS(PaymentItems.PAYMENT)))
                    .exclusiveStartKey(startKey));
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    private static JsonNode runJob(HttpClient http, URI api, String token) throws Exception {
        var started = http.send(HttpRequest.newBuilder(api.resolve("/admin/ltv-recompute"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 202) {
            throw new IllegalStateException("the job did not start: " + started.statusCode() + " " + started.body());
        }
        String location = started.headers().firstValue("Location").orElseThrow();
        while (true) {
            var job = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(api.resolve(location))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            String status = job.path("status").asText();
            if (status.equals("succeeded") || status.equals("failed")) {
                return job;
            }
            Thread.sleep(250);
        }
    }
}
