package com.clientele.invoices;

import com.clientele.customers.CustomerRepository;
import com.clientele.shared.Activity;
import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.Table.Index;
import com.clientele.shared.TransactPut;
import com.clientele.shared.items.MergeContext;
import com.clientele.shared.items.MergePolicy;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Invoices in the single table ({@link InvoiceItems}): each in its customer's partition with its
 * pointer, indexed by status in GSI4. Every write is one transaction with what goes with it: a new
 * invoice with its pointer, its source's guard (none twice of one order or period) and a check that its
 * customer is live; a change at the version read; a finalisation with the tenant's number counter at the
 * number read, so a number is given once, and only by a finalisation that happened (no gaps).
 */
public final class InvoiceRepository {

    private static final String ENTITY = "entity";
    private static final String CUSTOMER_ID = "customerId";
    private static final String INVOICE_ID = "invoiceId";
    private static final String LAST = "last";
    private static final Set<String> ITEM_ONLY = Set.of(ENTITY);

    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EnhancedDocument> table;

    public InvoiceRepository(DynamoDbEnhancedClient client, String tableName) {
        this.client = client;
        this.table = client.table(tableName, Table.SCHEMA);
    }

    /** A condition of the write failed: the invoice changed (or exists), its source has its invoice, a number was taken, the customer is not live. */
    static final class Stale extends RuntimeException {
        Stale() {
            super(null, null, false, false);
        }
    }

    /** The number a finalisation takes: the year's counter moves from {@code previous} to {@code previous + 1}. */
    record Numbering(int year, long previous) {

        long next() {
            return previous + 1;
        }
    }

    Optional<Invoice> find(String tenant, String invoiceId) {
        var pointer = table.getItem(r -> r.key(key(InvoiceItems.pointer(tenant, invoiceId), InvoiceItems.POINTER)).consistentRead(true));
        return pointer == null ? Optional.empty() : find(tenant, pointer.getString(CUSTOMER_ID), invoiceId);
    }

    Optional<Invoice> find(String tenant, String customerId, String invoiceId) {
        var item = table.getItem(r -> r.key(key(Keys.customer(tenant, customerId), InvoiceItems.sortKey(invoiceId))).consistentRead(true));
        return Optional.ofNullable(item).map(InvoiceRepository::invoice);
    }

    /** The id of the invoice made of a source ({@link Invoice.Source#key}), if one was. */
    Optional<String> invoiceOf(String tenant, String sourceKey) {
        var guard = table.getItem(r -> r.key(key(InvoiceItems.source(tenant, sourceKey), InvoiceItems.GUARD)).consistentRead(true));
        return Optional.ofNullable(guard).map(g -> g.getString(INVOICE_ID));
    }

    /** The last number given in {@code year} (0: none yet). */
    long lastNumber(String tenant, int year) {
        var counter = table.getItem(r -> r.key(key(InvoiceItems.numbers(tenant), Integer.toString(year))).consistentRead(true));
        return counter == null ? 0 : counter.getNumber(LAST).longValue();
    }

