package com.clientele.invoices;

import com.clientele.campaigns.CampaignWiring;
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
        return components.once(InvoiceRepository.class, () -> new InvoiceRepository(components.dynamoDb(), components.enhanced(), components.table(),
                CustomersWiring.repository(components)));
    }

    public static InvoiceService service(Components components) {
        return components.once(InvoiceService.class, () -> new InvoiceService(repository(components), CustomersWiring.service(components),
                OrdersWiring.service(components), PaymentsWiring.service(components), components.cursors(), components.clock(),
                components.metrics(), queue(components), PaymentsWiring.outbox(components), CampaignWiring.redemptions(components)));
    }

    /** The invoice PDF function's queue ({@code INVOICE_PDF_QUEUE_URL}), where finalised invoices are queued to be issued. */
    public static IssueQueue queue(Components components) {
        return components.once(IssueQueue.class, () -> new IssueQueue(Sqs.client(components), components.env().require("INVOICE_PDF_QUEUE_URL")));
    }

    /** The overdue run as the template configures it ({@code OVERDUE_PAGE_SIZE}, {@code OVERDUE_LOOKBACK_DAYS}, {@code OVERDUE_PARALLELISM}). */
    public static OverdueRun overdueRun(Components components) {
        var env = components.env();
        return components.once(OverdueRun.class, () -> new OverdueRun(repository(components), service(components), components.clock(),
                components.metrics(), Integer.parseInt(env.get("OVERDUE_PAGE_SIZE", "100")),
                Integer.parseInt(env.get("OVERDUE_LOOKBACK_DAYS", "35")), Integer.parseInt(env.get("OVERDUE_PARALLELISM", "8"))));
    }
}
