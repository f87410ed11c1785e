package com.clientele.payments;

import com.clientele.shared.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A charge and what became of it ({@link PaymentStatus}; {@code failureCode} when it failed). {@code amountRefunded} counts
 * succeeded refunds; pending ones are reserved so that refunds can never exceed the amount.
 */
public record Payment(String id, String customerId, PaymentStatus status, Money amount, Money amountRefunded,
                      String description, PaymentCard paymentMethod, Guest guest, String storeId, String terminalId,
                      String receiptId, String failureCode, String failureMessage, List<Refund> refunds,
                      Instant createdAt, Instant updatedAt, long version) {

    /** Who paid as a guest: the contact details given at checkout. */
    public record Guest(String email, String phone) {
    }

    Payment settled(GatewayResult result, Instant at) {
        return new Payment(id, customerId, result.succeeded() ? PaymentStatus.SUCCEEDED : PaymentStatus.FAILED, amount, amountRefunded, description,
                paymentMethod, guest, storeId, terminalId, receiptId, result.failureCode(), result.failureMessage(),
                refunds, createdAt, at, version + 1);
    }

    /** What can still be refunded: the amount less succeeded and pending refunds. */
    long refundable() {
        long pending = refunds.stream().filter(r -> r.status() == RefundStatus.PENDING).mapToLong(r -> r.amount().amount()).sum();
        return amount.amount() - amountRefunded.amount() - pending;
    }

    boolean isRefundable() {
        return status == PaymentStatus.SUCCEEDED || status == PaymentStatus.PARTIALLY_REFUNDED;
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
        long refunded = all.stream().filter(r -> r.status() == RefundStatus.SUCCEEDED).mapToLong(r -> r.amount().amount()).sum();
        var newStatus = refunded == 0 ? PaymentStatus.SUCCEEDED
                : refunded >= amount.amount() ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED;
        return new Payment(id, customerId, newStatus, amount, new Money(refunded, amount.currency()), description,
                paymentMethod, guest, storeId, terminalId, receiptId, failureCode, failureMessage, List.copyOf(all),
                createdAt, at, version + 1);
    }
}
