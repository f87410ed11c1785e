package com.clientele.invoices;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Components;
import com.clientele.shared.events.Batches;
import java.util.Map;

/**
 * The invoice PDF function, on {@code InvoicePdfQueue}: each message names a finalised invoice to issue
 * ({@link InvoiceIssuer}: render its PDF once, store it, email it). The only function with PDFBox in its jar.
 * A message that fails is received again, and past the queue's receive limit goes to its DLQ.
 */
public final class InvoicePdfHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final InvoiceIssuer issuer;

    public InvoicePdfHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public InvoicePdfHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public InvoicePdfHandler(Components components) {
        this(InvoiceFilesWiring.issuer(components));
    }

    public InvoicePdfHandler(InvoiceIssuer issuer) {
        this.issuer = issuer;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return Batches.each(event, context, message -> issuer.issue(Batches.parse(message.getBody(), IssueJob.class)));
    }
}
