package com.clientele.relationship;

import com.clientele.campaigns.CampaignItems;
import com.clientele.campaigns.CouponItems;
import com.clientele.customers.CustomerItems;
import com.clientele.invoices.InvoiceItems;
import com.clientele.loyalty.LoyaltyItems;
import com.clientele.messages.CommunicationItems;
import com.clientele.orders.OrderItems;
import com.clientele.payments.PaymentItems;
import com.clientele.shared.Activity;
import com.clientele.shared.events.AppliedEntries;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.items.ItemRegistry;
import com.clientele.subscriptions.SubscriptionItems;
import java.util.ArrayList;

/**
 * Every item type of a customer's partition ({@code Keys.customer}), as each capability declares
 * them (each capability's {@code types()}): what the merge, the data export, the erasure and the
 * soft delete walk. Validated when loaded: no two types' sort-key shapes overlap.
 */
public final class CustomerPartition {

    public static final ItemRegistry TYPES = registry();

    private CustomerPartition() {
    }

    private static ItemRegistry registry() {
        var types = new ArrayList<>(CustomerItems.types());
        types.addAll(PaymentItems.types());
        types.addAll(LoyaltyItems.types());
        types.add(CampaignItems.participationType());
        types.addAll(com.clientele.tiers.TierItems.types());
        types.addAll(CouponItems.types());
        types.addAll(RelationshipItems.types());
        types.add(SubscriptionItems.type());
        types.add(OrderItems.itemType());
        types.add(InvoiceItems.itemType());
        types.add(Activity.itemType());
        types.add(AppliedEntries.itemType());
        types.add(Outbox.itemType());
        types.addAll(CommunicationItems.types());
        return new ItemRegistry(types);
    }
}
