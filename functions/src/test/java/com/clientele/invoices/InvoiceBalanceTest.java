package com.clientele.invoices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.customers.Balance;
import com.clientele.invoices.InvoiceTotals.LineInput;
import com.clientele.shared.Money;
import com.clientele.shared.events.InvoiceEvent;
import com.clientele.shared.http.FieldError;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An invoice's share of its customer's balance through its life, and the balance as the sum of the shares
 * moved write by write; the events each change makes. Without AWS.
 */
class InvoiceBalanceTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final LocalDate DUE = LocalDate.of(2026, 12, 8);

    private static Invoice draft(String id, long amount) {
        var errors = new ArrayList<FieldError>();
        var totals = InvoiceTotals.of(errors, List.of(new LineInput("Consulting", BigDecimal.ONE, BigDecimal.valueOf(amount), BigDecimal.ZERO)));
        assertThat(errors).isEmpty();
        return Invoice.draft(id, "cus_1", "USD", totals, null, null, Invoice.Source.NONE, NOW);
    }

    private static Invoice open(String id, long amount) {
        return draft(id, amount).finalized("INV-2026-000001", null, "NET_7", DUE, NOW);
    }

    private static InvoicePayment payment(String id, long amount, String method) {
        return new InvoicePayment(id, new Money(amount, "USD"), method, InvoicePayment.PENDING, NOW);
    }

    /** The balance after the change {@code before} → {@code after}, as the repository moves it. */
    private static Balance moved(Balance balance, Invoice before, Invoice after) {
        return balance.change(before == null ? Balance.NONE : before.share(), after.share());
    }

    private static List<String> events(Invoice before, Invoice after) {
        var ids = new AtomicInteger();
        return InvoiceEvents.of("t1", before, after, () -> "evt_" + ids.incrementAndGet(), NOW).stream().map(InvoiceEvent::type).toList();
    }

    @Test
    void finalisingAddsWhatIsDuePaymentsAndCreditNotesLowerItAndAVoidTakesItOff() {
        var balance = Balance.NONE;
        var draft = draft("in_1", 10_000);
        assertThat(draft.share()).as("a draft asks nothing yet").isEqualTo(Balance.NONE);
        var open = draft.finalized("INV-2026-000001", null, "NET_7", DUE, NOW);
        balance = moved(balance, draft, open);
        assertThat(balance).isEqualTo(new Balance(10_000, 0, "USD"));

        var reserving = open.paying(payment("pay_1", 3_000, "bank_transfer"), NOW);
        balance = moved(balance, open, reserving);
        assertThat(balance).as("a payment being made is still outstanding").isEqualTo(new Balance(10_000, 0, "USD"));
        var paid = reserving.settled("pay_1", NOW);
        balance = moved(balance, reserving, paid);
        assertThat(balance).isEqualTo(new Balance(7_000, 0, "USD"));

        var credited = paid.credited(new CreditNote("cn_1", new Money(1_000, "USD"), null, null, null, NOW), NOW);
        balance = moved(balance, paid, credited);
        assertThat(balance).isEqualTo(new Balance(6_000, 0, "USD"));

        var other = open("in_2", 5_000);
        balance = moved(balance, null, other);
        assertThat(balance).isEqualTo(new Balance(11_000, 0, "USD"));
        balance = moved(balance, other, other.voided(NOW));
        assertThat(balance).isEqualTo(new Balance(6_000, 0, "USD"));

        var rest = credited.paying(payment("pay_2", 6_000, "card"), NOW);
        balance = moved(balance, credited, rest);
        var settled = rest.settled("pay_2", NOW);
        assertThat(settled.status()).isEqualTo(InvoiceStatus.PAID);
        balance = moved(balance, rest, settled);
        assertThat(balance).as("nothing outstanding: no currency either").isEqualTo(Balance.NONE);
    }

    @Test
    void anOverdueMarkMovesWhatIsLeftIntoOverdueAndAPaymentLowersBoth() {
        var open = open("in_1", 10_000);
        assertThat(open.pastDue(DUE)).as("due today is not past due").isFalse();
        assertThat(open.pastDue(DUE.plusDays(1))).isTrue();
        var balance = moved(Balance.NONE, null, open);
        var marked = open.markedOverdue(NOW);
        assertThat(marked.status()).as("still open, as Stripe keeps it").isEqualTo(InvoiceStatus.OPEN);
        assertThat(marked.overdueSince()).isEqualTo(NOW);
        assertThat(marked.pastDue(DUE.plusDays(2))).as("marked once").isFalse();
        assertThat(marked.awaitingDue()).as("out of the due index").isFalse();
        balance = moved(balance, open, marked);
        assertThat(balance).isEqualTo(new Balance(10_000, 10_000, "USD"));

        var second = open("in_2", 4_000);
        balance = moved(balance, null, second);
        assertThat(balance).as("a second, not overdue").isEqualTo(new Balance(14_000, 10_000, "USD"));

        var paying = marked.paying(payment("pay_1", 2_500, "cash"), NOW);
        var paid = paying.settled("pay_1", NOW);
        balance = moved(moved(balance, marked, paying), paying, paid);
        assertThat(balance).isEqualTo(new Balance(11_500, 7_500, "USD"));

        var writtenOff = paid.uncollectible(NOW);
        balance = moved(balance, paid, writtenOff);
        assertThat(balance).as("uncollectible: no longer outstanding (Stripe), nor overdue").isEqualTo(new Balance(4_000, 0, "USD"));
        var stillPaid = writtenOff.paying(payment("pay_2", 7_500, "cheque"), NOW).settled("pay_2", NOW);
        assertThat(stillPaid.status()).as("a written-off invoice is still payable").isEqualTo(InvoiceStatus.PAID);
        assertThat(moved(balance, writtenOff, stillPaid)).as("and its payment moves nothing more").isEqualTo(balance);
    }

    @Test
    void aBalanceTakesOneCurrencyUntilNothingIsOutstanding() {
        var usd = new Balance(5_000, 0, "USD");
        var eur = Balance.of(true, false, 3_000, "EUR");
        assertThat(usd.accepts(eur)).isFalse();
        assertThatThrownBy(() -> usd.change(Balance.NONE, eur)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Balance.NONE.accepts(eur)).isTrue();
        assertThat(usd.change(usd, Balance.NONE).accepts(eur)).isTrue();
        assertThat(Balance.of(false, true, 3_000, "EUR")).as("not outstanding: no share").isEqualTo(Balance.NONE);
        assertThat(usd.plus(new Balance(1_000, 1_000, "USD"))).as("a merged customer's joins").isEqualTo(new Balance(6_000, 1_000, "USD"));
    }

    @Test
    void eachChangeMakesItsEventsOnce() {
        var draft = draft("in_1", 10_000);
        var open = draft.finalized("INV-2026-000001", null, "NET_7", DUE, NOW);
        assertThat(events(null, draft)).as("a draft is no event").isEmpty();
        assertThat(events(draft, open)).containsExactly(InvoiceEvent.FINALIZED);
        var reserving = open.paying(payment("pay_1", 4_000, "bank_transfer"), NOW);
        assertThat(events(open, reserving)).as("a reservation is none").isEmpty();
        var recorded = reserving.settled("pay_1", NOW);
        assertThat(events(reserving, recorded)).containsExactly(InvoiceEvent.PAYMENT_RECORDED);
        var marked = recorded.markedOverdue(NOW);
        assertThat(events(recorded, marked)).containsExactly(InvoiceEvent.OVERDUE);
        var card = marked.paying(payment("pay_2", 5_000, "card"), NOW);
        var cardPaid = card.settled("pay_2", NOW);
        assertThat(events(card, cardPaid)).as("a card payment has its payment.succeeded").isEmpty();
        var credited = cardPaid.credited(new CreditNote("cn_1", new Money(1_000, "USD"), null, null, null, NOW), NOW);
        assertThat(events(cardPaid, credited)).containsExactly(InvoiceEvent.CREDIT_NOTE_CREATED, InvoiceEvent.PAID);
        var nothingDue = draft("in_2", 0).finalized("INV-2026-000002", null, "NET_7", DUE, NOW);
        assertThat(events(null, nothingDue)).containsExactly(InvoiceEvent.FINALIZED, InvoiceEvent.PAID);
        var other = open("in_3", 100);
        assertThat(events(other, other.voided(NOW))).containsExactly(InvoiceEvent.VOIDED);
        assertThat(events(other, other.uncollectible(NOW))).containsExactly(InvoiceEvent.MARKED_UNCOLLECTIBLE);
        assertThat(InvoiceEvents.of("t1", draft, open, () -> "evt_1", NOW).get(0))
                .returns("t1", InvoiceEvent::tenantId).returns("cus_1", InvoiceEvent::customerId).returns(10_000L, InvoiceEvent::amountDue)
                .returns(DUE, InvoiceEvent::dueDate);
    }
}
