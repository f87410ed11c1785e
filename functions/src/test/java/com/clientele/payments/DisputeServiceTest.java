package com.clientele.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.clientele.payments.DisputeRepository.StoredDispute;
import com.clientele.payments.PaymentRepository.StoredPayment;
import com.clientele.shared.Money;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.events.Redelivery;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispute rules against their repositories: what a notice records or refuses, and when the merchant may answer. */
class DisputeServiceTest {

    private static final Instant NOW = Instant.parse("2026-05-10T12:00:00Z");
    private static final String PAYMENT = "pay_01KAZ63N5B7V9C1X3Z5A7S9D1F";
    private static final String DISPUTE = "dp_01KB4E6G8J0L2N4Q6S8U0W2Y4C";

    private PaymentRepository payments;
    private DisputeRepository repository;
    private PaymentGateway gateway;
    private Outbox outbox;
    private DisputeService service;

    @BeforeEach
    void setUp() {
        payments = mock(PaymentRepository.class);
        repository = mock(DisputeRepository.class);
        gateway = mock(PaymentGateway.class);
        outbox = mock(Outbox.class);
        service = new DisputeService(payments, repository, gateway, outbox, new Cursors("secret"), Clock.fixed(NOW, ZoneOffset.UTC),
                record -> { });
    }

    private static StoredPayment payment(PaymentStatus status, long amount, long refunded) {
        return new StoredPayment(Payment.builder().id(PAYMENT).customerId("cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF").status(status)
                .amount(new Money(amount, "USD")).amountRefunded(new Money(refunded, "USD")).createdAt(NOW.minusSeconds(600))
                .updatedAt(NOW.minusSeconds(600)).version(2).build(), "T#acme#C#cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF", "tok", "ch_1");
    }

    private DisputeNotice notice(String processorId, DisputeStatus status, long amount) {
        var notice = new DisputeNotice("evt_sandbox_1", "acme", processorId, "ch_1", PAYMENT, new Money(amount, "USD"),
                DisputeReason.FRAUDULENT, status, NOW.plusSeconds(86_400), NOW.minusSeconds(5));
        when(gateway.disputeNotice(anyString())).thenReturn(notice);
        return notice;
    }

    private static StoredDispute dispute(DisputeStatus status, Instant dueBy) {
        return new StoredDispute(new Dispute(DISPUTE, PAYMENT, "cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF", new Money(1_000, "USD"), DisputeReason.DUPLICATE,
                status, dueBy, null, "dp_sandbox_1", NOW.minusSeconds(3_600), null, NOW.minusSeconds(3_600), NOW.minusSeconds(3_600), 1),
                "T#acme#C#cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF");
    }

    @Test
    void aNewChargebackIsRecordedWithItsPaymentsEntry() {
        notice("dp_sandbox_1", DisputeStatus.NEEDS_RESPONSE, 4_000);
        when(repository.byProcessorId("acme", "dp_sandbox_1")).thenReturn(Optional.empty());
        when(payments.payment("acme", PAYMENT)).thenReturn(Optional.of(payment(PaymentStatus.SUCCEEDED, 10_000, 0)));
        assertThat(service.apply("{}")).isEqualTo(DisputeService.Outcome.RECORDED);
        verify(repository).insert(any(), any(), any());
    }

    @Test
    void aRedeliveredCreationIsADuplicateAndSendsNothing() {
        notice("dp_sandbox_1", DisputeStatus.NEEDS_RESPONSE, 4_000);
        when(repository.byProcessorId("acme", "dp_sandbox_1")).thenReturn(Optional.empty());
        when(payments.payment("acme", PAYMENT)).thenReturn(Optional.of(payment(PaymentStatus.SUCCEEDED, 10_000, 0)));
        doThrow(new DisputeRepository.AlreadyRecorded()).when(repository).insert(any(), any(), any());
        assertThat(service.apply("{}")).isEqualTo(DisputeService.Outcome.DUPLICATE);
        verify(outbox, never()).publish(any(), any(), any());
    }

    @Test
    void aNoticeThatWouldMoveADisputeBackChangesNothing() {
        notice("dp_sandbox_1", DisputeStatus.NEEDS_RESPONSE, 1_000);
        when(repository.byProcessorId("acme", "dp_sandbox_1")).thenReturn(Optional.of(dispute(DisputeStatus.UNDER_REVIEW, NOW)));
        assertThat(service.apply("{}")).isEqualTo(DisputeService.Outcome.DUPLICATE);
        verify(repository, never()).update(any(), any(), any(), any());
        verify(payments, never()).payment(any(), any());
    }

    @Test
    void moreThanIsLeftAfterRefundsOrAnotherChargeIsRefused() {
        notice("dp_sandbox_1", DisputeStatus.NEEDS_RESPONSE, 3_000);
        when(repository.byProcessorId("acme", "dp_sandbox_1")).thenReturn(Optional.empty());
        when(payments.payment("acme", PAYMENT)).thenReturn(Optional.of(payment(PaymentStatus.PARTIALLY_REFUNDED, 10_000, 8_000)));
        assertThat(service.apply("{}")).isEqualTo(DisputeService.Outcome.REFUSED);

        when(payments.payment("acme", PAYMENT)).thenReturn(Optional.of(payment(PaymentStatus.REFUNDED, 10_000, 10_000)));
        assertThat(service.apply("{}")).as("wholly refunded").isEqualTo(DisputeService.Outcome.REFUSED);

        var other = payment(PaymentStatus.SUCCEEDED, 10_000, 0);
        when(payments.payment("acme", PAYMENT)).thenReturn(Optional.of(new StoredPayment(other.payment(), other.home(), "tok", "ch_other")));
        assertThat(service.apply("{}")).as("another charge's").isEqualTo(DisputeService.Outcome.REFUSED);
        verify(repository, never()).insert(any(), any(), any());
    }

    @Test
    void aNoticeAheadOfItsPaymentsSettlementComesAgainSoon() {
        notice("dp_sandbox_1", DisputeStatus.NEEDS_RESPONSE, 1_000);
        when(repository.byProcessorId("acme", "dp_sandbox_1")).thenReturn(Optional.empty());
        when(payments.payment("acme", PAYMENT)).thenReturn(Optional.of(payment(PaymentStatus.PENDING, 10_000, 0)));
        assertThatThrownBy(() -> service.apply("{}")).isInstanceOf(Redelivery.Soon.class);
    }

    @Test
    void evidenceAfterTheDueDateOrOnAClosedDisputeIsRefusedNamingWhy() {
        var input = new DisputeService.EvidenceInput("a kettle", null, null, null, null, List.of());
        when(repository.dispute("acme", DISPUTE)).thenReturn(Optional.of(dispute(DisputeStatus.NEEDS_RESPONSE, NOW.minusMillis(1))));
        assertThatThrownBy(() -> service.submitEvidence("acme", DISPUTE, input)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.code()).isEqualTo("evidence_past_due");
        });
        when(repository.dispute("acme", DISPUTE)).thenReturn(Optional.of(dispute(DisputeStatus.LOST, NOW.plusSeconds(60))));
        assertThatThrownBy(() -> service.submitEvidence("acme", DISPUTE, input)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("dispute_closed"));
        verify(gateway, never()).submitDisputeEvidence(any(), any(), any());
        verify(repository, never()).update(any(), any(), any(), any());
    }
}
