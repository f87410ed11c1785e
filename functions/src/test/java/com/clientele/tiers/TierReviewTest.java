package com.clientele.tiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.clientele.shared.Keys.CustomerKey;
import com.clientele.shared.jobs.Budget;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TierReviewTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:45:00Z");

    private final TierRepository repository = mock(TierRepository.class);
    private final TierService tiers = mock(TierService.class);
    private final TierReview review = new TierReview(repository, tiers, Clock.fixed(NOW, ZoneOffset.UTC), 100, 2);

    @Test
    void oneBadCustomerNeverStopsTheRunAndReadsOnlyTheDueDays() {
        var a = new CustomerKey("acme", "cus_A");
        var bad = new CustomerKey("acme", "cus_B");
        var c = new CustomerKey("other", "cus_C");
        when(repository.due(any(), anyInt(), any(), anyInt())).thenReturn(new TierRepository.ReviewPage(List.of(), null));
        when(repository.due(eq(LocalDate.parse("2026-11-30")), eq(3), any(), anyInt()))
                .thenReturn(new TierRepository.ReviewPage(List.of(a, bad), Map.of("k", "v")));
        when(repository.due(eq(LocalDate.parse("2026-11-30")), eq(3), eq(Map.of("k", "v")), anyInt()))
                .thenReturn(new TierRepository.ReviewPage(List.of(c), null));
        when(tiers.evaluate("acme", "cus_A", true)).thenReturn(TierService.Outcome.CHANGED);
        when(tiers.evaluate("acme", "cus_B", true)).thenThrow(new IllegalStateException("boom"));
        when(tiers.evaluate("other", "cus_C", true)).thenReturn(TierService.Outcome.UNCHANGED);

        var result = review.run(null, null, Budget.unlimited());

        assertThat(result.reviewed()).isEqualTo(3);
        assertThat(result.changed()).isEqualTo(1);
        assertThat(result.failed()).isEqualTo(1);
        assertThat(result.stopped()).isFalse();
        verify(tiers).evaluate("other", "cus_C", true);
        // two days back to today, every shard: 3 days x 8 shards, and the second page
        verify(repository, org.mockito.Mockito.times(3 * TierItems.SHARDS + 1)).due(any(), anyInt(), any(), anyInt());
    }

    @Test
    void aSpentBudgetStopsTheRunWhereTheNextOneCarriesOn() {
        when(repository.due(any(), anyInt(), any(), anyInt())).thenReturn(new TierRepository.ReviewPage(List.of(), null));
        var result = review.run(NOW, 0, Budget.of(() -> false));
        assertThat(result.stopped()).isTrue();
        verify(repository, org.mockito.Mockito.times(1)).due(any(), anyInt(), any(), anyInt());
    }
}
