package com.clientele.campaigns;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The arithmetic of earning rules: what each campaign adds to one payment's points, and which of
 * those credits the tenant's stacking keeps. No reads: the caller says who the customer is
 * ({@code inAudience}) and whether this is their first purchase for a campaign.
 */
final class CampaignRules {

    /** Every campaign that applies adds its points. */
    static final String STACK_ALL = "all";
    /** Only the campaign that adds the most (ties: the older campaign). */
    static final String STACK_BEST = "best";
    /** At most one active campaign at a time (activation is refused otherwise); at accrual, like {@link #STACK_BEST}. */
    static final String STACK_EXCLUSIVE = "exclusive";

    private CampaignRules() {
    }

    /** The payment as the rules see it. */
    record Purchase(long amount, String currency, String storeId, java.time.Instant at, long basePoints) {
    }

    /**
     * Whether {@code campaign} gives on {@code purchase} at all, before its audience is looked at: it runs
     * then, it has an earning rule, and the payment is at its store (when it names one).
     */
    static boolean candidate(Campaign campaign, Purchase purchase) {
        var rule = campaign.earning();
        return rule != null && campaign.runsAt(purchase.at())
                && (rule.storeId() == null || rule.storeId().equals(purchase.storeId()));
    }

    /**
     * What {@code campaign} adds to {@code purchase}; empty when nothing. {@code firstPurchase}: whether
     * the payment is the customer's first purchase for this campaign's first-purchase bonus.
     */
    static java.util.Optional<CampaignCredit> credit(Campaign campaign, Purchase purchase, boolean firstPurchase) {
        var rule = campaign.earning();
        long points = 0;
        var parts = new ArrayList<String>();
        if (rule.multiplier() != null && purchase.basePoints() > 0) {
            long extra = multiplied(purchase.basePoints(), rule.multiplier());
            if (extra > 0) {
                points = Math.addExact(points, extra);
                parts.add("x" + rule.multiplier().stripTrailingZeros().toPlainString() + " +" + extra);
            }
        }
        boolean first = firstPurchase && rule.firstPurchaseBonus() != null && rule.firstPurchaseBonus() > 0;
        if (first) {
            points = Math.addExact(points, rule.firstPurchaseBonus());
            parts.add("first purchase +" + rule.firstPurchaseBonus());
        }
        var bonus = rule.amountBonus();
        if (bonus != null && bonus.points() > 0 && bonus.minimum().currency().equals(purchase.currency())
                && purchase.amount() >= bonus.minimum().amount()) {
            points = Math.addExact(points, bonus.points());
            parts.add("from " + bonus.minimum().amount() + " " + bonus.minimum().currency().toUpperCase(Locale.ROOT) + " +" + bonus.points());
        }
        if (points == 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new CampaignCredit(campaign.id(), points, campaign.name() + ": " + String.join(", ", parts), first));
    }

    /** The extra points of a multiplier: base x (multiplier - 1), rounded down. */
    static long multiplied(long base, BigDecimal multiplier) {
        return BigDecimal.valueOf(base).multiply(multiplier.subtract(BigDecimal.ONE)).setScale(0, RoundingMode.DOWN).longValueExact();
    }

    /**
     * The credits of the campaigns that apply, as the tenant stacks them: each of them ({@link #STACK_ALL}),
     * or the one that adds the most. Campaigns in id order (the older first).
     */
    static List<CampaignCredit> credits(List<Campaign> campaigns, Purchase purchase, Predicate<Campaign> inAudience,
                                Predicate<Campaign> firstPurchase, String stacking) {
        var credits = new ArrayList<CampaignCredit>();
        campaigns.stream().sorted(Comparator.comparing(Campaign::id))
                .filter(c -> candidate(c, purchase) && inAudience.test(c))
                .forEach(c -> credit(c, purchase, firstPurchase.test(c)).ifPresent(credits::add));
        if (STACK_ALL.equals(stacking) || credits.size() < 2) {
            return credits;
        }
        var best = credits.get(0);
        for (var credit : credits) {
            if (credit.points() > best.points()) {
                best = credit;
            }
        }
        return List.of(best);
    }
}
