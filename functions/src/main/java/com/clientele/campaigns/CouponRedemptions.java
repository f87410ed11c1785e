package com.clientele.campaigns;

import com.clientele.payments.Payment;
import com.clientele.payments.PaymentCoupon;
import com.clientele.payments.PaymentCoupons;
import com.clientele.payments.PaymentStatus;
import com.clientele.shared.Money;
import com.clientele.shared.http.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Coupons on charges: a code judged against the charge ({@link CouponRules#judge}) from one consistent
 * read of the code and the customer's coupon, then its use written with the payment — taken with the
 * pending payment on the conditions of the limits (so of N charges racing for a code's last use, one
 * commits and the others are refused before the processor is asked), confirmed or given back with its
 * settlement, given back once after a whole refund.
 */
public final class CouponRedemptions implements PaymentCoupons {

    private final CouponRepository repository;
    private final Clock clock;

    public CouponRedemptions(CouponRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    @Override
    public PaymentCoupon quote(String tenant, String customerId, String code, Money amount, Instant at) {
        return judged(tenant, customerId, code, amount, at).applied();
    }

    @Override
    public Hold hold(String tenant, String customerId, String rawCode, Money amount, String paymentId, String storeId, Instant at) {
        return taken(tenant, customerId, rawCode, amount, paymentId, null, storeId, at);
    }

    @Override
    public Hold redeem(String tenant, String customerId, String code, Money amount, String invoiceId, Instant at) {
        return taken(tenant, customerId, code, amount, null, invoiceId, null, at);
    }

    /** The coupon judged, and the writes of its use by a payment (held until it settles) or an invoice (redeemed at once). */
    private Hold taken(String tenant, String customerId, String rawCode, Money amount, String paymentId, String invoiceId, String storeId,
                       Instant at) {
        var judged = judged(tenant, customerId, rawCode, amount, at);
        var applied = judged.applied();
        boolean invoice = invoiceId != null;
        var redemption = new CouponRedemption(applied.code(), applied.campaignId(), paymentId, invoiceId, applied.discount(), applied.points(),
                storeId, invoice ? CouponRepository.REDEEMED : CouponRepository.HELD, at, invoice ? at : null, null, null);
        return new Hold(applied, repository.take(tenant, customerId, judged.coupon(), redemption));
    }

    @Override
    public List<TransactWriteItem> giveBack(String tenant, String customerId, String code, String invoiceId, Instant at) {
        return repository.returned(tenant, customerId, code, invoiceId, at);
    }

    /** A coupon that applies and what it does to {@code amount}. */
    private record Judged(Coupon coupon, PaymentCoupon applied) {
    }

    /**
     * The coupon {@code rawCode} judged for {@code customerId} (null: a guest, {@link CouponRules#judgeGuest}) on
     * {@code amount} from one consistent read, or the 4xx naming {@code couponCode}.
     */
    private Judged judged(String tenant, String customerId, String rawCode, Money amount, Instant at) {
        String code = CouponRules.code(rawCode);
        if (code == null) {
            throw ApiException.invalid("couponCode", "must be " + CouponRules.CODE_RULE);
        }
        Coupon coupon;
        CouponRules.Verdict verdict;
        if (customerId == null) {
            coupon = repository.find(tenant, code).orElse(null);
            verdict = CouponRules.judgeGuest(coupon, amount, at);
        } else {
            var read = repository.findFor(tenant, code, customerId);
            coupon = read.coupon().orElse(null);
            verdict = CouponRules.judge(coupon, read.customerCoupon().orElse(null), customerId, amount, at);
        }
        if (!verdict.applies()) {
            throw verdict.problem("couponCode");
        }
        var terms = coupon.terms();
        long points = Campaign.CouponOffer.FREE_POINTS.equals(terms.type()) ? terms.points() : 0;
        return new Judged(coupon, new PaymentCoupon(code, coupon.campaignId(), terms.type(), amount,
                new Money(verdict.discount(), amount.currency()), points));
    }

    @Override
    public RuntimeException refused(String tenant, String customerId, PaymentCoupon coupon, int index) {
        if (index == (customerId == null ? 1 : 2)) {
            return new ApiException(409, "concurrent_update", "Conflict", "This payment holds its coupon already; retry");
        }
        // read again to say which limit it was (the other racer has committed by now)
        CouponRules.Verdict verdict;
        if (customerId == null) {
            verdict = CouponRules.judgeGuest(repository.find(tenant, coupon.code()).orElse(null), null, clock.instant());
        } else {
            var read = repository.findFor(tenant, coupon.code(), customerId);
            verdict = CouponRules.judge(read.coupon().orElse(null), read.customerCoupon().orElse(null), customerId, null, clock.instant());
        }
        if (!verdict.applies()) {
            return verdict.problem("couponCode");
        }
        return index == 0
                ? Verdicts.EXHAUSTED.problem("couponCode")
                : Verdicts.USED_UP.problem("couponCode");
    }

    @Override
    public List<TransactWriteItem> settle(String tenant, String customerId, PaymentCoupon coupon, String paymentId, String storeId,
                                          boolean succeeded, Instant at) {
        return repository.settle(tenant, customerId, coupon.code(), paymentId, storeId, succeeded, at);
    }

    @Override
    public void refunded(String tenant, Payment payment, Instant at) {
        if (payment.coupon() != null && payment.status() == PaymentStatus.REFUNDED) {
            repository.giveBack(tenant, payment.customerId(), payment.coupon().code(), payment.id(), at);
        }
    }

    /** The refusals of a lost race when a second read no longer shows it (the winner was given back in between). */
    private static final class Verdicts {
        static final CouponRules.Verdict EXHAUSTED = CouponRules.Verdict.refused("coupon_exhausted",
                "This coupon's last use was taken by another charge");
        static final CouponRules.Verdict USED_UP = CouponRules.Verdict.refused("coupon_limit_reached",
                "This customer's last use of this coupon was taken by another charge");
    }
}
