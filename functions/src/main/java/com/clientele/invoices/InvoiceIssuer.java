package com.clientele.invoices;

import com.clientele.messages.Attachment;
import com.clientele.messages.MessageRequest;
import com.clientele.messages.MessageTemplate;
import com.clientele.messages.Messages;
import com.clientele.shared.Activity;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A finalised invoice issued (the invoice PDF function, on its queue): its PDF rendered once
 * ({@link InvoicePdf}) and stored ({@link InvoiceFiles}), then the invoice emailed to its customer with the
 * PDF attached, through the messages port (message id {@code invoice:<id>}: recorded and sent once however
 * often the job comes). A job that comes again finds the PDF stored and does not render it again. Only this
 * function renders: the others read the stored object.
 *
 * <p>The PDF shows the invoice as it was finalised: its number, dates and terms, the customer it was billed
 * to (name, company, VAT number, billing address, email), the lines, the taxes by rate and the totals. The
 * seller block shows the tenant's id: the project keeps no tenant profile (legal name, address, VAT number)
 * yet.
 */
public final class InvoiceIssuer {

    private final InvoiceRepository repository;
    private final InvoiceFiles files;
    private final Messages messages;

    public InvoiceIssuer(InvoiceRepository repository, InvoiceFiles files, Messages messages) {
        this.repository = repository;
        this.files = files;
        this.messages = messages;
    }

    /** Issues the invoice; false when there is nothing to issue (no such invoice, or a draft). */
    public boolean issue(IssueJob job) {
        String tenant = job.tenantId();
        var found = repository.find(tenant, job.invoiceId());
        if (found.isEmpty() || found.get().status() == InvoiceStatus.DRAFT) {
            return false;
        }
        var invoice = found.get();
        String key = InvoiceFiles.key(tenant, invoice.id());
        if (!files.exists(key)) {
            files.put(key, InvoiceFiles.fileName(invoice), InvoicePdf.render(document(tenant, invoice)));
        }
        if (invoice.status() == InvoiceStatus.OPEN || invoice.status() == InvoiceStatus.PAID) {
            messages.send(MessageRequest.email(tenant, invoice.customerId(), "invoice:" + invoice.id(), MessageTemplate.INVOICE,
                    Map.of("invoiceNumber", invoice.number(), "amount", Activity.money(invoice.total().amount(), invoice.currency()),
                            "dueDate", invoice.dueDate().toString()))
                    .withAttachments(List.of(new Attachment(key, InvoiceFiles.fileName(invoice)))));
        }
        return true;
    }

    /** What the PDF of a finalised invoice shows. */
    static InvoiceDocument document(String tenant, Invoice invoice) {
        var billTo = invoice.billTo() == null ? new Invoice.BillTo(null, null, null, null, null) : invoice.billTo();
        var buyer = new InvoiceDocument.Party(billTo.name(), billTo.company(), address(billTo.address()), billTo.vatNumber(), billTo.email());
        var seller = new InvoiceDocument.Party(tenant, null, List.of(), null, null);
        var lines = invoice.lines().stream().map(l -> new InvoiceDocument.Line(l.description(), l.quantity(), l.unitAmount(),
                rate(l.taxRate()), l.amount())).toList();
        var bases = new TreeMap<BigDecimal, long[]>();
        for (var line : invoice.lines()) {
            if (line.taxRate() != null && line.taxRate().signum() > 0) {
                var sums = bases.computeIfAbsent(line.taxRate().stripTrailingZeros(), r -> new long[2]);
                sums[0] += line.amount();
                sums[1] += line.tax();
            }
        }
        var taxes = new ArrayList<InvoiceDocument.Tax>();
        bases.forEach((rate, sums) -> taxes.add(new InvoiceDocument.Tax(rate(rate), sums[0], sums[1])));
        LocalDate issued = invoice.finalizedAt() == null ? invoice.dueDate() : LocalDate.ofInstant(invoice.finalizedAt(), ZoneOffset.UTC);
        return new InvoiceDocument(invoice.number(), issued, invoice.dueDate(), terms(invoice.paymentTerms()), invoice.currency(), seller,
                buyer, lines, taxes, invoice.subtotal().amount(), invoice.tax().amount(), invoice.discount() == null ? null
                : new InvoiceDocument.Discount(invoice.discount().code(), invoice.discount().discount().amount()), invoice.total().amount(),
                invoice.amountPaid().amount(), invoice.amountDue().amount(), invoice.memo());
    }

    /** {@code NET_30} as a customer reads it ({@code Net 30}); due on receipt otherwise. */
    static String terms(String paymentTerms) {
        return paymentTerms != null && paymentTerms.startsWith("NET_") ? "Net " + paymentTerms.substring(4) : "Due on receipt";
    }

    private static String rate(BigDecimal rate) {
        return rate == null ? null : rate.stripTrailingZeros().toPlainString() + "%";
    }

    private static List<String> address(com.clientele.customers.Address address) {
        if (address == null) {
            return List.of();
        }
        String town = String.join(" ", Stream.of(address.postalCode(), address.city(), address.region())
                .filter(s -> s != null && !s.isBlank()).toList());
        return Stream.of(address.line1(), address.line2(), town, address.country()).filter(s -> s != null && !s.isBlank()).toList();
    }
}
