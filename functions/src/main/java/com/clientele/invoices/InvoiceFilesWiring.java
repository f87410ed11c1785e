package com.clientele.invoices;

import com.clientele.exports.S3ExportFiles;
import com.clientele.messages.MessagesWiring;
import com.clientele.shared.Components;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * How the parts that reach the issued PDFs in S3 are built, apart from {@link InvoicesWiring}: the jars are
 * minimised per class, so the functions that only finalise invoices (orders, renewals, billing) reach no S3
 * class through it. The invoices API (links), the invoice PDF function (storing) and the erasure (deleting)
 * build these.
 */
public final class InvoiceFilesWiring {

    private InvoiceFilesWiring() {
    }

    /** The issued PDFs in the exports bucket ({@code EXPORT_BUCKET}). */
    public static InvoiceFiles files(Components components) {
        return components.once(InvoiceFiles.class, () -> new InvoiceFiles(
                components.once(S3Client.class, () -> S3ExportFiles.client(components.env())),
                components.once(S3Presigner.class, () -> S3ExportFiles.presigner(components.env())),
                components.env().require("EXPORT_BUCKET")));
    }

    static InvoicePdfLinks links(Components components) {
        return components.once(InvoicePdfLinks.class, () -> new InvoicePdfLinks(InvoicesWiring.service(components), files(components), InvoicesWiring.queue(components),
                components.clock()));
    }

    /** The invoice PDF function's: renders, stores and emails (the one part that reaches PDFBox). */
    static InvoiceIssuer issuer(Components components) {
        return components.once(InvoiceIssuer.class, () -> new InvoiceIssuer(InvoicesWiring.repository(components), files(components),
                MessagesWiring.messages(components)));
    }
}
