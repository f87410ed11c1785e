package com.clientele.subscriptions;

import com.clientele.shared.Components;

/** How recurring billing's parts (settings, renewals, dunning) are built from a function's {@link Components}, each once. */
public final class BillingWiring {

    private BillingWiring() {
    }

    public static BillingRepository repository(Components components) {
        return components.once(BillingRepository.class,
                () -> new BillingRepository(components.enhanced(), components.table(), components.clock()));
    }

    static BillingService billing(Components components) {
        return components.once(BillingService.class, () -> new BillingService(repository(components), components.clock()));
    }
}
