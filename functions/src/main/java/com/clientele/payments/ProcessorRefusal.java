package com.clientele.payments;

import com.clientele.shared.http.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A charge declined or a refund refused by the processor, as a request that moved (or tried to move)
 * money for an order or an invoice reports it: the payment (and the refund), the processor's code and
 * message. The request itself succeeded in what it recorded; its answer is this 402.
 */
public record ProcessorRefusal(String paymentId, String refundId, String code, String message) {

    /** A charge the processor declined. */
    public static ProcessorRefusal declined(Payment payment) {
        return new ProcessorRefusal(payment.id(), null, payment.failureCode(), payment.failureMessage());
    }

    /** A refund of {@code paymentId} the processor refused. */
    public static ProcessorRefusal refused(String paymentId, Refund refund) {
        return new ProcessorRefusal(paymentId, refund.id(), refund.failureCode(), refund.failureMessage());
    }

    /**
     * The 402 problem: {@code subject}'s fields (what was paid for: its id and state) first, then the
     * payment, the refund when there is one, and the decline code.
     */
    public ApiException problem(Map<String, Object> subject) {
        var extensions = new LinkedHashMap<>(subject);
        extensions.put("paymentId", paymentId);
        if (refundId != null) {
            extensions.put("refundId", refundId);
        }
        extensions.put("declineCode", code);
        boolean refund = refundId != null;
        return new ApiException(402, code, refund ? "Refund refused" : "Payment declined",
                message != null ? message : refund ? "The processor refused the refund" : "The card was declined",
                List.of(), extensions, Map.of());
    }
}
