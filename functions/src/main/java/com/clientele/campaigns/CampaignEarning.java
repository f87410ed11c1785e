package com.clientele.campaigns;

import com.clientele.campaigns.Campaign.Audience;
import com.clientele.customers.Customer;
import com.clientele.customers.SegmentSettings;
import com.clientele.customers.Segments;
import com.clientele.shared.events.PaymentEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The campaigns' side of a payment's accrual: which of the tenant's active campaigns apply to the
 * payment's customer, and what each adds ({@link CampaignRules}). The accrual hands over the
 * customer's profile it has read; this reads only what the campaigns that could apply need: the
 * tenant's active campaigns (one Query; none active, nothing more), the segment settings for a
 * segment audience, and the campaign's participation for a first-purchase bonus.
 *
 * <p>A first purchase is the customer's first succeeded charge as far as their figures know
 * ({@code firstPurchaseAt} not before this payment, or not yet recorded) whose campaign participation
 * has had no first-purchase bonus: the accrual's transaction records the payment on the
 * participation, on condition that none did, so reordered or concurrent charges get it once.
 *
 * <p>{@code cacheFor}: how long a warm function keeps a tenant's active campaigns and segment
 * settings (zero: read for every payment). A change to either reaches accruals that long after at most.
 */
public final class CampaignEarning {

    private final CampaignRepository repository;
    private final Clock clock;
    private final Duration cacheFor;
    private final Map<String, Read<List<Campaign>>> campaigns = new ConcurrentHashMap<>();
    private final Map<String, Read<SegmentSettings>> segments = new ConcurrentHashMap<>();

    public CampaignEarning(CampaignRepository repository, Clock clock, Duration cacheFor) {
        this.repository = repository;
        this.clock = clock;
        this.cacheFor = cacheFor;
    }

    private record Read<T>(Instant at, T value) {
    }

    /** What the tenant's campaigns add to a succeeded charge of {@code customer} that earns {@code basePoints}, stacked as {@code stacking} says. */
    public List<CampaignCredit> credits(PaymentEvent e, Customer customer, long basePoints, String stacking) {
        String tenant = e.tenantId();
        var purchase = new CampaignRules.Purchase(e.amount(), e.currency(), e.storeId(), e.occurredAt(), basePoints);
        var candidates = cached(campaigns, tenant, () -> repository.active(tenant)).stream()
                .filter(c -> CampaignRules.candidate(c, purchase)).toList();
        if (candidates.isEmpty()) {
            return withCoupon(List.of(), e);
        }
        var segmentSettings = lazy(() -> cached(segments, tenant, () -> repository.segmentSettings(tenant)));
        return withCoupon(CampaignRules.credits(candidates, purchase,
                c -> inAudience(c.audience(), customer, segmentSettings),
                c -> firstPurchase(c, e, customer),
                stacking), e);
    }

    /**
     * The credits, then the points of the charge's free-points coupon (if it used one): a line of their own,
     * naming the coupon's campaign, in the charge's lot — credited with it, once per payment, whatever the
     * stacking (a coupon is not an earning rule).
     */
    private static List<CampaignCredit> withCoupon(List<CampaignCredit> credits, PaymentEvent e) {
        var coupon = e.couponPoints();
        if (coupon == null || coupon.points() <= 0) {
            return credits;
        }
        String line = "Coupon " + coupon.code() + " +" + coupon.points();
        var all = new java.util.ArrayList<CampaignCredit>();
        boolean merged = false;
        for (var credit : credits) {
            if (credit.campaignId().equals(coupon.campaignId())) {
                // one line and one participation update per campaign: the transaction writes each item once
                all.add(new CampaignCredit(credit.campaignId(), Math.addExact(credit.points(), coupon.points()),
                        credit.description() + ", " + line, credit.firstPurchase()));
                merged = true;
            } else {
                all.add(credit);
            }
        }
        if (!merged) {
            all.add(new CampaignCredit(coupon.campaignId(), coupon.points(), line, false));
        }
        return all;
    }

    private boolean inAudience(Audience audience, Customer customer, Supplier<SegmentSettings> segments) {
        return switch (audience.type()) {
            case Audience.ALL -> true;
            case Audience.CUSTOMERS -> audience.customerIds().contains(customer.id());
            case Audience.SEGMENT -> Segments.isIn(customer, audience.segment(), segments.get(), clock.instant());
            case Audience.TIER -> customer.tier() != null && audience.tierId().equals(customer.tier().key());
            default -> false;
        };
    }

    private boolean firstPurchase(Campaign campaign, PaymentEvent e, Customer customer) {
        if (campaign.earning().firstPurchaseBonus() == null) {
            return false;
        }
        var stats = customer.stats();
        boolean first = stats == null || stats.firstPurchaseAt() == null || !stats.firstPurchaseAt().isBefore(e.occurredAt());
        return first && repository.firstPurchasePayment(e.tenantId(), e.customerId(), campaign.id()).isEmpty();
    }

    /** The tenant's value as read at most {@code cacheFor} ago (read now when the cache is off). */
    private <T> T cached(Map<String, Read<T>> cache, String tenant, Supplier<T> read) {
        if (cacheFor.isZero()) {
            return read.get();
        }
        Instant now = clock.instant();
        var last = cache.get(tenant);
        if (last == null || !last.at().plus(cacheFor).isAfter(now)) {
            last = new Read<>(now, read.get());
            cache.put(tenant, last);
        }
        return last.value();
    }

    /** A value read once, when first asked for. */
    private static <T> Supplier<T> lazy(Supplier<T> read) {
        return new Supplier<>() {
            private T value;
            private boolean done;

            @Override
            public T get() {
                if (!done) {
                    value = read.get();
                    done = true;
                }
                return value;
            }
        };
    }
}
