package com.clientele.invoices;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.invoices.InvoiceTotals.LineInput;
import com.clientele.shared.Money;
import com.clientele.shared.http.FieldError;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of an invoice's lines, amounts and states, without AWS. */
class InvoiceTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static LineInput line(String quantity, String unitAmount, String taxRate) {
        return new LineInput("Consulting", new BigDecimal(quantity), new BigDecimal(unitAmount), taxRate == null ? null : new BigDecimal(taxRate));
    }

    private static List<String> refused(LineInput... lines) {
        var errors = new ArrayList<FieldError>();
        var totals = InvoiceTotals.of(errors, List.of(lines));
        assertThat(totals).isSameAs(InvoiceTotals.NONE);
        return errors.stream().map(FieldError::field).toList();
    }

    private static InvoiceTotals totals(LineInput... lines) {
        var errors = new ArrayList<FieldError>();
        var totals = InvoiceTotals.of(errors, List.of(lines));
        assertThat(errors).isEmpty();
        return totals;
    }

    private static Invoice open(long amount) {
        var draft = Invoice.draft("in_1", "cus_1", "USD", totals(line("1", Long.toString(amount), "0")), null, null, Invoice.Source.NONE, NOW);
        return draft.finalized("INV-2026-000001", null, Invoice.DUE_ON_RECEIPT, LocalDate.of(2026, 12, 1), NOW);
    }

    @Test
    void eachLineIsTaxedAtItsRateRoundedHalfUpAndTheInvoiceAddsThemUp() {
        var totals = totals(line("12", "15000", "20"), line("1", "3333", "7.5"), line("3", "1", "33.3333"));
        assertThat(totals.lines()).extracting(InvoiceLine::amount).containsExactly(180_000L, 3333L, 3L);
        assertThat(totals.lines()).extracting(InvoiceLine::tax).containsExactly(36_000L, 250L, 1L);
        assertThat(totals.subtotal()).isEqualTo(183_336);
        assertThat(totals.tax()).isEqualTo(36_251);
        assertThat(totals.total()).isEqualTo(219_587);
        assertThat(totals(line("1", "5", null)).lines().get(0).taxRate()).as("no rate: untaxed").isEqualByComparingTo("0");
    }

    @Test
    void numbersOutOfRangeAreRefusedBeforeAnyArithmetic() {
        assertThat(refused(line("0", "1", null))).containsExactly("lines[0].quantity");
        assertThat(refused(line("1.5", "1", null))).containsExactly("lines[0].quantity");
        assertThat(refused(line("1e30", "1", null))).containsExactly("lines[0].quantity");
        assertThat(refused(line("1", "-1", null))).containsExactly("lines[0].unitAmount");
        assertThat(refused(line("1", "1e400", null))).containsExactly("lines[0].unitAmount");
        assertThat(refused(line("1", "1", "100.01"))).containsExactly("lines[0].taxRate");
        assertThat(refused(line("1", "1", "-1"))).containsExactly("lines[0].taxRate");
        assertThat(refused(line("1", "1", "0.00001"))).containsExactly("lines[0].taxRate");
        assertThat(refused(line("1000000", "999999999999", "100"))).as("past the largest invoice, no overflow")
                .containsExactly("lines[0].unitAmount");
        assertThat(refused(line("1000000", "999999", null), line("1000000", "999999", null))).containsExactly("lines");
        var many = Collections.nCopies(InvoiceTotals.MAX_LINES + 1, line("1", "1", null));
        var errors = new ArrayList<FieldError>();
        InvoiceTotals.of(errors, many);
        assertThat(errors).extracting(FieldError::field).containsExactly("lines");
        assertThat(totals(line("1000000", "999999", "0")).total()).isEqualTo(999_999_000_000L);
    }

    @Test
    void theDueDateFollowsThePaymentTermsAndNumbersHaveSixDigitsAtLeast() {
        var day = LocalDate.of(2026, 12, 1);
        assertThat(InvoiceService.dueDate(day, "NET_7")).isEqualTo(LocalDate.of(2026, 12, 8));
        assertThat(InvoiceService.dueDate(day, "NET_30")).isEqualTo(LocalDate.of(2026, 12, 31));
        assertThat(InvoiceService.dueDate(day, Invoice.DUE_ON_RECEIPT)).isEqualTo(day);
        assertThat(InvoiceService.number(new InvoiceRepository.Numbering(2026, 122))).isEqualTo("INV-2026-000123");
        assertThat(InvoiceService.number(new InvoiceRepository.Numbering(2027, 0))).isEqualTo("INV-2027-000001");
        assertThat(InvoiceService.number(new InvoiceRepository.Numbering(2026, 999_999))).isEqualTo("INV-2026-1000000");
    }

    @Test
    void aReservedPaymentHoldsItsAmountUntilItSettlesOrIsReleased() {
        var invoice = open(10_000);
        assertThat(invoice.status()).isEqualTo(InvoiceStatus.OPEN);
        var reserving = invoice.paying(new InvoicePayment("pay_1", new Money(6000, "USD"), "card", InvoicePayment.PENDING, NOW), NOW);
        assertThat(reserving.available()).as("what another payment may still take").isEqualTo(4000);
        assertThat(reserving.amountDue().amount()).as("due until it is paid").isEqualTo(10_000);
        var released = reserving.released("pay_1", NOW);
        assertThat(released.available()).isEqualTo(10_000);
        assertThat(released.payments()).isEmpty();
        var part = reserving.settled("pay_1", NOW);
        assertThat(part.amountPaid().amount()).isEqualTo(6000);
        assertThat(part.amountDue().amount()).isEqualTo(4000);
        assertThat(part.status()).isEqualTo(InvoiceStatus.OPEN);
        assertThat(part.settled("pay_1", NOW).amountPaid().amount()).as("settling twice counts once").isEqualTo(6000);
        var rest = part.paying(new InvoicePayment("pay_2", new Money(4000, "USD"), "cash", InvoicePayment.PENDING, NOW), NOW)
                .settled("pay_2", NOW);
        assertThat(rest.status()).isEqualTo(InvoiceStatus.PAID);
        assertThat(rest.paidAt()).isEqualTo(NOW);
        assertThat(rest.version()).isEqualTo(invoice.version() + 4);
    }

    @Test
    void creditNotesReduceWhatIsDueOrCountAsRefunded() {
        var invoice = open(10_000);
        var credited = invoice.credited(new CreditNote("cn_1", new Money(3000, "USD"), null, null, null, NOW), NOW);
        assertThat(credited.amountDue().amount()).isEqualTo(7000);
        assertThat(credited.amountCredited().amount()).isEqualTo(3000);
        var all = credited.credited(new CreditNote("cn_2", new Money(7000, "USD"), null, null, null, NOW), NOW);
        assertThat(all.status()).as("nothing left due").isEqualTo(InvoiceStatus.PAID);
        var paid = invoice.paying(new InvoicePayment("pay_1", new Money(10_000, "USD"), "card", InvoicePayment.PENDING, NOW), NOW)
                .settled("pay_1", NOW);
        assertThat(paid.refundable()).isEqualTo(10_000);
        var refunded = paid.credited(new CreditNote("cn_3", new Money(2500, "USD"), null, "pay_1", "re_1", NOW), NOW);
        assertThat(refunded.amountRefunded().amount()).isEqualTo(2500);
        assertThat(refunded.refundable()).isEqualTo(7500);
        assertThat(refunded.amountDue().amount()).isZero();
        assertThat(refunded.status()).isEqualTo(InvoiceStatus.PAID);
    }

    @Test
    void aDraftThatAsksNothingIsPaidWhenFinalisedAndAVoidInvoiceAsksNothing() {
        assertThat(open(0).status()).isEqualTo(InvoiceStatus.PAID);
        var voided = open(5000).voided(NOW);
        assertThat(voided.status()).isEqualTo(InvoiceStatus.VOID);
        assertThat(voided.amountDue().amount()).isZero();
        assertThat(InvoiceStatus.VOID.collecting()).isFalse();
        assertThat(InvoiceStatus.UNCOLLECTIBLE.collecting()).isTrue();
        assertThat(new Invoice.Source(null, "sub_1", 3).key()).isEqualTo("sub_1#3");
        assertThat(Invoice.Source.NONE.key()).isNull();
    }

    @Test
    void aCouponIsTakenOffWhatTheLinesAskWithTheirTaxAndStaysThroughFinalisingAndVoiding() {
        var totals = totals(line("2", "2000", "10"));
        var coupon = new com.clientele.payments.PaymentCoupon("QUARTER", "cmp_1", "percent_off", new Money(4400, "USD"),
                new Money(1100, "USD"), 0);
        var draft = Invoice.draft("in_1", "cus_1", "USD", totals, coupon, null, Invoice.Source.NONE, NOW);
        assertThat(draft.subtotal().amount()).isEqualTo(4000);
        assertThat(draft.tax().amount()).isEqualTo(400);
        assertThat(draft.total().amount()).isEqualTo(3300);
        assertThat(draft.amountDue().amount()).isEqualTo(3300);
        var open = draft.finalized("INV-2026-000001", null, Invoice.DUE_ON_RECEIPT, LocalDate.of(2026, 12, 1), NOW);
        assertThat(open.discount()).isEqualTo(coupon);
        assertThat(open.share().outstanding()).isEqualTo(3300);
        assertThat(open.voided(NOW).discount()).as("a void keeps what it showed").isEqualTo(coupon);
        var removed = draft.edited("USD", totals, null, null, NOW);
        assertThat(removed.total().amount()).isEqualTo(4400);
        assertThat(removed.discount()).isNull();
    }
}
