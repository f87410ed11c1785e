package com.clientele.relationship;

import com.clientele.customers.CustomersWiring;
import com.clientele.exports.ExportsWiring;
import com.clientele.invoices.InvoiceFilesWiring;
import com.clientele.loyalty.LoyaltyWiring;
import com.clientele.ltv.LtvWiring;
import com.clientele.ltv.RecomputeService;
import com.clientele.payments.PaymentsWiring;
import com.clientele.shared.Components;
import com.clientele.shared.items.ItemRegistry;
import com.clientele.webhooks.StoredEvents;

/** How the relationship capability's parts are built from a function's {@link Components}, each once. */
public final class RelationshipWiring {

    private RelationshipWiring() {
    }

    static NoteService notes(Components components) {
        return components.once(NoteService.class, () -> new NoteService(new NoteRepository(components.enhanced(), components.table()),
                CustomersWiring.repository(components), components.cursors(), components.clock()));
    }

    static ActivityFeed activities(Components components) {
        return components.once(ActivityFeed.class, () -> new ActivityFeed(components.enhanced(), components.table(),
                CustomersWiring.repository(components), components.cursors()));
    }

    static PrivacyService privacy(Components components) {
        return components.once(PrivacyService.class, () -> new PrivacyService(
                new PrivacyRepository(components.enhanced(), components.table()), CustomersWiring.repository(components),
                outside(components), components.clock()));
    }

    /** What the erasure reaches outside the customer's partition: saved cards at the gateway, stored responses, export files, stored events. */
    public static PrivacyService.Outside outside(Components components) {
        return components.once(PrivacyService.Outside.class, () -> new PrivacyService.Outside(PaymentsWiring.gateway(components),
                components.idempotency(), ExportsWiring.purge(components), InvoiceFilesWiring.files(components),
                new StoredEvents(components.enhanced(), components.table())));
    }

    static MergeService merges(Components components) {
        return components.once(MergeService.class, () -> merges(components, CustomerPartition.TYPES, MergeService.Checkpoint.NONE));
    }

    /** A merge service over the item types of {@code types} (a test adds one of its own), calling {@code checkpoint} between its steps (a test stops a merge half-way). */
    public static MergeService merges(Components components, ItemRegistry types, MergeService.Checkpoint checkpoint) {
        return new MergeService(types, new MergeRepository(components.dynamoDb(), components.enhanced(), components.table()),
                CustomersWiring.repository(components), LoyaltyWiring.repository(components),
                RecomputeService.countingEverything(LtvWiring.repository(components), components.clock()),
                components.clock(), checkpoint);
    }
}
