package com.clientele.payments;

import com.clientele.shared.Money;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * What the payments (and the orders and invoices they collect) ask of coupons (the campaigns capability
 * answers): whether a code applies to a charge, and the writes of its redemption, which go into the payment's own transactions — one use
 * taken in the transaction that records the pending payment (so the limits hold before the processor
 * is asked), confirmed or given back in the one that settles it — and given back after a whole refund.
 */
public interface PaymentCoupons {

    /** A coupon that applies to a charge, and the writes that take one use of it, each on the condition of a limit. */
    record Hold(PaymentCoupon coupon, List<TransactWriteItem> writes) {
    }

    /**
     * What the coupon {@code code} does to {@code amount} for {@code customerId} (null: a guest) at {@code at},
     * nothing taken: how an order or a draft invoice shows it before its use is taken; or the 4xx naming why not.
     */
    PaymentCoupon quote(String tenant, String customerId, String code, Money amount, Instant at);

    /**
     * The coupon {@code code} on charge {@code paymentId} of {@code amount} by {@code customerId} (null: a guest) at {@code at}
     * (at {@code storeId}, or null), or a 4xx naming why it does not apply.
     */
    Hold hold(String tenant, String customerId, String code, Money amount, String paymentId, String storeId, Instant at);

    /**
     * The coupon {@code code} on invoice {@code invoiceId} of {@code amount} (what its lines ask) for {@code customerId},
     * finalised at {@code at}: the writes that take its use, redeemed at once (they commit with the finalisation), each on
     * the condition of a limit; or the 4xx naming why it does not apply.
     */
    Hold redeem(String tenant, String customerId, String code, Money amount, String invoiceId, Instant at);

    /** The writes that give back the use of invoice {@code invoiceId} (voided): once, on condition that it is redeemed. */
    List<TransactWriteItem> giveBack(String tenant, String customerId, String code, String invoiceId, Instant at);

    /** Why the hold's write at {@code index} (of {@link Hold#writes}) failed its condition: the 4xx to answer. */
    RuntimeException refused(String tenant, String customerId, PaymentCoupon coupon, int index);

    /** The writes that confirm ({@code succeeded}) or give back the use held for {@code paymentId}. */
    List<TransactWriteItem> settle(String tenant, String customerId, PaymentCoupon coupon, String paymentId, String storeId,
                                   boolean succeeded, Instant at);

    /** Gives back the use of a payment refunded in whole (once: a repeat finds it given back); nothing for any other payment. */
    void refunded(String tenant, Payment payment, Instant at);
}
