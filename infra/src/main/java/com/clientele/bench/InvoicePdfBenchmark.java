package com.clientele.bench;

import com.clientele.invoices.InvoiceDocument;
import com.clientele.invoices.InvoiceDocument.Line;
import com.clientele.invoices.InvoiceDocument.Party;
import com.clientele.invoices.InvoiceDocument.Tax;
import com.clientele.invoices.InvoicePdf;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Invoice PDF rendering ({@link InvoicePdf}) in this JVM: the first render (the library's classes and
 * the font loaded: what a cold function pays once), then the p50 and p95 of {@code RENDERS} renders of
 * a 10-line invoice and of a 500-line one (a billing group of 500 members), with their sizes.
 *
 * <p>Run from the repository root:
 * <pre>
 *   mvn -q -pl infra -am -DskipTests package exec:exec -Dlocal.main=com.clientele.bench.InvoicePdfBenchmark [-Dlocal.args="RENDERS"]
 * </pre>
 */
public final class InvoicePdfBenchmark {

    private InvoicePdfBenchmark() {
    }

    public static void main(String[] args) {
        int renders = Bench.intOption(Bench.options(args), 0, 200);
        var small = invoice(10);
        var large = invoice(500);
        long start = System.nanoTime();
        int firstSize = InvoicePdf.render(small).length;
        double first = (System.nanoTime() - start) / 1e6;
        System.out.printf("first render (cold): %.1f ms, %,d bytes%n", first, firstSize);
        for (var invoice : List.of(small, large)) {
            var samples = new Samples();
            int size = 0;
            for (int i = 0; i < renders / (invoice == large ? 10 : 1) + 5; i++) {
                long t = System.nanoTime();
                size = InvoicePdf.render(invoice).length;
                if (i >= 5) {
                    samples.add((System.nanoTime() - t) / 1e6);
                }
            }
            System.out.printf("%d lines: p50 %.1f ms, p95 %.1f ms, %,d bytes%n", invoice.lines().size(), samples.median(),
                    samples.percentile(95), size);
        }
    }

    private static InvoiceDocument invoice(int lines) {
        var items = new ArrayList<Line>();
        for (int i = 1; i <= lines; i++) {
            items.add(new Line("Subscription of member " + i + ", December 2026", 1, 8_900, "20%", 8_900));
        }
        long subtotal = 8_900L * lines;
        long tax = subtotal / 5;
        return new InvoiceDocument("INV-2026-000123", LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 31), "Net 30", "USD",
                new Party("Accounts", "FlexPortal Ltd", List.of("1 Market Street", "London"), "GB123456789", null),
                new Party("Grace Hopper", "Hopper Analytics", List.of("1 Navy Way", "Arlington VA"), "US-77", "grace@hopper.example"),
                items, List.of(new Tax("20%", subtotal, tax)), subtotal, tax, null, subtotal + tax, 0, subtotal + tax, null);
    }
}
