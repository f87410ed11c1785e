package com.clientele.tiers;

import com.clientele.shared.Components;

/** How the tiers' parts are built from a function's {@link Components}, each once. */
public final class TiersWiring {

    private TiersWiring() {
    }

    static TierRepository repository(Components components) {
        return components.once(TierRepository.class, () -> new TierRepository(components.dynamoDb(), components.table()));
    }

    /** Tiers and journeys; also what the accrual asks of tiers ({@link com.clientele.loyalty.TierEarning}). */
    public static TierService tiers(Components components) {
        return components.once(TierService.class, () -> new TierService(repository(components), components.clock()));
    }

    /** The daily review: {@code TIER_REVIEW_PAGE_SIZE} customers a page, {@code TIER_REVIEW_LOOKBACK_DAYS} days back. */
    static TierReview review(Components components) {
        var env = components.env();
        return components.once(TierReview.class, () -> new TierReview(repository(components), tiers(components), components.clock(),
                Integer.parseInt(env.get("TIER_REVIEW_PAGE_SIZE", "100")), Integer.parseInt(env.get("TIER_REVIEW_LOOKBACK_DAYS", "7"))));
    }
}
