package com.clientele.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.shared.Json;
import com.clientele.shared.Money;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PaymentTest {

    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

    private static Payment succeeded(long amount) {
        var pending = Payment.builder().id("pay_1").customerId("cus_1").status(PaymentStatus.PENDING).amount(new Money(amount, "USD"))
                .createdAt(AT).updatedAt(AT).build();
        return pending.settled(GatewayResult.succeeded("ch_1"), AT);
    }

    private static Refund refund(String id, RefundStatus status, long amount) {
        return new Refund(id, "pay_1", status, new Money(amount, "USD"), null, null, null, AT);
    }

    @Test
    void settlingRecordsTheOutcomeOneVersionLater() {
        var declined = Payment.builder().id("pay_1").customerId("cus_1").status(PaymentStatus.PENDING).amount(new Money(500, "USD"))
                .createdAt(AT).updatedAt(AT).build()
                .settled(GatewayResult.declined("ch_1", "card_declined", "Declined"), AT);
        assertThat(declined.status()).isEqualTo(PaymentStatus.FAILED);
        assertThat(declined.failureCode()).isEqualTo("card_declined");
        assertThat(declined.version()).isEqualTo(2);
        assertThat(declined.isRefundable()).isFalse();
        assertThat(succeeded(500).status()).isEqualTo(PaymentStatus.SUCCEEDED);
    }

    @Test
    void pendingRefundsAreReservedAndOnlySucceededOnesCountAsRefunded() {
        var payment = succeeded(10_000).withRefund(refund("re_1", RefundStatus.PENDING, 2_500), AT);
        assertThat(payment.refundable()).isEqualTo(7_500);
        assertThat(payment.amountRefunded().amount()).isZero();
        assertThat(payment.status()).isEqualTo(PaymentStatus.SUCCEEDED);

        payment = payment.withRefund(refund("re_1", RefundStatus.SUCCEEDED, 2_500), AT);
        assertThat(payment.refunds()).hasSize(1);
        assertThat(payment.amountRefunded().amount()).isEqualTo(2_500);
        assertThat(payment.status()).isEqualTo(PaymentStatus.PARTIALLY_REFUNDED);

        payment = payment.withRefund(refund("re_2", RefundStatus.FAILED, 7_500), AT);
        assertThat(payment.refundable()).isEqualTo(7_500);
        assertThat(payment.status()).isEqualTo(PaymentStatus.PARTIALLY_REFUNDED);

        payment = payment.withRefund(refund("re_3", RefundStatus.SUCCEEDED, 7_500), AT);
        assertThat(payment.status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(payment.refundable()).isZero();
        assertThat(payment.isRefundable()).isFalse();
    }

    @Test
    void statusesAreWrittenAndReadAsTheirLowercaseNames() throws Exception {
        var payment = succeeded(10_000).withRefund(refund("re_1", RefundStatus.SUCCEEDED, 2_500), AT);
        var json = Json.MAPPER.valueToTree(payment);
        assertThat(json.path("status").asText()).isEqualTo("partially_refunded");
        assertThat(json.path("refunds").get(0).path("status").asText()).isEqualTo("succeeded");
        assertThat(Json.MAPPER.treeToValue(json, Payment.class)).isEqualTo(payment);
        assertThat(PaymentStatus.parse("refunded")).contains(PaymentStatus.REFUNDED);
        assertThat(PaymentStatus.parse("REFUNDED")).isEmpty();
    }
}
