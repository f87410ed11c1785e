package com.clientele.orders;

import com.clientele.shared.Keys;
import com.clientele.shared.Table.Index;
import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;

/**
 * The keys of orders. An order lives in its customer's partition ({@code ORD#<ord>}, newest last); a
 * pointer item ({@code T#<t>#ORDER#<ord>} / {@code POINTER}) names the customer whose partition holds it,
 * for {@code GET /orders/{id}}; GSI4 lists a tenant's orders by status ({@code T#<t>#ORDERS#<status>} /
 * {@code <ord>}: newest first read backwards), its keys moved with every change of status.
 */
public final class OrderItems {

    /** Sort-key prefix of a customer's orders (time-ordered ids after it). */
    public static final String ORDER = "ORD#";
    /** Sort key of the pointer item that says whose partition holds an order. */
    public static final String POINTER = "POINTER";

    private OrderItems() {
    }

    /** The item type of the customer's partition this declares (built once, when the registry loads). */
    public static ItemType itemType() {
        // An order: a merge moves it to the primary (its customerId and its pointer rewritten); the erasure removes
        // its billing and shipping addresses (what it sold, for how much and when stays: the ledger's lines).
        return ItemType.named("order").sortKey(SortKey.prefix(ORDER)).indexKeys(Index.GSI4.pk(), Index.GSI4.sk())
                .merge(MergePolicy.custom("orders", OrderRepository::moveIntoPrimary))
                .export(ExportPolicy.list("orders"))
                .erasure(ErasurePolicy.scrub(ErasurePolicy.Scrub.remove("billingAddress"), ErasurePolicy.Scrub.remove("shippingAddress")))
                .softDelete(SoftDeletePolicy.KEEP);
    }

    static String sortKey(String orderId) {
        return ORDER + orderId;
    }

    /** The partition of an order's pointer item. */
    static String pointer(String tenantId, String orderId) {
        return Keys.tenant(tenantId) + "#ORDER#" + orderId;
    }

    /** GSI4 partition of a tenant's orders of one status. */
    static String byStatus(String tenantId, OrderStatus status) {
        return Keys.tenant(tenantId) + "#ORDERS#" + status.value();
    }
}
