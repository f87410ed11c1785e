package com.clientele.campaigns;

import com.clientele.customers.CustomerRepository;
import com.clientele.customers.SegmentSettings;
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
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Campaigns in the tenant's campaigns partition ({@link CampaignItems}), each change conditioned on the
 * version read (or on the campaign being new), and the participations in customers' partitions.
 */
public final class CampaignRepository {

    private static final Set<String> ITEM_ONLY = Set.of("entity");
    private static final Expression IS_NEW = Expression.builder().expression("attribute_not_exists(PK)").build();

    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EnhancedDocument> table;
    private final CustomerRepository customers;

    public CampaignRepository(DynamoDbClient dynamoDb, DynamoDbEnhancedClient client, String tableName) {
        this.client = client;
        this.table = client.table(tableName, Table.SCHEMA);
        this.customers = new CustomerRepository(dynamoDb, tableName);
    }

    /** The campaign changed since it was read. */
    static final class Stale extends RuntimeException {
        Stale() {
            super(null, null, false, false);
        }
    }

    Optional<Campaign> find(String tenant, String campaignId) {
        var item = table.getItem(r -> r.key(key(CampaignItems.partition(tenant), CampaignItems.campaign(campaignId))).consistentRead(true));
        return Optional.ofNullable(item).map(CampaignRepository::campaign);
    }

    /** A page of the tenant's campaigns, newest first; only those of {@code status} when it is set. */
    Pages.Slice page(String tenant, String status, int limit, Map<String, String> after) {
        return Pages.read(table::query, null, campaigns(tenant), false, limit, after, status == null ? null : isStatus(status));
    }

    /**
     * The tenant's active campaigns: one Query of its campaigns partition (every page of it), keeping the
     * active ones. Eventually consistent: a campaign activated or paused is seen within about a second.
     */
    List<Campaign> active(String tenant) {
        var request = QueryEnhancedRequest.builder().queryConditional(campaigns(tenant)).filterExpression(isStatus(Campaign.ACTIVE)).build();
        var found = new ArrayList<Campaign>();
        table.query(request).items().forEach(item -> found.add(campaign(item)));
        return found;
    }

    static Campaign campaign(EnhancedDocument item) {
        return Items.read(item, Campaign.class, ITEM_ONLY);
    }

    /** A new campaign, with the completion of the request that made it. */
    void insert(String tenant, Campaign campaign, TransactPut completion) {
        write(TransactWriteItemsEnhancedRequest.builder().addPutItem(table, put(item(tenant, campaign), IS_NEW))
                .addPutItem(table, completion.request()));
    }

    /** The campaign as changed, if it is still at {@code before}'s version ({@link Stale} otherwise). */
    void replace(String tenant, Campaign before, Campaign after) {
        write(TransactWriteItemsEnhancedRequest.builder().addPutItem(table, put(item(tenant, after), Expression.builder()
                .expression("version = :v").putExpressionValue(":v", AttributeValue.fromN(Long.toString(before.version()))).build())));
    }

    // ---- what the accrual reads of a customer ------------------------------------------------------

    /** Whether the tenant has this customer, live. */
    boolean customerExists(String tenant, String customerId) {
        return customer(tenant, customerId).isPresent();
    }

    /** The tenant's live customer with this id, if there is one. */
    Optional<com.clientele.customers.Customer> customer(String tenant, String customerId) {
        return customers.find(tenant, customerId);
    }

    SegmentSettings segmentSettings(String tenant) {
        return customers.segmentSettings(tenant);
    }

    /** The payment that had the campaign's first-purchase bonus for this customer, if one had. */
    Optional<String> firstPurchasePayment(String tenant, String customerId, String campaignId) {
        var item = table.getItem(r -> r.key(key(Keys.customer(tenant, customerId), CampaignItems.participation(campaignId)))
                .consistentRead(true));
        return Optional.ofNullable(item).filter(i -> i.isPresent("firstPurchasePaymentId")).map(i -> i.getString("firstPurchasePaymentId"));
    }

    /**
     * The customer's participation in the campaign, credited {@code points} by payment {@code paymentId}
     * at {@code at}: an update for the accrual's transaction (adds, so it commutes with every other
     * credit). A first-purchase credit is refused if the participation has had one already: the accrual
     * then reads again and credits no second first-purchase bonus.
     */
    public static TransactWriteItem participationCredit(String tableName, String customerPk, String campaignId, long points,
                                                        boolean firstPurchase, String paymentId, Instant at) {
        var names = new HashMap<>(Map.of("#e", "entity", "#c", "campaignId", "#f", "firstCreditedAt", "#l", "lastCreditedAt",
                "#p", "points", "#n", "payments"));
        var values = new HashMap<>(Map.of(":e", AttributeValue.fromS("campaignParticipation"), ":c", AttributeValue.fromS(campaignId),
                ":at", AttributeValue.fromS(at.toString()), ":p", AttributeValue.fromN(Long.toString(points)),
                ":one", AttributeValue.fromN("1")));
        String set = "SET #e = :e, #c = :c, #f = if_not_exists(#f, :at), #l = :at";
        var update = Update.builder().tableName(tableName)
                .key(Map.of(Table.PK, AttributeValue.fromS(customerPk), Table.SK, AttributeValue.fromS(CampaignItems.participation(campaignId))));
        if (firstPurchase) {
            names.put("#fp", "firstPurchasePaymentId");
            values.put(":pay", AttributeValue.fromS(paymentId));
            set += ", #fp = :pay";
            update.conditionExpression("attribute_not_exists(#fp)");
        }
        return TransactWriteItem.builder().update(update.updateExpression(set + " ADD #p :p, #n :one")
                .expressionAttributeNames(names).expressionAttributeValues(values).build()).build();
    }

    private static QueryConditional campaigns(String tenant) {
        return QueryConditional.sortBeginsWith(k -> k.partitionValue(CampaignItems.partition(tenant)).sortValue(CampaignItems.CAMPAIGN));
    }

    private static Expression isStatus(String status) {
        return Expression.builder().expression("#s = :s").putExpressionName("#s", "status")
                .putExpressionValue(":s", AttributeValue.fromS(status)).build();
    }

    private void write(TransactWriteItemsEnhancedRequest.Builder tx) {
        try {
            client.transactWriteItems(tx.build());
        } catch (TransactionCanceledException e) {
            throw new Stale();
        }
    }

    private static EnhancedDocument item(String tenant, Campaign campaign) {
        ObjectNode json = Items.attributes(campaign);
        json.put(Table.PK, CampaignItems.partition(tenant)).put(Table.SK, CampaignItems.campaign(campaign.id())).put("entity", "campaign");
        return Items.document(json);
    }

    private static TransactPutItemEnhancedRequest<EnhancedDocument> put(EnhancedDocument item, Expression condition) {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item).conditionExpression(condition).build();
    }

    private static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }
}
