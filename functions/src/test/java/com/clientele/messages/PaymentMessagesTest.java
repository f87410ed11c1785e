package com.clientele.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.clientele.shared.events.PaymentEvent;
import com.clientele.shared.events.SubscriptionEvent;
import java.time.LocalDate;
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

    @Test
    void theSubscriptionsRemindersAreTransactionalEmailsUnderTheEventsId() {
        when(messages.send(any())).thenReturn(Optional.of(mock(Communication.class)));
        assertThat(payments.remind(new SubscriptionEvent("evt_1", SubscriptionEvent.RENEWAL_UPCOMING, 1, "acme", "cus_1", "sub_1",
                Instant.parse("2026-12-01T09:00:00Z"), 4, Instant.parse("2026-12-08T09:00:00Z"), 4900, "EUR", null))).isTrue();
        assertThat(payments.remind(new SubscriptionEvent("evt_2", SubscriptionEvent.CONTRACT_ENDING, 1, "acme", "cus_1", "sub_1",
                Instant.parse("2026-12-01T09:00:00Z"), null, null, 4900, "EUR", LocalDate.of(2026, 12, 31)))).isTrue();
        var requests = ArgumentCaptor.forClass(MessageRequest.class);
        verify(messages, org.mockito.Mockito.times(2)).send(requests.capture());
        var renewal = requests.getAllValues().get(0);
        assertThat(renewal.messageId()).isEqualTo("renewal_reminder:evt_1");
        assertThat(renewal.template()).isEqualTo(MessageTemplate.RENEWAL_REMINDER);
        assertThat(renewal.transactional()).as("sent whatever the marketing preferences").isTrue();
        assertThat(renewal.variables()).containsEntry("amount", "49.00 EUR").containsEntry("date", "2026-12-08")
                .containsEntry("subscription", "sub_1");
        var ending = requests.getAllValues().get(1);
        assertThat(ending.messageId()).isEqualTo("contract_end_reminder:evt_2");
        assertThat(ending.transactional()).isTrue();
        assertThat(ending.variables()).containsEntry("date", "2026-12-31");
    }
}