    Pages.Slice ofCustomer(String tenant, String customerId, int limit, Map<String, String> after) {
        return Pages.read(table::query, null, QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId))
                .sortValue(InvoiceItems.INVOICE)), false, limit, after, null);
    }

    Pages.Slice byStatus(String tenant, InvoiceStatus status, int limit, Map<String, String> after) {
        return Pages.read(table.index(Index.GSI4.name())::query, Index.GSI4,
                QueryConditional.keyEqualTo(k -> k.partitionValue(InvoiceItems.byStatus(tenant, status))), false, limit, after, null);
    }

    static Invoice invoice(EnhancedDocument item) {
        return Items.read(item, Invoice.class, ITEM_ONLY);
    }

    /**
     * A new invoice with its pointer, its source's guard (when it has a source), its activity (none when
     * null), its number (when made final at once: {@code numbering}, else null) and the request's
     * {@code completion} (none when null), for a live customer.
     */
    void insert(String tenant, Invoice invoice, Activity activity, Numbering numbering, TransactPut completion) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, put(item(tenant, invoice), Expression.builder().expression("attribute_not_exists(PK)").build()))
                .addPutItem(table, put(Table.item().putString(Table.PK, InvoiceItems.pointer(tenant, invoice.id()))
                        .putString(Table.SK, InvoiceItems.POINTER).putString(ENTITY, "invoicePointer")
                        .putString(CUSTOMER_ID, invoice.customerId()).build(), null))
                .addConditionCheck(table, CustomerRepository.liveCheck(tenant, invoice.customerId()));
        String source = invoice.source().key();
        if (source != null) {
            tx.addPutItem(table, put(Table.item().putString(Table.PK, InvoiceItems.source(tenant, source)).putString(Table.SK, InvoiceItems.GUARD)
                    .putString(ENTITY, "invoiceSource").putString(INVOICE_ID, invoice.id()).build(),
                    Expression.builder().expression("attribute_not_exists(PK)").build()));
        }
        finish(tenant, tx, invoice, activity, numbering, completion);
    }

    /** The invoice as changed, if still at {@code before}'s version, with its activity, number and completion (each none when null). */
    void update(String tenant, Invoice before, Invoice after, Activity activity, Numbering numbering, TransactPut completion) {
        var tx = TransactWriteItemsEnhancedRequest.builder().addPutItem(table, put(item(tenant, after),
                Expression.builder().expression("version = :v")
                        .putExpressionValue(":v", AttributeValue.fromN(Long.toString(before.version()))).build()));
        finish(tenant, tx, after, activity, numbering, completion);
    }

    private void finish(String tenant, TransactWriteItemsEnhancedRequest.Builder tx, Invoice invoice, Activity activity, Numbering numbering,
                        TransactPut completion) {
        if (activity != null) {
            tx.addPutItem(table, activity.put(tenant, invoice.customerId()));
        }
        if (numbering != null) {
            var counter = Table.item().putString(Table.PK, InvoiceItems.numbers(tenant)).putString(Table.SK, Integer.toString(numbering.year()))
                    .putString(ENTITY, "invoiceNumbers").putNumber(LAST, numbering.next()).build();
            tx.addPutItem(table, put(counter, numbering.previous() == 0
                    ? Expression.builder().expression("attribute_not_exists(PK)").build()
                    : Expression.builder().expression("#last = :previous").putExpressionName("#last", LAST)
                    .putExpressionValue(":previous", AttributeValue.fromN(Long.toString(numbering.previous()))).build()));
        }
        if (completion != null) {
            tx.addPutItem(table, completion.request());
        }
        try {
            client.transactWriteItems(tx.build());
        } catch (TransactionCanceledException e) {
            throw new Stale();
        }
    }

    /** A merge's move of a duplicate's invoice ({@link InvoiceItems#itemType}): copied at its version, its pointer moved. */
    static void moveIntoPrimary(ObjectNode item, MergeContext merge) {
        MergePolicy.moveAtVersion(item, merge, copy -> { }, moved -> merge.store().put(Items.json(Table.item()
                .putString(Table.PK, InvoiceItems.pointer(merge.tenant(), moved.path("id").asText())).putString(Table.SK, InvoiceItems.POINTER)
                .putString(ENTITY, "invoicePointer").putString(CUSTOMER_ID, merge.primaryId()).build())));
    }

    private static EnhancedDocument item(String tenant, Invoice invoice) {
        ObjectNode json = Items.attributes(invoice);
        json.put(Table.PK, Keys.customer(tenant, invoice.customerId())).put(Table.SK, InvoiceItems.sortKey(invoice.id()))
                .put(ENTITY, "invoice").put(Index.GSI4.pk(), InvoiceItems.byStatus(tenant, invoice.status())).put(Index.GSI4.sk(), invoice.id());
        return Items.document(json);
    }

    private static TransactPutItemEnhancedRequest<EnhancedDocument> put(EnhancedDocument item, Expression condition) {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item).conditionExpression(condition).build();
    }

    private static Key key(String partition, String sortKey) {
        return Key.builder().partitionValue(partition).sortValue(sortKey).build();
    }
}
