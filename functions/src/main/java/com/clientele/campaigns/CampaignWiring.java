package com.clientele.campaigns;

import com.clientele.shared.Components;
import java.time.Duration;

/** How the campaigns' parts are built from a function's {@link Components}, each once. */
public final class CampaignWiring {

    private CampaignWiring() {
    }

    static CampaignRepository repository(Components components) {
        return components.once(CampaignRepository.class,
                () -> new CampaignRepository(components.dynamoDb(), components.enhanced(), components.table()));
    }

    /** The campaigns' rules, for the campaign routes; {@code stacking} reads the tenant's campaign stacking. */
    public static CampaignService service(Components components, CampaignService.Stacking stacking) {
        return components.once(CampaignService.class,
                () -> new CampaignService(repository(components), stacking, components.cursors(), components.clock()));
    }

    static CouponRepository coupons(Components components) {
        return components.once(CouponRepository.class,
                () -> new CouponRepository(components.dynamoDb(), components.enhanced(), components.table()));
    }

    /** The coupons' rules, for the coupon routes. */
    public static CouponService couponService(Components components) {
        return components.once(CouponService.class, () -> new CouponService(repository(components), coupons(components),
                components.cursors(), components.clock(), new java.security.SecureRandom()));
    }

    static CouponRunRepository couponRunRepository(Components components) {
        return components.once(CouponRunRepository.class,
                () -> new CouponRunRepository(components.dynamoDb(), components.enhanced(), components.table()));
    }

    static CouponRunQueue couponRunQueue(Components components) {
        return components.once(CouponRunQueue.class, () -> new CouponRunQueue(com.clientele.shared.events.Sqs.client(components),
                components.env().require("COUPON_RUN_QUEUE_URL")));
    }

    /** The coupon runs' rules, for their routes. */
    public static CouponRunService couponRuns(Components components) {
        return components.once(CouponRunService.class, () -> new CouponRunService(repository(components), couponRunRepository(components),
                couponRunQueue(components), components.cursors(), components.clock()));
    }

    /** The coupon run worker's runner: {@code COUPON_RUN_PAGE_SIZE} customers a page (100 unless said). */
    public static com.clientele.shared.jobs.StepRunner<CouponRunMessage> couponRunner(Components components) {
        var env = components.env();
        var metrics = new com.clientele.shared.jobs.JobMetrics(components.metrics(), com.clientele.shared.jobs.JobMetrics.COUPON_RUN);
        var runner = new CouponRunner(couponRunRepository(components), repository(components), coupons(components),
                com.clientele.customers.CustomersWiring.service(components)::customers, components.clock(), new java.security.SecureRandom(),
                Integer.parseInt(env.get("COUPON_RUN_PAGE_SIZE", "100")), metrics);
        return new com.clientele.shared.jobs.StepRunner<>(CouponRunMessage.class, runner, couponRunQueue(components),
                com.clientele.shared.jobs.StepRunner.Settings.from(env, "COUPON_RUN", CouponRunWorkerHandler.DEFAULT_BUDGET_MILLIS,
                        CouponRunWorkerHandler.RESERVE_MILLIS), metrics);
    }

    /** Coupons on charges, for the payments. */
    public static CouponRedemptions redemptions(Components components) {
        return components.once(CouponRedemptions.class, () -> new CouponRedemptions(coupons(components), components.clock()));
    }

    /**
     * What campaigns add at accrual; {@code CAMPAIGN_CACHE_SECONDS} (default 0: read for every payment) is
     * how long a warm function keeps a tenant's active campaigns and segment settings.
     */
    public static CampaignEarning earning(Components components) {
        return components.once(CampaignEarning.class, () -> new CampaignEarning(repository(components), components.clock(),
                Duration.ofSeconds(Long.parseLong(components.env().get("CAMPAIGN_CACHE_SECONDS", "0")))));
    }
}
