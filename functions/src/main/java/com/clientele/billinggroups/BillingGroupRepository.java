package com.clientele.billinggroups;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.shared.Activity;
import com.clientele.shared.Items;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.Table.Index;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Billing groups in the table ({@link BillingGroupItems}): a group is written new or at the version read;
 * a customer joins or leaves one with its profile written at the version read, and, to join, a check that
 * the group exists in the customer's currency, in one transaction.
 */
public final class BillingGroupRepository {

    private static final Set<String> ITEM_ONLY = Set.of("entity");

    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EnhancedDocument> table;
    private final CustomerRepository customers;

    public BillingGroupRepository(DynamoDbEnhancedClient client, String tableName, CustomerRepository customers) {
        this.client = client;
        this.table = client.table(tableName, Table.SCHEMA);
        this.customers = customers;
    }

    /** A write refused because what it was conditioned on changed. */
    static final class Stale extends RuntimeException {
        Stale() {
            super(null, null, false, false);
        }
    }

    Optional<BillingGroup> find(String tenant, String groupId) {
        return Optional.ofNullable(table.getItem(r -> r.key(BillingGroupItems.key(tenant, groupId)).consistentRead(true)))
                .map(BillingGroupRepository::group);
    }

    /** The tenant's groups, oldest first (time-ordered ids). */
    Pages.Slice list(String tenant, int limit, Map<String, String> after) {
        return Pages.read(table::query, null, QueryConditional.sortBeginsWith(k -> k.partitionValue(BillingGroupItems.partition(tenant))
                .sortValue(BillingGroupItems.GROUP)), true, limit, after, null);
    }

    /** The group's members, by customer id (GSI7: their profiles, eventually consistent). */
    Pages.Slice members(String tenant, String groupId, int limit, Map<String, String> after) {
        return Pages.read(table.index(Index.GSI7.name())::query, Index.GSI7, QueryConditional.keyEqualTo(k -> k.partitionValue(
                BillingGroupItems.members(tenant, groupId))), true, limit, after, null);
    }

    void create(String tenant, BillingGroup group) {
        table.putItem(r -> r.item(item(tenant, group)).conditionExpression(Expression.builder()
                .expression("attribute_not_exists(#pk)").putExpressionName("#pk", Table.PK).build()));
    }

    /** The group as changed, if it is still at {@code before}'s version ({@link Stale} if not). */
    void replace(String tenant, BillingGroup before, BillingGroup after) {
        try {
            table.putItem(r -> r.item(item(tenant, after)).conditionExpression(Expression.builder().expression("version = :v")
                    .putExpressionValue(":v", AttributeValue.fromN(Long.toString(before.version()))).build()));
        } catch (ConditionalCheckFailedException e) {
            throw new Stale();
        }
    }

    /**
     * The customer's membership changed from {@code before} to {@code after} (joining: the group must still
     * exist in the customer's currency), with its activity; {@link Stale} when the profile moved or the check failed.
     */
    void changeMembership(String tenant, Customer before, Customer after, Activity activity) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, customers.profileUpdate(tenant, before, after))
                .addPutItem(table, activity.put(tenant, after.id()));
        if (after.billingGroupId() != null) {
            tx.addConditionCheck(table, BillingGroupItems.joinable(tenant, after.billingGroupId(), after.currency()));
        }
        try {
            client.transactWriteItems(tx.build());
        } catch (TransactionCanceledException e) {
            throw new Stale();
        }
    }

    static BillingGroup group(EnhancedDocument item) {
        return Items.read(item, BillingGroup.class, ITEM_ONLY);
    }

    static List<Customer> live(List<EnhancedDocument> items) {
        return items.stream().flatMap(item -> CustomerRepository.live(item).stream()).toList();
    }

    private static EnhancedDocument item(String tenant, BillingGroup group) {
        ObjectNode json = Items.attributes(group);
        json.put(Table.PK, BillingGroupItems.partition(tenant)).put(Table.SK, BillingGroupItems.GROUP + group.id())
                .put("entity", "billingGroup");
        return Items.document(json);
    }
}
