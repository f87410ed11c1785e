package com.clientele.campaigns;

import com.clientele.customers.CustomerRepository;
import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.TransactPut;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Coupon codes in partitions of their own and the customers' coupons and redemptions in their
 * partitions ({@link CouponItems}): the only code that knows their keys and expressions.
 */
public final class CouponRepository {

    static final String ENTITY = "entity";
    /** The code item's copy of its total limit, which a redemption's condition compares its uses to. */
    static final String LIMIT = "maxRedemptions";
    private static final Set<String> ITEM_ONLY = Set.of(ENTITY, LIMIT);
    private static final Expression IS_NEW = Expression.builder().expression("attribute_not_exists(PK)").build();

    private final DynamoDbClient dynamoDb;
    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EnhancedDocument> table;
    private final String tableName;

    public CouponRepository(DynamoDbClient dynamoDb, DynamoDbEnhancedClient client, String tableName) {
        this.dynamoDb = dynamoDb;
        this.client = client;
        this.table = client.table(tableName, Table.SCHEMA);
        this.tableName = tableName;
    }

    /** The code is the tenant's already. */
    static final class CodeTaken extends RuntimeException {
        CodeTaken() {
            super(null, null, false, false);
        }
    }

    /** The customer is not live (deleted or merged) any more. */
    static final class NotLive extends RuntimeException {
        NotLive() {
            super(null, null, false, false);
        }
    }

    Optional<Coupon> find(String tenant, String code) {
        var item = table.getItem(r -> r.key(k -> k.partitionValue(CouponItems.code(tenant, code)).sortValue(CouponItems.COUPON))
                .consistentRead(true));
        return Optional.ofNullable(item).map(i -> Items.read(i, Coupon.class, ITEM_ONLY));
    }

    /** A code and what a customer has of it, read together (one BatchGetItem, consistent). */
    record CodeAndCustomer(Optional<Coupon> coupon, Optional<CustomerCoupon> customerCoupon) {
    }

    CodeAndCustomer findFor(String tenant, String code, String customerId) {
        var codeKey = key(CouponItems.code(tenant, code), CouponItems.COUPON);
        var customerKey = key(Keys.customer(tenant, customerId), CouponItems.customerCoupon(code));
        var read = dynamoDb.batchGetItem(r -> r.requestItems(Map.of(tableName,
                KeysAndAttributes.builder().keys(codeKey, customerKey).consistentRead(true).build())));
        Coupon coupon = null;
        CustomerCoupon mine = null;
        for (var item : read.responses().getOrDefault(tableName, List.of())) {
            if (CouponItems.COUPON.equals(item.get(Table.SK).s())) {
                coupon = Items.read(item, Coupon.class, ITEM_ONLY);
            } else {
                mine = Items.read(item, CustomerCoupon.class, ITEM_ONLY);
            }
        }
        // both keys are small items: a batch of two is never left unprocessed but under throttling, read one by one then
        if (!read.unprocessedKeys().isEmpty()) {
            return new CodeAndCustomer(find(tenant, code), customerCoupon(tenant, customerId, code));
        }
        return new CodeAndCustomer(Optional.ofNullable(coupon), Optional.ofNullable(mine));
    }

    Optional<CustomerCoupon> customerCoupon(String tenant, String customerId, String code) {
        var item = table.getItem(r -> r.key(k -> k.partitionValue(Keys.customer(tenant, customerId))
                .sortValue(CouponItems.customerCoupon(code))).consistentRead(true));
        return Optional.ofNullable(item).map(i -> Items.read(i, CustomerCoupon.class, ITEM_ONLY));
    }

