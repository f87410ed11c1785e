package com.clientele.customers;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.customers.SubscriptionFigures.Share;
import com.clientele.shared.Money;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SubscriptionFiguresTest {

    private static final Instant JAN = Instant.parse("2026-01-15T10:00:00Z");
    private static final Instant MAR = Instant.parse("2026-03-01T10:00:00Z");

    private static Share share(boolean active, long monthly, long collected, int extensions, Instant started) {
        return new Share(active, new Money(monthly, "USD"), new Money(collected, "USD"), extensions, started);
    }

    @Test
    void theSeedsTwoSubscriptionsAddUpToItsFigures() {
        var first = share(true, 8900, 0, 0, JAN);
        var second = share(true, 12900, 0, 0, MAR);
        var figures = SubscriptionFigures.NONE.change(null, first).change(null, second);
        assertThat(figures.active()).isEqualTo(2);
        assertThat(figures.total()).isEqualTo(2);
        assertThat(figures.activeMonthlyIncome()).isEqualTo(new Money(21800, "USD"));
        assertThat(figures.firstStartedAt()).isEqualTo(JAN);

        // twelve payments of the first, then it ends; six of the second, then it ends, and a buyout
        var firstEnded = share(false, 8900, 106800, 0, JAN);
        var secondEnded = share(false, 12900, 77400 + 30000, 0, MAR);
        figures = figures.change(first, firstEnded).change(second, secondEnded);
        assertThat(figures.active()).isZero();
        assertThat(figures.total()).isEqualTo(2);
        assertThat(figures.activeMonthlyIncome()).isEqualTo(new Money(0, "USD"));
        assertThat(figures.collected()).isEqualTo(new Money(214200, "USD"));
        assertThat(figures.averageSubscriptionValue()).isEqualTo(new Money(107100, "USD"));
    }

    @Test
    void pausingTakesTheIncomeOutAndAnExtensionCounts() {
        var running = share(true, 8900, 8900, 0, JAN);
        var figures = SubscriptionFigures.NONE.change(null, running);
        var paused = share(false, 8900, 8900, 0, JAN);
        assertThat(figures.change(running, paused).activeMonthlyIncome().amount()).isZero();
        assertThat(figures.change(running, paused).active()).isZero();
        var extended = share(true, 8900, 8900, 1, JAN);
        assertThat(figures.change(running, extended).extensions()).isEqualTo(1);
    }

    @Test
    void aSubscriptionMovedAwayLeavesNothingWhenItWasTheOnlyOne() {
        var running = share(true, 8900, 8900, 0, JAN);
        var figures = SubscriptionFigures.NONE.change(null, running);
        assertThat(figures.change(running, null)).isEqualTo(SubscriptionFigures.NONE);
    }
}
