package com.clientele.ltv;

import com.clientele.analytics.TenantCounters;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.payments.Payment;
import com.clientele.payments.PaymentRepository;
import com.clientele.shared.Keys;
import com.clientele.shared.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What the LTV functions read and write: a customer's profile (its {@code stats}), the ledger
 * (the customer's payment items) and the markers of applied events. A marker and the stats it
 * produced are written in one transaction, so an event is applied exactly once.
 */
public final class LtvRepository {

    static final String CONSUMER = "ltv";
    /** Longer than SQS keeps a message (14 days): a duplicate can never outlive its marker. */
    static final Duration MARKER_RETENTION = Duration.ofDays(30);

    private final DynamoDbTable<EnhancedDocument> table;
    private final DynamoDbEnhancedClient client;
    private final CustomerRepository customers;

    private final TenantCounters counters;

    public LtvRepository(DynamoDbClient dynamoDb, String tableName, CustomerRepository customers) {
        this.client = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
        this.table = client.table(tableName, Table.SCHEMA);
        this.customers = customers;
        this.counters = new TenantCounters(dynamoDb, tableName);
    }

    /** The write was refused: the event was applied already, or the profile moved underneath. */
    enum Refusal { DUPLICATE, CONFLICT }

    static final class Refused extends RuntimeException {
        final Refusal why;

        Refused(Refusal why) {
            super(null, null, false, false);
            this.why = why;
        }
    }

    Optional<Customer> customer(String tenant, String customerId) {
        return customers.find(tenant, customerId);
    }

    /** Records {@code eventId} as applied and stores {@code after}'s stats, if neither happened yet. */
    void applyEvent(String tenant, Customer before, Customer after, String eventId, Instant now) {
        var marker = Table.item()
                .putString(Table.PK, Keys.customer(tenant, before.id()))
                .putString(Table.SK, Keys.processedEventSortKey(CONSUMER, eventId))
                .putString("entity", "processedEvent")
                .putString("processedAt", now.toString())
                .putNumber(Table.TTL, now.plus(MARKER_RETENTION).getEpochSecond())
                .build();
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(marker)
                        .conditionExpression(Expression.builder().expression("attribute_not_exists(PK)").build()).build())
                .addPutItem(table, customers.profileUpdate(tenant, before, after));
        try {
            counters.write(tx.build(), tenant, before.id(), TenantCounters.difference(before, after));
        } catch (TransactionCanceledException e) {
            var reasons = e.cancellationReasons();
            if ("ConditionalCheckFailed".equals(reasons.get(0).code())) {
                throw new Refused(Refusal.DUPLICATE);
            }
            if ("ConditionalCheckFailed".equals(reasons.get(1).code())) {
                throw new Refused(Refusal.CONFLICT);
            }
            throw e;
        }
    }

    /** Stores recomputed stats if the profile is still at {@code before}'s version. */
    void replaceStats(String tenant, Customer before, Customer after) {
        try {
            counters.write(TransactWriteItemsEnhancedRequest.builder()
                    .addPutItem(table, customers.profileUpdate(tenant, before, after)).build(),
                    tenant, before.id(), TenantCounters.difference(before, after));
        } catch (TransactionCanceledException e) {
            throw new Refused(Refusal.CONFLICT);
        }
    }

    /** The customer's ledger: every payment in its partition, with its refunds. */
    List<Payment> ledger(String tenant, String customerId) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBeginsWith(k -> k
                        .partitionValue(Keys.customer(tenant, customerId)).sortValue(Keys.PAYMENT)))
                .consistentRead(true).build();
        var payments = new ArrayList<Payment>();
        table.query(request).items().forEach(item -> payments.add(PaymentRepository.payment(item)));
        return payments;
    }
}
