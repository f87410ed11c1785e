package com.clientele.bench;

import com.clientele.catalogue.Price;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerItems;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerStats;
import com.clientele.customers.CustomerType;
import com.clientele.local.LocalCloud;
import com.clientele.payments.CardDetails;
import com.clientele.payments.PaymentInputs.SaveCard;
import com.clientele.payments.PaymentInputs.SaveCardCommand;
import com.clientele.payments.PaymentItems;
import com.clientele.payments.PaymentsWiring;
import com.clientele.shared.Aws;
import com.clientele.shared.Components;
import com.clientele.shared.Env;
import com.clientele.shared.Ids;
import com.clientele.shared.Table;
import com.clientele.shared.jobs.Budget;
import com.clientele.subscriptions.BillingSettings;
import com.clientele.subscriptions.BillingWiring;
import com.clientele.subscriptions.Collection;
import com.clientele.subscriptions.Subscription;
import com.clientele.subscriptions.SubscriptionItems;
import com.clientele.subscriptions.SubscriptionRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The renewal run over one large tenant, against the raw calls it makes. Seeds SUBSCRIPTIONS monthly
 * subscriptions straight into DynamoDB Local (batch writes of the items the app stores, built by its
 * repository), of which DUE are due (their second period started within the last day; each of their
 * customers has a profile and a saved card, made by the payments service), as many more start their
 * period later today (in the same index partitions, past the run's time) and tomorrow (the raw floor's
 * set), the rest over the coming month. Then, one after the other:
 *
 * <ul>
 *   <li>yesterday's run, with nothing due: what a day without renewals costs (it records its time);</li>
 *   <li>today's run: {@code RenewalService} in process, as the function builds it (the sandbox processor,
 *       no event queues), over a client whose interceptor counts the items every read returns and the
 *       calls: items read per due subscription;</li>
 *   <li>the raw floor, on tomorrow's set: the same calls in raw SDK requests - the Queries (the due index's, then
 *       each shard-day's reminder index's, empty), then per
 *       subscription the reads of the charge (profile, card) and its five writes (claim,
 *       pending payment, settled payment with its outbox item and activity, the outbox item's delete, the
 *       outcome), as many subscriptions at once as the run.</li>
 * </ul>
 *
 * <pre>
 *   mvn -q -pl infra validate exec:exec -Dlocal.main=com.clientele.bench.RenewalBenchmark [-Dlocal.args="SUBSCRIPTIONS DUE PARALLELISM"]
 * </pre>
 */
public final class RenewalBenchmark {

