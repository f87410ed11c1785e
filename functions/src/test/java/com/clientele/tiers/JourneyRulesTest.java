package com.clientele.tiers;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerStats;
import com.clientele.customers.CustomerType;
import com.clientele.customers.SegmentSettings;
import com.clientele.shared.Money;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JourneyRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final SegmentSettings SETTINGS = SegmentSettings.DEFAULTS; // at risk after 30 days, loyal from 3 orders, new for 30 days

    private static Customer customer(int createdDaysAgo, long orders, Integer firstDaysAgo, Integer lastDaysAgo, Integer failedDaysAgo) {
        var stats = new CustomerStats(new Money(orders * 1000, "USD"), orders, Money.zero("USD"), ago(firstDaysAgo), ago(lastDaysAgo),
                null, Money.zero("USD"), failedDaysAgo == null ? 0 : 1, ago(failedDaysAgo), orders > 1);
        return Customer.builder().id("cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF").type(CustomerType.INDIVIDUAL).firstName("A").lastName("B")
                .stats(stats).createdAt(ago(createdDaysAgo)).updatedAt(NOW).build();
    }

    private static Instant ago(Integer days) {
        return days == null ? null : NOW.minus(Duration.ofDays(days));
    }

    @Test
    void eachCustomerIsInTheFirstStageThatApplies() {
        assertThat(JourneyRules.stage(customer(2, 0, null, null, null), SETTINGS, NOW)).isEqualTo(JourneyRules.NEW);
        assertThat(JourneyRules.stage(customer(200, 0, null, null, null), SETTINGS, NOW)).isNull();
        assertThat(JourneyRules.stage(customer(200, 1, 5, 5, null), SETTINGS, NOW)).isEqualTo(JourneyRules.NEW);
        assertThat(JourneyRules.stage(customer(200, 1, 50, 10, null), SETTINGS, NOW)).isEqualTo(JourneyRules.ACTIVE);
        assertThat(JourneyRules.stage(customer(200, 3, 50, 10, null), SETTINGS, NOW)).isEqualTo(JourneyRules.LOYAL);
        assertThat(JourneyRules.stage(customer(200, 3, 50, 10, 2), SETTINGS, NOW)).isEqualTo(JourneyRules.AT_RISK);
        assertThat(JourneyRules.stage(customer(200, 3, 90, 40, null), SETTINGS, NOW)).isEqualTo(JourneyRules.AT_RISK);
        assertThat(JourneyRules.stage(customer(200, 3, 90, 61, null), SETTINGS, NOW)).isEqualTo(JourneyRules.LAPSED);
        // a failed payment alone does not make a customer who never bought at risk
        assertThat(JourneyRules.stage(customer(2, 0, null, null, 1), SETTINGS, NOW)).isEqualTo(JourneyRules.NEW);
    }

    @Test
    void journeysAreTheStageAndTheSegments() {
        assertThat(JourneyRules.journeys(customer(200, 3, 50, 10, null), SETTINGS, NOW)).containsExactly("loyal", "segment:loyal");
        assertThat(JourneyRules.journeys(customer(200, 0, null, null, null), SETTINGS, NOW)).isEmpty();
    }

    @Test
    void theNextChangeIsTheFirstMomentTimeAloneMovesThem() {
        // bought 10 days ago: at risk in 20 days (the "new" of its creation and first purchase has passed)
        assertThat(JourneyRules.nextChange(customer(200, 1, 50, 10, null), SETTINGS, NOW)).isEqualTo(NOW.plus(Duration.ofDays(20)));
        assertThat(JourneyRules.nextChange(customer(2, 0, null, null, null), SETTINGS, NOW)).isEqualTo(NOW.plus(Duration.ofDays(28)));
        assertThat(JourneyRules.nextChange(customer(200, 1, 100, 70, null), SETTINGS, NOW)).isNull();
    }
}
