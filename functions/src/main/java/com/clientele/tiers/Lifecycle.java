package com.clientele.tiers;

import com.clientele.customers.CustomerTier;
import java.time.Instant;
import java.util.List;

/**
 * A customer's lifecycle item: its tier ({@code overrideReason} when a user set it), its stage and the
 * journeys it is in now, the day it is to be reviewed next ({@code reviewOn}, UTC; null: not in the
 * review index) and a version that moves with every write (a write is refused unless it is still at the
 * version it was computed from, so each change is written once).
 */
record Lifecycle(CustomerTier tier, String overrideReason, String stage, List<String> journeys, String reviewOn,
                 long version, Instant updatedAt) {

    static final Lifecycle NONE = new Lifecycle(null, null, null, List.of(), null, 0, null);

    Lifecycle {
        journeys = journeys == null ? List.of() : List.copyOf(journeys);
    }
}
