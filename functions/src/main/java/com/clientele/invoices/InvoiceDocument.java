package com.clientele.invoices;

import java.time.LocalDate;
import java.util.List;

/**
 * What an invoice's PDF shows, and nothing else: the parties, the lines, the taxes by rate and the
 * totals, in minor units of {@code currency}. Built from a stored invoice by whoever renders it
 * ({@link InvoicePdf}); it holds no rule.
 *
 * @param terms  how the due date came about, as the customer reads it ({@code "Net 30"}, {@code "Due on receipt"})
 * @param memo     free text printed under the totals, or null
 * @param discount the coupon taken off the subtotal with tax, or null
 */
public record InvoiceDocument(String number, LocalDate issuedOn, LocalDate dueOn, String terms, String currency,
                              Party seller, Party buyer, List<Line> lines, List<Tax> taxes,
                              long subtotal, long tax, Discount discount, long total, long paid, long due, String memo) {

    public InvoiceDocument {
        lines = List.copyOf(lines);
        taxes = List.copyOf(taxes);
    }

    /** Who sells or buys: a name, the company (or null), the postal address as printed lines, the VAT number (or null), an email (or null). */
    public record Party(String name, String company, List<String> address, String vatNumber, String email) {
        public Party {
            address = address == null ? List.of() : List.copyOf(address);
        }
    }

    /** One line: {@code quantity} × {@code unitAmount}, before tax, at {@code taxRate} (printed as given: {@code "20%"}, or null). */
    public record Line(String description, long quantity, long unitAmount, String taxRate, long amount) {
    }

    /** A coupon's discount: its {@code code}, and what it takes off. */
    public record Discount(String code, long amount) {
    }

    /** The tax at one rate: on {@code base}, {@code amount}. */
    public record Tax(String rate, long base, long amount) {
    }
}
