package com.clientele.campaigns;

import com.clientele.shared.Keys;
import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;
import java.util.List;

/**
 * The keys of coupons. A coupon code is a partition of its own ({@code T#<t>#COUPON#<CODE>}, sort key
 * {@code COUPON}): the code is unique per tenant by that item's put condition, and a redemption's
 * total limit is a condition on it. In the customer's partition: the customer's coupon
 * ({@code CPN#<CODE>}: given to them, or a shared code they used; their uses and last use) and one
 * redemption per payment that used a coupon ({@code CPNUSE#<pay>}: held, redeemed, released or returned),
 * and a marker per campaign that gave the customer a coupon ({@code CPNGIVEN#<cmp>}: the code, the coupon run
 * that gave it, if one did), which a coupon run's transaction puts on condition that it is new: the
 * customer then gets one coupon of the campaign from all its runs, however often a step is redelivered.
 */
public final class CouponItems {

    static final String COUPON = "COUPON";
    static final String CUSTOMER_COUPON = "CPN#";
    static final String REDEMPTION = "CPNUSE#";
    static final String GIVEN = "CPNGIVEN#";

    private CouponItems() {
    }

    static String code(String tenantId, String code) {
        return Keys.tenant(tenantId) + "#COUPON#" + code;
    }

    static String customerCoupon(String code) {
        return CUSTOMER_COUPON + code;
    }

    static String redemption(String paymentId) {
        return REDEMPTION + paymentId;
    }

    /** The marker that campaign {@code campaignId} gave the customer a coupon, in the customer's partition. */
    static String given(String campaignId) {
        return GIVEN + campaignId;
    }

    /**
     * The customer's coupons and their redemptions: both move with a merge (the primary's own coupon of the
     * same code, if it has one, stays as it is), are exported ({@code coupons}, {@code couponRedemptions}),
     * kept by the erasure (codes, amounts, dates and ids: no personal data) and with a soft-deleted customer.
     * The marker of a campaign's coupon given moves with a merge too (so the merged customer gets no second one
     * from a later run), is not exported (the coupon it names is) and is kept by the erasure (ids and a date).
     */
    public static List<ItemType> types() {
        var coupon = ItemType.named("customerCoupon").sortKey(SortKey.prefix(CUSTOMER_COUPON)).indexKeys()
                .merge(MergePolicy.move(null))
                .export(ExportPolicy.list("coupons"))
                .erasure(ErasurePolicy.keep("codes, terms, figures, dates and ids"))
                .softDelete(SoftDeletePolicy.KEEP);
        var redemption = ItemType.named("couponRedemption").sortKey(SortKey.prefix(REDEMPTION)).indexKeys()
                .merge(MergePolicy.move(null))
                .export(ExportPolicy.list("couponRedemptions"))
                .erasure(ErasurePolicy.keep("codes, amounts, dates and ids"))
                .softDelete(SoftDeletePolicy.KEEP);
        var given = ItemType.named("couponGiven").sortKey(SortKey.prefix(GIVEN)).indexKeys()
                .merge(MergePolicy.move(null))
                .export(ExportPolicy.notExported("a marker: the coupon it names is exported under coupons"))
                .erasure(ErasurePolicy.keep("a code, ids and a date"))
                .softDelete(SoftDeletePolicy.KEEP);
        return List.of(coupon, redemption, given);
    }
}
