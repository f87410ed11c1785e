package com.clientele.billinggroups;

import com.clientele.shared.Keys;
import com.clientele.shared.Table;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The keys of billing groups, declared once:
 * <ul>
 *   <li>a group: {@code T#<t>#BILLINGGROUPS} / {@code BG#<bg>}, in the tenant's groups partition (a tenant
 *   item holding no personal data: its payer is named by id, so no customer's merge, export, erasure or
 *   delete reaches it);</li>
 *   <li>its members (GSI7, sparse): {@code T#<t>#BG#<bg>} / {@code <cus>} on the profile of each live customer
 *   whose {@code billingGroupId} names the group; the profile is the only record of membership;</li>
 *   <li>a period of the group (a calendar month, UTC): {@code T#<t>#BGPERIOD#<bg>#<yyyy-MM>} / {@code PERIOD}, made
 *   with its first line, {@code closedAt} once its invoice is being made, {@code invoiceId} once made; while it is
 *   not invoiced it is in the due index (GSI2, sparse): {@code BGDUE#OPEN} / {@code <yyyy-MM>#<t>#<bg>};</li>
 *   <li>its pending lines, in the same partition: {@code LINE#<sub>#<period, six digits>}, one per member
 *   subscription's period billed to the group ({@link GroupLine}), written with the subscription's advance.</li>
 * </ul>
 */
public final class BillingGroupItems {

    static final String GROUP = "BG#";

    private BillingGroupItems() {
    }

    static String partition(String tenantId) {
        return Keys.tenant(tenantId) + "#BILLINGGROUPS";
    }

    static Key key(String tenantId, String groupId) {
        return Key.builder().partitionValue(partition(tenantId)).sortValue(GROUP + groupId).build();
    }

    static final String PERIOD = "PERIOD";
    static final String LINE = "LINE#";
    /** GSI2 partition key of the group periods not invoiced yet. */
    static final String DUE = "BGDUE#OPEN";

    static String period(String tenantId, String groupId, String month) {
        return Keys.tenant(tenantId) + "#BGPERIOD#" + groupId + "#" + month;
    }

    static String line(String subscriptionId, int period) {
        return LINE + subscriptionId + "#" + "%06d".formatted(period);
    }

    /** GSI2 sort key of a group period not invoiced yet: by month, then tenant and group. */
    static String due(String tenantId, String groupId, String month) {
        return month + "#" + tenantId + "#" + groupId;
    }

    /** GSI7 partition key of a group's members (on their profiles). */
    public static String members(String tenantId, String groupId) {
        return Keys.tenant(tenantId) + "#BG#" + groupId;
    }

    /**
     * A check, for the transaction that makes a customer a member, that the group exists and, when
     * {@code currency} is given (the customer's, fixed by its first charge), invoices in it.
     */
    public static ConditionCheck<EnhancedDocument> joinable(String tenantId, String groupId, String currency) {
        var condition = Expression.builder().expression(currency == null ? "attribute_exists(#pk)" : "attribute_exists(#pk) AND #c = :c")
                .putExpressionName("#pk", Table.PK);
        if (currency != null) {
            condition.putExpressionName("#c", "currency").putExpressionValue(":c", AttributeValue.fromS(currency));
        }
        return ConditionCheck.builder().key(key(tenantId, groupId)).conditionExpression(condition.build()).build();
    }
}
