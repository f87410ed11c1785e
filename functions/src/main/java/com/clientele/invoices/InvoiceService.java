package com.clientele.invoices;

import com.clientele.billinggroups.ConsolidatedInvoice;
import com.clientele.billinggroups.GroupLine;
import com.clientele.catalogue.Price;
import com.clientele.customers.Address;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerService;
import com.clientele.customers.CustomerType;
import com.clientele.invoices.InvoiceRepository.Numbering;
import com.clientele.invoices.InvoiceRepository.Stale;
import com.clientele.invoices.InvoiceTotals.LineInput;
import com.clientele.orders.Order;
import com.clientele.orders.OrderService;
import com.clientele.orders.OrderStatus;
import com.clientele.payments.Payment;
import com.clientele.payments.PaymentCoupon;
import com.clientele.payments.PaymentCoupons;
import com.clientele.payments.PaymentFor;
import com.clientele.payments.PaymentInputs.Charge;
import com.clientele.payments.PaymentInputs.ChargeCommand;
import com.clientele.payments.PaymentInputs.OfflinePayment;
import com.clientele.payments.PaymentInputs.OfflinePaymentCommand;
import com.clientele.payments.PaymentInputs.RefundCommand;
import com.clientele.payments.PaymentInputs.RefundRequest;
import com.clientele.payments.PaymentService;
import com.clientele.payments.PaymentStatus;
import com.clientele.payments.RefundStatus;
import com.clientele.payments.ProcessorRefusal;
import com.clientele.shared.Activity;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.Keys;
import com.clientele.shared.Money;
import com.clientele.shared.TransactPut;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.http.Listing;
import com.clientele.shared.http.MergePatch;
import com.clientele.shared.logs.Log;
import com.clientele.shared.metrics.MetricRecord;
import com.clientele.shared.metrics.Metrics;
import com.clientele.subscriptions.PeriodInvoices;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The rules of invoices. An invoice is made by hand (its lines given), of a pending order (its one-time
 * lines, once per order), or by the renewal run of a subscription's period collected by invoice (once
 * per period, finalised at once: {@link PeriodInvoices}). A draft is edited ({@code If-Match}); finalising
 * it numbers it ({@code INV-<year>-<000001>}, per tenant and year, the counter moved in the finalisation's
 * own transaction: unique and without gaps), bills it to the customer as they are then, and sets its due
 * date from their payment terms ({@code NET_7}, {@code NET_14}, {@code NET_30} for a business; due on
 * receipt otherwise). An open invoice is paid, in parts or at once, with a saved card (the charge-now
 * path, {@link PaymentService#charge}: its events, LTV and points) or by recording a payment made
 * outside the processor ({@link PaymentService#recordOffline}); each payment names the invoice
 * ({@link PaymentFor#invoice}). Credit notes take an amount off what an open invoice asks, or refund part
 * of a paid invoice's card payment. An open invoice is voided (nothing paid on it) or marked uncollectible.
 * An order's invoice paid in full pays the order ({@link OrderService#paidByInvoice}). A draft's coupon
 * ({@code couponCode}) shows as its {@code discount}; its use is taken in the finalisation's transaction and
 * given back in a void's ({@link PaymentCoupons#redeem}, {@link PaymentCoupons#giveBack}).
 *
 * <p>A payment reserves its amount on the invoice first, at the version read, under the payment id the
 * request's {@code Idempotency-Key} claimed: of two payments racing for the last cent, one reserves it,
 * the other finds nothing left (400 naming the amount). The charge is made under that id
 * ({@link IdempotentWrite#owned}), so a retry with the key resumes it and never pays twice; its outcome
 * settles the reservation (paid, or dropped when declined) with the request's completion. A reservation
 * whose request died is settled from its payment by the next payment or credit note of the invoice.
 */
public final class InvoiceService implements PeriodInvoices, ConsolidatedInvoice.Invoicing {

    static final int MAX_MEMO = 1000;
    static final int MAX_REASON = 500;
    /** Lines of a consolidated invoice at most (an invoice item of 1,000 lines and members is about 300 KB, under DynamoDB's 400 KB). */
    static final int MAX_CONSOLIDATED_LINES = 1000;
    /** A reservation whose payment does not exist this long after it was made died before it charged. */
    static final Duration ABANDONED = Duration.ofSeconds(60);
    private static final int MAX_WRITE_ATTEMPTS = 5;
    /**
     * Attempts at taking the tenant's next invoice number: every finalisation of a year contends for the one
     * counter, and each lost attempt means another took a number, so many at once need as many attempts.
     */
    private static final int MAX_NUMBERING_ATTEMPTS = 25;
    private static final Set<String> STATUS_QUERY = Set.of("status");
    private static final Set<String> WRITABLE = Set.of("currency", "lines", "memo", "couponCode");
    private static final String COUPON_CODE = "couponCode";
    private static final String CARD = "card";

    private final InvoiceRepository repository;
    private final CustomerService customers;
    private final OrderService orders;
    private final PaymentService payments;
    private final Cursors cursors;
    private final Clock clock;
    private final Metrics metrics;
    private final IssueQueue issue;
    private final Outbox outbox;
    private final PaymentCoupons coupons;

    /**
     * {@code issue}: where a finalised invoice is queued to be issued (its PDF made and stored, then emailed:
     * {@link InvoiceIssuer}); {@code outbox}: where the invoices' events ({@link InvoiceEvents}) go, with their changes;
     * {@code coupons}: how a draft's {@code couponCode} is judged, its use taken at finalisation and given back by a void.
     */
    public InvoiceService(InvoiceRepository repository, CustomerService customers, OrderService orders, PaymentService payments,
                          Cursors cursors, Clock clock, Metrics metrics, IssueQueue issue, Outbox outbox, PaymentCoupons coupons) {
        this.coupons = coupons;
        this.repository = repository;
        this.customers = customers;
        this.orders = orders;
        this.payments = payments;
        this.cursors = cursors;
        this.clock = clock;
        this.metrics = metrics;
        this.issue = issue;
        this.outbox = outbox;
    }

    /**
     * The body of {@code POST /invoices}: a customer and lines, or a pending order (its customer, its one-time lines and its
     * coupon); {@code couponCode}: a coupon off what the lines ask (null: none).
     */
    public record InvoiceInput(String customerId, String orderId, String currency, List<LineInput> lines, String memo, String couponCode) {
    }

    /** The body of {@code POST /invoices/{id}/pay}: a saved card (the customer's default one when left out), an amount (all that is due when left out). */
    public record PayInput(String paymentMethodId, Money amount) {
    }

    /** The body of {@code POST /invoices/{id}/payments}: a payment made outside the processor. */
    public record OfflineInput(Money amount, String method, String reference) {
    }

    /** The body of {@code POST /invoices/{id}/credit-notes}: {@code paymentId} names the card payment a paid invoice's note refunds. */
    public record CreditInput(Money amount, String reason, String paymentId) {
    }

    public record CreateInvoice(String tenant, InvoiceInput input) {
    }

    public record PayInvoice(String tenant, String invoiceId, PayInput input) {
    }

    public record RecordPayment(String tenant, String invoiceId, OfflineInput input) {
    }

    /** {@code mayRefund}: the caller may refund (a paid invoice's credit note refunds a payment). */
    public record CreditInvoice(String tenant, String invoiceId, CreditInput input, boolean mayRefund) {
    }

    /** What a request that may move money did: the invoice, and the processor's refusal of its charge or refund (null: none). */
    public record Outcome(Invoice invoice, ProcessorRefusal refusal) {
    }

    // ---- making and editing ---------------------------------------------------------------------------

    /** A draft invoice, by hand or of a pending order. */
    public Invoice create(CreateInvoice command, IdempotentWrite<Invoice> key) {
        String tenant = command.tenant();
        var input = command.input();
        var errors = new ArrayList<FieldError>();
        String memo = memo(errors, input.memo());
        if (input.currency() != null && !Money.isCurrency(input.currency())) {
            errors.add(new FieldError("currency", "must be an ISO 4217 code such as USD"));
        }
        if (input.orderId() != null) {
            if (!Ids.isValid(Ids.ORDER, input.orderId())) {
                errors.add(new FieldError("orderId", "is not an order's id"));
            }
            if (input.lines() != null) {
                errors.add(new FieldError("lines", "must be left out: an order's invoice bills the order's lines"));
            }
            if (input.couponCode() != null) {
                errors.add(new FieldError(COUPON_CODE, "must be left out: an order's invoice takes the order's coupon"));
            }
        } else if (input.customerId() == null) {
            errors.add(new FieldError("customerId", "is required (or orderId: an order's invoice)"));
        }
        var totals = input.orderId() == null ? InvoiceTotals.of(errors, input.lines() == null ? List.of() : input.lines()) : null;
        failOn(errors);

        Invoice.Source source = Invoice.Source.NONE;
        String customerId = input.customerId();
        String currency = input.currency();
        String couponCode = input.couponCode();
        if (input.orderId() != null) {
            var order = order(tenant, input.orderId());
            if (customerId != null && !customerId.equals(order.customerId())) {
                throw ApiException.invalid("customerId", "must be left out or be the order's customer, " + order.customerId());
            }
            if (currency != null && !currency.equals(order.currency())) {
                throw ApiException.invalid("currency", "must be left out or be the order's currency, " + order.currency());
            }
            customerId = order.customerId();
            currency = order.currency();
            totals = orderLines(order);
            couponCode = order.coupon() == null ? null : order.coupon().code();
            source = new Invoice.Source(order.id(), null, null);
            var existing = repository.invoiceOf(tenant, source.key());
            if (existing.isPresent()) {
                throw invoiced(order.id(), existing.get());
            }
        }
        var customer = existingCustomer(tenant, customerId);
        currency = currency(customer, currency);

        var claimed = key.claim(() -> Ids.next(Ids.INVOICE));
        if (claimed.resumed()) {
            var made = repository.find(tenant, customerId, claimed.resourceId());
            if (made.isPresent()) {
                return made.get();
            }
        }
        var discount = discount(tenant, customerId, couponCode, totals, currency);
        var invoice = Invoice.draft(claimed.resourceId(), customerId, currency, totals, discount, memo, source, now());
        try {
            write(tenant, null, invoice, null, null, key.completion(invoice, customerId));
        } catch (Stale e) {
            var other = source.key() == null ? Optional.<String>empty() : repository.invoiceOf(tenant, source.key());
            if (other.isPresent()) {
                throw invoiced(source.orderId(), other.get());
            }
            throw new ApiException(409, "customer_changed", "Customer changed",
                    "The customer was deleted or merged while the invoice was being made; make it again");
        }
        return invoice;
    }

    /** A draft's lines, currency or memo changed (JSON merge patch under {@code If-Match}); other fields as they are. */
    public Invoice update(String tenant, String invoiceId, JsonNode patch, String ifMatch) {
        var current = stored(tenant, invoiceId);
        if (current.status() != InvoiceStatus.DRAFT) {
            throw wrongStatus(current, "edited", "only a draft is edited; credit an open invoice instead");
        }
        if (ifMatch == null) {
            throw new ApiException(428, "precondition_required", "Precondition required",
                    "Send If-Match with the ETag of the invoice you are changing");
        }
        if (!MergePatch.matches(ifMatch, current.etag())) {
            throw stale();
        }
        if (patch == null || !patch.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
        var shown = (ObjectNode) Json.MAPPER.valueToTree(current);
        var errors = new ArrayList<FieldError>();
        patch.properties().forEach(member -> {
            if (!WRITABLE.contains(member.getKey()) && shown.has(member.getKey()) && !same(shown.get(member.getKey()), member.getValue())) {
                errors.add(new FieldError(member.getKey(), "is read-only: a draft's lines, currency and memo change"));
            } else if (!WRITABLE.contains(member.getKey()) && !shown.has(member.getKey())) {
                errors.add(new FieldError(member.getKey(), "is not a field of an invoice"));
            }
        });
        failOn(errors);
        String currency = patch.has("currency") && !patch.get("currency").isNull() ? patch.get("currency").asText() : current.currency();
        if (!Money.isCurrency(currency)) {
            errors.add(new FieldError("currency", "must be an ISO 4217 code such as USD"));
        }
        String memo = patch.has("memo") ? memo(errors, patch.get("memo").isNull() ? null : patch.get("memo").asText()) : current.memo();
        InvoiceTotals totals;
        if (patch.has("lines")) {
            var raw = patch.get("lines");
            if (!raw.isArray()) {
                errors.add(new FieldError("lines", "must be a list of lines"));
                totals = InvoiceTotals.NONE;
            } else {
                var lines = new ArrayList<LineInput>();
                for (int i = 0; i < raw.size(); i++) {
                    lines.add(raw.get(i).isObject() ? Bodies.convert(readOnlyLineFields((ObjectNode) raw.get(i)), LineInput.class) : null);
                }
                totals = InvoiceTotals.of(errors, lines);
            }
        } else {
            // the lines' totals, before any discount
            totals = new InvoiceTotals(current.lines(), current.subtotal().amount(), current.tax().amount(),
                    current.subtotal().amount() + current.tax().amount());
        }
        failOn(errors);
        String couponCode = current.discount() == null ? null : current.discount().code();
        if (patch.has(COUPON_CODE)) {
            var code = patch.get(COUPON_CODE);
            if (!code.isNull() && !code.isTextual()) {
                throw ApiException.invalid(COUPON_CODE, "must be a coupon's code, or null: none");
            }
            couponCode = code.isNull() ? null : code.asText();
        }
        boolean couponChanged = !java.util.Objects.equals(couponCode, current.discount() == null ? null : current.discount().code());
        if (current.orderId() != null && (patch.has("lines") || !currency.equals(current.currency()) || couponChanged)) {
            throw ApiException.invalid(patch.has("lines") ? "lines" : couponChanged ? COUPON_CODE : "currency",
                    "is the order's: an order's invoice bills the order as placed");
        }
        currency = currency(existingCustomer(tenant, current.customerId()), currency);
        boolean sameTotals = !patch.has("lines") && currency.equals(current.currency());
        // judged again when what it is taken off (or the code) changed; otherwise as it was judged
        var discount = sameTotals && !couponChanged ? current.discount() : discount(tenant, current.customerId(), couponCode, totals, currency);
        var after = current.edited(currency, totals, discount, memo, now());
        try {
            write(tenant, current, after, null, null, null);
        } catch (Stale e) {
            throw stale();
        }
        return after;
    }

    /** A line as the API shows it may be sent back: its {@code amount} and {@code tax} are computed, not taken. */
    private static ObjectNode readOnlyLineFields(ObjectNode line) {
        var copy = line.deepCopy();
        copy.remove("amount");
        copy.remove("tax");
        return copy;
    }

    // ---- finalising -------------------------------------------------------------------------------

    /** A draft finalised: numbered, billed, due on the customer's terms (open; paid at once when it asks nothing). Finalising it again changes nothing. */
    public Invoice finalizeDraft(String tenant, String invoiceId) {
        for (int attempt = 1; ; attempt++) {
            var current = stored(tenant, invoiceId);
            if (current.status() == InvoiceStatus.OPEN || current.status() == InvoiceStatus.PAID) {
                return current;
            }
            if (current.status() != InvoiceStatus.DRAFT) {
                throw wrongStatus(current, "finalized", "only a draft is finalized");
            }
            if (current.lines().isEmpty()) {
                throw ApiException.invalid("lines", "must hold at least one line: a draft without lines is not finalized");
            }
            var finalised = finalization(tenant, current);
            try {
                write(tenant, current, finalised.invoice(), activity(finalised.invoice(), Activity.Kind.INVOICE_FINALIZED),
                        finalised.numbering(), null, finalised.couponUse());
            } catch (Stale e) {
                // the draft changed, another finalisation took the number, or its coupon's last use went elsewhere: again, as they are now
                numberingLost(attempt);
                continue;
            }
            finalized(tenant, finalised.invoice());
            return finalised.invoice();
        }
    }

    /** A draft as finalising it makes it, the number it takes, and the writes that take its coupon's use (none: no coupon). */
    private record Finalised(Invoice invoice, Numbering numbering, List<TransactWriteItem> couponUse) {
    }

    private Finalised finalization(String tenant, Invoice draft) {
        return finalization(tenant, draft, null);
    }

    /** {@link #finalization(String, Invoice)} due on {@code groupTerms} (a billing group's) when set, not on the customer's. */
    private Finalised finalization(String tenant, Invoice draft, String groupTerms) {
        var customer = existingCustomer(tenant, draft.customerId());
        currency(customer, draft.currency());
        Instant now = now();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        var numbering = new Numbering(today.getYear(), repository.lastNumber(tenant, today.getYear()));
        String terms = groupTerms != null ? groupTerms : customer.type() == CustomerType.BUSINESS && customer.paymentTerms() != null
                ? customer.paymentTerms() : Invoice.DUE_ON_RECEIPT;
        // the coupon judged again as it is now (422 naming couponCode: the draft stays a draft), its use taken with the number
        var use = draft.discount() == null ? null
                : coupons.redeem(tenant, draft.customerId(), draft.discount().code(), draft.discount().amountBefore(), draft.id(), now);
        if (use != null && !use.coupon().equals(draft.discount())) {
            throw new IllegalStateException("coupon " + use.coupon().code() + " takes off another amount than the draft shows");
        }
        return new Finalised(draft.finalized(number(numbering), billTo(customer), terms, dueDate(today, terms), now), numbering,
                use == null ? List.of() : use.writes());
    }

    /** {@code INV-<year>-<number, six digits at least>}. */
    static String number(Numbering numbering) {
        return "INV-%d-%06d".formatted(numbering.year(), numbering.next());
    }

    /** The day an invoice finalised on {@code day} is due on {@code terms}: {@code NET_<n>} days later, or that day. */
    static LocalDate dueDate(LocalDate day, String terms) {
        return terms.startsWith("NET_") ? day.plusDays(Integer.parseInt(terms.substring(4))) : day;
    }

    private static Invoice.BillTo billTo(Customer customer) {
        var billing = customer.addresses() == null ? List.<Address>of()
                : customer.addresses().stream().filter(a -> "billing".equals(a.kind())).toList();
        var address = billing.stream().filter(a -> Boolean.TRUE.equals(a.isDefault())).findFirst().or(() -> billing.stream().findFirst())
                .map(a -> new Address("billing", a.line1(), a.line2(), a.city(), a.region(), a.postalCode(), a.country(), null)).orElse(null);
        String name = String.join(" ", java.util.stream.Stream.of(customer.firstName(), customer.lastName())
                .filter(s -> s != null && !s.isBlank()).toList());
        var company = customer.company();
        return new Invoice.BillTo(name.isEmpty() ? null : name, customer.email(), company == null ? null : company.name(),
                company == null ? null : company.vatNumber(), address);
    }

    /** What follows a finalisation: its metric, and the invoice issued ({@link #issue}). */
    private void finalized(String tenant, Invoice invoice) {
        metrics.record(MetricRecord.of().count("InvoicesFinalized"));
        if (invoice.status() == InvoiceStatus.PAID) {
            paid(tenant, invoice);
        }
        issue(tenant, invoice);
    }

    /**
     * The finalised invoice queued to be issued: its PDF rendered and stored, then emailed to its customer with
     * the PDF attached ({@link InvoiceIssuer}, message id {@code invoice:<id>}: sent once however often this
     * runs). The invoice is final whether or not it could be queued: a queue that fails is logged (ids only),
     * and {@code GET /invoices/{id}/pdf} queues it again when it finds no PDF.
     */
    private void issue(String tenant, Invoice invoice) {
        try {
            issue.send(new IssueJob(tenant, invoice.id()));
        } catch (RuntimeException e) {
            Log.warn("invoice not queued for issuing", Map.of("invoice_id", invoice.id(), "error", e.getClass().getName()));
        }
    }

    /**
     * The invoice of a subscription's period (the renewal run, collection {@code send_invoice}): made and
     * finalised in one transaction, once per period however often it is asked (its source's guard); a
     * draft left by an earlier attempt is finalised. Its id.
     */
    @Override
    public String invoicePeriod(String tenant, String customerId, String subscriptionId, int period, Money amount, String description) {
        var source = new Invoice.Source(null, subscriptionId, period);
        var errors = new ArrayList<FieldError>();
        var totals = InvoiceTotals.of(errors, List.of(new LineInput(description, BigDecimal.ONE, BigDecimal.valueOf(amount.amount()),
                BigDecimal.ZERO)));
        failOn(errors);
        return finalisedOnce(tenant, source.key(), () -> Invoice.draft(Ids.next(Ids.INVOICE), customerId, amount.currency(), totals, null,
                null, source, now()), null);
    }

    /**
     * The invoice of a source ({@code sourceKey}: its guard's), made of {@code draft} and finalised in one
     * transaction (due on {@code groupTerms} when set), or the one made before (a draft of it finalised). Its id.
     */
    private String finalisedOnce(String tenant, String sourceKey, java.util.function.Supplier<Invoice> draft, String groupTerms) {
        for (int attempt = 1; ; attempt++) {
            var made = repository.invoiceOf(tenant, sourceKey);
            if (made.isPresent()) {
                finalizeDraft(tenant, made.get());
                return made.get();
            }
            var finalised = finalization(tenant, draft.get(), groupTerms);
            try {
                write(tenant, null, finalised.invoice(), activity(finalised.invoice(), Activity.Kind.INVOICE_FINALIZED),
                        finalised.numbering(), null, finalised.couponUse());
            } catch (Stale e) {
                // another run made it, or another finalisation took the number, or the customer is gone: as they are now
                numberingLost(attempt);
                continue;
            }
            finalized(tenant, finalised.invoice());
            return finalised.invoice().id();
        }
    }

    /**
     * A billing group's consolidated invoice of a closed period, to its payer: a line per member
     * subscription period, each member's total, in the group's currency, due on the group's terms; made
     * and finalised in one transaction, once per group period however often it is asked (its guard), and
     * sent like any finalised invoice. Its id. A payer that is not a live customer (deleted, merged away)
     * or was erased cannot be invoiced: refused, so the period waits.
     */
    @Override
    public String invoiceGroupPeriod(String tenant, ConsolidatedInvoice group) {
        var payer = existingCustomer(tenant, group.payerId());
        if (payer.email() != null && payer.email().equals(Customer.anonymousEmail(payer.id()))) {
            // an erased payer: no one to bill (its lines wait for the group's next payer)
            throw new IllegalStateException("the payer of billing group " + group.groupId() + " is erased");
        }
        var consolidation = consolidation(group);
        var totals = consolidatedTotals(group);
        return finalisedOnce(tenant, consolidation.key(), () -> Invoice.consolidated(Ids.next(Ids.INVOICE), group.payerId(),
                group.currency(), totals, consolidation, now()), group.paymentTerms());
    }

    /** Each member's lines and total, by customer id. */
    static Invoice.Consolidation consolidation(ConsolidatedInvoice group) {
        var members = new java.util.TreeMap<String, long[]>();
        for (GroupLine line : group.lines()) {
            var member = members.computeIfAbsent(line.customerId(), id -> new long[2]);
            member[0]++;
            member[1] += line.amount().amount();
        }
        return new Invoice.Consolidation(group.groupId(), group.groupPeriod(), members.entrySet().stream().map(m ->
                new Invoice.MemberTotal(m.getKey(), (int) m.getValue()[0], new Money(m.getValue()[1], group.currency()))).toList());
    }

    /** A line per member subscription period (no tax: what the subscription bills), within an invoice's bounds. */
    static InvoiceTotals consolidatedTotals(ConsolidatedInvoice group) {
        if (group.lines().size() > MAX_CONSOLIDATED_LINES) {
            throw new IllegalArgumentException("billing group " + group.groupId() + " has " + group.lines().size() + " lines for "
                    + group.groupPeriod() + ": more than " + MAX_CONSOLIDATED_LINES + ", an invoice's most");
        }
        var lines = group.lines().stream().map(l -> new InvoiceLine(l.description(), 1, l.amount().amount(), BigDecimal.ZERO,
                l.amount().amount(), 0)).toList();
        long total = lines.stream().mapToLong(InvoiceLine::amount).sum();
        if (total > InvoiceTotals.MAX_TOTAL) {
            throw new IllegalArgumentException("billing group " + group.groupId() + "'s lines for " + group.groupPeriod()
                    + " add up to more than " + InvoiceTotals.MAX_TOTAL + ", the largest invoice");
        }
        return new InvoiceTotals(lines, total, 0, total);
    }

    // ---- paying -----------------------------------------------------------------------------------

    /** Pays (part of) an open invoice with a saved card: the invoice after, and the decline when the card was declined. */
    public Outcome pay(PayInvoice command, IdempotentWrite<Outcome> key) {
        String tenant = command.tenant();
        var input = command.input();
        if (input.paymentMethodId() != null && !Ids.isValid(Ids.PAYMENT_METHOD, input.paymentMethodId())) {
            throw ApiException.invalid("paymentMethodId", "is not a saved card's id");
        }
        return collect(tenant, command.invoiceId(), input.amount(), CARD, key, (invoice, payment) -> payments.charge(new ChargeCommand(tenant,
                invoice.customerId(), new Charge(payment.amount(), "Invoice " + invoice.number(), input.paymentMethodId(), null, null, null, null),
                paidFor(invoice)), IdempotentWrite.owned(payment.paymentId())));
    }

    /** Records a payment of (part of) an open invoice made outside the processor: a bank transfer, cash, a cheque. */
    public Outcome recordPayment(RecordPayment command, IdempotentWrite<Outcome> key) {
        String tenant = command.tenant();
        var input = command.input();
        String method = input.method() == null ? null : com.clientele.payments.OfflineMethod.parse(input.method())
                .map(com.clientele.payments.OfflineMethod::json).orElse(null);
        if (method == null) {
            throw ApiException.invalid("method", "must be one of " + com.clientele.payments.OfflineMethod.names());
        }
        return collect(tenant, command.invoiceId(), input.amount(), method, key, (invoice, payment) -> payments.recordOffline(
                new OfflinePaymentCommand(tenant, invoice.customerId(), new OfflinePayment(payment.amount(), "Invoice " + invoice.number(),
                        input.method(), input.reference()), paidFor(invoice)), IdempotentWrite.owned(payment.paymentId())));
    }

    private static PaymentFor paidFor(Invoice invoice) {
        return PaymentFor.invoice(invoice.id(), new PaymentFor(invoice.orderId(), invoice.subscriptionId(), invoice.period(), null));
    }

    /**
     * A payment of {@code requested} (all that is left when null) reserved on the invoice under the key's
     * payment id, made ({@code make}), and its outcome settled on the invoice with the request's completion.
     */
    private Outcome collect(String tenant, String invoiceId, Money requested, String method, IdempotentWrite<Outcome> key,
                            java.util.function.BiFunction<Invoice, InvoicePayment, Payment> make) {
        var invoice = stored(tenant, invoiceId);
        if (requested != null) {
            amount(invoice, requested);
        }
        collecting(invoice, "paid");
        invoice = tidy(tenant, invoice);
        var claimed = key.claim(() -> Ids.next(Ids.PAYMENT));
        for (int attempt = 1; invoice.payments().stream().noneMatch(p -> p.paymentId().equals(claimed.resourceId())); attempt++) {
            collecting(invoice, "paid");
            long amount = requested != null ? requested.amount() : invoice.available();
            if (amount <= 0 || amount > invoice.available()) {
                throw ApiException.invalid("amount.amount", "must be at most " + Math.max(0, invoice.available())
                        + ": what the invoice still asks, less payments being made");
            }
            var reserving = invoice.paying(new InvoicePayment(claimed.resourceId(), new Money(amount, invoice.currency()), method,
                    InvoicePayment.PENDING, now()), now());
            try {
                write(tenant, invoice, reserving, null, null, null);
                invoice = reserving;
            } catch (Stale e) {
                giveUpAfter(attempt);
                invoice = stored(tenant, invoiceId);
            }
        }
        var reservation = invoice.payments().stream().filter(p -> p.paymentId().equals(claimed.resourceId())).findFirst().orElseThrow();
        if (!reservation.pending()) {
            return new Outcome(invoice, null);
        }
        key.started();
        Payment payment;
        try {
            payment = make.apply(invoice, reservation);
        } catch (ApiException e) {
            if (e.status() < 500 && !"concurrent_update".equals(e.code())) {
                // refused before any money moved (no card, another currency, too large a charge): the reservation goes
                settle(tenant, invoiceId, reservation.paymentId(), false, null);
            }
            throw e;
        }
        boolean paid = payment.status().captured();
        var refusal = paid ? null : ProcessorRefusal.declined(payment);
        return settle(tenant, invoiceId, payment.id(), paid, after -> key.completion(new Outcome(after, refusal), after.customerId()))
                .map(after -> new Outcome(after, refusal)).orElseThrow();
    }

    /**
     * A reservation settled: paid (the invoice paid when nothing is left) or dropped, with the completion
     * made of the invoice after (none when null). Retried on a concurrent change, since money moved; empty
     * when the reservation is gone (settled by another).
     */
    private Optional<Invoice> settle(String tenant, String invoiceId, String paymentId, boolean paid,
                                     Function<Invoice, TransactPut> completion) {
        for (int attempt = 1; ; attempt++) {
            var current = stored(tenant, invoiceId);
            var entry = current.payments().stream().filter(p -> p.paymentId().equals(paymentId)).findFirst();
            if (entry.isEmpty() || !entry.get().pending()) {
                return Optional.of(current);
            }
            var after = paid ? current.settled(paymentId, now()) : current.released(paymentId, now());
            boolean nowPaid = after.status() == InvoiceStatus.PAID && current.status() != InvoiceStatus.PAID;
            try {
                write(tenant, current, after, nowPaid ? activity(after, Activity.Kind.INVOICE_PAID) : null, null,
                        completion == null ? null : completion.apply(after));
            } catch (Stale e) {
                if (attempt >= MAX_WRITE_ATTEMPTS) {
                    throw new ApiException(409, "concurrent_update", "Conflict",
                            "The invoice kept changing while its payment was recorded; retry with the same Idempotency-Key to finish it");
                }
                continue;
            }
            if (nowPaid) {
                paid(tenant, after);
            }
            return Optional.of(after);
        }
    }

    /** Reservations whose request died settled from their payments: paid if captured, dropped if it failed or never was. */
    private Invoice tidy(String tenant, Invoice invoice) {
        Instant now = clock.instant();
        boolean changed = false;
        for (var reservation : invoice.payments()) {
            if (!reservation.pending() || reservation.createdAt().plus(ABANDONED).isAfter(now)) {
                continue;
            }
            var payment = payments.find(tenant, reservation.paymentId());
            if (payment.isPresent() && payment.get().status() == PaymentStatus.PENDING) {
                continue;
            }
            settle(tenant, invoice.id(), reservation.paymentId(), payment.isPresent() && payment.get().status().captured(), null);
            changed = true;
        }
        return changed ? stored(tenant, invoice.id()) : invoice;
    }

    // ---- credit notes, void, uncollectible -------------------------------------------------------

    /**
     * A credit note: on an open (or uncollectible) invoice, {@code amount} off what it asks; on a paid one,
     * {@code amount} refunded of one of its card payments (the one named, else the last with enough left).
     */
    public Outcome credit(CreditInvoice command, IdempotentWrite<Outcome> key) {
        String tenant = command.tenant();
        var input = command.input();
        var errors = new ArrayList<FieldError>();
        String reason = com.clientele.customers.CustomerRules.text(errors, "reason", input.reason(), MAX_REASON, false);
        if (input.amount() == null) {
            errors.add(new FieldError("amount", "is required: {\"amount\": minor units, \"currency\": the invoice's}"));
        }
        if (input.paymentId() != null && !Ids.isValid(Ids.PAYMENT, input.paymentId())) {
            errors.add(new FieldError("paymentId", "is not a payment's id"));
        }
        failOn(errors);
        var invoice = stored(tenant, command.invoiceId());
        amount(invoice, input.amount());
        if (invoice.status() == InvoiceStatus.PAID && invoice.refundable() > 0) {
            if (!command.mayRefund()) {
                throw new ApiException(403, "insufficient_scope", "Forbidden", "Invoice " + invoice.id()
                        + " is paid: its credit note refunds a payment, which needs the scope payments:refund",
                        List.of(), Map.of("scope", "payments:refund"), Map.of());
            }
            return refund(tenant, invoice, input, reason, key);
        }
        collecting(invoice, "credited");
        invoice = tidy(tenant, invoice);
        var claimed = key.claim(() -> Ids.next(Ids.CREDIT_NOTE));
        for (int attempt = 1; ; attempt++) {
            if (invoice.creditNotes().stream().anyMatch(n -> n.id().equals(claimed.resourceId()))) {
                return new Outcome(invoice, null);
            }
            collecting(invoice, "credited");
            long amount = input.amount().amount();
            if (amount > invoice.available()) {
                throw ApiException.invalid("amount.amount", "must be at most " + Math.max(0, invoice.available())
                        + ": what the invoice still asks, less payments being made");
            }
            var after = invoice.credited(new CreditNote(claimed.resourceId(), input.amount(), reason, null, null, now()), now());
            var outcome = new Outcome(after, null);
            try {
                write(tenant, invoice, after, activity(after, Activity.Kind.INVOICE_CREDITED), null,
                        key.completion(outcome, after.customerId()));
            } catch (Stale e) {
                giveUpAfter(attempt);
                invoice = stored(tenant, invoice.id());
                continue;
            }
            if (after.status() == InvoiceStatus.PAID) {
                paid(tenant, after);
            }
            return outcome;
        }
    }

    /** A paid invoice's credit note: the refund made through the refund path, then the note recorded with the request's completion. */
    private Outcome refund(String tenant, Invoice invoice, CreditInput input, String reason, IdempotentWrite<Outcome> key) {
        long amount = input.amount().amount();
        if (amount > invoice.refundable()) {
            throw ApiException.invalid("amount.amount", "must be at most " + invoice.refundable() + ": what was paid less what was refunded");
        }
        var cards = invoice.payments().stream().filter(p -> !p.pending() && CARD.equals(p.method())).map(InvoicePayment::paymentId).toList();
        String paymentId;
        if (input.paymentId() != null) {
            if (!cards.contains(input.paymentId())) {
                throw ApiException.invalid("paymentId", "is not a card payment of this invoice (a payment made outside the processor "
                        + "is refunded the same way)");
            }
            paymentId = input.paymentId();
        } else {
            paymentId = cards.reversed().stream().filter(id -> refundable(tenant, id) >= amount).findFirst().orElseThrow(() ->
                    ApiException.invalid("amount.amount", cards.isEmpty()
                            ? "cannot be refunded: the invoice was paid outside the processor, and is refunded the same way"
                            : "is more than any one card payment of the invoice has left to refund: credit it in parts, naming paymentId"));
        }
        var claimed = key.claim(() -> Ids.next(Ids.REFUND));
        String noteId = Ids.CREDIT_NOTE + claimed.resourceId().substring(Ids.REFUND.length());
        key.started();
        var refund = payments.refund(new RefundCommand(tenant, paymentId, new RefundRequest(input.amount(),
                reason != null ? reason : "Credit note on invoice " + invoice.number())), IdempotentWrite.owned(claimed.resourceId()));
        if (refund.status() != RefundStatus.SUCCEEDED) {
            return new Outcome(stored(tenant, invoice.id()), ProcessorRefusal.refused(paymentId, refund));
        }
        for (int attempt = 1; ; attempt++) {
            var current = stored(tenant, invoice.id());
            if (current.creditNotes().stream().anyMatch(n -> n.id().equals(noteId))) {
                return new Outcome(current, null);
            }
            var after = current.credited(new CreditNote(noteId, input.amount(), reason, paymentId, refund.id(), now()), now());
            var outcome = new Outcome(after, null);
            try {
                write(tenant, current, after, activity(after, Activity.Kind.INVOICE_CREDITED), null,
                        key.completion(outcome, after.customerId()));
                return outcome;
            } catch (Stale e) {
                if (attempt >= MAX_WRITE_ATTEMPTS) {
                    throw new ApiException(409, "concurrent_update", "Conflict",
                            "The invoice kept changing while its credit note was recorded; retry with the same Idempotency-Key to finish it");
                }
            }
        }
    }

    /**
     * What follows an invoice becoming paid: its metric, and an order's invoice pays the order. The
     * invoice is paid whatever becomes of the order (a recurring line's price archived since): that is
     * logged, and the order is paid by hand.
     */
    private void paid(String tenant, Invoice invoice) {
        metrics.record(MetricRecord.of().count("InvoicesPaid"));
        if (invoice.orderId() == null) {
            return;
        }
        try {
            orders.paidByInvoice(tenant, invoice.orderId());
        } catch (RuntimeException e) {
            Log.warn("an invoice was paid, and its order could not be marked paid", Map.of("tenant", tenant, "invoice_id", invoice.id(),
                    "order_id", invoice.orderId(), "error_type", e.getClass().getName()));
        }
    }

    private long refundable(String tenant, String paymentId) {
        return payments.find(tenant, paymentId).map(p -> p.amount().amount() - p.amountRefunded().amount()).orElse(0L);
    }

    /** An open (or uncollectible) invoice with nothing paid voided, its coupon's use given back with it; voiding a void invoice changes nothing. */
    public Invoice voidInvoice(String tenant, String invoiceId) {
        return transition(tenant, invoiceId, InvoiceStatus.VOID, invoice -> {
            collecting(invoice, "voided");
            if (invoice.amountPaid().amount() > 0 || invoice.payments().stream().anyMatch(InvoicePayment::pending)) {
                throw new ApiException(409, "invoice_has_payments", "Invoice has payments", "Invoice " + invoice.id()
                        + " has payments: it is not voided; credit what it still asks instead");
            }
            return invoice.voided(now());
        }, Activity.Kind.INVOICE_VOIDED);
    }

    /** An open invoice written off (still payable); marking it again changes nothing. */
    public Invoice markUncollectible(String tenant, String invoiceId) {
        return transition(tenant, invoiceId, InvoiceStatus.UNCOLLECTIBLE, invoice -> {
            if (invoice.status() != InvoiceStatus.OPEN) {
                throw wrongStatus(invoice, "marked uncollectible", "only an open invoice is");
            }
            return invoice.uncollectible(now());
        }, Activity.Kind.INVOICE_UNCOLLECTIBLE);
    }

    private Invoice transition(String tenant, String invoiceId, InvoiceStatus to, Function<Invoice, Invoice> change, Activity.Kind kind) {
        for (int attempt = 1; ; attempt++) {
            var current = stored(tenant, invoiceId);
            if (current.status() == to) {
                return current;
            }
            var after = change.apply(current);
            var couponBack = to == InvoiceStatus.VOID && current.discount() != null
                    ? coupons.giveBack(tenant, current.customerId(), current.discount().code(), current.id(), after.updatedAt())
                    : List.<TransactWriteItem>of();
            try {
                write(tenant, current, after, activity(after, kind), null, null, couponBack);
                return after;
            } catch (Stale e) {
                giveUpAfter(attempt);
            }
        }
    }

    // ---- overdue ----------------------------------------------------------------------------------

    /**
     * The open invoice marked overdue when its due date is before {@code today} and it is not marked yet
     * ({@link Invoice#pastDue}): once, written at the version read with its activity, its {@code invoice.overdue}
     * event and what it still asks moved into its customer's overdue balance, all in one transaction. Of two runs
     * at once one marks it, the other finds it marked. {@code seen} is the invoice as the due index showed it (it
     * may be behind: then it is read again). True when this call marked it.
     */
    boolean markOverdue(String tenant, Invoice seen, LocalDate today) {
        var current = seen;
        for (int attempt = 1; ; attempt++) {
            if (!current.pastDue(today)) {
                return false;
            }
            var after = current.markedOverdue(now());
            try {
                write(tenant, current, after, activity(after, Activity.Kind.INVOICE_OVERDUE), null, null);
                metrics.record(MetricRecord.of().count("InvoicesOverdue"));
                return true;
            } catch (Stale e) {
                giveUpAfter(attempt);
                var again = repository.find(tenant, current.id());
                if (again.isEmpty()) {
                    return false;
                }
                current = again.get();
            }
        }
    }

    // ---- writing ----------------------------------------------------------------------------------

    /**
     * A change of an invoice written ({@code before} null: a new one) with its activity, number and completion
     * (each none when null) and the events it makes ({@link InvoiceEvents}) in its customer's outbox, in one
     * transaction with the customer's balance (the repository's); then the events published (left to the relay
     * when that fails). {@link Stale} when a condition failed.
     */
    private void write(String tenant, Invoice before, Invoice after, Activity activity, Numbering numbering, TransactPut completion) {
        write(tenant, before, after, activity, numbering, completion, List.of());
    }

    /** {@link #write(String, Invoice, Invoice, Activity, Numbering, TransactPut)} with {@code more} of another capability's (a coupon's use). */
    private void write(String tenant, Invoice before, Invoice after, Activity activity, Numbering numbering, TransactPut completion,
                       List<TransactWriteItem> more) {
        var events = InvoiceEvents.of(tenant, before, after, () -> Ids.next(Ids.EVENT), after.updatedAt());
        String home = Keys.customer(tenant, after.customerId());
        var puts = new ArrayList<TransactPut>();
        if (completion != null) {
            puts.add(completion);
        }
        events.forEach(event -> puts.add(new TransactPut(outbox.item(home, event), null)));
        try {
            if (before == null) {
                repository.insert(tenant, after, activity, numbering, puts, more);
            } else {
                repository.update(tenant, before, after, activity, numbering, puts, more);
            }
        } catch (InvoiceRepository.OtherCurrency e) {
            throw ApiException.invalid("currency", "must be " + e.currency + ": the currency of what the customer's open invoices ask");
        }
        events.forEach(event -> outbox.publish(home, event, e -> Log.warn("event left in the outbox for the relay",
                Map.of("event_id", event.id(), "event_type", event.type(), "error_type", e.getClass().getName()))));
    }

    // ---- reads ------------------------------------------------------------------------------------

    public Invoice get(String tenant, String invoiceId) {
        return stored(tenant, invoiceId);
    }

    /** A customer's invoices, newest first. */
    public Listing<Invoice> ofCustomer(String tenant, String customerId, Map<String, String> query) {
        var paging = ListParams.of(query);
        customers.get(tenant, customerId);
        String scope = "invoices:" + customerId;
        var slice = repository.ofCustomer(tenant, customerId, paging.limit(), cursors.after(tenant, scope, paging));
        return new Listing<>(slice.items().stream().map(InvoiceRepository::invoice).toList(), cursors.next(tenant, scope, slice));
    }

    /** The tenant's invoices of one {@code status}, newest first. */
    public Listing<Invoice> byStatus(String tenant, Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, STATUS_QUERY, errors);
        var status = Optional.ofNullable(query.get("status")).flatMap(InvoiceStatus::parse);
        if (status.isEmpty()) {
            errors.add(new FieldError("status", "is required: one of draft, open, paid, void, uncollectible"));
        }
        failOn(errors);
        String scope = "invoices:" + status.get().value();
        var slice = repository.byStatus(tenant, status.get(), paging.limit(), cursors.after(tenant, scope, paging));
        return new Listing<>(slice.items().stream().map(InvoiceRepository::invoice).toList(), cursors.next(tenant, scope, slice));
    }

    // ---- rules ------------------------------------------------------------------------------------

    /**
     * What coupon {@code code} (none when null) takes off {@code totals} for the customer, judged now with nothing
     * taken: the 422s of a charge naming {@code couponCode}. A coupon of points is not for invoices: its points are
     * credited with a payment's, and an invoice may be paid in many.
     */
    private PaymentCoupon discount(String tenant, String customerId, String code, InvoiceTotals totals, String currency) {
        if (code == null) {
            return null;
        }
        var discount = coupons.quote(tenant, customerId, code, new Money(totals.total(), currency), now());
        if (discount.points() > 0) {
            throw new ApiException(422, "coupon_not_for_invoices", "Coupon does not apply", "This coupon gives points, which are credited "
                    + "with a charge's: use it on a charge or an order", List.of(new FieldError(COUPON_CODE, "gives points: not for invoices")),
                    Map.of(), Map.of());
        }
        return discount;
    }

    /** A pending order's one-time lines, as an invoice's (untaxed: the order's prices are what it charges). */
    private static InvoiceTotals orderLines(Order order) {
        if (order.status() != OrderStatus.PENDING) {
            throw new ApiException(409, "order_" + order.status().value(), "Order is " + order.status().value(),
                    "Order " + order.id() + " is " + order.status().value() + ": only a pending order is invoiced");
        }
        var lines = new ArrayList<LineInput>();
        for (var item : order.items()) {
            if (item.type() == Price.Type.ONE_TIME) {
                String name = item.variantName() == null ? item.productName() : item.productName() + " – " + item.variantName();
                lines.add(new LineInput(name, BigDecimal.valueOf(item.quantity()), BigDecimal.valueOf(item.unitAmount()), BigDecimal.ZERO));
            }
        }
        if (lines.isEmpty()) {
            throw ApiException.invalid("orderId", "has nothing to invoice: its lines are all recurring, which their subscriptions bill");
        }
        var errors = new ArrayList<FieldError>();
        var totals = InvoiceTotals.of(errors, lines);
        failOn(errors);
        return totals;
    }

    private Order order(String tenant, String orderId) {
        try {
            return orders.get(tenant, orderId);
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            throw ApiException.invalid("orderId", "is not an order of this account");
        }
    }

    private Customer existingCustomer(String tenant, String customerId) {
        if (!Ids.isValid(Ids.CUSTOMER, customerId)) {
            throw ApiException.invalid("customerId", "is not a customer of this account");
        }
        try {
            return customers.get(tenant, customerId);
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            throw ApiException.invalid("customerId", "is not a customer of this account");
        }
    }

    /** The invoice's currency: the one given, which must be the customer's once their first charge fixed it; theirs when none is given. */
    private static String currency(Customer customer, String currency) {
        if (currency == null) {
            if (customer.currency() == null) {
                throw ApiException.invalid("currency", "is required: the customer has no currency yet");
            }
            return customer.currency();
        }
        if (customer.currency() != null && !customer.currency().equals(currency)) {
            throw ApiException.invalid("currency", "must be " + customer.currency() + ": the customer's currency, fixed by their first charge");
        }
        return currency;
    }

    /** An amount asked of an invoice: positive, in the invoice's currency, within an invoice's range. */
    private static void amount(Invoice invoice, Money amount) {
        var errors = new ArrayList<FieldError>();
        if (amount.amount() <= 0 || amount.amount() > InvoiceTotals.MAX_TOTAL) {
            errors.add(new FieldError("amount.amount", "must be from 1 to " + InvoiceTotals.MAX_TOTAL + " (minor units)"));
        }
        if (!invoice.currency().equals(amount.currency())) {
            errors.add(new FieldError("amount.currency", "must be " + invoice.currency() + ", the invoice's currency"));
        }
        failOn(errors);
    }

    private static String memo(List<FieldError> errors, String memo) {
        return com.clientele.customers.CustomerRules.text(errors, "memo", memo, MAX_MEMO, false);
    }

    /** 409 unless the invoice is open or uncollectible: what is {@code asked} of it needs it finalised and not settled. */
    private static void collecting(Invoice invoice, String asked) {
        if (!invoice.status().collecting()) {
            throw wrongStatus(invoice, asked, invoice.status() == InvoiceStatus.DRAFT ? "finalize it first"
                    : "only an open or uncollectible invoice is");
        }
    }

    private Invoice stored(String tenant, String invoiceId) {
        return (Ids.isValid(Ids.INVOICE, invoiceId) ? repository.find(tenant, invoiceId) : Optional.<Invoice>empty())
                .orElseThrow(() -> ApiException.notFound("Invoice " + invoiceId));
    }

    private static Activity activity(Invoice invoice, Activity.Kind kind) {
        String what = "Invoice " + invoice.number();
        String summary = switch (kind) {
            case INVOICE_FINALIZED -> what + " finalized: " + Activity.money(invoice.total().amount(), invoice.currency()) + ", due "
                    + invoice.dueDate();
            case INVOICE_PAID -> what + " paid: " + Activity.money(invoice.total().amount(), invoice.currency());
            case INVOICE_VOIDED -> what + " voided";
            case INVOICE_UNCOLLECTIBLE -> what + " marked uncollectible";
            case INVOICE_OVERDUE -> what + " overdue: " + Activity.money(invoice.amountDue().amount(), invoice.currency())
                    + " still due, due " + invoice.dueDate();
            case INVOICE_CREDITED -> {
                var note = invoice.creditNotes().get(invoice.creditNotes().size() - 1);
                yield "Credit note on " + what + ": " + Activity.money(note.amount().amount(), invoice.currency())
                        + (note.refunded() ? " refunded" : "");
            }
            default -> throw new IllegalArgumentException(kind + " is not an invoice's");
        };
        return new Activity(invoice.updatedAt(), kind, summary, invoice.id());
    }

    private static ApiException invoiced(String orderId, String invoiceId) {
        return new ApiException(409, "order_invoiced", "Order invoiced", "Order " + orderId + " has its invoice already: " + invoiceId,
                List.of(), Map.of("invoiceId", invoiceId), Map.of());
    }

    /** 409 naming the invoice's status, which does not allow what was asked. */
    private static ApiException wrongStatus(Invoice invoice, String asked, String rule) {
        return new ApiException(409, "invoice_" + invoice.status().value(), "Invoice is " + invoice.status().value(),
                "Invoice " + invoice.id() + " is " + invoice.status().value() + ": it cannot be " + asked + " (" + rule + ")",
                List.of(), Map.of("invoiceStatus", invoice.status().value()), Map.of());
    }

    private static ApiException stale() {
        return new ApiException(412, "precondition_failed", "Precondition failed",
                "The invoice changed since you read it; read it again and reapply your change");
    }

    /** Whether a field sent back is the one shown: numbers by value at any depth (an amount inside {@code subtotal} too). */
    private static boolean same(JsonNode a, JsonNode b) {
        return a.equals(BY_VALUE, b);
    }

    private static final java.util.Comparator<JsonNode> BY_VALUE = (x, y) -> x.isNumber() && y.isNumber()
            ? x.decimalValue().compareTo(y.decimalValue()) : x.equals(y) ? 0 : 1;

    /** After a finalisation lost the number to another: a jittered pause growing with the attempts, or 409 after the last. */
    private static void numberingLost(int attempt) {
        if (attempt >= MAX_NUMBERING_ATTEMPTS) {
            giveUpAfter(attempt);
        }
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * Math.min(attempt, 10) + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            giveUpAfter(MAX_WRITE_ATTEMPTS);
        }
    }

    private static void giveUpAfter(int attempt) {
        if (attempt >= MAX_WRITE_ATTEMPTS) {
            throw new ApiException(409, "concurrent_update", "Conflict", "The invoice kept changing while this request ran; try again");
        }
    }

    private static void failOn(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
