package com.clientele.invoices;

import com.clientele.customers.Balance;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Invoices in the single table ({@link InvoiceItems}): each in its customer's partition with its
 * pointer, indexed by status in GSI4 and, while open and not overdue, by due day in GSI2. Every write is one transaction with what goes with it: a new
 * invoice with its pointer, its source's guard (none twice of one order or period) and a check that its
 * customer is live; a change at the version read; a finalisation with the tenant's number counter at the
 * number read, so a number is given once, and only by a finalisation that happened (no gaps); and, when
 * the invoice's share of its customer's balance moves, the profile's balance at the profile's version.
 */
public final class InvoiceRepository {

    private static final String ENTITY = "entity";
    private static final String CUSTOMER_ID = "customerId";
    private static final String INVOICE_ID = "invoiceId";
    private static final String LAST = "last";
    private static final String THROUGH = "through";
    private static final Set<String> ITEM_ONLY = Set.of(ENTITY);

    private static final int MAX_PROFILE_ATTEMPTS = 5;

    private final DynamoDbClient dynamoDb;
    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EnhancedDocument> table;
    private final CustomerRepository customers;

    /** {@code customers}: whose profiles' balances every invoice write keeps. */
    public InvoiceRepository(DynamoDbClient dynamoDb, DynamoDbEnhancedClient client, String tableName, CustomerRepository customers) {
        this.dynamoDb = dynamoDb;
        this.client = client;
        this.table = client.table(tableName, Table.SCHEMA);
        this.customers = customers;
    }

    /** A condition of the write failed: the invoice changed (or exists), its source has its invoice, a number was taken, the customer is not live. */
    static final class Stale extends RuntimeException {
        Stale() {
            super(null, null, false, false);
        }
    }

    /** The customer's balance is in another currency than the invoice ({@code currency}): it cannot take it. */
    static final class OtherCurrency extends RuntimeException {
        final String currency;

