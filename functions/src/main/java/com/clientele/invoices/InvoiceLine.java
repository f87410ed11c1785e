package com.clientele.invoices;

import java.math.BigDecimal;

/**
 * One line of an invoice: {@code quantity} × {@code unitAmount} (minor units) is its {@code amount};
 * {@code taxRate} a percentage (0 to 100, up to 4 decimals) and {@code tax} the amount's tax at that rate,
 * rounded half up to a minor unit.
 */
public record InvoiceLine(String description, long quantity, long unitAmount, BigDecimal taxRate, long amount, long tax) {
}
