package com.clientele.orders;

import com.clientele.campaigns.CampaignWiring;
import com.clientele.catalogue.CatalogueWiring;
import com.clientele.customers.CustomersWiring;
import com.clientele.payments.PaymentsWiring;
import com.clientele.shared.Components;
import com.clientele.subscriptions.SubscriptionsWiring;

/** How the orders capability's parts are built from a function's {@link Components}, each once. */
public final class OrdersWiring {

    private OrdersWiring() {
    }

    public static OrderRepository repository(Components components) {
        return components.once(OrderRepository.class, () -> new OrderRepository(components.enhanced(), components.table()));
    }

    public static OrderService service(Components components) {
        return components.once(OrderService.class, () -> new OrderService(repository(components), CustomersWiring.service(components),
                CatalogueWiring.service(components), PaymentsWiring.service(components), SubscriptionsWiring.service(components),
                CampaignWiring.redemptions(components), components.cursors(), components.clock()));
    }
}
