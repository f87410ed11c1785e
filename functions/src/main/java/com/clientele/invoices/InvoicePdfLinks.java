package com.clientele.invoices;

import com.clientele.shared.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /invoices/{id}/pdf}: a presigned link to the issued invoice's PDF, valid a few minutes
 * ({@link #VALIDITY}; ask again for a new one), as the exports' download links are. A draft has no PDF (409
 * {@code invoice_draft}). A finalised invoice whose PDF is not stored yet (its issue is still queued, or was
 * lost) is queued to be issued again and answered 409 {@code invoice_pdf_pending} with {@code Retry-After}.
 * This reads the stored object: it renders nothing.
 */
public final class InvoicePdfLinks {

    static final Duration VALIDITY = Duration.ofMinutes(5);
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** The link and when it stops working. */
    public record PdfLink(String url, Instant expiresAt) {
    }

    private final InvoiceService invoices;
    private final InvoiceFiles files;
    private final IssueQueue issue;
    private final Clock clock;

    public InvoicePdfLinks(InvoiceService invoices, InvoiceFiles files, IssueQueue issue, Clock clock) {
        this.invoices = invoices;
        this.files = files;
        this.issue = issue;
        this.clock = clock;
    }

    public PdfLink link(String tenant, String invoiceId) {
        var invoice = invoices.get(tenant, invoiceId);
        if (invoice.status() == InvoiceStatus.DRAFT) {
            throw new ApiException(409, "invoice_draft", "Invoice is draft",
                    "Invoice " + invoice.id() + " is a draft: it has no PDF until it is finalized", List.of(),
                    Map.of("invoiceStatus", invoice.status().value()), Map.of());
        }
        String key = InvoiceFiles.key(tenant, invoice.id());
        if (!files.exists(key)) {
            issue.send(new IssueJob(tenant, invoice.id()));
            throw new ApiException(409, "invoice_pdf_pending", "Invoice PDF not ready",
                    "The PDF of invoice " + invoice.id() + " is being made; ask again in a few seconds", List.of(),
                    Map.of("invoiceStatus", invoice.status().value()), Map.of("Retry-After", Long.toString(RETRY_AFTER.toSeconds())));
        }
        return new PdfLink(files.link(key, VALIDITY).toString(), clock.instant().plus(VALIDITY));
    }
}
