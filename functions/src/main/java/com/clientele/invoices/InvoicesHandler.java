package com.clientele.invoices;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.invoices.InvoiceService.CreateInvoice;
import com.clientele.invoices.InvoiceService.CreditInput;
import com.clientele.invoices.InvoiceService.CreditInvoice;
import com.clientele.invoices.InvoiceService.InvoiceInput;
import com.clientele.invoices.InvoiceService.OfflineInput;
import com.clientele.invoices.InvoiceService.Outcome;
import com.clientele.invoices.InvoiceService.PayInput;
import com.clientele.invoices.InvoiceService.PayInvoice;
import com.clientele.invoices.InvoiceService.RecordPayment;
import com.clientele.shared.Components;
import com.clientele.shared.http.ApiRequest;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.ApiRoutes;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Idempotency;
import com.clientele.shared.http.Router;
import com.clientele.shared.jobs.Budget;
import java.util.LinkedHashMap;
import java.util.Map;

/** The invoices API function: maps each route to an {@link InvoiceService} call. No rules here. */
public final class InvoicesHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** The time an overdue run asked for by a tenant's admin has (what is left waits for the daily run or another ask). */
    static final long RUN_BUDGET_MILLIS = 20_000;

    private final Router router;

    public InvoicesHandler() {
        this(Components.from(System.getenv()));
    }

    /** The local cloud's entry point: the environment template.yaml gives this function. */
    public InvoicesHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public InvoicesHandler(Components components) {
        this(InvoicesWiring.service(components), InvoiceFilesWiring.links(components), InvoicesWiring.overdueRun(components),
                components.idempotency());
        router.audited(components.audit());
    }

    public InvoicesHandler(InvoiceService invoices, InvoicePdfLinks pdfs, OverdueRun overdue, Idempotency idempotency) {
        this.router = new Router()
                .idempotent("POST /invoices", idempotency, request -> new CreateInvoice(request.tenantId(),
                        Bodies.read(request, InvoiceInput.class)), invoices::create,
                        invoice -> new ApiResponse(201, Map.of("Location", "/invoices/" + invoice.id(), "ETag", invoice.etag()), invoice))
                .route("GET /invoices", request -> ApiResponse.ok(invoices.byStatus(request.tenantId(), request.query())))
                .route("GET /invoices/{id}", request -> tagged(invoices.get(request.tenantId(), request.pathParameter("id"))))
                .route("GET /invoices/{id}/pdf", request -> ApiResponse.ok(pdfs.link(request.tenantId(), request.pathParameter("id"))))
                .route("PATCH /invoices/{id}", request -> tagged(invoices.update(request.tenantId(), request.pathParameter("id"),
                        Bodies.readTree(request), request.header("If-Match").orElse(null))))
                .route("GET /customers/{id}/invoices", request -> ApiResponse.ok(invoices.ofCustomer(request.tenantId(),
                        request.pathParameter("id"), request.query())))
                .route("POST /invoices/{id}/finalize", request -> tagged(invoices.finalizeDraft(request.tenantId(), request.pathParameter("id"))))
                .idempotent("POST /invoices/{id}/pay", idempotency, request -> new PayInvoice(request.tenantId(), request.pathParameter("id"),
                        hasBody(request) ? Bodies.read(request, PayInput.class) : new PayInput(null, null)), invoices::pay,
                        InvoicesHandler::answer)
                .idempotent("POST /invoices/{id}/payments", idempotency, request -> new RecordPayment(request.tenantId(),
                        request.pathParameter("id"), Bodies.read(request, OfflineInput.class)), invoices::recordPayment, InvoicesHandler::answer)
                .idempotent("POST /invoices/{id}/credit-notes", idempotency, request -> new CreditInvoice(request.tenantId(),
                        request.pathParameter("id"), Bodies.read(request, CreditInput.class), request.scopes().contains(ApiRoutes.REFUND_SCOPE)),
                        invoices::credit, InvoicesHandler::answer)
                .route("POST /invoices/{id}/void", request -> tagged(invoices.voidInvoice(request.tenantId(), request.pathParameter("id"))))
                .route("POST /invoices/{id}/mark-uncollectible", request -> tagged(invoices.markUncollectible(request.tenantId(),
                        request.pathParameter("id"))))
                .route("POST /admin/invoices/overdue", request -> ApiResponse.ok(overdue.run(null, request.tenantId(), null,
                        Budget.of(Budget.until(null, RUN_BUDGET_MILLIS, 0))).asMap()));
    }

    private static boolean hasBody(ApiRequest request) {
        return request.body() != null && !request.body().isBlank();
    }

    private static ApiResponse tagged(Invoice invoice) {
        return ApiResponse.ok(invoice).withHeader("ETag", invoice.etag());
    }

    /** The invoice, or the 402 problem of the processor's refusal of this request's charge or refund, naming the invoice and the payment. */
    private static ApiResponse answer(Outcome outcome) {
        var invoice = outcome.invoice();
        var refusal = outcome.refusal();
        if (refusal == null) {
            return tagged(invoice);
        }
        var subject = new LinkedHashMap<String, Object>();
        subject.put("invoiceId", invoice.id());
        subject.put("invoiceStatus", invoice.status().value());
        subject.put("amountDue", invoice.amountDue());
        return Router.problem(refusal.problem(subject), "/invoices/" + invoice.id());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }
}
