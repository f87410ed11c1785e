package com.clientele.invoices;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.invoices.InvoiceDocument.Line;
import com.clientele.invoices.InvoiceDocument.Party;
import com.clientele.invoices.InvoiceDocument.Tax;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** Invoice PDFs read back: what an invoice must show is in the text, however long or foreign its content. */
class InvoicePdfTest {

    private static final Party SELLER = new Party("Accounts", "FlexPortal Ltd", List.of("1 Market Street", "London EC1 1AA", "GB"),
            "GB123456789", "billing@flexportal.example");
    private static final Party BUYER = new Party("Grace Hopper", "Hopper Analytics", List.of("1 Navy Way", "Arlington VA 22201", "US"),
            "US-77", "grace@hopper.example");

    private static InvoiceDocument invoice(List<Line> lines, Party buyer, String memo) {
        long subtotal = lines.stream().mapToLong(Line::amount).sum();
        long tax = subtotal / 5;
        return new InvoiceDocument("INV-2026-000123", LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 31), "Net 30", "USD",
                SELLER, buyer, lines, List.of(new Tax("20%", subtotal, tax)), subtotal, tax, null, subtotal + tax, 5_000, subtotal + tax - 5_000, memo);
    }

    private static String text(byte[] pdf) throws IOException {
        try (var document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }

    private static int pages(byte[] pdf) throws IOException {
        try (var document = Loader.loadPDF(pdf)) {
            return document.getNumberOfPages();
        }
    }

    @Test
    void anInvoiceShowsItsPartiesLinesTaxesTotalsAndTerms() throws IOException {
        var pdf = InvoicePdf.render(invoice(List.of(new Line("FlexBook 14, monthly lease (December)", 2, 8_900, "20%", 17_800),
                new Line("Setup", 1, 12_900, "20%", 12_900)), BUYER, "Pay by bank transfer to GB00 0000 0000"));

        assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        String text = text(pdf);
        assertThat(text).contains("Invoice INV-2026-000123", "FlexPortal Ltd", "VAT GB123456789", "Hopper Analytics", "Grace Hopper",
                "1 Navy Way", "VAT US-77", "grace@hopper.example", "Issued: 2026-12-01", "Due: 2026-12-31", "Terms: Net 30",
                "FlexBook 14, monthly lease (December)", "89.00", "178.00", "Setup", "129.00",
                "Subtotal", "307.00 USD", "Tax 20% on 307.00", "61.40 USD", "Total", "368.40 USD", "Paid", "50.00 USD",
                "Amount due", "318.40 USD", "Pay by bank transfer");
        assertThat(pages(pdf)).isEqualTo(1);
    }

    @Test
    void manyLinesRunOverPagesAndNoneIsLost() throws IOException {
        var lines = new ArrayList<Line>();
        for (int i = 1; i <= 120; i++) {
            lines.add(new Line("Subscription of member " + i + " for the period " + (i % 12 + 1) + " of 2026, consolidated", 1, 2_500,
                    "20%", 2_500));
        }
        var pdf = InvoicePdf.render(invoice(lines, BUYER, null));

        assertThat(pages(pdf)).isGreaterThan(2);
        String text = text(pdf).replace("\n", " ");
        for (int i = 1; i <= 120; i++) {
            assertThat(text).contains("member " + i + " ");
        }
        assertThat(text).contains("Amount due");
    }

    @Test
    void foreignScriptsPrintAndWhatTheFontLacksIsAQuestionMark() throws IOException {
        var buyer = new Party("Zoë Łukasz-Ελένη Борисова", "Société Générale", List.of("Straße 1"), null, null);
        var pdf = InvoicePdf.render(invoice(List.of(new Line("Thé \u674E\u200B\uD800 and a word " + "x".repeat(400), 1, 100, null, 100)),
                buyer, "Merci\u0007"));

        String text = text(pdf);
        assertThat(text).contains("Zoë Łukasz-Ελένη Борисова", "Société Générale", "Straße 1", "Thé ???", "Merci?");
        assertThat(text.replace("\n", "")).contains("x".repeat(400));
    }

    @Test
    void aCouponIsALineBetweenTheTaxesAndTheTotal() throws IOException {
        var discounted = new InvoiceDocument("INV-2026-000002", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 1), "Due on receipt", "USD",
                SELLER, BUYER, List.of(new Line("Item", 1, 5_000, null, 5_000)), List.of(), 5_000, 0,
                new InvoiceDocument.Discount("SUMMER-26", 1_000), 4_000, 0, 4_000, null);
        String text = text(InvoicePdf.render(discounted));
        assertThat(text).contains("Subtotal", "50.00 USD", "Coupon SUMMER-26", "-10.00 USD", "Total", "40.00 USD");
        assertThat(text.indexOf("Coupon SUMMER-26")).isBetween(text.indexOf("Subtotal"), text.lastIndexOf("Total"));
    }

    @Test
    void aCurrencyWithoutDecimalsIsPrintedWhole() throws IOException {
        var yen = new InvoiceDocument("INV-2026-000001", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 1), "Due on receipt", "JPY",
                SELLER, BUYER, List.of(new Line("Item", 3, 1_500, "10%", 4_500)), List.of(new Tax("10%", 4_500, 450)), 4_500, 450,
                null, 4_950, 0, 4_950, null);
        String text = text(InvoicePdf.render(yen));
        assertThat(text).contains("1500", "4950 JPY", "Terms: Due on receipt").doesNotContain("49.50");
    }
}
