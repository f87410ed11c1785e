package com.clientele.bench;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerItems;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerStats;
import com.clientele.customers.CustomerType;
import com.clientele.invoices.InvoiceService;
import com.clientele.invoices.InvoiceService.CreateInvoice;
import com.clientele.invoices.InvoiceService.InvoiceInput;
import com.clientele.invoices.InvoiceTotals.LineInput;
import com.clientele.invoices.InvoicesWiring;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Aws;
import com.clientele.shared.Components;
import com.clientele.shared.Env;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Keys;
import com.clientele.shared.Table;
import com.clientele.shared.jobs.Budget;
import java.math.BigDecimal;
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
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The daily overdue run over one large tenant, against the raw calls it makes. Seeds INVOICES open invoices in
 * the due index, of which DUE fell due yesterday (past due at the run) and DUE fall due today (the raw floor's
 * set, past due tomorrow), each of a business customer on NET_7 terms made and finalised through
 * {@code InvoiceService} a week ago; the rest (clones of one real invoice item, their customers never read) fall
 * due over the coming two months. Then, one after the other:
 *
 * <ul>
 *   <li>yesterday's run, with nothing past due: what a day without overdue invoices costs (it records its day);</li>
 *   <li>today's run: {@code OverdueRun} in process, as the function builds it (no event queues), over a client whose
 *       interceptor counts the calls and the items every read returns: items read per due invoice;</li>
 *   <li>the raw floor, on today's set (as tomorrow's run would see it): the same calls in raw SDK requests - the
 *       Queries of the same shard-days, then per invoice the profile's read and the one transaction (the invoice at
 *       its version without its due keys, its activity, its outbox item, the profile's balance at its version),
 *       the outbox item's delete - as many invoices at once as the run.</li>
 * </ul>
 *
 * <pre>
 *   mvn -q -B -o -pl infra -am -DskipTests package exec:exec -Dlocal.main=com.clientele.bench.OverdueBenchmark [-Dlocal.args="INVOICES DUE PARALLELISM"]
 * </pre>
 */
public final class OverdueBenchmark {

