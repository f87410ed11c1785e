package com.clientele.subscriptions;

import com.clientele.shared.Money;

/**
 * Where the renewal run sends a period of a subscription collected by invoice ({@code send_invoice}):
 * the invoices capability makes the period's invoice and finalises it, once per period however often it
 * is asked (a run that died after making it and before recording the period asks again).
 */
public interface PeriodInvoices {

    /** The finalised invoice of {@code subscriptionId}'s {@code period}, billing {@code amount} on one line: its id. */
    String invoicePeriod(String tenant, String customerId, String subscriptionId, int period, Money amount, String description);
}
