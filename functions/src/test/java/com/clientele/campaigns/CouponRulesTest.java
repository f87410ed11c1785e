package com.clientele.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.campaigns.Campaign.CouponOffer;
import com.clientele.shared.Money;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a coupon takes off a charge, and the first reason it does not apply, in order. */
class CouponRulesTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final CouponOffer TEN_OFF = new CouponOffer("amount_off", null, new Money(1000, "USD"), null,
            Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"), new Money(3000, "USD"), 2L, 1L);

    private static Coupon coupon(String customerId, long redemptions) {
        return new Coupon("CODE-1", "cmp_X", customerId, TEN_OFF, redemptions, NOW);
    }

    private static CustomerCoupon mine(boolean given, long uses) {
        return new CustomerCoupon("CODE-1", "cmp_X", TEN_OFF, given, NOW, uses, null, null, null, null, null);
    }

    private static String why(Coupon coupon, CustomerCoupon mine, String customerId, long amount, String currency, Instant at) {
        return CouponRules.judge(coupon, mine, customerId, new Money(amount, currency), at).refusal();
    }

    @Test
    void eachReasonIsNamedInItsOrder() {
        assertThat(why(null, null, "cus_A", 5000, "USD", NOW)).isEqualTo("coupon_not_found");
        assertThat(why(coupon("cus_A", 0), null, "cus_B", 5000, "USD", NOW)).isEqualTo("coupon_not_for_customer");
        assertThat(why(coupon("cus_A", 0), mine(false, 0), "cus_A", 5000, "USD", NOW)).isEqualTo("coupon_not_for_customer");
        assertThat(why(coupon(null, 0), null, "cus_A", 5000, "USD", Instant.parse("2025-12-31T23:59:59Z"))).isEqualTo("coupon_not_yet_valid");
        assertThat(why(coupon(null, 0), null, "cus_A", 5000, "USD", Instant.parse("2027-01-01T00:00:00Z"))).isEqualTo("coupon_expired");
        assertThat(why(coupon(null, 2), null, "cus_A", 5000, "USD", NOW)).isEqualTo("coupon_exhausted");
        assertThat(why(coupon(null, 1), mine(false, 1), "cus_A", 5000, "USD", NOW)).isEqualTo("coupon_limit_reached");
        assertThat(why(coupon(null, 1), null, "cus_A", 5000, "EUR", NOW)).isEqualTo("coupon_currency_mismatch");
        assertThat(why(coupon(null, 1), null, "cus_A", 2999, "USD", NOW)).isEqualTo("coupon_below_minimum");
        var exceeding = new Coupon("BIG-1", "cmp_X", null, new CouponOffer("amount_off", null, new Money(5000, "USD"), null, null, null,
                null, null, 1L), 0, NOW);
        assertThat(why(exceeding, null, "cus_A", 5000, "USD", NOW)).isEqualTo("coupon_exceeds_amount");
        assertThat(CouponRules.judge(exceeding, null, "cus_A", new Money(5001, "USD"), NOW).discount()).isEqualTo(5000);
    }

    @Test
    void aCouponThatAppliesSaysWhatItTakesOff() {
        var verdict = CouponRules.judge(coupon("cus_A", 0), mine(true, 0), "cus_A", new Money(5000, "USD"), NOW);
        assertThat(verdict.applies()).isTrue();
        assertThat(verdict.discount()).isEqualTo(1000);
        var problem = CouponRules.Verdict.refused("coupon_expired", "gone").problem("couponCode");
        assertThat(problem.status()).isEqualTo(422);
        assertThat(problem.errors()).extracting(e -> e.field()).containsExactly("couponCode");
        // a preview without a customer or an amount checks what it can
        assertThat(CouponRules.judge(coupon("cus_A", 0), null, null, null, NOW).applies()).isTrue();
    }

    @Test
    void aGuestMayUseOnlyASharedCodeOfMoneyCountedAgainstItsTotalLimit() {
        var guest = (java.util.function.BiFunction<Coupon, Long, String>) (coupon, amount) ->
                CouponRules.judgeGuest(coupon, new Money(amount, "USD"), NOW).refusal();
        assertThat(guest.apply(null, 5000L)).isEqualTo("coupon_not_found");
        assertThat(guest.apply(coupon("cus_A", 0), 5000L)).isEqualTo("coupon_not_for_customer");
        var points = new Coupon("PTS-1", "cmp_X", null, new CouponOffer("free_points", null, null, 500L, null, null, null, null, 1L), 0, NOW);
        assertThat(guest.apply(points, 5000L)).isEqualTo("coupon_needs_customer");
        assertThat(guest.apply(coupon(null, 2), 5000L)).isEqualTo("coupon_exhausted");
        assertThat(guest.apply(coupon(null, 1), 2999L)).isEqualTo("coupon_below_minimum");
        // no per-customer count binds a guest: a shared code with uses left applies
        assertThat(CouponRules.judgeGuest(coupon(null, 1), new Money(5000, "USD"), NOW).discount()).isEqualTo(1000);
    }

    @Test
    void aCustomersCouponIsUsedExpiredOrAvailable() {
        assertThat(mine(true, 1).at(NOW).status()).isEqualTo(CustomerCoupon.USED);
        assertThat(mine(true, 0).at(Instant.parse("2027-02-01T00:00:00Z")).status()).isEqualTo(CustomerCoupon.EXPIRED);
        assertThat(mine(true, 0).at(NOW).status()).isEqualTo(CustomerCoupon.AVAILABLE);
    }
}
