package com.clientele.subscriptions;

import com.clientele.catalogue.CatalogueWiring;
import com.clientele.customers.CustomersWiring;
import com.clientele.payments.PaymentsWiring;
import com.clientele.shared.Components;

/** How the subscriptions' parts are built from a function's {@link Components}, each once. */
public final class SubscriptionsWiring {

    private SubscriptionsWiring() {
    }

    public static SubscriptionRepository repository(Components components) {
        return components.once(SubscriptionRepository.class,
                () -> new SubscriptionRepository(components.dynamoDb(), components.enhanced(), components.table(),
                        CustomersWiring.repository(components), BillingWiring.repository(components)::reminders));
    }

    /** The subscriptions' rules: what their routes call, and what orders start subscriptions with. */
    public static SubscriptionService service(Components components) {
        return components.once(SubscriptionService.class, () -> new SubscriptionService(repository(components),
                CatalogueWiring.service(components), CustomersWiring.repository(components), PaymentsWiring.repository(components),
                components.cursors(), components.clock()));
    }

    /** Buyouts: a charge through the payments' charge, then the subscription ended. */
    public static Buyouts buyouts(Components components) {
        return components.once(Buyouts.class, () -> new Buyouts(service(components), repository(components),
                PaymentsWiring.service(components), components.clock()));
    }
}