    static final int DEFAULT_SUBSCRIPTIONS = 100_000;
    static final int DEFAULT_DUE = 1_000;
    static final int DEFAULT_PARALLELISM = 8;
    private static final String TENANT = "bench";
    /** The run's time: what is due by now, to the second, as a schedule's time is. */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private RenewalBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int subscriptions = Bench.intOption(options, 0, DEFAULT_SUBSCRIPTIONS);
        int due = Bench.intOption(options, 1, DEFAULT_DUE);
        int parallelism = Bench.intOption(options, 2, DEFAULT_PARALLELISM);
        if (subscriptions < 4 * due) {
            throw new IllegalArgumentException("SUBSCRIPTIONS must be at least 4 x DUE");
        }
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()))) {
            var environment = new HashMap<>(cloud.environment("RenewalsFunction"));
            environment.put("EVENT_QUEUE_URLS", "");
            environment.put("RENEWALS_PARALLELISM", Integer.toString(parallelism));
            var env = new Env(environment);
            var counter = new ExpiryBenchmark.ItemsRead();
            DynamoDbClient dynamo = Aws.build(DynamoDbClient.builder().overrideConfiguration(o -> o.addExecutionInterceptor(counter)),
                    env, "AWS_ENDPOINT_URL_DYNAMODB");
            String table = env.require("TABLE_NAME");
            var components = Components.from(environment).with(DynamoDbClient.class, dynamo)
                    .with(Clock.class, Clock.fixed(NOW, ZoneOffset.UTC));

            long seedStart = System.nanoTime();
            seed(components, dynamo, table, subscriptions, due);
            System.out.printf("Seeded %,d subscriptions (%,d customers with a card: %,d due today, %,d tomorrow) in %.1f s%n",
                    subscriptions, 2 * due, due, due, Bench.seconds(seedStart));

            var renewals = BillingWiring.renewals(components);
            // yesterday's run: nothing due (a first run: 35 days back); records its time
            counter.reset();
            long emptyStart = System.nanoTime();
            var yesterday = renewals.start(NOW.minus(Duration.ofDays(1)), null, null, Budget.unlimited());
            double emptySeconds = Bench.seconds(emptyStart);
            Bench.check(yesterday.billed() == 0, "yesterday's run billed " + yesterday.billed());
            long emptyItems = counter.items.sum();
            String emptyCalls = counter.describeCalls();

            // today's run
            counter.reset();
            long runStart = System.nanoTime();
            var run = renewals.start(NOW, null, null, Budget.unlimited());
            double runSeconds = Bench.seconds(runStart);
            long itemsRead = counter.items.sum();
            String runCalls = counter.describeCalls();
            Bench.check(run.billed() == due && run.failed() == 0 && run.skipped() == 0, "the run did " + run.asMap() + ", not " + due + " billed");

            // the raw floor, on tomorrow's set (its own time: two days on)
            LocalDate today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
            counter.reset();
            long floorStart = System.nanoTime();
            long floor = rawFloor(dynamo, table, NOW.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(1_381)), today.plusDays(1), parallelism);
            double floorSeconds = Bench.seconds(floorStart);
            String floorCalls = counter.describeCalls();
            Bench.check(floor == due, "the raw floor renewed " + floor + ", not " + due);

            System.out.printf("%nRenewal run of one tenant: %,d subscriptions in the due index of which %,d due, %d CPUs, one JVM "
                    + "on loopback; %d subscriptions at once%n", subscriptions, due, Runtime.getRuntime().availableProcessors(), parallelism);
            System.out.printf("  today's run reads the days from yesterday's run's (less one) to today: 3 days x %d shards%n",
                    SubscriptionItems.DUE_SHARDS);
            System.out.printf("  renewal run                       %8.2f s  %5.2f ms/subscription  %,7d items read = %.3f per due subscription%n"
                    + "                                    (%s)%n", runSeconds, runSeconds * 1000 / due, itemsRead, (double) itemsRead / due,
                    runCalls);
            System.out.printf("  raw floor, the same calls         %8.2f s  %5.2f ms/subscription  (%s)%n", floorSeconds,
                    floorSeconds * 1000 / floor, floorCalls);
            System.out.printf("  yesterday's run, nothing due      %8.2f s  %,7d items read  (%s)%n", emptySeconds, emptyItems, emptyCalls);
            System.out.printf("  ratios: items read / due subscriptions %.3f; time run / raw floor %.2fx%n", (double) itemsRead / due,
                    runSeconds / floorSeconds);
        }
        // DynamoDB Local leaves a non-daemon thread (its shard-rollover job) sleeping for minutes after it stops.
        System.exit(0);
    }

    private static final Price MONTHLY = new Price("price_01KB2C6F8H0K2M4N6P8R0S2T4V", "prod_01KB2C4D6F8G0H2J4K6M8N0P2Q", null, "USD",
            8900, Price.Type.RECURRING, new Price.Recurring(Price.Interval.MONTH, 1, 12), null, 90_000L, null, Map.of(), true, NOW, NOW, 1);

    /**
     * The seed's subscriptions are indexed without reminders: a seed written at once would otherwise have a tenth
     * of them due for one in the run's days, which this benchmark of renewals does not measure (the run still
     * reads the reminder index's shard-days: empty Queries).
     */
    private static final BillingSettings.Reminders NO_REMINDERS = new BillingSettings.Reminders(0, 0);

    /**
     * Subscription {@code s}: every {@code subscriptions / due}th has its second period start within the
     * day before the run (due); the next one later today; the next tomorrow (the raw floor's set); the
     * rest over the coming month. The due and tomorrow's have a customer with a card; the others' customers
     * are never read.
     */
    private static void seed(Components components, DynamoDbClient dynamo, String table, int subscriptions, int due) throws Exception {
        var profiles = new CustomerRepository(dynamo, table);
        var payments = PaymentsWiring.service(components);
        int step = subscriptions / due;
        Instant endOfToday = LocalDate.ofInstant(NOW, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            var writes = new ArrayList<Future<?>>();
            var chunk = new ArrayList<Map<String, AttributeValue>>();
            for (int s = 0; s < subscriptions; s++) {
                int kind = s % step;
                Instant next;
                if (kind == 0) {
                    next = NOW.minus(Duration.ofMinutes(1 + s % 1_380));
                } else if (kind == 1) {
                    next = NOW.plus(Duration.ofMinutes(1 + s % 600));
                    if (!next.isBefore(endOfToday)) {
                        next = endOfToday.minusSeconds(1 + s % 60);
                    }
                } else if (kind == 2) {
                    next = NOW.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(1 + s % 1_380));
                } else {
                    next = NOW.plus(Duration.ofDays(2 + s % 27)).plus(Duration.ofMinutes(s % 1_440));
                }
                String customerId = Ids.next(Ids.CUSTOMER);
                String cardId = "pm_01KB2CBK3N5P7R9S1T3V5W7X9Y";
                if (kind == 0 || kind == 2) {
                    var customer = Customer.builder().id(customerId).type(CustomerType.INDIVIDUAL).firstName("Ada" + s).lastName("Byron")
                            .email("ada" + s + "@example.com").phone(String.format("+1415%07d", 2_000_000 + s)).currency("USD")
                            .stats(CustomerStats.zero("USD")).createdAt(NOW.minus(Duration.ofDays(40))).updatedAt(NOW.minus(Duration.ofDays(40)))
                            .build();
                    dynamo.putItem(r -> r.tableName(table).item(profiles.profileUpdate(TENANT, customer, customer).item().toMap()));
                    cardId = payments.saveCard(new SaveCardCommand(TENANT, customerId, new SaveCard(new CardDetails("4242424242424242",
                            12, 2034, "123", null), null))).method().id();
                }
                Instant start = next.atOffset(ZoneOffset.UTC).minusMonths(1).toInstant();
                var started = Subscription.start(new Subscription.Start(Ids.next(Ids.SUBSCRIPTION), customerId, null, MONTHLY, 1,
                        Collection.CHARGE_AUTOMATICALLY, cardId, null, "SN-" + s, 0), start);
                var renewed = started.renewedFor(1, start);
                chunk.add(SubscriptionRepository.item(TENANT, renewed, NO_REMINDERS).toMap());
                if (chunk.size() >= 25 || s == subscriptions - 1) {
                    var batch = List.copyOf(chunk);
                    chunk.clear();
                    writes.add(pool.submit(() -> Bench.batchWrite(dynamo, table, batch)));
                }
                if (writes.size() >= 64) {
                    for (var w : writes) {
                        w.get();
                    }
                    writes.clear();
                }
            }
            for (var w : writes) {
                w.get();
            }
        }
    }

    /**
     * The least the job can do, in raw SDK calls: the window's Queries (every page, as the run reads
     * them), then per due subscription the charge's reads (profile, card)
     * and the writes the run makes - the claim (the subscription at its version), the pending payment
     * and its pointer, the settled payment with its outbox item and activity, the outbox item's delete,
     * the outcome (the subscription at its version) - {@code parallelism} subscriptions at once. Returns
     * the subscriptions renewed.
     */
    private static long rawFloor(DynamoDbClient dynamo, String table, Instant through, LocalDate from, int parallelism) throws Exception {
        var due = new ArrayList<Map<String, AttributeValue>>();
        // tomorrow's set (its times run into the day after), and an empty day: as many Queries as the run's three days,
        // each shard-day's due index then its reminder index (empty)
        for (var day : List.of(from, from.plusDays(1), from.plusDays(40))) {
            for (int shard = 0; shard < SubscriptionItems.DUE_SHARDS; shard++) {
                due.addAll(query(dynamo, table, Table.Index.GSI1, SubscriptionItems.due(day, shard), through));
                query(dynamo, table, Table.Index.GSI2, SubscriptionItems.reminders(day, shard), through);
            }
        }
        Bench.atOnce(due, parallelism, item -> rawRenew(dynamo, table, item));
        return due.size();
    }

    private static List<Map<String, AttributeValue>> query(DynamoDbClient dynamo, String table, Table.Index index, String partition,
                                                           Instant through) {
        var items = new ArrayList<Map<String, AttributeValue>>();
        Map<String, AttributeValue> start = null;
        do {
            var startKey = start;
            var page = dynamo.query(r -> r.tableName(table).indexName(index.name()).limit(100)
                    .keyConditionExpression(index.pk() + " = :pk AND " + index.sk() + " <= :through")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition),
                            ":through", AttributeValue.fromS(SubscriptionItems.dueSortKeyThrough(through))))
                    .exclusiveStartKey(startKey));
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    private static void rawRenew(DynamoDbClient dynamo, String table, Map<String, AttributeValue> subscription) {
        String pk = subscription.get(Table.PK).s();
        String paymentId = Ids.next(Ids.PAYMENT);
        dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Bench.key(pk, CustomerItems.PROFILE)));
        dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Bench.key(pk, PaymentItems.CARD + subscription.get("paymentMethodId").s())));
        long version = Long.parseLong(subscription.get("version").n());
        var claimed = new HashMap<>(subscription);
        claimed.put("version", AttributeValue.fromN(Long.toString(version + 1)));
        claimed.put("billing", AttributeValue.fromM(Map.of("period", AttributeValue.fromN("2"), "paymentId", AttributeValue.fromS(paymentId))));
        transact(dynamo, atVersion(table, claimed, version));
        var payment = new HashMap<String, AttributeValue>();
        payment.put(Table.PK, AttributeValue.fromS(pk));
        payment.put(Table.SK, AttributeValue.fromS(PaymentItems.paymentSortKey(paymentId)));
        payment.put("id", AttributeValue.fromS(paymentId));
        payment.put("status", AttributeValue.fromS("pending"));
        payment.put("amount", AttributeValue.fromM(Map.of("amount", AttributeValue.fromN("8900"), "currency", AttributeValue.fromS("USD"))));
        payment.put("subscriptionId", subscription.get("id"));
        payment.put("period", AttributeValue.fromN("2"));
        payment.put("version", AttributeValue.fromN("1"));
        var pointer = Map.of(Table.PK, AttributeValue.fromS(PaymentItems.paymentPointer(TENANT, paymentId)),
                Table.SK, AttributeValue.fromS(PaymentItems.POINTER), "home", AttributeValue.fromS(pk));
        transact(dynamo, Bench.put(table, payment, "attribute_not_exists(PK)", Map.of()), Bench.put(table, pointer, null, Map.of()));
        var settled = new HashMap<>(payment);
        settled.put("status", AttributeValue.fromS("succeeded"));
        settled.put("version", AttributeValue.fromN("2"));
        var outbox = Map.of(Table.PK, AttributeValue.fromS(pk), Table.SK, AttributeValue.fromS("OUTBOX#" + paymentId),
                "event", AttributeValue.fromS("{\"type\":\"payment.succeeded\",\"paymentId\":\"" + paymentId + "\",\"amount\":8900}"));
        var activity = Map.of(Table.PK, AttributeValue.fromS(pk), Table.SK, AttributeValue.fromS("ACT#" + NOW.toEpochMilli() + "#" + paymentId),
                "summary", AttributeValue.fromS("Charged 89.00 USD"));
        transact(dynamo, Bench.put(table, settled, "version = :v", Map.of(":v", AttributeValue.fromN("1"))), Bench.put(table, outbox, null, Map.of()),
                Bench.put(table, activity, null, Map.of()));
        dynamo.deleteItem(r -> r.tableName(table).key(Bench.key(pk, "OUTBOX#" + paymentId)));
        var renewed = new HashMap<>(claimed);
        renewed.remove("billing");
        renewed.put("periodsBilled", AttributeValue.fromN("2"));
        renewed.put("version", AttributeValue.fromN(Long.toString(version + 2)));
        renewed.remove(Table.Index.GSI1.pk());
        renewed.remove(Table.Index.GSI1.sk());
        transact(dynamo, atVersion(table, renewed, version + 1));
    }

    private static TransactWriteItem atVersion(String table, Map<String, AttributeValue> item, long version) {
        return Bench.put(table, item, "version = :v", Map.of(":v", AttributeValue.fromN(Long.toString(version))));
    }

    private static void transact(DynamoDbClient dynamo, TransactWriteItem... items) {
        dynamo.transactWriteItems(r -> r.transactItems(items));
    }
}
