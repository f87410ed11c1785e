package com.clientele.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.campaigns.Campaign.AmountBonus;
import com.clientele.campaigns.Campaign.Audience;
import com.clientele.campaigns.Campaign.EarningRule;
import com.clientele.shared.Money;
import com.clientele.shared.http.ApiException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignRulesTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant END = Instant.parse("2026-12-01T00:00:00Z");
    private static final Audience ALL = new Audience(Audience.ALL, null, null, null);

    private static Campaign campaign(String id, String status, EarningRule rule) {
        return new Campaign(id, "Campaign " + id, null, status, START, END, ALL, rule, START, START, 1);
    }

    private static CampaignRules.Purchase purchase(long amount, String currency, String store, Instant at, long base) {
        return new CampaignRules.Purchase(amount, currency, store, at, base);
    }

    private static final Instant MID = Instant.parse("2026-11-15T12:00:00Z");

    @Test
    void aMultiplierAddsTheExtraRoundedDown() {
        assertThat(CampaignRules.multiplied(89, new BigDecimal("2"))).isEqualTo(89);
        assertThat(CampaignRules.multiplied(89, new BigDecimal("1.5"))).isEqualTo(44);
        assertThat(CampaignRules.multiplied(3, new BigDecimal("1.25"))).isZero();
        assertThat(CampaignRules.multiplied(0, new BigDecimal("100"))).isZero();
    }

    @Test
    void eachPartAddsAndTheDescriptionSaysWhat() {
        var rule = new EarningRule(new BigDecimal("3"), 100L, new AmountBonus(new Money(5_000, "USD"), 30), null);
        var credit = CampaignRules.credit(campaign("cmp_A", Campaign.ACTIVE, rule), purchase(8_900, "USD", null, MID, 89), true).orElseThrow();
        assertThat(credit.points()).isEqualTo(178 + 100 + 30);
        assertThat(credit.firstPurchase()).isTrue();
        assertThat(credit.description()).isEqualTo("Campaign cmp_A: x3 +178, first purchase +100, from 5000 USD +30");

        // below the amount, in another currency, not a first purchase: only the multiplier
        var small = CampaignRules.credit(campaign("cmp_A", Campaign.ACTIVE, rule), purchase(4_999, "USD", null, MID, 49), false).orElseThrow();
        assertThat(small.points()).isEqualTo(98);
        assertThat(small.firstPurchase()).isFalse();
        assertThat(CampaignRules.credit(campaign("cmp_A", Campaign.ACTIVE, rule), purchase(9_000, "EUR", null, MID, 90), false)
                .orElseThrow().points()).isEqualTo(180);
        // nothing to add: no credit at all
        var bonusOnly = new EarningRule(null, null, new AmountBonus(new Money(5_000, "USD"), 30), null);
        assertThat(CampaignRules.credit(campaign("cmp_A", Campaign.ACTIVE, bonusOnly), purchase(100, "USD", null, MID, 1), true)).isEmpty();
    }

    @Test
    void onlyActiveCampaignsInTheirPeriodAndAtTheirStoreApply() {
        var rule = new EarningRule(new BigDecimal("2"), null, null, "store_1");
        var active = campaign("cmp_A", Campaign.ACTIVE, rule);
        assertThat(CampaignRules.candidate(active, purchase(100, "USD", "store_1", MID, 1))).isTrue();
        assertThat(CampaignRules.candidate(active, purchase(100, "USD", "store_2", MID, 1))).isFalse();
        assertThat(CampaignRules.candidate(active, purchase(100, "USD", null, MID, 1))).isFalse();
        assertThat(CampaignRules.candidate(active, purchase(100, "USD", "store_1", START, 1))).isTrue();
        assertThat(CampaignRules.candidate(active, purchase(100, "USD", "store_1", END, 1))).isFalse();
        assertThat(CampaignRules.candidate(active, purchase(100, "USD", "store_1", START.minusMillis(1), 1))).isFalse();
        for (String status : List.of(Campaign.DRAFT, Campaign.PAUSED, Campaign.ENDED)) {
            assertThat(CampaignRules.candidate(campaign("cmp_A", status, rule), purchase(100, "USD", "store_1", MID, 1))).isFalse();
        }
    }

    @Test
    void stackingAddsEveryCreditOrKeepsTheBest() {
        var a = campaign("cmp_A", Campaign.ACTIVE, new EarningRule(new BigDecimal("2"), null, null, null));
        var b = campaign("cmp_B", Campaign.ACTIVE, new EarningRule(null, null, new AmountBonus(new Money(1_000, "USD"), 500), null));
        var c = campaign("cmp_C", Campaign.ACTIVE, new EarningRule(new BigDecimal("1.5"), null, null, null));
        var buy = purchase(10_000, "USD", null, MID, 100);
        var all = CampaignRules.credits(List.of(c, b, a), buy, x -> true, x -> false, CampaignRules.STACK_ALL);
        assertThat(all).extracting(CampaignCredit::campaignId).containsExactly("cmp_A", "cmp_B", "cmp_C");
        assertThat(all).extracting(CampaignCredit::points).containsExactly(100L, 500L, 50L);
        assertThat(CampaignRules.credits(List.of(c, b, a), buy, x -> true, x -> false, CampaignRules.STACK_BEST))
                .extracting(CampaignCredit::campaignId).containsExactly("cmp_B");
        assertThat(CampaignRules.credits(List.of(c, b, a), buy, x -> true, x -> false, CampaignRules.STACK_EXCLUSIVE))
                .extracting(CampaignCredit::campaignId).containsExactly("cmp_B");
        // a tie keeps the older campaign; out of the audience, nothing
        var twin = campaign("cmp_D", Campaign.ACTIVE, new EarningRule(new BigDecimal("2"), null, null, null));
        assertThat(CampaignRules.credits(List.of(twin, a), buy, x -> true, x -> false, CampaignRules.STACK_BEST))
                .extracting(CampaignCredit::campaignId).containsExactly("cmp_A");
        assertThat(CampaignRules.credits(List.of(a, b), buy, x -> false, x -> true, CampaignRules.STACK_ALL)).isEmpty();
    }

    @Test
    void badInputNamesEveryField() {
        var in = new Campaign.Input("\u200b\u200b", null, START, START.minusSeconds(1), new Audience("segment", "vip", null, null),
                new EarningRule(BigDecimal.ZERO, -5L, new AmountBonus(new Money(0, "dollars"), -1), null));
        assertThatThrownBy(() -> CampaignService.validate(in)).isInstanceOfSatisfying(ApiException.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).containsExactly("name", "endsAt", "audience.segment",
                        "earning.multiplier", "earning.firstPurchaseBonus", "earning.amountBonus.points",
                        "earning.amountBonus.minimum.amount", "earning.amountBonus.minimum.currency"));
        var huge = new Campaign.Input("x".repeat(201), null, START, null, null, new EarningRule(new BigDecimal("1000"), null, null, null));
        assertThatThrownBy(() -> CampaignService.validate(huge)).isInstanceOfSatisfying(ApiException.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).containsExactly("name", "earning.multiplier"));
        var nothing = new Campaign.Input("Empty", null, null, null, new Audience("customers", null, null, List.of("cus_x")),
                new EarningRule(null, null, null, null));
        assertThatThrownBy(() -> CampaignService.validate(nothing)).isInstanceOfSatisfying(ApiException.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).containsExactly("startsAt", "audience.customerIds[0]", "earning"));
    }

    @Test
    void statusesMoveOnlyAlongTheirTransitions() {
        assertThat(Campaign.transition(Campaign.DRAFT, "activate")).isEqualTo(Campaign.ACTIVE);
        assertThat(Campaign.transition(Campaign.PAUSED, "activate")).isEqualTo(Campaign.ACTIVE);
        assertThat(Campaign.transition(Campaign.ACTIVE, "pause")).isEqualTo(Campaign.PAUSED);
        assertThat(Campaign.transition(Campaign.DRAFT, "pause")).isNull();
        assertThat(Campaign.transition(Campaign.ENDED, "activate")).isNull();
        assertThat(Campaign.transition(Campaign.DRAFT, "end")).isEqualTo(Campaign.ENDED);
        assertThat(Campaign.transition(Campaign.ENDED, "end")).isNull();
    }
}
