package com.clientele.loyalty;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * What the loyalty tiers ({@code com.clientele.tiers}) do at accrual: the extra points of the customer's
 * tier on what a payment earns, and the customer's tier looked at again once its points or spend changed.
 */
public interface TierEarning {

    /** The extra points of the customer's tier on {@code base} earned points; empty when its tier adds none (or it has none). */
    Optional<Bonus> bonus(String tenant, String customerId, long base);

    /** An entry of the customer was applied (or found applied): its tier goes up at once if it now qualifies. */
    void changed(String tenant, String customerId);

    /** {@code points} more, from tier {@code tierKey} ({@code tierName}) multiplying by {@code multiplier}. */
    record Bonus(String tierKey, String tierName, BigDecimal multiplier, long points) {
    }

    /** No tiers: nothing added, nothing looked at. */
    TierEarning NONE = new TierEarning() {
        @Override
        public Optional<Bonus> bonus(String tenant, String customerId, long base) {
            return Optional.empty();
        }

        @Override
        public void changed(String tenant, String customerId) {
        }
    };
}
