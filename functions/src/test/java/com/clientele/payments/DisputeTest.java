package com.clientele.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.shared.Money;
import com.clientele.shared.events.PaymentEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A dispute's lifecycle: forward-only statuses, what it holds of its payment, and the ledger entries it makes. */
class DisputeTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static Dispute opened(DisputeStatus status, long amount) {
        return new Dispute("dp_1", "pay_1", "cus_1", new Money(amount, "USD"), DisputeReason.FRAUDULENT, status, T0.plusSeconds(7 * 86_400),
                null, "dp_sandbox_1", status.warning() ? null : T0, null, T0, T0, 1);
    }

    private static Payment paid(long amount, long refunded) {
        return Payment.builder().id("pay_1").customerId("cus_1").status(refunded == 0 ? PaymentStatus.SUCCEEDED : PaymentStatus.PARTIALLY_REFUNDED)
                .amount(new Money(amount, "USD")).amountRefunded(new Money(refunded, "USD")).createdAt(T0.minusSeconds(60))
                .updatedAt(T0.minusSeconds(60)).build();
    }

    @Test
    void aStatusOnlyMovesForwardAndFinalOnesStay() {
        assertThat(DisputeStatus.NEEDS_RESPONSE.canBecome(DisputeStatus.UNDER_REVIEW)).isTrue();
        assertThat(DisputeStatus.NEEDS_RESPONSE.canBecome(DisputeStatus.LOST)).isTrue();
        assertThat(DisputeStatus.UNDER_REVIEW.canBecome(DisputeStatus.WON)).isTrue();
        assertThat(DisputeStatus.UNDER_REVIEW.canBecome(DisputeStatus.NEEDS_RESPONSE)).as("back").isFalse();
        assertThat(DisputeStatus.WARNING_NEEDS_RESPONSE.canBecome(DisputeStatus.NEEDS_RESPONSE)).as("escalated").isTrue();
        assertThat(DisputeStatus.WARNING_NEEDS_RESPONSE.canBecome(DisputeStatus.WON)).as("a warning is not won").isFalse();
        assertThat(DisputeStatus.NEEDS_RESPONSE.canBecome(DisputeStatus.WARNING_CLOSED)).isFalse();
        for (var last : List.of(DisputeStatus.WON, DisputeStatus.LOST, DisputeStatus.WARNING_CLOSED)) {
            for (var next : DisputeStatus.values()) {
                assertThat(last.canBecome(next)).as(last + " -> " + next).isFalse();
            }
        }
        assertThat(DisputeStatus.NEEDS_RESPONSE.canBecome(DisputeStatus.NEEDS_RESPONSE)).as("the same notice again").isFalse();
    }

    @Test
    void aChargebackHoldsItsAmountUntilWonAndAWarningHoldsNothing() {
        var warning = opened(DisputeStatus.WARNING_NEEDS_RESPONSE, 4_000);
        assertThat(warning.summary().held()).isZero();
        var escalated = warning.moved(DisputeStatus.NEEDS_RESPONSE, T0.plusSeconds(30));
        assertThat(escalated.heldAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(escalated.summary().held()).isEqualTo(4_000);
        assertThat(escalated.version()).isEqualTo(2);
        var lost = escalated.moved(DisputeStatus.LOST, T0.plusSeconds(90));
        assertThat(lost.closedAt()).isEqualTo(T0.plusSeconds(90));
        assertThat(lost.heldAt()).as("held when taken, not when lost").isEqualTo(T0.plusSeconds(30));
        assertThat(lost.summary().held()).isEqualTo(4_000);
        assertThat(opened(DisputeStatus.NEEDS_RESPONSE, 4_000).moved(DisputeStatus.WON, T0.plusSeconds(5)).summary().held()).isZero();
    }

    @Test
    void evidenceIsTakenUntilTheDueDateWhileOpen() {
        var open = opened(DisputeStatus.NEEDS_RESPONSE, 1_000);
        assertThat(open.answerableAt(open.evidenceDueBy())).isTrue();
        assertThat(open.answerableAt(open.evidenceDueBy().plusMillis(1))).isFalse();
        var reviewed = open.withEvidence(new Dispute.Evidence("kettle", null, null, null, null, List.of(), T0), T0);
        assertThat(reviewed.status()).isEqualTo(DisputeStatus.UNDER_REVIEW);
        assertThat(reviewed.evidence().productDescription()).isEqualTo("kettle");
        assertThat(opened(DisputeStatus.WARNING_NEEDS_RESPONSE, 1).withEvidence(reviewed.evidence(), T0).status())
                .isEqualTo(DisputeStatus.WARNING_UNDER_REVIEW);
        assertThat(open.moved(DisputeStatus.WON, T0).answerableAt(T0)).isFalse();
    }

    @Test
    void aRefundAndAChargebackNeverTakeBackMoreThanWasPaid() {
        var payment = paid(10_000, 2_000);
        assertThat(payment.disputable()).isEqualTo(8_000);
        var disputed = payment.withDispute(opened(DisputeStatus.NEEDS_RESPONSE, 6_000).summary(), T0);
        assertThat(disputed.refundable()).as("paid - refunded - disputed").isEqualTo(2_000);
        assertThat(disputed.disputed()).isTrue();
        var won = disputed.withDispute(opened(DisputeStatus.NEEDS_RESPONSE, 6_000).moved(DisputeStatus.WON, T0).summary(), T0);
        assertThat(won.refundable()).as("a won dispute gives it back").isEqualTo(8_000);
        var warned = payment.withDispute(opened(DisputeStatus.WARNING_NEEDS_RESPONSE, 8_000).summary(), T0);
        assertThat(warned.refundable()).as("a warning holds nothing").isEqualTo(8_000);
    }

    @Test
    void theLedgerHoldsAChargebackAndItsOutcomeAsTheEventsSentForThem() {
        var dispute = opened(DisputeStatus.NEEDS_RESPONSE, 3_000);
        var open = paid(10_000, 0).withDispute(dispute.summary(), T0);
        assertThat(open.ledgerEvents("acme")).extracting(PaymentEvent::type).containsExactly(PaymentEvent.SUCCEEDED, PaymentEvent.DISPUTED);
        var lost = paid(10_000, 0).withDispute(dispute.moved(DisputeStatus.LOST, T0.plusSeconds(60)).summary(), T0);
        var events = lost.ledgerEvents("acme");
        assertThat(events).extracting(PaymentEvent::type)
                .containsExactly(PaymentEvent.SUCCEEDED, PaymentEvent.DISPUTED, PaymentEvent.DISPUTE_LOST);
        assertThat(events.get(1).occurredAt()).isEqualTo(T0);
        assertThat(events.get(2).occurredAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(events.get(2).entryId()).isEqualTo("dp_1:lost");
        assertThat(events.get(1).entryId()).isEqualTo("dp_1");
        assertThat(events.get(2).disputeId()).isEqualTo("dp_1");
        assertThat(events.get(2).refundId()).isNull();
        var warning = paid(10_000, 0).withDispute(opened(DisputeStatus.WARNING_NEEDS_RESPONSE, 3_000).summary(), T0);
        assertThat(warning.ledgerEvents("acme")).extracting(PaymentEvent::type).containsExactly(PaymentEvent.SUCCEEDED);
    }
}
