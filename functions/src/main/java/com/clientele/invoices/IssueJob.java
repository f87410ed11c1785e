package com.clientele.invoices;

/** What the invoice PDF queue carries: a finalised invoice to render, store and email ({@link InvoiceIssuer}). */
public record IssueJob(String tenantId, String invoiceId) {
}
