package com.clientele.orders;

import com.clientele.catalogue.Price;
import com.clientele.customers.Address;
import com.clientele.payments.PaymentCoupon;
import com.clientele.shared.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * What a customer ordered, in one currency: its {@code items} on their prices' terms as sold, the
 * {@code total} the order itself charges (its one-time lines) and, per billing period, what its recurring
 * lines bill ({@code recurringTotal}: their subscriptions bill it, from when the order is paid), the
 * billing and shipping addresses as they were when it was placed, and its {@link OrderStatus}.
 * {@code customerMatched} says how the order found its customer when it was given the customer's
 * details: true, an existing customer with that email; false, a customer it created; null when it
 * was given the customer's id. {@code paymentId} is the payment that paid it, or the last attempt to;
 * {@code refundId} the refund of a paid order canceled. {@code coupon}: the coupon it was placed with (null:
 * none), judged against its one-time lines ({@code coupon.amountBefore}); {@code total} is what is left
 * after its discount, what the order's payment charges (the coupon's use is taken with that payment).
 */
public record Order(String id, String customerId, Boolean customerMatched, OrderStatus status, String currency,
                    List<OrderItem> items, Money total, PaymentCoupon coupon, List<RecurringTotal> recurringTotal, Address billingAddress,
                    Address shippingAddress, String paymentId, String refundId, Instant createdAt, Instant updatedAt,
                    Instant paidAt, Instant fulfilledAt, Instant canceledAt, long version) {

    public Order {
        items = List.copyOf(items);
        recurringTotal = List.copyOf(recurringTotal);
    }

    /** What the recurring lines of one billing period ({@code intervalCount} × {@code interval}) bill each period. */
    public record RecurringTotal(Price.Interval interval, int intervalCount, Money amount) {
    }

    /** A pending order of {@code items}, with {@code coupon} (null: none) off the total of its one-time lines. */
    static Order place(String id, String customerId, Boolean matched, String currency, List<OrderItem> items, PaymentCoupon coupon,
                       Address billing, Address shipping, Instant now) {
        long total = 0;
        var periods = new LinkedHashMap<String, RecurringTotal>();
        for (var item : items) {
            if (!item.recurs()) {
                total = Math.addExact(total, item.amount().amount());
                continue;
            }
            var r = item.recurring();
            periods.merge(r.interval().value() + r.intervalCount(), new RecurringTotal(r.interval(), r.intervalCount(), item.amount()),
                    (a, b) -> new RecurringTotal(a.interval(), a.intervalCount(),
                            new Money(Math.addExact(a.amount().amount(), b.amount().amount()), currency)));
        }
        long due = coupon == null ? total : total - coupon.discount().amount();
        return new Order(id, customerId, matched, OrderStatus.PENDING, currency, items, new Money(due, currency), coupon,
                new ArrayList<>(periods.values()), billing, shipping, null, null, now, now, null, null, null, 1);
    }

    /** Whether its recurring lines' subscriptions are started: from when it is paid on. */
    boolean subscriptionsStarted() {
        return paidAt != null;
    }

    boolean hasRecurringItems() {
        return items.stream().anyMatch(OrderItem::recurs);
    }

    /** The order as the API shows it: a recurring line's subscription id once the subscription is started. */
    Order shown() {
        boolean started = subscriptionsStarted();
        return new Order(id, customerId, customerMatched, status, currency, items.stream().map(i -> i.shown(started)).toList(), total,
                coupon, recurringTotal, billingAddress, shippingAddress, paymentId, refundId, createdAt, updatedAt, paidAt, fulfilledAt,
                canceledAt, version);
    }

    Order paying(String newPaymentId, Instant at) {
        return with(status, newPaymentId, refundId, at, paidAt, fulfilledAt, canceledAt);
    }

    Order paid(Instant at) {
        return with(OrderStatus.PAID, paymentId, refundId, at, at, fulfilledAt, canceledAt);
    }

    Order fulfilled(Instant at) {
        return with(OrderStatus.FULFILLED, paymentId, refundId, at, paidAt, at, canceledAt);
    }

    Order canceled(Instant at) {
        return with(OrderStatus.CANCELED, paymentId, refundId, at, paidAt, fulfilledAt, at);
    }

    Order refunding(String newRefundId, Instant at) {
        return with(status, paymentId, newRefundId, at, paidAt, fulfilledAt, canceledAt);
    }

    Order refunded(Instant at) {
        return with(OrderStatus.REFUNDED, paymentId, refundId, at, paidAt, fulfilledAt, at);
    }

    private Order with(OrderStatus newStatus, String newPaymentId, String newRefundId, Instant at, Instant newPaidAt,
                       Instant newFulfilledAt, Instant newCanceledAt) {
        return new Order(id, customerId, customerMatched, newStatus, currency, items, total, coupon, recurringTotal, billingAddress,
                shippingAddress, newPaymentId, newRefundId, createdAt, at, newPaidAt, newFulfilledAt, newCanceledAt, version + 1);
    }
}