    static final int DEFAULT_INVOICES = 100_000;
    static final int DEFAULT_DUE = 1_000;
    static final int DEFAULT_PARALLELISM = 8;
    private static final String TENANT = "bench";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneOffset.UTC);

    private OverdueBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int invoices = Bench.intOption(options, 0, DEFAULT_INVOICES);
        int due = Bench.intOption(options, 1, DEFAULT_DUE);
        int parallelism = Bench.intOption(options, 2, DEFAULT_PARALLELISM);
        if (invoices < 4 * due) {
            throw new IllegalArgumentException("INVOICES must be at least 4 x DUE");
        }
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()))) {
            var environment = new HashMap<>(cloud.environment("InvoicesOverdueFunction"));
            environment.put("EVENT_QUEUE_URLS", "");
            environment.put("OVERDUE_PARALLELISM", Integer.toString(parallelism));
            var env = new Env(environment);
            var counter = new ExpiryBenchmark.ItemsRead();
            DynamoDbClient dynamo = Aws.build(DynamoDbClient.builder().overrideConfiguration(o -> o.addExecutionInterceptor(counter)),
                    env, "AWS_ENDPOINT_URL_DYNAMODB");
            String table = env.require("TABLE_NAME");

            long seedStart = System.nanoTime();
            seed(environment, dynamo, table, invoices, due);
            System.out.printf("Seeded %,d open invoices (%,d due yesterday, %,d due today, each of its own customer) in %.1f s%n",
                    invoices, due, due, Bench.seconds(seedStart));

            // yesterday's run: nothing past due (a first run: 35 days back); records its day
            counter.reset();
            long emptyStart = System.nanoTime();
            var yesterday = run(environment, dynamo, NOW.minus(Duration.ofDays(1)));
            double emptySeconds = Bench.seconds(emptyStart);
            Bench.check(yesterday.marked() == 0 && yesterday.finished(), "yesterday's run did " + yesterday.asMap());
            long emptyItems = counter.items.sum();
            String emptyCalls = counter.describeCalls();

            counter.reset();
            long runStart = System.nanoTime();
            var today = run(environment, dynamo, NOW);
            double runSeconds = Bench.seconds(runStart);
            long itemsRead = counter.items.sum();
            String runCalls = counter.describeCalls();
            Bench.check(today.marked() == due && today.failed() == 0 && today.skipped() == 0, "the run did " + today.asMap());

            counter.reset();
            long floorStart = System.nanoTime();
            long floor = rawFloor(dynamo, table, parallelism);
            double floorSeconds = Bench.seconds(floorStart);
            long floorItems = counter.items.sum();
            String floorCalls = counter.describeCalls();
            Bench.check(floor == due, "the raw floor marked " + floor + ", not " + due);

            System.out.printf("%nOverdue run of one tenant: %,d open invoices in the due index of which %,d past due, %d CPUs, one JVM "
                    + "on loopback; %d invoices at once%n", invoices, due, Runtime.getRuntime().availableProcessors(), parallelism);
            System.out.printf("  today's run reads the days from yesterday's run's (less one) to yesterday: 3 days x 8 shards%n");
            System.out.printf("  overdue run                       %8.2f s  %5.2f ms/invoice  %,7d items read = %.3f per due invoice%n"
                    + "                                    (%s)%n", runSeconds, runSeconds * 1000 / due, itemsRead, (double) itemsRead / due,
                    runCalls);
            System.out.printf("  raw floor, the same calls         %8.2f s  %5.2f ms/invoice  %,7d items read%n"
                    + "                                    (%s)%n", floorSeconds, floorSeconds * 1000 / floor, floorItems, floorCalls);
            System.out.printf("  yesterday's run, nothing due      %8.2f s  %,7d items read  (%s)%n", emptySeconds, emptyItems, emptyCalls);
            System.out.printf("  ratios: items read / due invoices %.3f; time run / raw floor %.2fx%n", (double) itemsRead / due,
                    runSeconds / floorSeconds);
        }
        // DynamoDB Local leaves a non-daemon thread (its shard-rollover job) sleeping for minutes after it stops.
        System.exit(0);
    }

    private static com.clientele.invoices.OverdueRun.Result run(Map<String, String> environment, DynamoDbClient dynamo, Instant at) {
        var components = Components.from(environment).with(DynamoDbClient.class, dynamo).with(Clock.class, Clock.fixed(at, ZoneOffset.UTC));
        return InvoicesWiring.overdueRun(components).run(at, null, null, Budget.unlimited());
    }

    /**
     * {@code due} invoices finalised 8 days ago on NET_7 (due yesterday), {@code due} finalised 7 days ago (due today),
     * each of its own customer, through the service; the rest cloned from one of them, due over the coming 60 days.
     */
    private static void seed(Map<String, String> environment, DynamoDbClient dynamo, String table, int invoices, int due) throws Exception {
        var profiles = new CustomerRepository(dynamo, table);
        var template = new ArrayList<Map<String, AttributeValue>>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int age : List.of(8, 7)) {
                Instant at = NOW.minus(Duration.ofDays(age));
                InvoiceService service = InvoicesWiring.service(Components.from(environment).with(DynamoDbClient.class, dynamo)
                        .with(Clock.class, Clock.fixed(at, ZoneOffset.UTC)));
                // made at once; finalised one after the other, as the tenant's number counter takes them
                var made = new ArrayList<Future<String>>();
                for (int i = 0; i < due; i++) {
                    int n = age * 1_000_000 + i;
                    made.add(pool.submit(() -> {
                        String customerId = Ids.next(Ids.CUSTOMER);
                        var customer = Customer.builder().id(customerId).type(CustomerType.BUSINESS).firstName("Ada" + n).lastName("Byron")
                                .email("ada" + n + "@example.com").phone(String.format("+1415%07d", n % 10_000_000)).paymentTerms("NET_7")
                                .currency("USD").stats(CustomerStats.zero("USD")).createdAt(at).updatedAt(at).build();
                        dynamo.putItem(r -> r.tableName(table).item(profiles.profileUpdate(TENANT, customer, customer).item().toMap()));
                        return service.create(new CreateInvoice(TENANT, new InvoiceInput(customerId, null, "USD", List.of(new LineInput(
                                "Consulting", BigDecimal.ONE, BigDecimal.valueOf(10_000), BigDecimal.ZERO)), null, null)),
                                IdempotentWrite.owned(Ids.next(Ids.INVOICE))).id();
                    }));
                }
                for (var m : made) {
                    var invoice = service.finalizeDraft(TENANT, m.get());
                    if (template.isEmpty()) {
                        template.add(dynamo.getItem(r -> r.tableName(table).key(Bench.key(Keys.customer(TENANT, invoice.customerId()),
                                "INV#" + invoice.id()))).item());
                    }
                }
            }
            var writes = new ArrayList<Future<?>>();
            var chunk = new ArrayList<Map<String, AttributeValue>>();
            for (int i = 0; i < invoices - 2 * due; i++) {
                String id = Ids.next(Ids.INVOICE);
                var item = new HashMap<>(template.getFirst());
                item.put(Table.PK, AttributeValue.fromS(Keys.customer(TENANT, Ids.next(Ids.CUSTOMER))));
                item.put(Table.SK, AttributeValue.fromS("INV#" + id));
                item.put("id", AttributeValue.fromS(id));
                LocalDate day = TODAY.plusDays(1 + i % 60);
                item.put("dueDate", AttributeValue.fromS(day.toString()));
                item.put(Table.Index.GSI2.pk(), AttributeValue.fromS("INVDUE#" + day + "#" + Math.floorMod(id.hashCode(), 8)));
                item.put(Table.Index.GSI2.sk(), AttributeValue.fromS(id));
                item.put(Table.Index.GSI4.sk(), AttributeValue.fromS(id));
                chunk.add(item);
                if (chunk.size() >= 25 || i == invoices - 2 * due - 1) {
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
     * The least the job can do, in raw SDK calls, on today's set: the Queries of three days' shards (every page), then
     * per invoice the profile's read and one transaction - the invoice at its version without its due keys, its
     * activity, its outbox item, the profile's balance at its version - and the outbox item's delete,
     * {@code parallelism} invoices at once. Returns the invoices marked.
     */
    private static long rawFloor(DynamoDbClient dynamo, String table, int parallelism) throws Exception {
        var due = new ArrayList<Map<String, AttributeValue>>();
        for (var day : List.of(TODAY.minusDays(2), TODAY.minusDays(1), TODAY)) {
            for (int shard = 0; shard < 8; shard++) {
                Map<String, AttributeValue> start = null;
                do {
                    var startKey = start;
                    String partition = "INVDUE#" + day + "#" + shard;
                    var page = dynamo.query(r -> r.tableName(table).indexName(Table.Index.GSI2.name()).limit(100)
                            .keyConditionExpression("GSI2PK = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition)))
                            .exclusiveStartKey(startKey));
                    due.addAll(page.items());
                    start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
                } while (start != null);
            }
        }
        Bench.atOnce(due, parallelism, item -> rawMark(dynamo, table, item));
        return due.size();
    }

    private static void rawMark(DynamoDbClient dynamo, String table, Map<String, AttributeValue> invoice) {
        String pk = invoice.get(Table.PK).s();
        var profile = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Bench.key(pk, CustomerItems.PROFILE))).item();
        long version = Long.parseLong(invoice.get("version").n());
        var marked = new HashMap<>(invoice);
        marked.remove(Table.Index.GSI2.pk());
        marked.remove(Table.Index.GSI2.sk());
        marked.put("overdue", AttributeValue.fromBool(true));
        marked.put("overdueSince", AttributeValue.fromS(NOW.toString()));
        marked.put("version", AttributeValue.fromN(Long.toString(version + 1)));
        String eventId = Ids.next(Ids.EVENT);
        var activity = Map.of(Table.PK, AttributeValue.fromS(pk), Table.SK, AttributeValue.fromS("ACT#" + NOW.toEpochMilli() + "#" + eventId),
                "summary", AttributeValue.fromS("Invoice overdue"));
        var outbox = Map.of(Table.PK, AttributeValue.fromS(pk), Table.SK, AttributeValue.fromS("OUTBOX#" + eventId),
                "event", AttributeValue.fromS("{\"type\":\"invoice.overdue\",\"invoiceId\":\"" + invoice.get("id").s() + "\"}"));
        long profileVersion = Long.parseLong(profile.get("version").n());
        var balance = Update.builder().tableName(table).key(Bench.key(pk, CustomerItems.PROFILE))
                .updateExpression("SET balance = :b, version = :next").conditionExpression("version = :v")
                .expressionAttributeValues(Map.of(":b", AttributeValue.fromM(Map.of("outstanding", AttributeValue.fromN("10000"),
                                "overdue", AttributeValue.fromN("10000"), "currency", AttributeValue.fromS("USD"))),
                        ":next", AttributeValue.fromN(Long.toString(profileVersion + 1)), ":v", AttributeValue.fromN(Long.toString(profileVersion))))
                .build();
        dynamo.transactWriteItems(r -> r.transactItems(
                Bench.put(table, marked, "version = :v", Map.of(":v", AttributeValue.fromN(Long.toString(version)))),
                Bench.put(table, activity, null, Map.of()), Bench.put(table, outbox, null, Map.of()),
                TransactWriteItem.builder().update(balance).build()));
        dynamo.deleteItem(r -> r.tableName(table).key(Bench.key(pk, "OUTBOX#" + eventId)));
    }
}
