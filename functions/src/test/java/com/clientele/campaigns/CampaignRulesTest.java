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
        return new Campaign(id, "Campaign " + id, null, status, START, END, ALL, rule, null, START, START, 1);
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
                new EarningRule(BigDecimal.ZERO, -5L, new AmountBonus(new Money(0, "dollars"), -1), null), null);
        assertThatThrownBy(() -> CampaignService.validate(in)).isInstanceOfSatisfying(ApiException.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).containsExactly("name", "endsAt", "audience.segment",
                        "earning.multiplier", "earning.firstPurchaseBonus", "earning.amountBonus.points",
                        "earning.amountBonus.minimum.amount", "earning.amountBonus.minimum.currency"));
        var huge = new Campaign.Input("x".repeat(201), null, START, null, null, new EarningRule(new BigDecimal("1000"), null, null, null), null);
        assertThatThrownBy(() -> CampaignService.validate(huge)).isInstanceOfSatisfying(ApiException.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).containsExactly("name", "earning.multiplier"));
        var nothing = new Campaign.Input("Empty", null, null, null, new Audience("customers", null, null, List.of("cus_x")),
                new EarningRule(null, null, null, null), null);
        assertThatThrownBy(() -> CampaignService.validate(nothing)).isInstanceOfSatisfying(ApiException.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).containsExactly("startsAt", "audience.customerIds[0]", "earning"));
    }

    @Test
    void aCouponOfferIsCheckedFieldByField() {
        var bad = new Campaign.CouponOffer("amount_off", 10, new Money(0, "usd"), 5L, START, START, new Money(100, "EUR"), 0L, 0L);
        var in = new Campaign.Input("Coupons", null, START, null, null, null, bad);
        assertThatThrownBy(() -> CampaignService.validate(in)).isInstanceOfSatisfying(ApiException.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).containsExactly("coupon.percentOff", "coupon.points",
                        "coupon.amountOff.amount", "coupon.amountOff.currency", "coupon.validUntil", "coupon.minimumAmount.currency",
                        "coupon.maxRedemptions", "coupon.maxRedemptionsPerCustomer"));
        var huge = new Campaign.CouponOffer("percent_off", 101, null, null, null, null, new Money(Long.MAX_VALUE, "USD"), null, null);
        assertThatThrownBy(() -> CampaignService.validate(new Campaign.Input("C", null, START, null, null, null, huge)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .containsExactly("coupon.percentOff", "coupon.minimumAmount.amount"));
        var unknown = new Campaign.CouponOffer("bogo", null, null, null, null, null, null, null, null);
        assertThatThrownBy(() -> CampaignService.validate(new Campaign.Input("C", null, START, null, null, null, unknown)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("coupon.type"));
        var good = CampaignService.validate(new Campaign.Input("C", null, START, null, null, null,
                new Campaign.CouponOffer("free_points", null, null, 500L, null, null, null, 100L, null)));
        assertThat(good.coupon().maxRedemptionsPerCustomer()).isEqualTo(1L);
        assertThat(good.earning()).isNull();
    }

    @Test
    void codesHaveOneShapeAndDiscountsRoundDown() {
        assertThat(CouponRules.code("summer-2026")).isEqualTo("SUMMER-2026");
        assertThat(CouponRules.code("---")).isNull();
        assertThat(CouponRules.code("-AB")).isNull();
        assertThat(CouponRules.code("AB\ud800C")).isNull();
        assertThat(CouponRules.code("AB")).isNull();
        assertThat(CouponRules.code("A".repeat(33))).isNull();
        assertThat(CouponRules.code("ÄBC")).isNull();
        var random = new java.security.SecureRandom();
        var codes = new java.util.HashSet<String>();
        for (int i = 0; i < 1000; i++) {
            String code = CouponRules.generate(random);
            assertThat(CouponRules.code(code)).isEqualTo(code);
            codes.add(code);
        }
        assertThat(codes).hasSize(1000);
        var tenPercent = new Campaign.CouponOffer("percent_off", 10, null, null, null, null, null, null, 1L);
        assertThat(CouponRules.discount(tenPercent, 999)).isEqualTo(99);
        assertThat(CouponRules.discount(tenPercent, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE / 10);
        var free = new Campaign.CouponOffer("free_points", null, null, 5L, null, null, null, null, 1L);
        assertThat(CouponRules.discount(free, 1000)).isZero();
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
