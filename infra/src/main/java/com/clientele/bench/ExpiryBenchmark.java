package com.clientele.bench;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerItems;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerStats;
import com.clientele.customers.CustomerType;
import com.clientele.local.LocalCloud;
import com.clientele.loyalty.Balance;
import com.clientele.loyalty.DueLots;
import com.clientele.loyalty.ExpiryService;
import com.clientele.loyalty.LoyaltyRepository;
import com.clientele.loyalty.Lot;
import com.clientele.loyalty.LoyaltyItems;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.Ids;
import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Table;
import com.clientele.shared.events.AppliedEntries;
import com.clientele.shared.jobs.Budget;
import com.clientele.shared.jobs.JobMetrics;
import com.clientele.shared.metrics.Metrics;
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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The points expiry over one large tenant, against raw reads of the same due lots. Seeds CUSTOMERS
 * customers straight into DynamoDB Local (batch writes of the items the app stores, built by its
 * repositories: profile, points balance and one lot each); DUE lots are due (expired within the
 * last day), the others are not: as many expire later today (in the same index partitions as the
 * due ones, past the run's time) and tomorrow (the raw floor's set), the rest over the coming year;
 * as many more expired five days ago (the warm-up's set). Then, one after the other:
 *
 * <ul>
 *   <li>warm-up: a first run (no record of an earlier one, so 36 days back) at a time four days ago,
 *       on the warm-up set;</li>
 *   <li>yesterday's run, with nothing due: what a day without expiries costs (it records its time);</li>
 *   <li>raw Query: GSI1, the days today's run reads (from the day before yesterday's run's) with
 *       its key condition, every page, no Limit; and the same over only the days that hold due lots;</li>
 *   <li>today's run: {@link ExpiryService} in process, as the function builds it, over a client whose
 *       interceptor counts the items every read returns (Query, GetItem, BatchGetItem, Scan) and
 *       the calls;</li>
 *   <li>the raw floor of the whole job, on the set that expires tomorrow (as of a time two days on):
 *       the Queries, then per lot a consistent GetItem of the balance and one TransactWriteItems of
 *       the same five items the expiry writes (marker, balance, lot, line, profile), as many
 *       customers at once as the run.</li>
 * </ul>
 *
 * <pre>
 *   mvn -q -pl infra -am -DskipTests package exec:exec -Dlocal.main=com.clientele.bench.ExpiryBenchmark [-Dlocal.args="CUSTOMERS DUE PARALLELISM"]
 * </pre>
 */
public final class ExpiryBenchmark {

    static final int DEFAULT_CUSTOMERS = 100_000;
    static final int DEFAULT_DUE = 1_000;
    static final int DEFAULT_PARALLELISM = 8;
    private static final String TENANT = "bench";
    private static final int LOOKBACK_DAYS = 35;
    private static final int PAGE_SIZE = 100;
    /** The run's time: lots due by now, to the second, as a schedule's time is. */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private ExpiryBenchmark() {
    }

    /** Counts what DynamoDB returns: items read, and calls by operation. */
    static final class ItemsRead implements ExecutionInterceptor {
        final LongAdder items = new LongAdder();
        final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            calls.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new LongAdder()).increment();
            switch (context.response()) {
                case QueryResponse query -> items.add(query.count());
                case GetItemResponse get -> items.add(get.hasItem() && !get.item().isEmpty() ? 1 : 0);
                case BatchGetItemResponse batch -> items.add(batch.responses().values().stream().mapToInt(List::size).sum());
                case ScanResponse scan -> items.add(scan.count());
                default -> { }
            }
        }

        void reset() {
            items.reset();
            calls.clear();
        }

        String describeCalls() {
            var sorted = new TreeMap<String, Long>();
            calls.forEach((operation, count) -> sorted.put(operation, count.sum()));
            var parts = new ArrayList<String>();
            sorted.forEach((operation, count) -> parts.add(String.format("%,d %s", count, operation)));
            return String.join(" + ", parts);
        }
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int customers = Bench.intOption(options, 0, DEFAULT_CUSTOMERS);
        int due = Bench.intOption(options, 1, DEFAULT_DUE);
        int parallelism = Bench.intOption(options, 2, DEFAULT_PARALLELISM);
        if (customers < 4 * due) {
            throw new IllegalArgumentException("CUSTOMERS must be at least 4 x DUE");
        }
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()))) {
            var env = new Env(cloud.environment("PointsExpiryFunction"));
            var counter = new ItemsRead();
            DynamoDbClient dynamo = Aws.build(DynamoDbClient.builder().overrideConfiguration(o -> o.addExecutionInterceptor(counter)),
                    env, "AWS_ENDPOINT_URL_DYNAMODB");
            String table = env.require("TABLE_NAME");

            long seedStart = System.nanoTime();
            int warmUp = seed(dynamo, table, customers, due);
            System.out.printf("Seeded %,d customers (profile, balance, one lot each) in %.1f s%n", customers, Bench.seconds(seedStart));

            var expiry = new ExpiryService(new LoyaltyRepository(dynamo, table, Metrics.NONE, Clock.systemUTC()), new DueLots(Aws.enhanced(dynamo), table, Clock.systemUTC()),
                    rest -> {
                        throw new IllegalStateException("the benchmark's runs have no budget");
                    }, Clock.fixed(NOW, ZoneOffset.UTC), PAGE_SIZE, LOOKBACK_DAYS, parallelism,
                    new JobMetrics(Metrics.NONE, JobMetrics.EXPIRY));

            // warm-up: a first run (no record yet: 36 days back) whose time is four days ago expires the warm-up set only
            var warm = expiry.start(NOW.minus(Duration.ofDays(4)), Budget.unlimited());
            Bench.check(warm.lots() == warmUp, "the warm-up expired " + warm.lots() + " lots, not " + warmUp);
            LocalDate today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
            rawQuery(dynamo, table, NOW, today.minusDays(LOOKBACK_DAYS));

            // yesterday's run: nothing due; records its time
            counter.reset();
            long emptyStart = System.nanoTime();
            var yesterday = expiry.start(NOW.minus(Duration.ofDays(1)), Budget.unlimited());
            double emptySeconds = Bench.seconds(emptyStart);
            Bench.check(yesterday.lots() == 0, "yesterday's run expired " + yesterday.lots() + " lots");
            long emptyItems = counter.items.sum();
            String emptyCalls = counter.describeCalls();

            // raw: the due lots, over the days today's run reads (from the day before yesterday's run's), and over their days only
            LocalDate from = today.minusDays(2);
            counter.reset();
            long rawStart = System.nanoTime();
            long rawLots = rawQuery(dynamo, table, NOW, from);
            double rawSeconds = Bench.seconds(rawStart);
            String rawCalls = counter.describeCalls();
            long dueDayStart = System.nanoTime();
            long dueDayLots = rawQuery(dynamo, table, NOW, today.minusDays(1));
            double dueDaySeconds = Bench.seconds(dueDayStart);
            Bench.check(rawLots == due && dueDayLots == due, "the raw Queries read " + rawLots + " and " + dueDayLots + " lots, not " + due);

            // today's run
            counter.reset();
            long runStart = System.nanoTime();
            var run = expiry.start(NOW, Budget.unlimited());
            double runSeconds = Bench.seconds(runStart);
            long itemsRead = counter.items.sum();
            String runCalls = counter.describeCalls();
            Bench.check(run.lots() == due && run.skipped() == 0, "the run expired " + run.lots() + " lots, not " + due);
            Bench.check(rawQuery(dynamo, table, NOW, today.minusDays(LOOKBACK_DAYS)) == 0, "due lots are left in the index");

            // the raw floor of the whole job, on the set that expires tomorrow, as if it were due (its own time: in two days)
            long floorStart = System.nanoTime();
            long floorLots = rawFloor(dynamo, table, NOW.plus(Duration.ofDays(2)), today.plusDays(1), parallelism);
            double floorSeconds = Bench.seconds(floorStart);
            Bench.check(floorLots == due, "the raw floor expired " + floorLots + " lots, not " + due);

            System.out.printf("%nPoints expiry of one tenant: %,d customers, %,d lots in the index of which %,d due, %d CPUs, "
                            + "one JVM on loopback; %d customers at once%n", customers, customers - warmUp, due,
                    Runtime.getRuntime().availableProcessors(), parallelism);
            System.out.printf("  today's run reads the days from the day before yesterday's run's to today: %d days x %d shards%n",
                    ChronoUnit.DAYS.between(from, today) + 1, LoyaltyItems.LOT_EXPIRY_SHARDS);
            System.out.printf("  expiry run                        %8.2f s  %5.2f ms/lot  %,7d items read = %.3f per due lot  (%s)%n",
                    runSeconds, runSeconds * 1000 / due, itemsRead, (double) itemsRead / due, runCalls);
            System.out.printf("  raw Query, the run's days         %8.2f s  %,7d items read  (%s)%n", rawSeconds, rawLots, rawCalls);
            System.out.printf("  raw Query, the due days only      %8.2f s  %,7d items read  (%d Query)%n", dueDaySeconds, dueDayLots,
                    2 * LoyaltyItems.LOT_EXPIRY_SHARDS);
            System.out.printf("  raw floor: Query, then per lot GetItem + TransactWriteItems  %8.2f s  %5.2f ms/lot  (%,d lots)%n",
                    floorSeconds, floorSeconds * 1000 / floorLots, floorLots);
            System.out.printf("  yesterday's run, nothing due      %8.2f s  %,7d items read  (%s)%n", emptySeconds, emptyItems, emptyCalls);
            System.out.printf("  ratios: items read / due lots %.3fx; time expiry / raw Query of the run's days %.1fx, "
                            + "/ raw Query of the due days %.1fx, / raw floor %.2fx%n", (double) itemsRead / due, runSeconds / rawSeconds,
                    runSeconds / dueDaySeconds, runSeconds / floorSeconds);
        }
        // DynamoDB Local leaves a non-daemon thread (its shard-rollover job) sleeping for minutes after it stops.
        System.exit(0);
    }

    /**
     * Customers with one lot each, as the app stores them. Customer {@code c}'s lot: every
     * {@code customers / due}th is due within the day before the run; the next one expires later
     * today; the next tomorrow (the raw floor's set); the next five days before (the warm-up's);
     * the rest from three days on, over a year. Returns the size of the warm-up set.
     */
    private static int seed(DynamoDbClient dynamo, String table, int customers, int due) throws Exception {
        var profiles = new CustomerRepository(dynamo, table);
        int step = customers / due;
        int warmUp = 0;
        Instant endOfToday = LocalDate.ofInstant(NOW, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            var writes = new ArrayList<Future<?>>();
            var chunk = new ArrayList<Map<String, AttributeValue>>();
            for (int c = 0; c < customers; c++) {
                String id = Ids.next(Ids.CUSTOMER);
                int kind = c % step;
                Instant expiresAt;
                if (kind == 0) {
                    expiresAt = NOW.minus(Duration.ofMinutes(1 + c % 1_380));
                } else if (kind == 1) {
                    expiresAt = NOW.plus(Duration.ofMinutes(1 + c % 600));
                    if (!expiresAt.isBefore(endOfToday)) {
                        expiresAt = endOfToday.minusSeconds(1 + c % 60);
                    }
                } else if (kind == 2) {
                    expiresAt = NOW.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(1 + c % 1_380));
                } else if (kind == 3) {
                    warmUp++;
                    expiresAt = NOW.minus(Duration.ofDays(5)).minus(Duration.ofMinutes(1 + c % 1_380));
                } else {
                    expiresAt = NOW.plus(Duration.ofDays(3 + c % 365)).plus(Duration.ofMinutes(c % 1_440));
                }
                long points = 10 + c % 90;
                Instant earnedAt = expiresAt.atOffset(ZoneOffset.UTC).minusMonths(12).toInstant();
                var lot = new Lot(Ids.next(Ids.LOT), points, points, earnedAt, expiresAt, "store_" + c % 7, "term_" + c % 3,
                        Ids.next(Ids.PAYMENT), "r-" + c, points * 100, "USD");
                var balance = new Balance(points, points, 0, 0, 0, 0, 0, Map.of(expiresAt.toString().substring(0, 10), points), 1);
                var customer = Customer.builder().id(id).type(CustomerType.INDIVIDUAL).firstName("Ada" + c).lastName("Byron")
                        .email("ada" + c + "@example.com").phone(String.format("+1415%07d", 2_000_000 + c)).currency("USD")
                        .stats(CustomerStats.zero("USD")).pointsAvailable(points).createdAt(earnedAt).updatedAt(earnedAt).build();
                String pk = Keys.customer(TENANT, id);
                chunk.add(profiles.profileUpdate(TENANT, customer, customer).item().toMap());
                chunk.add(LoyaltyRepository.lotItem(pk, lot).toMap());
                var balanceItem = Items.attributes(balance);
                balanceItem.put(Table.PK, pk).put(Table.SK, LoyaltyItems.POINTS_BALANCE).put("entity", "pointsBalance");
                chunk.add(Items.document(balanceItem).toMap());
                if (chunk.size() >= 24 || c == customers - 1) {
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
        return warmUp;
    }


    /** Every lot due by {@code through} from {@code from} to its day, raw: a Query per day and shard, every page. */
    private static long rawQuery(DynamoDbClient dynamo, String table, Instant through, LocalDate from) {
        long count = 0;
        for (var page : rawPages(dynamo, table, through, from)) {
            count += page.size();
        }
        return count;
    }

    private static List<List<Map<String, AttributeValue>>> rawPages(DynamoDbClient dynamo, String table, Instant through,
                                                                    LocalDate from) {
        var pages = new ArrayList<List<Map<String, AttributeValue>>>();
        for (var day = from; !day.isAfter(LocalDate.ofInstant(through, ZoneOffset.UTC)); day = day.plusDays(1)) {
            for (int shard = 0; shard < LoyaltyItems.LOT_EXPIRY_SHARDS; shard++) {
                String partition = LoyaltyItems.lotsExpiring(day.toString(), shard);
                Map<String, AttributeValue> start = null;
                do {
                    var startKey = start;
                    var page = dynamo.query(r -> r.tableName(table).indexName(Table.Index.GSI1.name())
                            .keyConditionExpression("GSI1PK = :pk AND GSI1SK <= :through")
                            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition),
                                    ":through", AttributeValue.fromS(LoyaltyItems.lotExpirySortKeyThrough(through))))
                            .exclusiveStartKey(startKey));
                    pages.add(page.items());
                    start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
                } while (start != null);
            }
        }
        return pages;
    }

    /**
     * The least the job can do, in raw SDK calls: the window's Queries, then per due lot (one per
     * customer here) a consistent GetItem of the balance and the expiry's transaction — marker,
     * balance (version-checked), lot (pointsLeft-checked, out of the index), EXPIRE line, profile —
     * {@code parallelism} customers at once. Returns the lots expired.
     */
    private static long rawFloor(DynamoDbClient dynamo, String table, Instant through, LocalDate from, int parallelism)
            throws Exception {
        var lots = new ArrayList<Map<String, AttributeValue>>();
        rawPages(dynamo, table, through, from).forEach(lots::addAll);
        Bench.atOnce(lots, parallelism, lot -> rawExpire(dynamo, table, lot));
        return lots.size();
    }

    private static void rawExpire(DynamoDbClient dynamo, String table, Map<String, AttributeValue> lot) {
        String pk = lot.get(Table.PK).s();
        var balance = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Bench.key(pk, LoyaltyItems.POINTS_BALANCE))).item();
        long left = Long.parseLong(lot.get("pointsLeft").n());
        String expiresAt = lot.get("expiresAt").s();
        String day = expiresAt.substring(0, 10);
        long version = Long.parseLong(balance.get("version").n());

        var newBalance = new HashMap<>(balance);
        newBalance.put("available", number(Long.parseLong(balance.get("available").n()) - left));
        newBalance.put("expired", number(Long.parseLong(balance.get("expired").n()) + left));
        var expiring = new HashMap<>(balance.get("expiring").m());
        long rest = Long.parseLong(expiring.get(day).n()) - left;
        if (rest == 0) {
            expiring.remove(day);
        } else {
            expiring.put(day, number(rest));
        }
        newBalance.put("expiring", AttributeValue.fromM(expiring));
        newBalance.put("version", number(version + 1));

        var newLot = new HashMap<>(lot);
        newLot.remove(Table.Index.GSI1.pk());
        newLot.remove(Table.Index.GSI1.sk());
        newLot.put("pointsLeft", number(0));

        String entry = "exp_" + lot.get("id").s();
        var marker = Map.of(Table.PK, AttributeValue.fromS(pk),
                Table.SK, AttributeValue.fromS(AppliedEntries.appliedEntrySortKey("points", entry)),
                "entity", AttributeValue.fromS("appliedEntry"), "processedAt", AttributeValue.fromS(NOW.toString()),
                Table.TTL, number(NOW.plus(Duration.ofDays(30)).getEpochSecond()));
        var line = new HashMap<String, AttributeValue>();
        line.put(Table.PK, AttributeValue.fromS(pk));
        line.put(Table.SK, AttributeValue.fromS(LoyaltyItems.statementLineSortKey(Instant.parse(expiresAt), entry)));
        line.put("entity", AttributeValue.fromS("statementLine"));
        line.put("entryId", AttributeValue.fromS(entry));
        line.put("type", AttributeValue.fromS("EXPIRE"));
        line.put("createdAt", AttributeValue.fromS(expiresAt));
        line.put("lotId", lot.get("id"));
        line.put("storeId", lot.get("storeId"));
        line.put("terminalId", lot.get("terminalId"));
        line.put("transactionId", lot.get("transactionId"));
        line.put("expiryDate", AttributeValue.fromS(day));
        line.put("points", number(-left));
        line.put("pointsLeft", number(0));

        dynamo.transactWriteItems(r -> r.transactItems(
                Bench.put(table, marker, "attribute_not_exists(PK)", null),
                Bench.put(table, newBalance, "version = :v", Map.of(":v", number(version))),
                Bench.put(table, newLot, "pointsLeft = :left", Map.of(":left", number(left))),
                Bench.put(table, line, null, null),
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(Bench.key(pk, CustomerItems.PROFILE))
                        .updateExpression("SET pointsAvailable = :points ADD version :one")
                        .conditionExpression("attribute_exists(PK)")
                        .expressionAttributeValues(Map.of(":points", newBalance.get("available"), ":one", number(1))).build()).build()));
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
