package com.clientele.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.clientele.shared.events.PaymentEvent;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** Which payment events call for which message, under which message id. */
class PaymentMessagesTest {

    private final Messages messages = mock(Messages.class);
    private final PaymentMessages payments = new PaymentMessages(messages);

    private static PaymentEvent.Builder event(String type) {
        return PaymentEvent.builder().id("evt_01KAZ64P6C8B0N2M4V6C8X0Z2A").type(type).tenantId("acme")
                .customerId("cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF").paymentId("pay_01KAZ63N5B7V9C1X3Z5A7S9D1F").amount(8900).currency("USD")
                .occurredAt(Instant.parse("2026-11-23T09:30:00Z"));
    }

    @Test
    void aChargeSendsAReceiptAndAFailureANoticeEachUnderThePaymentsId() {
        when(messages.send(any())).thenReturn(Optional.of(mock(Communication.class)));
        assertThat(payments.apply(event(PaymentEvent.SUCCEEDED).build())).isTrue();
        assertThat(payments.apply(event(PaymentEvent.FAILED).failureCode("insufficient_funds").build())).isTrue();
        var requests = ArgumentCaptor.forClass(MessageRequest.class);
        verify(messages, org.mockito.Mockito.times(2)).send(requests.capture());
        var receipt = requests.getAllValues().get(0);
        assertThat(receipt.messageId()).isEqualTo("receipt:pay_01KAZ63N5B7V9C1X3Z5A7S9D1F");
        assertThat(receipt.template()).isEqualTo(MessageTemplate.PAYMENT_RECEIPT);
        assertThat(receipt.variables()).containsEntry("amount", "89.00 USD").containsEntry("date", "2026-11-23");
        var failure = requests.getAllValues().get(1);
        assertThat(failure.messageId()).isEqualTo("payment_failed:pay_01KAZ63N5B7V9C1X3Z5A7S9D1F");
        assertThat(failure.variables()).containsEntry("reason", "insufficient funds");
    }

    @Test
    void guestPaymentsAndRefundsSendNothing() {
        assertThat(payments.apply(event(PaymentEvent.SUCCEEDED).customerId(null).build())).isFalse();
        assertThat(payments.apply(event(PaymentEvent.REFUNDED).refundId("re_01KAZ63N5B7V9C1X3Z5A7S9D1F").build())).isFalse();
        verify(messages, never()).send(any());
    }
}
