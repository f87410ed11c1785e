package com.clientele.invoices;

import com.clientele.shared.events.WorkQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The queue of the invoice PDF function ({@code INVOICE_PDF_QUEUE_URL}): one {@link IssueJob} per finalised invoice. */
public class IssueQueue extends WorkQueue<IssueJob> {

    public IssueQueue(SqsClient sqs, String url) {
        super(sqs, url);
    }
}
