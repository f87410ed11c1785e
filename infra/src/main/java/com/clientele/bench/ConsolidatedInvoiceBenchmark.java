package com.clientele.bench;

import com.clientele.billinggroups.BillingGroupService;
import com.clientele.customers.Company;
import com.clientele.customers.CustomerInput;
import com.clientele.customers.CustomersWiring;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Aws;
import com.clientele.shared.Components;
import com.clientele.shared.Env;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.Money;
import com.clientele.shared.jobs.Budget;
import com.clientele.subscriptions.BillingWiring;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A billing group's consolidated invoice: a group of MEMBERS business customers, each with one
 * subscription period billed to the group this month (the lines the renewal run writes, written here the
 * same way: {@code GroupInvoicing.pending}'s writes, a transaction each, as the subscription's advance
 * would carry them). Then, the month over, the run that invoices it, in process as the function builds it,
 * over a client whose interceptor counts the calls and the items every read returns: time, calls, items
 * read, the invoice item's size. Then the same run again (nothing to do) and the calls it costs.
 *
 * <pre>
 *   mvn -q -B -o -pl infra -am -DskipTests package exec:exec -Dlocal.main=com.clientele.bench.ConsolidatedInvoiceBenchmark [-Dlocal.args="MEMBERS"]
 * </pre>
 */
public final class ConsolidatedInvoiceBenchmark {

    static final int DEFAULT_MEMBERS = 500;
    private static final String TENANT = "bench";

    private ConsolidatedInvoiceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int members = Bench.intOption(Bench.options(args), 0, DEFAULT_MEMBERS);
        var month = YearMonth.from(Instant.now().atZone(ZoneOffset.UTC));
        Instant billed = month.atDay(10).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant closing = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofMinutes(30));
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(Bench.template()))) {
            var environment = new HashMap<>(cloud.environment("RenewalsFunction"));
            environment.put("EVENT_QUEUE_URLS", "");
            var env = new Env(environment);
            var counter = new ExpiryBenchmark.ItemsRead();
            DynamoDbClient dynamo = Aws.build(DynamoDbClient.builder().overrideConfiguration(o -> o.addExecutionInterceptor(counter)),
                    env, "AWS_ENDPOINT_URL_DYNAMODB");
            var seeding = Components.from(environment).with(DynamoDbClient.class, dynamo).with(Clock.class, Clock.fixed(billed, ZoneOffset.UTC));

            long seedStart = System.nanoTime();
            var customers = CustomersWiring.service(seeding);
            String payer = customers.create(TENANT, business("Payer", null)).id();
            String groupId = BillingWiring.groups(seeding).create(TENANT, new BillingGroupService.Input("Bench group", payer, "USD",
                    "NET_30")).id();
            var grouping = BillingWiring.groupInvoicing(seeding);
            var memberIds = new ArrayList<String>();
            for (int i = 0; i < members; i++) {
                memberIds.add(customers.create(TENANT, business("Member" + i, groupId)).id());
            }
            counter.reset();
            for (int i = 0; i < members; i++) {
                var profile = CustomersWiring.repository(seeding).find(TENANT, memberIds.get(i)).orElseThrow();
                var line = grouping.pending(TENANT, profile, Ids.next(Ids.SUBSCRIPTION), 2, billed, billed.plus(Duration.ofDays(30)),
                        new Money(2900 + i, "USD"), billed).orElseThrow();
                dynamo.transactWriteItems(r -> r.transactItems(line.writes()));
            }
            String lineCalls = counter.describeCalls();
            System.out.printf("Seeded a payer, a group and %,d members, each with a period billed to the group, in %.1f s%n", members,
                    seconds(seedStart));

            var closingComponents = Components.from(environment).with(DynamoDbClient.class, dynamo)
                    .with(Clock.class, Clock.fixed(closing, ZoneOffset.UTC));
            var invoicing = BillingWiring.groupInvoicing(closingComponents);
            counter.reset();
            long runStart = System.nanoTime();
            var run = invoicing.close(null, null, Budget.unlimited());
            double runSeconds = seconds(runStart);
            long itemsRead = counter.items.sum();
            String runCalls = counter.describeCalls();
            check(run.invoiced() == 1 && run.failed() == 0, "the run did " + run.asMap());

            var invoices = dynamo.query(r -> r.tableName(env.require("TABLE_NAME")).keyConditionExpression("PK = :pk AND begins_with(SK, :in)")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("T#" + TENANT + "#C#" + payer), ":in",
                            AttributeValue.fromS("INV#")))).items();
            check(invoices.size() == 1, invoices.size() + " invoices for the payer");
            var invoice = invoices.get(0);
            int lines = invoice.get("lines").l().size();
            check(lines == members, lines + " lines");
            long size = itemSize(invoice);

            counter.reset();
            long rerunStart = System.nanoTime();
            var rerun = invoicing.close(null, null, Budget.unlimited());
            double rerunSeconds = seconds(rerunStart);
            check(rerun.invoiced() == 0, "the rerun did " + rerun.asMap());

            System.out.printf("%nConsolidated invoice of a billing group of %,d members (one period each), %d CPUs, one JVM on loopback%n",
                    members, Runtime.getRuntime().availableProcessors());
            System.out.printf("  a member's period to the group (the renewal's extra: group read, month opened; the line and a check ride in "
                    + "the subscription's transaction): %s for %,d%n", lineCalls, members);
            System.out.printf("  the month's invoice              %8.2f s  %,6d items read  (%s)%n", runSeconds, itemsRead, runCalls);
            System.out.printf("  the invoice item                 %,d lines, %,d members, about %,d bytes (DynamoDB's limit: 409,600)%n", lines,
                    invoice.get("billingGroup").m().get("members").l().size(), size);
            System.out.printf("  a rerun, nothing to do           %8.3f s  (%s)%n", rerunSeconds, counter.describeCalls());
        }
        // DynamoDB Local leaves a non-daemon thread (its shard-rollover job) sleeping for minutes after it stops.
        System.exit(0);
    }

    private static CustomerInput business(String name, String groupId) {
        return new CustomerInput("business", name, "Buyer", name.toLowerCase() + "@bench.example", "+14155550123",
                new Company(name + " Ltd", null, "GB123"), "NET_14", groupId, List.of(), Map.of(), null, null);
    }

    /** An item's size as DynamoDB counts it, near enough: its attribute names and values as JSON text. */
    private static long itemSize(Map<String, AttributeValue> item) {
        return Json.write(com.clientele.shared.Items.json(item)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static void check(boolean holds, String problem) {
        if (!holds) {
            throw new IllegalStateException(problem);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
