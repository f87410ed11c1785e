package com.clientele.tiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.customers.CustomerTier;
import com.clientele.shared.http.ApiException;
import com.clientele.tiers.TierSettings.Downgrade;
import com.clientele.tiers.TierSettings.Tier;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TierRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Tier BRONZE = new Tier("bronze", "Bronze", 0, BigDecimal.ONE);
    private static final Tier SILVER = new Tier("silver", "Silver", 100, new BigDecimal("1.5"));
    private static final Tier GOLD = new Tier("gold", "Gold", 1000, new BigDecimal("2"));

    private static TierSettings settings(String basis, Downgrade downgrade) {
        return new TierSettings(basis, TierSettings.SPEND.equals(basis) ? 30 : null, TierSettings.SPEND.equals(basis) ? "USD" : null,
                List.of(BRONZE, SILVER, GOLD), downgrade, NOW, null);
    }

    private static CustomerTier in(Tier tier, Instant since) {
        return new CustomerTier(tier.key(), tier.name(), since, false);
    }

    @Test
    void aChangeMovesUpAtOnceAndNeverDown() {
        var s = settings(TierSettings.LIFETIME_POINTS, new Downgrade(Downgrade.AUTOMATIC, null));
        assertThat(TierRules.next(s, null, new TierRules.Measure(150, null), NOW, false).key()).isEqualTo("silver");
        assertThat(TierRules.next(s, in(SILVER, NOW), new TierRules.Measure(5000, null), NOW, false).key()).isEqualTo("gold");
        var gold = in(GOLD, NOW);
        assertThat(TierRules.next(s, gold, new TierRules.Measure(10, null), NOW, false)).isSameAs(gold);
        assertThat(TierRules.reason(s, in(SILVER, NOW), gold)).isEqualTo(TierRules.UPGRADE);
    }

    @Test
    void theReviewTakesDownAsThePolicySays() {
        var gold = in(GOLD, NOW.minus(Duration.ofDays(10)));
        var low = new TierRules.Measure(150, null);
        assertThat(TierRules.next(settings(TierSettings.SPEND, Downgrade.NEVER), gold, low, NOW, true)).isSameAs(gold);
        assertThat(TierRules.next(settings(TierSettings.SPEND, new Downgrade(Downgrade.AUTOMATIC, null)), gold, low, NOW, true).key())
                .isEqualTo("silver");
        // not before 30 days in the tier, then as automatic
        var after30 = settings(TierSettings.SPEND, new Downgrade(Downgrade.AFTER_DAYS, 30));
        assertThat(TierRules.next(after30, gold, low, NOW, true)).isSameAs(gold);
        assertThat(TierRules.next(after30, gold, low, NOW.plus(Duration.ofDays(20)), true).key()).isEqualTo("silver");
    }

    @Test
    void anOverrideIsLeftAlone() {
        var set = new CustomerTier("bronze", "Bronze", NOW, true);
        var s = settings(TierSettings.SPEND, new Downgrade(Downgrade.AUTOMATIC, null));
        assertThat(TierRules.next(s, set, new TierRules.Measure(5000, null), NOW, false)).isSameAs(set);
        assertThat(TierRules.next(s, set, new TierRules.Measure(5000, null), NOW, true)).isSameAs(set);
        assertThat(TierRules.reviewAt(s, set, new TierRules.Measure(0, null), NOW)).isNull();
    }

    @Test
    void theReviewIsWhenTheMeasureCanFirstFallAndNotBeforeTheDaysInTheTier() {
        var lapses = NOW.plus(Duration.ofDays(3));
        var gold = in(GOLD, NOW);
        var automatic = settings(TierSettings.SPEND, new Downgrade(Downgrade.AUTOMATIC, null));
        assertThat(TierRules.reviewAt(automatic, gold, new TierRules.Measure(1500, lapses), NOW)).isEqualTo(lapses);
        assertThat(TierRules.reviewAt(automatic, gold, new TierRules.Measure(500, lapses), NOW)).isEqualTo(NOW);
        assertThat(TierRules.reviewAt(settings(TierSettings.SPEND, new Downgrade(Downgrade.AFTER_DAYS, 30)), gold,
                new TierRules.Measure(1500, lapses), NOW)).isEqualTo(NOW.plus(Duration.ofDays(30)));
        // lifetime points never fall; policy none never takes down
        assertThat(TierRules.reviewAt(settings(TierSettings.LIFETIME_POINTS, new Downgrade(Downgrade.AUTOMATIC, null)), gold,
                new TierRules.Measure(1500, null), NOW)).isNull();
        assertThat(TierRules.reviewAt(settings(TierSettings.SPEND, Downgrade.NEVER), gold, new TierRules.Measure(1500, lapses), NOW)).isNull();
        // the review day is the day after, never today
        assertThat(TierService.reviewDay(lapses, null, NOW)).isEqualTo("2026-12-05");
        assertThat(TierService.reviewDay(NOW.minus(Duration.ofDays(2)), NOW.plus(Duration.ofDays(1)), NOW)).isEqualTo("2026-12-02");
        assertThat(TierService.reviewDay(null, null, NOW)).isNull();
    }

    @Test
    void theBonusIsTheMultipliersExtraRoundedDown() {
        assertThat(TierRules.bonus(SILVER, 101)).isEqualTo(50);
        assertThat(TierRules.bonus(GOLD, 100)).isEqualTo(100);
        assertThat(TierRules.bonus(BRONZE, 100)).isZero();
        assertThat(TierRules.bonus(GOLD, 0)).isZero();
        assertThat(TierRules.bonus(new Tier("t", "T", 0, BigDecimal.TEN), 100_000_000_000_000L)).isEqualTo(900_000_000_000_000L);
    }

    @Test
    void settingsNameEveryBadField() {
        var input = new TierSettings.Input("spend", 0, "usd", List.of(
                new TierSettings.TierInput("ok", "Ok", 10L, null),
                new TierSettings.TierInput("ok", "", 10L, new BigDecimal("0.5")),
                new TierSettings.TierInput("../x", "X", -1L, new BigDecimal("1.005"))),
                new TierSettings.DowngradeInput("sometimes", null));
        assertThatThrownBy(() -> TierSettings.of(input, NOW)).isInstanceOfSatisfying(ApiException.class, e ->
                assertThat(e.errors().stream().map(f -> f.field()).toList()).containsExactly("windowDays", "currency",
                        "tiers[1].key", "tiers[1].name", "tiers[1].threshold", "tiers[1].multiplier", "tiers[2].key",
                        "tiers[2].threshold", "tiers[2].multiplier", "downgrade.policy"));
        var ok = TierSettings.of(new TierSettings.Input("lifetime_points", null, null, List.of(
                new TierSettings.TierInput("a", " A ", 0L, new BigDecimal("1.50")), new TierSettings.TierInput("b", "B", 5L, null)),
                new TierSettings.DowngradeInput("after_days", 14)), NOW);
        assertThat(ok.tiers().get(0).name()).isEqualTo("A");
        assertThat(ok.tiers().get(0).multiplier()).isEqualByComparingTo("1.5");
        assertThat(ok.downgrade().days()).isEqualTo(14);
        assertThat(ok.rank("b")).isEqualTo(1);
        assertThat(ok.rank("zz")).isEqualTo(-1);
    }
}
