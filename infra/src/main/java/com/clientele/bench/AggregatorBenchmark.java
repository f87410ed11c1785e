package com.clientele.bench;

import com.clientele.analytics.AnalyticsKeys;
import com.clientele.analytics.TenantCounters;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerInput;
import com.clientele.customers.CustomerItems;
import com.clientele.customers.CustomerService;
import com.clientele.shared.events.Sqs;
import com.clientele.shared.http.Cursors;
import java.time.Clock;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.Keys;
import com.clientele.shared.events.PaymentEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Throughput of the LTV aggregator: payment events per second from the LTV queue into customers'
 * stats, through the local cloud's SQS event source (one poller, batches of 10, as the template
 * says), against raw TransactWriteItems on the same machine — one per event, of the three items an
 * event changes (the event marker, the profile at its next version with its new LTV index key, the
 * tenant's counter shard), issued one after another: the least a read-free exactly-once write of
 * an event costs. (The aggregator writes them in two steps, the record and the fold, and reads the
 * profile before the fold; the baseline does not.)
 *
 * <pre>
 *   mvn -q -pl infra validate exec:exec -Dlocal.main=com.clientele.bench.AggregatorBenchmark [-Dlocal.args="EVENTS CUSTOMERS"]
 * </pre>
 * EVENTS (default 3000) succeeded-payment events spread over CUSTOMERS (default 100) customers.
 * The queue is filled first, every message delayed until the same moment ({@link #FILL_SECONDS} after
 * the first send); the aggregator's time runs from that moment until the counters show every event
 * applied.
 */
public final class AggregatorBenchmark {

    /** How long after the first send every message becomes visible: longer than filling the queue takes. */
    private static final int FILL_SECONDS = 30;

    public static void main(String[] args) throws Exception {
        var options = Bench.options(args);
        int events = Bench.intOption(options, 0, 3_000);
        int customers = Bench.intOption(options, 1, 100);
        double aggregatorRate;
        double rawRate;
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()))) {
            var env = new Env(cloud.environment("LtvAggregatorFunction"));
            var dynamo = Aws.dynamoDb(env);
            String table = cloud.resources().get("Table");
            var repository = new CustomerService(new CustomerRepository(dynamo, table), new Cursors("bench"), Clock.systemUTC());
            var counters = new TenantCounters(dynamo, table);

            var payers = seed(repository, "agg", customers);
            try (var sqs = Sqs.create(env)) {
                String queue = cloud.resources().get("LtvEventsQueue");
                // the queue is filled first (each message delayed until the same moment), so that the time
                // measured is the aggregator's alone, not the producer's sending beside it
                long sendStart = System.nanoTime();
                var batch = new ArrayList<SendMessageBatchRequestEntry>();
                for (int i = 0; i < events; i++) {
                    // visible within a second of the same moment, whenever it was sent
                    int delay = FILL_SECONDS - (int) ((System.nanoTime() - sendStart) / 1_000_000_000L);
                    batch.add(SendMessageBatchRequestEntry.builder().id("m" + i).delaySeconds(delay)
                            .messageBody(Json.write(event("agg", payers.get(i % customers), i))).build());
                    if (batch.size() == 10 || i == events - 1) {
                        var entries = List.copyOf(batch);
                        sqs.sendMessageBatch(r -> r.queueUrl(queue).entries(entries));
                        batch.clear();
                    }
                }
                double filled = (System.nanoTime() - sendStart) / 1e9;
                if (filled > FILL_SECONDS) {
                    throw new IllegalStateException("filling the queue took " + filled + " s, more than its delay");
                }
                long start = sendStart + FILL_SECONDS * 1_000_000_000L;
                while (counters.read("agg").getOrDefault(TenantCounters.ORDERS + "USD", 0L) < events) {
                    Thread.sleep(20);
                }
                aggregatorRate = events / ((System.nanoTime() - start) / 1e9);
            }

            var rawPayers = seed(repository, "raw", customers);
            rawRate = raw(dynamo, table, rawPayers, events);
            // reported before the cloud closes: its queue server can take long to stop
            System.out.printf("%nLTV aggregator throughput, %d events over %d customers%n", events, customers);
            System.out.printf("  through the local cloud's queue   %8.1f events/s%n", aggregatorRate);
            System.out.printf("  raw TransactWriteItems (3 items)  %8.1f writes/s%n", rawRate);
            System.out.printf("  ratio %.2f (target >= 0.8)%n", aggregatorRate / rawRate);
        }
        // DynamoDB Local leaves a non-daemon thread sleeping after it stops.
        System.exit(0);
    }

    private static List<Customer> seed(CustomerService customers, String tenant, int count) {
        var created = new ArrayList<Customer>();
        for (int i = 0; i < count; i++) {
            created.add(customers.create(tenant, new CustomerInput("individual", "Bench", "Payer" + i, "payer" + i + "@example.com",
                    "+1415555" + String.format("%04d", i), null, null, null, null, null, null, null)));
        }
        return created;
    }

    private static PaymentEvent event(String tenant, Customer payer, int n) {
        return PaymentEvent.builder().id(Ids.next(Ids.EVENT)).type(PaymentEvent.SUCCEEDED).tenantId(tenant)
                .customerId(payer.id()).paymentId(Ids.next(Ids.PAYMENT)).amount(1_000).currency("USD")
                .occurredAt(Instant.now().plusMillis(n)).build();
    }

    /** One TransactWriteItems per event, as the aggregator's: marker, profile (next version), counter ADD. */
    private static double raw(DynamoDbClient dynamo, String table, List<Customer> payers, int events) {
        var versions = new long[payers.size()];
        java.util.Arrays.fill(versions, 1);
        var profiles = new ArrayList<Map<String, AttributeValue>>();
        for (var payer : payers) {
            profiles.add(dynamo.getItem(r -> r.tableName(table).key(Map.of("PK", AttributeValue.fromS(Keys.customer("raw", payer.id())),
                    "SK", AttributeValue.fromS(CustomerItems.PROFILE))).consistentRead(true)).item());
        }
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            int p = i % payers.size();
            var payer = payers.get(p);
            String partition = Keys.customer("raw", payer.id());
            var next = new java.util.HashMap<>(profiles.get(p));
            next.put("version", AttributeValue.fromN(Long.toString(versions[p] + 1)));
            // as the aggregator's put: the LTV moves, and with it the profile's key in the LTV index
            next.put("GSI5SK", AttributeValue.fromS(CustomerItems.ltvSortKey(1_000L * versions[p], payer.id())));
            long version = versions[p]++;
            dynamo.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table)
                            .item(Map.of("PK", AttributeValue.fromS(partition), "SK", AttributeValue.fromS("APPLIED#ltv#" + Ids.next(Ids.PAYMENT)),
                                    "ttl", AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() + 86_400))))
                            .conditionExpression("attribute_not_exists(PK)").build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(next)
                            .conditionExpression("#v = :v").expressionAttributeNames(Map.of("#v", "version"))
                            .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(version)))).build()).build(),
                    TransactWriteItem.builder().update(Update.builder().tableName(table)
                            .key(Map.of("PK", AttributeValue.fromS(AnalyticsKeys.analytics("raw", AnalyticsKeys.analyticsShard(payer.id()))),
                                    "SK", AttributeValue.fromS(AnalyticsKeys.COUNTERS)))
                            .updateExpression("ADD #o :one").expressionAttributeNames(Map.of("#o", "orders.USD"))
                            .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))).build()).build()));
        }
        return events / ((System.nanoTime() - start) / 1e9);
    }
}
