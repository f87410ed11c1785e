package com.clientele.invoices;

import com.clientele.customers.CustomerRules;
import com.clientele.shared.http.FieldError;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * An invoice's lines as given, checked and priced: each line's amount and tax, and the invoice's
 * subtotal, tax and total, in exact integer minor units. Every number is range-checked before any
 * arithmetic, and the sums are bounded ({@value #MAX_TOTAL}), so nothing overflows: a line or an invoice
 * too large is a 400 naming the field.
 */
public record InvoiceTotals(List<InvoiceLine> lines, long subtotal, long tax, long total) {

    /** Lines of one invoice: the invoice is one item. */
    static final int MAX_LINES = 100;
    static final long MAX_QUANTITY = 1_000_000;
    /** As the largest charge of one payment, ten thousand times: an invoice may be paid in parts. */
    static final long MAX_UNIT_AMOUNT = 999_999_999_999L;
    /** The largest total of one invoice (a line's amount and tax too). */
    static final long MAX_TOTAL = 999_999_999_999L;
    static final int MAX_DESCRIPTION = 500;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final int MAX_TAX_DECIMALS = 4;

    /** One line as a request gives it. */
    public record LineInput(String description, BigDecimal quantity, BigDecimal unitAmount, BigDecimal taxRate) {
    }

    public static final InvoiceTotals NONE = new InvoiceTotals(List.of(), 0, 0, 0);

    /** The lines priced, each bad field named in {@code errors} (then the result is not to be used). */
    static InvoiceTotals of(List<FieldError> errors, List<LineInput> input) {
        if (input == null || input.size() > MAX_LINES) {
            errors.add(new FieldError("lines", "must hold up to " + MAX_LINES + " lines"));
            return NONE;
        }
        var lines = new ArrayList<InvoiceLine>();
        BigDecimal subtotal = BigDecimal.ZERO;
        BigDecimal tax = BigDecimal.ZERO;
        for (int i = 0; i < input.size(); i++) {
            String at = "lines[" + i + "]";
            var in = input.get(i);
            if (in == null) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            int before = errors.size();
            String description = CustomerRules.text(errors, at + ".description", in.description(), MAX_DESCRIPTION, true);
            long quantity = whole(errors, at + ".quantity", in.quantity(), 1, MAX_QUANTITY, true);
            long unitAmount = whole(errors, at + ".unitAmount", in.unitAmount(), 0, MAX_UNIT_AMOUNT, true);
            BigDecimal rate = taxRate(errors, at + ".taxRate", in.taxRate());
            if (errors.size() > before) {
                continue;
            }
            BigDecimal amount = BigDecimal.valueOf(quantity).multiply(BigDecimal.valueOf(unitAmount));
            BigDecimal lineTax = amount.multiply(rate).divide(HUNDRED, 0, RoundingMode.HALF_UP);
            if (amount.add(lineTax).compareTo(BigDecimal.valueOf(MAX_TOTAL)) > 0) {
                errors.add(new FieldError(at + ".unitAmount", "makes the line's amount with tax more than " + MAX_TOTAL));
                continue;
            }
            subtotal = subtotal.add(amount);
            tax = tax.add(lineTax);
            lines.add(new InvoiceLine(description, quantity, unitAmount, rate, amount.longValueExact(), lineTax.longValueExact()));
        }
        BigDecimal total = subtotal.add(tax);
        if (total.compareTo(BigDecimal.valueOf(MAX_TOTAL)) > 0) {
            errors.add(new FieldError("lines", "add up to more than " + MAX_TOTAL + ", the largest invoice: split it"));
        }
        if (!errors.isEmpty()) {
            return NONE;
        }
        return new InvoiceTotals(lines, subtotal.longValueExact(), tax.longValueExact(), total.longValueExact());
    }

    /** An integer from {@code min} to {@code max}, or named in {@code errors} (0 then). */
    static long whole(List<FieldError> errors, String field, BigDecimal value, long min, long max, boolean required) {
        if (value == null) {
            if (required) {
                errors.add(new FieldError(field, "is required: an integer from " + min + " to " + max));
            }
            return 0;
        }
        if (value.stripTrailingZeros().scale() > 0 || value.compareTo(BigDecimal.valueOf(min)) < 0
                || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            errors.add(new FieldError(field, "must be an integer from " + min + " to " + max));
            return 0;
        }
        return value.longValueExact();
    }

    private static BigDecimal taxRate(List<FieldError> errors, String field, BigDecimal value) {
        if (value == null) {
            return BigDecimal.ZERO;
        }
        var rate = value.stripTrailingZeros();
        if (rate.scale() > MAX_TAX_DECIMALS || rate.signum() < 0 || rate.compareTo(HUNDRED) > 0) {
            errors.add(new FieldError(field, "must be a percentage from 0 to 100 with up to " + MAX_TAX_DECIMALS + " decimals"));
            return BigDecimal.ZERO;
        }
        return rate.scale() < 0 ? rate.setScale(0) : rate;
    }
}
