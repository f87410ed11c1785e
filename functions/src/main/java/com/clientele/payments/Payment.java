package com.clientele.payments;

import com.clientele.shared.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A charge and what became of it. {@code status}: {@code pending} (sent to the processor, outcome
 * not yet known), {@code succeeded}, {@code failed} (with {@code failureCode}), then
 * {@code partially_refunded} / {@code refunded} as refunds succeed. {@code amountRefunded} counts
 * succeeded refunds; pending ones are reserved so that refunds can never exceed the amount.
 */
public record Payment(String id, String customerId, String status, Money amount, Money amountRefunded,
                      String description, PaymentCard paymentMethod, Guest guest, String storeId, String terminalId,
                      String receiptId, String failureCode, String failureMessage, List<Refund> refunds,
                      Instant createdAt, Instant updatedAt, long version) {

    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String PARTIALLY_REFUNDED = "partially_refunded";
    public static final String REFUNDED = "refunded";

    /** Who paid as a guest: the contact details given at checkout. */
    public record Guest(String email, String phone) {
    }

    Payment settled(GatewayResult result, Instant at) {
        return new Payment(id, customerId, result.succeeded() ? SUCCEEDED : FAILED, amount, amountRefunded, description,
                paymentMethod, guest, storeId, terminalId, receiptId, result.failureCode(), result.failureMessage(),
                refunds, createdAt, at, version + 1);
    }

    /** What can still be refunded: the amount less succeeded and pending refunds. */
    long refundable() {
        long pending = refunds.stream().filter(r -> Refund.PENDING.equals(r.status())).mapToLong(r -> r.amount().amount()).sum();
        return amount.amount() - amountRefunded.amount() - pending;
    }

    boolean isRefundable() {
        return SUCCEEDED.equals(status) || PARTIALLY_REFUNDED.equals(status);
    }

    Payment withRefund(Refund refund, Instant at) {
        var all = new ArrayList<Refund>();
        boolean replaced = false;
        for (var r : refunds) {
            if (r.id().equals(refund.id())) {
                all.add(refund);
                replaced = true;
            } else {
                all.add(r);
            }
        }
        if (!replaced) {
            all.add(refund);
        }
        long refunded = all.stream().filter(r -> Refund.SUCCEEDED.equals(r.status())).mapToLong(r -> r.amount().amount()).sum();
        String newStatus = refunded == 0 ? SUCCEEDED : refunded >= amount.amount() ? REFUNDED : PARTIALLY_REFUNDED;
        return new Payment(id, customerId, newStatus, amount, new Money(refunded, amount.currency()), description,
                paymentMethod, guest, storeId, terminalId, receiptId, failureCode, failureMessage, List.copyOf(all),
                createdAt, at, version + 1);
    }
}
