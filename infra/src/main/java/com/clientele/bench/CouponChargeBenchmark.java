package com.clientele.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.clientele.bench.ChargeBenchmark.Payer;
import com.clientele.local.LocalCloud;
import com.clientele.payments.PaymentsHandler;
import com.clientele.shared.Aws;
import com.clientele.shared.Components;
import com.clientele.shared.Env;
import com.clientele.shared.Json;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What a coupon adds to charge now ({@code POST /customers/{id}/charges}, a saved card, 89.00 USD, a
 * new {@code Idempotency-Key} each), through the HTTP API of an in-memory {@link LocalCloud}, two ways
 * interleaved request by request (see {@link Bench#interleave}) on the same customers of one tenant:
 * <ul>
 *   <li><b>no coupon</b>: the plain charge;</li>
 *   <li><b>coupon</b>: the same with {@code "couponCode"}, a shared amount-off code (5.00 USD off) whose
 *       limits are never reached (10^9 uses, 1,000 per customer): every charge holds a use with its
 *       pending payment and confirms it with its settlement.</li>
 * </ul>
 * Each customer charges once both ways before the warm-up (the first charge fixes their currency, the
 * first coupon charge makes their customer coupon): every timed charge is a later one. Then, in-process
 * over clients whose interceptor records every call ({@link CallCounter.Recorder}), one later charge each
 * way: the DynamoDB and SQS calls each makes.
 *
 * <p>Run from the repository root:
 * <pre>
 *   mvn -q -B -o -pl infra -am -DskipTests package exec:exec -Dlocal.main=com.clientele.bench.CouponChargeBenchmark [-Dlocal.args="REQUESTS WARMUP CUSTOMERS"]
 * </pre>
 * REQUESTS (default 1000) are timed per way, after WARMUP (default 300) untimed ones, over CUSTOMERS
 * (default 20) customers.
 */
public final class CouponChargeBenchmark {

    static final String TENANT = "coupons";
    static final String CODE = "BENCH-5OFF";
    static final String COUPON_CHARGE = """
            {"amount": {"amount": 8900, "currency": "USD"}, "description": "Order", "couponCode": "%s"}""".formatted(CODE);

    private CouponChargeBenchmark() {
    }

    /** One way of charging: {@code body} to the charges of the customers in turn. */
    record Way(String name, String body, ApiClient api, List<Payer> payers) {

        void charge(int n) {
            api.create("/customers/" + payers.get(n % payers.size()).customerId() + "/charges", body,
                    "Idempotency-Key", UUID.randomUUID().toString());
        }
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int requests = Bench.intOption(options, 0, ChargeBenchmark.DEFAULT_REQUESTS);
        int warmUp = Bench.intOption(options, 1, ChargeBenchmark.DEFAULT_WARM_UP);
        int customers = Bench.intOption(options, 2, ChargeBenchmark.DEFAULT_CUSTOMERS);

        Map<Way, Samples> results;
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()));
             var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var api = new ApiClient(http, cloud.apiUrl(), cloud.token(TENANT, "bench-user"));
            sharedCoupon(api);
            var payers = ChargeBenchmark.seed(api, TENANT, 0, customers + 1);
            var counted = payers.removeLast();
            var ways = List.of(new Way("no coupon", ChargeBenchmark.CHARGE, api, payers),
                    new Way("coupon " + CODE, COUPON_CHARGE, api, payers));
            for (int i = 0; i < customers; i++) {
                for (var way : ways) {
                    way.charge(i);
                }
            }
            Bench.interleave(ways, warmUp, 0, Way::charge);
            results = Bench.interleave(ways, 0, requests, Way::charge);
            report(results, requests, warmUp, customers);
            countCalls(cloud, counted);
        }
        // DynamoDB Local leaves a non-daemon thread (its shard-rollover job) sleeping for minutes after it stops.
        System.exit(0);
    }

    /** A campaign with an amount-off coupon offer whose limits the benchmark never reaches, and its shared code. */
    static void sharedCoupon(ApiClient api) {
        String campaign = api.create("/campaigns", """
                {"name": "Five off", "startsAt": "2020-01-01T00:00:00Z",
                 "coupon": {"type": "amount_off", "amountOff": {"amount": 500, "currency": "USD"},
                            "maxRedemptions": 1000000000, "maxRedemptionsPerCustomer": 1000}}""",
                "Idempotency-Key", UUID.randomUUID().toString());
        api.create("/campaigns/" + campaign + "/coupons", "{\"code\": \"" + CODE + "\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
    }

    private static void report(Map<Way, Samples> results, int requests, int warmUp, int customers) {
        System.out.printf("%nCharge through the HTTP API, ms: %,d charges per way after %,d warm-up, %d customers, "
                + "%d CPUs, one JVM on loopback%n", requests, warmUp, customers, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-24s %8s %8s%n", "", "p50", "p99");
        results.forEach((way, samples) -> System.out.printf("%-24s %8.2f %8.2f%n", way.name(), samples.percentile(50),
                samples.percentile(99)));
        var plain = results.values().stream().toList().getFirst();
        var coupon = results.values().stream().toList().getLast();
        System.out.printf("%-24s %7.2fx %7.2fx%n", "coupon / no coupon", coupon.percentile(50) / plain.percentile(50),
                coupon.percentile(99) / plain.percentile(99));
    }

    /**
     * The calls of a later charge each way, from the payments function in-process over recording clients:
     * {@code payer}'s first charge (which fixes their currency) and first coupon charge (which makes their
     * customer coupon) go first, uncounted.
     */
    private static void countCalls(LocalCloud cloud, Payer payer) throws Exception {
        var environment = cloud.environment("PaymentsFunction");
        var recorder = new CallCounter.Recorder();
        var sqs = Aws.build(SqsClient.builder().overrideConfiguration(o -> o.addExecutionInterceptor(recorder)),
                new Env(environment), "AWS_ENDPOINT_URL_SQS");
        var session = new CallCounter.Session(new PaymentsHandler(Components.from(environment)
                .with(DynamoDbClient.class, CallCounter.recordingDynamoDb(environment, recorder)).with(SqsClient.class, sqs)), recorder);
        System.out.printf("%nCalls of a later charge (the payments function in-process, the same code as behind the API)%n");
        session.call(201, charge(payer, ChargeBenchmark.CHARGE));
        session.call(201, charge(payer, COUPON_CHARGE));
        session.count("no coupon", 201, charge(payer, ChargeBenchmark.CHARGE));
        var withCoupon = session.count("coupon " + CODE, 201, charge(payer, COUPON_CHARGE)).response().getBody();
        var payment = Json.MAPPER.readTree(withCoupon);
        Bench.check(payment.path("amount").path("amount").asLong() == 8400 && payment.path("coupon").path("discount").path("amount").asLong() == 500,
                "the coupon charge was not 5.00 off 89.00: " + withCoupon);
    }

    private static APIGatewayV2HTTPEvent charge(Payer payer, String body) {
        return ApiEvents.event(TENANT, "POST", ChargeBenchmark.ROUTE, "/customers/" + payer.customerId() + "/charges", Map.of(),
                Map.of("content-type", "application/json", "idempotency-key", UUID.randomUUID().toString()), body);
    }
}
