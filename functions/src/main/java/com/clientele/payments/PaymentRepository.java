package com.clientele.payments;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerItems;
import com.clientele.customers.CustomerRepository;
import com.clientele.shared.Activity;
import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.Table.Index;
import com.clientele.shared.TransactPut;
import com.clientele.shared.events.AppliedEntries;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.events.PaymentEvent;
import com.clientele.shared.items.MergeContext;
import com.clientele.shared.items.MergePolicy;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.ReadBatch;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Saved cards and payments in the single table. In the customer's partition: one item per card
 * ({@code PM#pm_...}, with the processor's token, never the number), one guard per card fingerprint
 * ({@code PMFP#...}, so a card is saved once), one item per payment ({@code PAY#pay_...}, refunds
 * inside). A guest payment has a partition of its own, indexed by email (GSI1), phone (GSI2) and
 * card fingerprint (GSI4). A pointer item per payment id, and one per receipt id, say where a
 * payment lives.
 */
public final class PaymentRepository {

    private static final String ENTITY = "entity";
    private static final String CARD_TOKEN = "cardToken";
    private static final String GATEWAY_REFERENCE = "gatewayReference";
    private static final String HOME = "home";
    private static final String PAYMENT_METHOD_ID = "paymentMethodId";
    private static final Set<String> ITEM_ONLY = Set.of(ENTITY, CARD_TOKEN, GATEWAY_REFERENCE, HOME);

    private final DynamoDbClient dynamoDb;
    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EnhancedDocument> table;
    private final CustomerRepository customers;
    private final Outbox outbox;

    public PaymentRepository(DynamoDbClient dynamoDb, DynamoDbEnhancedClient client, String tableName, CustomerRepository customers,
                             Outbox outbox) {
        this.dynamoDb = dynamoDb;
        this.client = client;
        this.table = client.table(tableName, Table.SCHEMA);
        this.customers = customers;
        this.outbox = outbox;
    }

    /** A card with the processor's token for it (which never leaves the service). */
    record SavedCard(PaymentMethod method, String token) {
    }

    /** A payment with where it lives and the processor's references for it. */
    record StoredPayment(Payment payment, String home, String cardToken, String gatewayReference) {
    }

    /** The write was based on a state that changed underneath (a version moved). */
    static final class Conflict extends RuntimeException {
        Conflict() {
            super(null, null, false, false);
        }
    }

    /** The write of another capability at {@code index} of the ones given to a transaction failed its condition. */
    static final class OtherFailed extends RuntimeException {
        final int index;

        OtherFailed(int index) {
            super(null, null, false, false);
            this.index = index;
        }
    }

    /** The card is saved already, as {@code existingId}. */
    static final class DuplicateCard extends RuntimeException {
        final String existingId;

        DuplicateCard(String existingId) {
            super(null, null, false, false);
            this.existingId = existingId;
        }
    }

    // ---- customers -----------------------------------------------------------------------------

    Optional<Customer> customer(String tenant, String customerId) {
        return customers.find(tenant, customerId);
    }

    // ---- saved cards ---------------------------------------------------------------------------

    Optional<SavedCard> card(String tenant, String customerId, String paymentMethodId) {
        var item = table.getItem(r -> r.key(key(Keys.customer(tenant, customerId), PaymentItems.cardSortKey(paymentMethodId))).consistentRead(true));
        return Optional.ofNullable(item).map(PaymentRepository::savedCard);
    }

    /** A customer's saved card, as another capability checks one it is given (a subscription's card). */
    public Optional<PaymentMethod> paymentMethod(String tenant, String customerId, String paymentMethodId) {
        return card(tenant, customerId, paymentMethodId).map(SavedCard::method);
    }

    /** Every saved card of a customer, oldest first (ids are time-ordered). */
    List<SavedCard> cards(String tenant, String customerId) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBeginsWith(k -> k
                        .partitionValue(Keys.customer(tenant, customerId)).sortValue(PaymentItems.CARD)))
                .consistentRead(true).build();
        var result = new ArrayList<SavedCard>();
        table.query(request).items().forEach(item -> result.add(savedCard(item)));
        return result;
    }

    /** Card, fingerprint guard and the profile's card references, all or nothing. */
    void insertCard(String tenant, Customer before, Customer after, SavedCard card) {
        String home = Keys.customer(tenant, card.method().customerId());
        ObjectNode json = Items.attributes(card.method());
        json.put(Table.PK, home);
        json.put(Table.SK, PaymentItems.cardSortKey(card.method().id()));
        json.put(ENTITY, "card");
        json.put(CARD_TOKEN, card.token());
        var guard = Table.item()
                .putString(Table.PK, home)
                .putString(Table.SK, PaymentItems.cardGuardSortKey(card.method().fingerprint()))
                .putString(ENTITY, "cardGuard")
                .putString(PAYMENT_METHOD_ID, card.method().id())
                .build();
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, customers.profileUpdate(tenant, before, after))
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(guard).conditionExpression(notExists())
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build())
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(Items.document(json)).conditionExpression(notExists()).build())
                .addPutItem(table, new Activity(card.method().createdAt(), Activity.Kind.CARD_SAVED, "Card saved: "
                        + card.method().brand() + " ending " + card.method().last4(), card.method().id())
                        .put(tenant, card.method().customerId()));
        try {
            client.transactWriteItems(tx.build());
        } catch (TransactionCanceledException e) {
            var guardReason = e.cancellationReasons().get(1);
            if ("ConditionalCheckFailed".equals(guardReason.code()) && guardReason.item() != null
                    && guardReason.item().containsKey(PAYMENT_METHOD_ID)) {
                throw new DuplicateCard(guardReason.item().get(PAYMENT_METHOD_ID).s());
            }
            throw conflictOr(e);
        }
    }

    void deleteCard(String tenant, Customer before, Customer after, PaymentMethod card) {
        String home = Keys.customer(tenant, card.customerId());
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, customers.profileUpdate(tenant, before, after))
                .addDeleteItem(table, TransactDeleteItemEnhancedRequest.builder()
                        .key(key(home, PaymentItems.cardSortKey(card.id()))).conditionExpression(exists()).build())
                .addDeleteItem(table, TransactDeleteItemEnhancedRequest.builder()
                        .key(key(home, PaymentItems.cardGuardSortKey(card.fingerprint()))).build());
        write(tx);
    }

    /** The profile's card references change while the card is still there. */
    void updateCardReferences(String tenant, Customer before, Customer after, PaymentMethod card) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, customers.profileUpdate(tenant, before, after))
                .addConditionCheck(table, ConditionCheck.builder()
                        .key(key(Keys.customer(tenant, card.customerId()), PaymentItems.cardSortKey(card.id())))
                        .conditionExpression(exists()).build());
        write(tx);
    }

    // ---- payments ------------------------------------------------------------------------------

    Optional<StoredPayment> payment(String tenant, String paymentId) {
        var pointer = table.getItem(r -> r.key(key(PaymentItems.paymentPointer(tenant, paymentId), PaymentItems.POINTER)).consistentRead(true));
        if (pointer == null) {
            return Optional.empty();
        }
        return paymentAt(pointer.getString(HOME), paymentId);
    }

    private Optional<StoredPayment> paymentAt(String home, String paymentId) {
        var item = table.getItem(r -> r.key(key(home, PaymentItems.paymentSortKey(paymentId))).consistentRead(true));
        return Optional.ofNullable(item).map(PaymentRepository::storedPayment);
    }

    /** A customer's payments, newest first, optionally of one status and for one order, subscription or invoice. */
    Pages.Slice payments(String tenant, String customerId, PaymentStatus status, PaymentFor paidFor, int limit,
                         Map<String, String> after) {
        var condition = QueryConditional.sortBeginsWith(k -> k
                .partitionValue(Keys.customer(tenant, customerId)).sortValue(PaymentItems.PAYMENT));
        var equal = new LinkedHashMap<String, String>();
        equal.put("status", status == null ? null : status.json());
        equal.put("orderId", paidFor.orderId());
        equal.put("subscriptionId", paidFor.subscriptionId());
        equal.put("invoiceId", paidFor.invoiceId());
        equal.values().removeIf(java.util.Objects::isNull);
        Expression filter = null;
        if (!equal.isEmpty()) {
            var expression = Expression.builder();
            var terms = new ArrayList<String>();
            equal.forEach((name, value) -> {
                terms.add("#" + name + " = :" + name);
                expression.putExpressionName("#" + name, name).putExpressionValue(":" + name, AttributeValue.fromS(value));
            });
            filter = expression.expression(String.join(" AND ", terms)).build();
        }
        return Pages.read(table::query, null, condition, false, limit, after, filter);
    }

    /**
     * A page of the tenant's payments (GSI6, by creation time), or of one customer's (its partition, by id:
     * time-ordered), newest first, in one Query: the window of creation times is the index's key range (a
     * filter on the customer's partition), the other conditions a filter.
     */
    Pages.Slice search(String tenant, PaymentSearch search, Map<String, String> after) {
        var terms = new ArrayList<String>();
        var expression = Expression.builder();
        if (!search.statuses().isEmpty()) {
            var names = new ArrayList<String>();
            search.statuses().stream().map(PaymentStatus::json).sorted().forEach(status -> {
                names.add(":status" + names.size());
                expression.putExpressionValue(names.getLast(), AttributeValue.fromS(status));
            });
            terms.add("#status IN (" + String.join(", ", names) + ")");
            expression.putExpressionName("#status", "status");
        }
        if (search.amountMin() != null || search.amountMax() != null) {
            expression.putExpressionName("#amount", "amount");
            if (search.amountMin() != null) {
                terms.add("#amount.#amount >= :amountMin");
                expression.putExpressionValue(":amountMin", AttributeValue.fromN(Long.toString(search.amountMin())));
            }
            if (search.amountMax() != null) {
                terms.add("#amount.#amount <= :amountMax");
                expression.putExpressionValue(":amountMax", AttributeValue.fromN(Long.toString(search.amountMax())));
            }
        }
        if (search.last4() != null) {
            terms.add("#card.#last4 = :last4");
            expression.putExpressionName("#card", "paymentMethod").putExpressionName("#last4", "last4")
                    .putExpressionValue(":last4", AttributeValue.fromS(search.last4()));
        }
        String from = PaymentItems.byTimeFrom(search.from());
        String to = PaymentItems.byTimeTo(search.to());
        int limit = search.paging().limit();
        if (search.customerId() != null) {
            if (search.dated()) {
                terms.add("#byTime BETWEEN :from AND :to");
                expression.putExpressionName("#byTime", PaymentItems.BY_TIME.sk()).putExpressionValue(":from", AttributeValue.fromS(from))
                        .putExpressionValue(":to", AttributeValue.fromS(to));
            }
            var filter = terms.isEmpty() ? null : expression.expression(String.join(" AND ", terms)).build();
            return Pages.readOnce(table::query, null, QueryConditional.sortBeginsWith(k -> k
                    .partitionValue(Keys.customer(tenant, search.customerId())).sortValue(PaymentItems.PAYMENT)), false, limit, after, filter);
        }
        var filter = terms.isEmpty() ? null : expression.expression(String.join(" AND ", terms)).build();
        String partition = PaymentItems.tenantPayments(tenant);
        return Pages.readOnce(table.index(PaymentItems.BY_TIME.name())::query, PaymentItems.BY_TIME, QueryConditional.sortBetween(
                k -> k.partitionValue(partition).sortValue(from), k -> k.partitionValue(partition).sortValue(to)), false, limit, after, filter);
    }

    /** Every payment recorded with a receipt id (normally one): one Query, one batch read. */
    List<Payment> byReceipt(String tenant, String receiptId) {
        var pointers = table.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(PaymentItems.receipt(tenant, receiptId))))
                .limit(100).build()).iterator().next().items();
        return batch(pointers.stream().map(p -> key(p.getString(HOME), PaymentItems.paymentSortKey(p.getString(Table.SK)))).toList());
    }

    /** Guest payments made with a card (by its fingerprint), newest first (at most 100). */
    List<Payment> guestPaymentsByCard(String tenant, String fingerprint) {
        return guestPayments(Index.GSI4, PaymentItems.guestsByCard(tenant, fingerprint));
    }

    /** Guest payments made with an email address, newest first (at most 100). */
    List<Payment> guestPaymentsByEmail(String tenant, String email) {
        return guestPayments(Index.GSI1, PaymentItems.guestsByEmail(tenant, email));
    }

    /** Guest payments made with a phone number, newest first (at most 100). */
    List<Payment> guestPaymentsByPhone(String tenant, String phone) {
        return guestPayments(Index.GSI2, PaymentItems.guestsByPhone(tenant, phone));
    }

    private List<Payment> guestPayments(Index index, String partition) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(partition)))
                .scanIndexForward(false).limit(100).build();
        var result = new ArrayList<Payment>();
        table.index(index.name()).query(request).iterator().next().items().forEach(item -> result.add(storedPayment(item).payment()));
        return result;
    }

    /** The payment a payment item holds, as the API shows it. */
    public static Payment payment(EnhancedDocument item) {
        return storedPayment(item).payment();
    }

    /** A customer's payments, and the ids of the ledger entries (payment, refund) a consumer marked as counted. */
    public record MarkedLedger(List<Payment> payments, Set<String> applied) {
    }

    /**
     * A customer's ledger and {@code consumer}'s markers of applied entries in one Query: the
     * markers' sort keys ({@code APPLIED#<consumer>#…}) sort before the payments' ({@code PAY#…}),
     * so one key range holds both; whatever else of the partition sorts between them (other
     * consumers' markers, notes, outbox items) is skipped. Consistent.
     */
    public static MarkedLedger markedLedger(DynamoDbTable<EnhancedDocument> table, String tenant, String customerId,
                                            String consumer) {
        String markers = AppliedEntries.appliedEntriesPrefix(consumer);
        String pk = Keys.customer(tenant, customerId);
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBetween(k -> k.partitionValue(pk).sortValue(markers),
                        k -> k.partitionValue(pk).sortValue(PaymentItems.PAYMENT + "\uffff")))
                .consistentRead(true).build();
        var payments = new ArrayList<Payment>();
        var applied = new java.util.HashSet<String>();
        table.query(request).items().forEach(item -> {
            String sk = item.getString(Table.SK);
            if (sk.startsWith(PaymentItems.PAYMENT)) {
                payments.add(payment(item));
            } else if (sk.startsWith(markers)) {
                applied.add(sk.substring(markers.length()));
            }
        });
        return new MarkedLedger(payments, applied);
    }

    /**
     * A new payment and its pointers, in one transaction: a pending payment exists before the processor is
     * called. It lives in its customer's partition, or (a guest's) in a partition of its own. {@code more}:
     * another capability's writes (a coupon's use), in the same transaction ({@link OtherFailed} on their conditions).
     */
    StoredPayment insertPending(String tenant, Payment payment, String cardToken, List<TransactWriteItem> more) {
        var stored = new StoredPayment(payment, payment.customerId() == null ? PaymentItems.guestPayment(tenant, payment.id())
                : Keys.customer(tenant, payment.customerId()), cardToken, null);
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(paymentItem(tenant, stored)).conditionExpression(notExists()).build())
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(pointer(PaymentItems.paymentPointer(tenant, payment.id()), PaymentItems.POINTER, stored.home())).build());
        if (payment.receiptId() != null) {
            tx.addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                    .item(pointer(PaymentItems.receipt(tenant, payment.receiptId()), payment.id(), stored.home())).build());
        }
        write(tx, more);
        return stored;
    }

    /**
     * A payment's new state, its event (outbox; none when null) and the completion of the request that
     * caused it (its stored response; none for a service's own charge), in one transaction; plus the customer's
     * profile and search term when given, and {@code more} of another capability (a coupon's use confirmed or given back).
     */
    void settle(String tenant, StoredPayment before, StoredPayment after, PaymentEvent event,
                TransactPut completion, Customer profileBefore, Customer profileAfter, List<TransactWriteItem> more) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(paymentItem(tenant, after)).conditionExpression(isVersion(before.payment().version())).build());
        if (completion != null) {
            tx.addPutItem(table, completion.request());
        }
        if (event != null) {
            tx.addPutItem(table, outbox.put(after.home(), event));
            if (event.customerId() != null) {
                tx.addPutItem(table, activity(event).put(tenant, event.customerId()));
            }
        }
        if (profileAfter != null) {
            tx.addPutItem(table, customers.profileUpdate(tenant, profileBefore, profileAfter));
        }
        var payment = after.payment();
        if (payment.receiptId() != null && payment.customerId() != null && payment.status() == PaymentStatus.SUCCEEDED) {
            tx.addPutItem(table, CustomerRepository.searchTerm(tenant, payment.receiptId(), payment.customerId()));
        }
        write(tx, more);
    }

    /** What a settled payment or refund shows in its customer's activity feed. */
    private static Activity activity(PaymentEvent e) {
        String amount = Activity.money(e.amount(), e.currency());
        return switch (e.type()) {
            case PaymentEvent.SUCCEEDED -> new Activity(e.occurredAt(), Activity.Kind.CHARGED, "Charged " + amount, e.paymentId());
            case PaymentEvent.FAILED -> new Activity(e.occurredAt(), Activity.Kind.CHARGE_FAILED,
                    "Charge of " + amount + " failed: " + e.failureCode(), e.paymentId());
            default -> new Activity(e.occurredAt(), Activity.Kind.REFUNDED, "Refunded " + amount, e.refundId());
        };
    }

    /** A new state of a payment (a refund reserved), if it is still at {@code before}'s version. */
    void update(String tenant, StoredPayment before, StoredPayment after) {
        try {
            table.putItem(PutItemEnhancedRequest.builder(EnhancedDocument.class)
                    .item(paymentItem(tenant, after)).conditionExpression(isVersion(before.payment().version())).build());
        } catch (ConditionalCheckFailedException e) {
            throw new Conflict();
        }
    }

    // ---- items ---------------------------------------------------------------------------------

    /**
     * A customer's payment item as {@link #settle} stores it, in the customer's partition: for
     * seeding a table (benchmarks, imports) with items shaped exactly as the app's.
     */
    public static EnhancedDocument customerPaymentItem(String tenant, Payment payment, String cardToken) {
        return paymentItem(tenant, new StoredPayment(payment, Keys.customer(tenant, payment.customerId()), cardToken, null));
    }

    static EnhancedDocument paymentItem(String tenant, StoredPayment stored) {
        var payment = stored.payment();
        ObjectNode json = Items.attributes(payment);
        json.put(Table.PK, stored.home());
        json.put(Table.SK, PaymentItems.paymentSortKey(payment.id()));
        json.put(ENTITY, "payment");
        json.put(HOME, stored.home());
        json.put(CARD_TOKEN, stored.cardToken());
        json.put(PaymentItems.BY_TIME.pk(), PaymentItems.tenantPayments(tenant));
        json.put(PaymentItems.BY_TIME.sk(), PaymentItems.byTime(payment.createdAt(), payment.id()));
        if (stored.gatewayReference() != null) {
            json.put(GATEWAY_REFERENCE, stored.gatewayReference());
        }
        if (payment.guest() != null) {
            json.put(Index.GSI1.pk(), PaymentItems.guestsByEmail(tenant, payment.guest().email()));
            json.put(Index.GSI1.sk(), payment.id());
            json.put(Index.GSI2.pk(), PaymentItems.guestsByPhone(tenant, payment.guest().phone()));
            json.put(Index.GSI2.sk(), payment.id());
            json.put(Index.GSI4.pk(), PaymentItems.guestsByCard(tenant, payment.paymentMethod().fingerprint()));
            json.put(Index.GSI4.sk(), payment.id());
        }
        return Items.document(json);
    }

    /**
     * A merge's move of a duplicate's payment ({@link PaymentItems#types}): the copy in the primary's
     * partition (never over a newer one: a refund may reach the copy as soon as the pointer names it), the
     * pointers to it and its receipt's search term, then the original at the version copied; if the original
     * changed in between (a refund just before the pointer moved), again.
     */
    static void moveIntoPrimary(ObjectNode item, MergeContext merge) {
        MergePolicy.moveAtVersion(item, merge, copy -> copy.put(HOME, merge.to()), moved -> {
            var store = merge.store();
            String paymentId = moved.path("id").asText();
            store.put(Items.json(pointer(PaymentItems.paymentPointer(merge.tenant(), paymentId), PaymentItems.POINTER, merge.to())));
            String receiptId = moved.path("receiptId").asText(null);
            if (receiptId != null) {
                store.put(Items.json(pointer(PaymentItems.receipt(merge.tenant(), receiptId), paymentId, merge.to())));
                if (PaymentStatus.parse(moved.path("status").asText()).filter(PaymentStatus::captured).isPresent()) {
                    String term = receiptId.toLowerCase(Locale.ROOT);
                    store.replace(Items.json(CustomerRepository.searchTerm(merge.tenant(), receiptId, merge.primaryId()).item()),
                            CustomerItems.searchPartition(merge.tenant(), term),
                            CustomerItems.searchSortKey(term, moved.path("customerId").asText()));
                }
            }
        });
    }

    static EnhancedDocument pointer(String partition, String sortKey, String home) {
        return Table.item().putString(Table.PK, partition).putString(Table.SK, sortKey)
                .putString(ENTITY, "paymentPointer").putString(HOME, home).build();
    }

    private List<Payment> batch(List<Key> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        var read = ReadBatch.builder(EnhancedDocument.class).mappedTableResource(table);
        keys.forEach(read::addGetItem);
        var found = new HashMap<String, Payment>();
        client.batchGetItem(r -> r.readBatches(read.build())).resultsForTable(table)
                .forEach(item -> found.put(item.getString(Table.SK), payment(item)));
        return keys.stream().map(k -> found.get(k.sortKeyValue().orElseThrow().s())).filter(p -> p != null).toList();
    }

    private static SavedCard savedCard(EnhancedDocument item) {
        return new SavedCard(Items.read(item, PaymentMethod.class, ITEM_ONLY), item.getString(CARD_TOKEN));
    }

    private static StoredPayment storedPayment(EnhancedDocument item) {
        return new StoredPayment(Items.read(item, Payment.class, ITEM_ONLY), item.getString(HOME),
                item.getString(CARD_TOKEN), item.getString(GATEWAY_REFERENCE));
    }

    private void write(TransactWriteItemsEnhancedRequest.Builder tx) {
        try {
            client.transactWriteItems(tx.build());
        } catch (TransactionCanceledException e) {
            throw conflictOr(e);
        }
    }

    /** {@code tx} and {@code more} after it in one transaction; a failed condition of one of {@code more} is {@link OtherFailed}. */
    private void write(TransactWriteItemsEnhancedRequest.Builder tx, List<TransactWriteItem> more) {
        if (more.isEmpty()) {
            write(tx);
            return;
        }
        var items = new ArrayList<>(tx.build().transactWriteItems());
        int own = items.size();
        items.addAll(more);
        try {
            dynamoDb.transactWriteItems(r -> r.transactItems(items));
        } catch (TransactionCanceledException e) {
            var reasons = e.cancellationReasons();
            for (int i = own; i < Math.min(reasons.size(), items.size()); i++) {
                if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                    throw new OtherFailed(i - own);
                }
            }
            throw conflictOr(e);
        }
    }

    private static RuntimeException conflictOr(TransactionCanceledException e) {
        boolean conditionFailed = e.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
        return conditionFailed ? new Conflict() : e;
    }

    private static Key key(String partition, String sort) {
        return Key.builder().partitionValue(partition).sortValue(sort).build();
    }

    private static Expression notExists() {
        return Expression.builder().expression("attribute_not_exists(PK)").build();
    }

    private static Expression exists() {
        return Expression.builder().expression("attribute_exists(PK)").build();
    }

    static Expression isVersion(long version) {
        return Expression.builder().expression("#v = :v")
                .putExpressionName("#v", "version")
                .putExpressionValue(":v", AttributeValue.fromN(Long.toString(version))).build();
    }
}
