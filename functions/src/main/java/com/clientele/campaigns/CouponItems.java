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
 * redemption per payment that used a coupon ({@code CPNUSE#<pay>}: held, redeemed, released or returned).
 */
public final class CouponItems {

    static final String COUPON = "COUPON";
    static final String CUSTOMER_COUPON = "CPN#";
    static final String REDEMPTION = "CPNUSE#";

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

    /**
     * The customer's coupons and their redemptions: both move with a merge (the primary's own coupon of the
     * same code, if it has one, stays as it is), are exported ({@code coupons}, {@code couponRedemptions}),
     * kept by the erasure (codes, amounts, dates and ids: no personal data) and with a soft-deleted customer.
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
        return List.of(coupon, redemption);
    }
}