        OtherCurrency(String currency) {
            super(null, null, false, false);
            this.currency = currency;
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
     * null), its number (when made final at once: {@code numbering}, else null) and {@code puts} (the
     * request's completion, the invoice's events) and {@code more} (another capability's: a coupon's use), for a live
     * customer; its share of the customer's balance with it.
     */
    void insert(String tenant, Invoice invoice, Activity activity, Numbering numbering, List<TransactPut> puts, List<TransactWriteItem> more) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, put(item(tenant, invoice), Expression.builder().expression("attribute_not_exists(PK)").build()))
                .addPutItem(table, put(Table.item().putString(Table.PK, InvoiceItems.pointer(tenant, invoice.id()))
                        .putString(Table.SK, InvoiceItems.POINTER).putString(ENTITY, "invoicePointer")
                        .putString(CUSTOMER_ID, invoice.customerId()).build(), null));
        String source = invoice.source().key();
        if (source != null) {
            tx.addPutItem(table, put(Table.item().putString(Table.PK, InvoiceItems.source(tenant, source)).putString(Table.SK, InvoiceItems.GUARD)
                    .putString(ENTITY, "invoiceSource").putString(INVOICE_ID, invoice.id()).build(),
                    Expression.builder().expression("attribute_not_exists(PK)").build()));
        }
        finish(tenant, tx, Balance.NONE, invoice, activity, numbering, puts, more, true);
    }

    /**
     * The invoice as changed, if still at {@code before}'s version, with its activity, number, {@code puts} and {@code more}
     * (each none when null or empty).
     */
    void update(String tenant, Invoice before, Invoice after, Activity activity, Numbering numbering, List<TransactPut> puts,
                List<TransactWriteItem> more) {
        var tx = TransactWriteItemsEnhancedRequest.builder().addPutItem(table, put(item(tenant, after),
                Expression.builder().expression("version = :v")
                        .putExpressionValue(":v", AttributeValue.fromN(Long.toString(before.version()))).build()));
        finish(tenant, tx, before.share(), after, activity, numbering, puts, more, false);
    }

    /**
     * Writes the transaction with what goes with the invoice, and, when its share of its customer's balance moved
     * ({@code was} → {@link Invoice#share}), the profile's balance at the version read
     * ({@link CustomerRepository#balanceChanged}): every writer of an invoice moves it, none can forget, and a
     * write that fails moves nothing. A profile that moved in between is read again. With {@code live} the
     * customer must be live ({@link Stale} otherwise); without, a deleted customer's invoice is written alone.
     * {@code more} go last; a failed condition of theirs is {@link Stale} too (the caller reads and judges again).
     */
    private void finish(String tenant, TransactWriteItemsEnhancedRequest.Builder tx, Balance was, Invoice invoice, Activity activity,
                        Numbering numbering, List<TransactPut> puts, List<TransactWriteItem> more, boolean live) {
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
        for (var extra : puts == null ? List.<TransactPut>of() : puts) {
            tx.addPutItem(table, extra.request());
        }
        var now = invoice.share();
        if (was.equals(now)) {
            if (live) {
                tx.addConditionCheck(table, CustomerRepository.liveCheck(tenant, invoice.customerId()));
            }
            write(tx.build(), more);
            return;
        }
        for (int attempt = 1; attempt <= MAX_PROFILE_ATTEMPTS; attempt++) {
            var profile = customers.find(tenant, invoice.customerId());
            if (profile.isEmpty()) {
                if (live) {
                    throw new Stale();
                }
                write(tx.build(), more);
                return;
            }
            if (!profile.get().balance().accepts(now)) {
                throw new OtherCurrency(profile.get().balance().currency());
            }
            var items = new ArrayList<>(tx.build().transactWriteItems());
            items.addAll(more);
            try {
                customers.write(items, customers.balanceChanged(tenant, profile.get(), was, now));
                return;
            } catch (TransactionCanceledException e) {
                var reasons = e.cancellationReasons();
                boolean profileOnly = reasons.size() > items.size() && failed(reasons.get(items.size()))
                        && reasons.subList(0, items.size()).stream().noneMatch(InvoiceRepository::failed);
                if (!profileOnly) {
                    throw new Stale();
                }
            }
        }
        throw new Stale();
    }

    private void write(TransactWriteItemsEnhancedRequest request, List<TransactWriteItem> more) {
        try {
            if (more.isEmpty()) {
                client.transactWriteItems(request);
            } else {
                var items = new ArrayList<>(request.transactWriteItems());
                items.addAll(more);
                dynamoDb.transactWriteItems(r -> r.transactItems(items));
            }
        } catch (TransactionCanceledException e) {
            throw new Stale();
        }
    }

    private static boolean failed(CancellationReason reason) {
        return "ConditionalCheckFailed".equals(reason.code());
    }

    /** The last day whose due invoices a finished overdue run marked, if one finished. */
    Optional<LocalDate> overdueDoneThrough() {
        var item = table.getItem(r -> r.key(key(InvoiceItems.OVERDUE_RUNS, InvoiceItems.DONE)).consistentRead(true));
        return item == null ? Optional.empty() : Optional.of(LocalDate.parse(item.getString(THROUGH)));
    }

    /** Records that a run marked every invoice due on or before {@code day} (never moves the record back). */
    void overdueDone(LocalDate day, java.time.Instant at) {
        var item = Table.item().putString(Table.PK, InvoiceItems.OVERDUE_RUNS).putString(Table.SK, InvoiceItems.DONE)
                .putString(ENTITY, "overdueRuns").putString(THROUGH, day.toString()).putString("finishedAt", at.toString()).build();
        try {
            table.putItem(r -> r.item(item).conditionExpression(Expression.builder()
                    .expression("attribute_not_exists(PK) OR #through < :through").putExpressionName("#through", THROUGH)
                    .putExpressionValue(":through", AttributeValue.fromS(day.toString())).build()));
        } catch (ConditionalCheckFailedException e) {
            // a run that reached a later day finished first: its record stands
        }
    }

    /** An open invoice due, with the tenant whose it is (the due index serves every tenant). */
    record Due(String tenant, Invoice invoice) {
    }

    /** A page of the due index, and where the next one starts (null: none); {@code unreadable}: keys of items not read as invoices. */
    record DuePage(List<Due> due, Map<String, String> next, List<String> unreadable) {
    }

    /**
     * One page of the open invoices of one shard of {@code day} not yet marked overdue: one Query of the due index
     * ({@code GSI2PK = INVDUE#<day>#<shard>}), reading nothing that is not due that day. The index is eventually
     * consistent: read the invoice again before acting on it.
     */
    DuePage due(LocalDate day, int shard, Map<String, String> after, int limit) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(InvoiceItems.due(day, shard))))
                .limit(limit).exclusiveStartKey(after == null ? null : Pages.attributes(after)).build();
        var page = table.index(Index.GSI2.name()).query(request).iterator().next();
        var due = new ArrayList<Due>();
        var unreadable = new ArrayList<String>();
        for (var item : page.items()) {
            try {
                due.add(new Due(Keys.customerOf(item.getString(Table.PK)).orElseThrow().tenantId(), invoice(item)));
            } catch (RuntimeException malformed) {
                unreadable.add(item.getString(Table.PK) + " " + item.getString(Table.SK));
            }
        }
        return new DuePage(due, Pages.position(page.lastEvaluatedKey()), List.copyOf(unreadable));
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
        if (invoice.awaitingDue()) {
            json.put(Index.GSI2.pk(), InvoiceItems.due(invoice.dueDate(), InvoiceItems.dueShard(invoice.id()))).put(Index.GSI2.sk(), invoice.id());
        }
        return Items.document(json);
    }

    private static TransactPutItemEnhancedRequest<EnhancedDocument> put(EnhancedDocument item, Expression condition) {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item).conditionExpression(condition).build();
    }

    private static Key key(String partition, String sortKey) {
        return Key.builder().partitionValue(partition).sortValue(sortKey).build();
    }
}
