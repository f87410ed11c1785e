package com.clientele.invoices;

import com.clientele.customers.CustomersWiring;
import com.clientele.orders.OrdersWiring;
import com.clientele.payments.PaymentsWiring;
import com.clientele.shared.Components;
import com.clientele.shared.events.Sqs;

/** How the invoices capability's parts are built from a function's {@link Components}, each once. */
public final class InvoicesWiring {

    private InvoicesWiring() {
    }

    public static InvoiceRepository repository(Components components) {
        return components.once(InvoiceRepository.class, () -> new InvoiceRepository(components.enhanced(), components.table()));
    }

    public static InvoiceService service(Components components) {
        return components.once(InvoiceService.class, () -> new InvoiceService(repository(components), CustomersWiring.service(components),
                OrdersWiring.service(components), PaymentsWiring.service(components), components.cursors(), components.clock(),
                components.metrics(), queue(components)));
    }

    /** The invoice PDF function's queue ({@code INVOICE_PDF_QUEUE_URL}), where finalised invoices are queued to be issued. */
    public static IssueQueue queue(Components components) {
        return components.once(IssueQueue.class, () -> new IssueQueue(Sqs.client(components), components.env().require("INVOICE_PDF_QUEUE_URL")));
    }
}