    /**
     * A new code, and the customer's coupon when it is given to one (on condition that the customer is
     * live), with the completion of the request that made it: {@link CodeTaken} when the tenant has the
     * code already, {@link NotLive} when the customer is gone.
     */
    void insert(String tenant, Coupon coupon, CustomerCoupon given, TransactPut completion) {
        var tx = TransactWriteItemsEnhancedRequest.builder().addPutItem(table, put(codeItem(tenant, coupon)));
        if (given != null) {
            tx.addPutItem(table, put(customerCouponItem(tenant, coupon, given)))
                    .addConditionCheck(table, CustomerRepository.liveCheck(tenant, coupon.customerId()));
        }
        if (completion != null) {
            tx.addPutItem(table, completion.request());
        }
        if (given != null) {
            // the campaign's marker on the customer, unconditional: a later coupon run skips them
            tx.addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                    .item(givenItem(tenant, coupon, null)).build());
        }
        try {
            client.transactWriteItems(tx.build());
        } catch (TransactionCanceledException e) {
            var reasons = e.cancellationReasons();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                throw new CodeTaken();
            }
            if (given != null && reasons.size() > 2 && "ConditionalCheckFailed".equals(reasons.get(2).code())) {
                throw new NotLive();
            }
            throw e;
        }
    }

    /** What became of a coupon run's coupon for one customer. */
    enum Gift {
        /** Made now, or by an earlier delivery of this run's step that died before its record. */
        MADE,
        /** The customer has a coupon of the campaign already (from another run, or generated for them). */
        HAD_ONE,
        /** The customer is not live (deleted, merged, or never was). */
        NOT_LIVE
    }

    /**
     * Coupon run {@code runId}'s coupon for its customer, made at most once per campaign and customer: the
     * code, the customer's coupon and the campaign's marker on the customer ({@link CouponItems#given}) in
     * one transaction, the marker on condition that it is new and the customer live. When the marker exists,
     * it is read to tell this run's own earlier gift (a step that died before recording its page) from
     * another's. {@link CodeTaken} when the tenant has the code already (draw another).
     */
    Gift give(String tenant, Coupon coupon, CustomerCoupon given, String runId) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, put(codeItem(tenant, coupon)))
                .addPutItem(table, put(customerCouponItem(tenant, coupon, given)))
                .addPutItem(table, put(givenItem(tenant, coupon, runId)))
                .addConditionCheck(table, CustomerRepository.liveCheck(tenant, coupon.customerId()));
        try {
            client.transactWriteItems(tx.build());
            return Gift.MADE;
        } catch (TransactionCanceledException e) {
            var reasons = e.cancellationReasons();
            if (failed(reasons, 2)) {
                var marker = table.getItem(r -> r.key(k -> k.partitionValue(Keys.customer(tenant, coupon.customerId()))
                        .sortValue(CouponItems.given(coupon.campaignId()))).consistentRead(true));
                return marker != null && runId.equals(marker.getString("runId")) ? Gift.MADE : Gift.HAD_ONE;
            }
            if (failed(reasons, 3)) {
                return Gift.NOT_LIVE;
            }
            if (failed(reasons, 0)) {
                throw new CodeTaken();
            }
            throw e;
        }
    }

    private static boolean failed(List<software.amazon.awssdk.services.dynamodb.model.CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static EnhancedDocument codeItem(String tenant, Coupon coupon) {
        ObjectNode json = Items.attributes(coupon);
        json.put(Table.PK, CouponItems.code(tenant, coupon.code())).put(Table.SK, CouponItems.COUPON).put(ENTITY, "coupon");
        if (coupon.terms().maxRedemptions() != null) {
            json.put(LIMIT, coupon.terms().maxRedemptions());
        }
        return Items.document(json);
    }

    private static EnhancedDocument customerCouponItem(String tenant, Coupon coupon, CustomerCoupon given) {
        ObjectNode mine = Items.attributes(given);
        mine.remove("status");
        mine.put(Table.PK, Keys.customer(tenant, coupon.customerId())).put(Table.SK, CouponItems.customerCoupon(coupon.code()))
                .put(ENTITY, "customerCoupon");
        return Items.document(mine);
    }

    /** The campaign's marker on the customer: which code, given when, by which run (none: generated by hand). */
    private static EnhancedDocument givenItem(String tenant, Coupon coupon, String runId) {
        ObjectNode json = com.clientele.shared.Json.MAPPER.createObjectNode();
        json.put(Table.PK, Keys.customer(tenant, coupon.customerId())).put(Table.SK, CouponItems.given(coupon.campaignId()))
                .put(ENTITY, "couponGiven").put("campaignId", coupon.campaignId()).put("code", coupon.code())
                .put("givenAt", coupon.createdAt().toString());
        if (runId != null) {
            json.put("runId", runId);
        }
        return Items.document(json);
    }

    /** A page of the customer's coupons, by code. */
    Pages.Slice customerCoupons(String tenant, String customerId, int limit, Map<String, String> after) {
        var condition = QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId))
                .sortValue(CouponItems.CUSTOMER_COUPON));
        return Pages.read(table::query, null, condition, true, limit, after, null);
    }

    static CustomerCoupon customerCoupon(EnhancedDocument item) {
        return Items.read(item, CustomerCoupon.class, ITEM_ONLY);
    }

    // ---- redemptions: writes for the payment's transactions ----------------------------------------

    /** The state of a redemption: a use {@code held} by a pending charge, then {@code redeemed} or {@code released}; {@code returned} by a whole refund. */
    static final String HELD = "held";
    static final String REDEEMED = "redeemed";
    static final String RELEASED = "released";
    static final String RETURNED = "returned";

    /**
     * One use of {@code coupon} by payment {@code redemption.paymentId} (or invoice {@code redemption.invoiceId}): the code's count (on condition that
     * it is under the code's {@code maxRedemptions}), the customer's coupon (made for a shared code's first use;
     * on condition that their uses are under the terms' per-customer limit; none for a guest, whose
     * redemption is kept in the code's partition), and the redemption (new). A failed condition is the index
     * of its write: 0 the code's limit, then the customer's (1, none for a guest), last the payment's.
     */
    List<TransactWriteItem> take(String tenant, String customerId, Coupon coupon, CouponRedemption redemption) {
        var writes = new ArrayList<TransactWriteItem>();
        writes.add(update(key(CouponItems.code(tenant, coupon.code()), CouponItems.COUPON),
                "ADD #r :one", "attribute_exists(PK) AND (attribute_not_exists(#max) OR #r < #max)",
                Map.of("#r", "redemptions", "#max", LIMIT), Map.of(":one", AttributeValue.fromN("1"))));
        if (customerId != null) {
            var names = new HashMap<String, String>(Map.of("#e", ENTITY, "#code", "code", "#cmp", "campaignId", "#t", "terms", "#g", "given",
                    "#u", "uses", "#p", "maxRedemptionsPerCustomer"));
            String lastUse = "";
            if (redemption.invoiceId() != null) {
                // an invoice's use is redeemed as it is taken: the customer's coupon says so now
                names.putAll(Map.of("#at", "lastUsedAt", "#inv", "lastInvoiceId"));
                lastUse = ", #at = :at, #inv = :inv";
            }
            var values = new HashMap<String, AttributeValue>(Map.of(":e", AttributeValue.fromS("customerCoupon"),
                    ":code", AttributeValue.fromS(coupon.code()), ":cmp", AttributeValue.fromS(coupon.campaignId()),
                    ":t", AttributeValue.fromM(Items.document(Items.attributes(coupon.terms())).toMap()), ":no", AttributeValue.fromBool(false),
                    ":one", AttributeValue.fromN("1")));
            if (redemption.invoiceId() != null) {
                values.put(":at", AttributeValue.fromS(redemption.redeemedAt().toString()));
                values.put(":inv", AttributeValue.fromS(redemption.invoiceId()));
            }
            writes.add(update(key(Keys.customer(tenant, customerId), CouponItems.customerCoupon(coupon.code())),
                    "SET #e = if_not_exists(#e, :e), #code = if_not_exists(#code, :code), #cmp = if_not_exists(#cmp, :cmp), "
                            + "#t = if_not_exists(#t, :t), #g = if_not_exists(#g, :no)" + lastUse + " ADD #u :one",
                    "attribute_not_exists(#u) OR #u < #t.#p", names, values));
        }
        ObjectNode json = Items.attributes(redemption);
        json.put(Table.PK, home(tenant, customerId, coupon.code())).put(Table.SK, CouponItems.redemption(redemption.useId()))
                .put(ENTITY, "couponRedemption");
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(Items.document(json).toMap())
                .conditionExpression("attribute_not_exists(PK)").build()).build());
        return writes;
    }

    /** Where a redemption is kept: in its customer's partition, or a guest's in the code's. */
    private static String home(String tenant, String customerId, String code) {
        return customerId == null ? CouponItems.code(tenant, code) : Keys.customer(tenant, customerId);
    }

    /**
     * The use held by payment {@code paymentId} confirmed (the customer's coupon records the use: when, which
     * payment, which store) or released (both counts back by one); on condition that it is still held.
     */
    List<TransactWriteItem> settle(String tenant, String customerId, String code, String paymentId, String storeId, boolean succeeded,
                                   Instant at) {
        var writes = new ArrayList<TransactWriteItem>();
        writes.add(moved(tenant, customerId, code, paymentId, HELD, succeeded ? REDEEMED : RELEASED, at));
        if (succeeded && customerId != null) {
            var names = new HashMap<String, String>(Map.of("#at", "lastUsedAt", "#pay", "lastPaymentId", "#s", "lastStoreId"));
            var values = new HashMap<String, AttributeValue>(Map.of(":at", AttributeValue.fromS(at.toString()),
                    ":pay", AttributeValue.fromS(paymentId)));
            String set = "SET #at = :at, #pay = :pay";
            if (storeId != null) {
                values.put(":s", AttributeValue.fromS(storeId));
                set += ", #s = :s";
            } else {
                set += " REMOVE #s";
            }
            writes.add(update(key(Keys.customer(tenant, customerId), CouponItems.customerCoupon(code)), set, null, names, values));
        } else if (!succeeded) {
            writes.addAll(giveBack(tenant, customerId, code));
        }
        return writes;
    }

    /** Gives back the use of a redeemed payment, once: false when it was given back already (or never redeemed). */
    boolean giveBack(String tenant, String customerId, String code, String paymentId, Instant at) {
        var writes = returned(tenant, customerId, code, paymentId, at);
        try {
            dynamoDb.transactWriteItems(r -> r.transactItems(writes));
            return true;
        } catch (TransactionCanceledException e) {
            if (!e.cancellationReasons().isEmpty() && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
                return false;
            }
            throw e;
        }
    }

    /**
     * The writes that give back the use redeemed by payment or invoice {@code useId}: the redemption {@code returned}
     * (on condition that it is redeemed: once) and both counts back by one.
     */
    List<TransactWriteItem> returned(String tenant, String customerId, String code, String useId, Instant at) {
        var writes = new ArrayList<TransactWriteItem>();
        writes.add(moved(tenant, customerId, code, useId, REDEEMED, RETURNED, at));
        writes.addAll(giveBack(tenant, customerId, code));
        return writes;
    }

    /** Both counts back by one: the code's, and the customer's coupon's (none for a guest). */
    private List<TransactWriteItem> giveBack(String tenant, String customerId, String code) {
        var minusOne = Map.of(":minus", AttributeValue.fromN("-1"));
        var codeCount = update(key(CouponItems.code(tenant, code), CouponItems.COUPON), "ADD #r :minus", null, Map.of("#r", "redemptions"),
                minusOne);
        return customerId == null ? List.of(codeCount) : List.of(codeCount,
                update(key(Keys.customer(tenant, customerId), CouponItems.customerCoupon(code)), "ADD #u :minus", null,
                        Map.of("#u", "uses"), minusOne));
    }

    private TransactWriteItem moved(String tenant, String customerId, String code, String paymentId, String from, String to, Instant at) {
        return update(key(home(tenant, customerId, code), CouponItems.redemption(paymentId)), "SET #s = :to, #at = :at", "#s = :from",
                Map.of("#s", "status", "#at", to + "At"), Map.of(":to", AttributeValue.fromS(to), ":from", AttributeValue.fromS(from),
                        ":at", AttributeValue.fromS(at.toString())));
    }

    private TransactWriteItem update(Map<String, AttributeValue> key, String expression, String condition, Map<String, String> names,
                                     Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().update(Update.builder().tableName(tableName).key(key).updateExpression(expression)
                .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values).build()).build();
    }

    private static TransactPutItemEnhancedRequest<EnhancedDocument> put(EnhancedDocument item) {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item).conditionExpression(IS_NEW).build();
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(Table.PK, AttributeValue.fromS(pk), Table.SK, AttributeValue.fromS(sk));
    }
}
