package com.clientele.payments;

import com.clientele.customers.CardSummary;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRules;
import com.clientele.payments.PaymentGateway.GatewayUnavailable;
import com.clientele.payments.PaymentInputs.ChargeCommand;
import com.clientele.payments.PaymentInputs.GuestChargeCommand;
import com.clientele.payments.PaymentInputs.OfflinePaymentCommand;
import com.clientele.payments.PaymentInputs.RefundCommand;
import com.clientele.payments.PaymentInputs.RefundRequest;
import com.clientele.payments.PaymentInputs.SaveCardCommand;
import com.clientele.payments.PaymentRepository.Conflict;
import com.clientele.payments.PaymentRepository.DuplicateCard;
import com.clientele.payments.PaymentRepository.SavedCard;
import com.clientele.payments.PaymentRepository.StoredPayment;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Money;
import com.clientele.shared.References;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.events.PaymentEvent;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.logs.Log;
import com.clientele.shared.metrics.MetricRecord;
import com.clientele.shared.metrics.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of saved cards, charges, refunds and guest payments. Money moves only under an
 * idempotency claim ({@link IdempotentWrite}), through a payment that is recorded as {@code pending}
 * before the processor is called and settled (with its event and the request's completion) in one
 * transaction after.
 */
public final class PaymentService {

    static final int MAX_DESCRIPTION = 500;
    static final int MAX_OFFLINE_REFERENCE = 100;
    private static final int MAX_WRITE_ATTEMPTS = 3;

    private final PaymentRepository repository;
    private final PaymentGateway gateway;
    private final Outbox outbox;
    private final Fingerprints fingerprints;
    private final Cursors cursors;
    private final Clock clock;
    private final Metrics metrics;
    private final long maxChargeAmount;
    private final RefundFollower afterRefund;
    private final PointsLedger points;
    private final PaymentCoupons coupons;

    /**
     * What else a refund that succeeded changes, beyond its payment, its events and its activity: the
     * subscription its payment paid for counts that much less collected. Told once the refund is settled
     * (so a follower's failure never undoes nor blocks a refund), and to be idempotent by refund id.
     */
    @FunctionalInterface
    public interface RefundFollower {
        void refunded(String tenant, Payment payment, Refund refund);

        /** This follower, then {@code next}, which is told even when this one fails (the first failure is thrown after). */
        default RefundFollower and(RefundFollower next) {
            return (tenant, payment, refund) -> {
                try {
                    refunded(tenant, payment, refund);
                } finally {
                    next.refunded(tenant, payment, refund);
                }
            };
        }
    }

    /** What loyalty credited and redeemed for a customer over its life, for the figures under its payments. */
    @FunctionalInterface
    public interface PointsLedger {
        PointsTotals totals(String tenant, String customerId);
    }

    public record PointsTotals(long credited, long redeemed) {
    }

    /**
     * @param afterRefund what a refund that succeeded changes elsewhere
     * @param points      the customer's lifetime points, shown with its payments
     * @param coupons     the coupons a charge may use ({@code couponCode})
     */
    public PaymentService(PaymentRepository repository, PaymentGateway gateway, Outbox outbox, Fingerprints fingerprints,
                          Cursors cursors, Clock clock, Metrics metrics, long maxChargeAmount, RefundFollower afterRefund,
                          PointsLedger points, PaymentCoupons coupons) {
        this.afterRefund = afterRefund;
        this.points = points;
        this.coupons = coupons;
        this.repository = repository;
        this.gateway = gateway;
        this.outbox = outbox;
        this.fingerprints = fingerprints;
        this.cursors = cursors;
        this.clock = clock;
        this.metrics = metrics;
        this.maxChargeAmount = maxChargeAmount;
    }

    public record Page<T>(List<T> data, String nextCursor) {
    }

    /** A page of a customer's payments, with the figures of its whole history (the same on every page). */
    public record History(List<Payment> data, String nextCursor, HistoryTotals totals) {
    }

    /**
     * The figures under a customer's payments (seed 003's transactions table): payments that succeeded
     * ({@code transactions}), what they collected net of refunds and what was refunded, as the customer's
     * stats hold them (kept from the payment events, so a moment behind a payment just made); the points
     * credited and redeemed over the customer's life.
     */
    public record HistoryTotals(long transactions, Money collected, Money refunded, long pointsCredited, long pointsRedeemed) {
    }

    /** A complete (unpaged) list: {@code {"data": [...]}}. */
    public record Listing<T>(List<T> data) {
    }

    /** A guest payment that looks like this customer's, and why. */
    public record RelatedGuestPayment(String id, PaymentStatus status, Money amount, PaymentCard paymentMethod,
                                      Payment.Guest guest, Instant createdAt, List<String> matchedBy) {
    }

    /** A card saved by {@link #saveCard}: {@code created} now, or the one saved already with the same number. */
    public record CardSaved(PaymentMethod method, boolean created) {
    }

    // ---- saved cards ---------------------------------------------------------------------------

    /** Saves a card, or returns the one already saved with the same number. */
    public CardSaved saveCard(SaveCardCommand command) {
        String tenant = command.tenant();
        String customerId = command.customerId();
        var input = command.input();
        var errors = new ArrayList<FieldError>();
        if (input.card() == null) {
            throw ApiException.invalid("card", "is required");
        }
        errors.addAll(CardRules.validate(input.card(), YearMonth.now(clock.withZone(ZoneOffset.UTC)), "card"));
        var billing = billingAddress(errors, input.billingAddress());
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        var card = new CardDetails(CardRules.normalise(input.card().number()), input.card().expMonth(),
                input.card().expYear(), input.card().cvc(), strip(input.card().holderName()));
        String fingerprint = fingerprints.of(tenant, card.number());
        for (int attempt = 1; ; attempt++) {
            var customer = customer(tenant, customerId);
            var saved = repository.cards(tenant, customerId);
            var same = saved.stream().filter(c -> c.method().fingerprint().equals(fingerprint)).findFirst();
            if (same.isPresent()) {
                return new CardSaved(view(same.get().method(), customer), false);
            }
            CardToken token = tokenize(card);
            Instant now = now();
            var method = new PaymentMethod(Ids.next(Ids.PAYMENT_METHOD), customerId, "card", token.brand(), token.bin(),
                    token.last4(), card.expMonth(), card.expYear(), card.holderName(), billing, fingerprint, now, null);
            var after = customer.withCards(
                    customer.paymentMethod() == null ? summary(method) : customer.paymentMethod(),
                    customer.defaultPaymentMethodId() == null ? method.id() : customer.defaultPaymentMethodId(), now);
            try {
                repository.insertCard(tenant, customer, after, new SavedCard(method, token.token()));
                return new CardSaved(view(method, after), true);
            } catch (DuplicateCard e) {
                var existing = repository.card(tenant, customerId, e.existingId).orElseThrow(() -> notFound("Payment method", e.existingId));
                return new CardSaved(view(existing.method(), customer(tenant, customerId)), false);
            } catch (Conflict e) {
                giveUpAfter(attempt);
            }
        }
    }

    public Listing<PaymentMethod> cards(String tenant, String customerId) {
        var customer = customer(tenant, customerId);
        return new Listing<>(repository.cards(tenant, customerId).stream().map(c -> view(c.method(), customer)).toList());
    }

    /**
     * Removes a saved card. If it was the one the customers page shows or the default, the next
     * oldest card takes its place.
     */
    public void deleteCard(String tenant, String customerId, String paymentMethodId) {
        for (int attempt = 1; ; attempt++) {
            var customer = customer(tenant, customerId);
            var card = savedCard(tenant, customerId, paymentMethodId).method();
            var rest = repository.cards(tenant, customerId).stream().map(SavedCard::method)
                    .filter(m -> !m.id().equals(paymentMethodId)).toList();
            var oldest = rest.isEmpty() ? null : rest.get(0);
            String defaultId = paymentMethodId.equals(customer.defaultPaymentMethodId())
                    ? (oldest == null ? null : oldest.id()) : customer.defaultPaymentMethodId();
            var after = customer.withCards(oldest == null ? null : summary(oldest), defaultId, now());
            try {
                repository.deleteCard(tenant, customer, after, card);
                return;
            } catch (Conflict e) {
                giveUpAfter(attempt);
            }
        }
    }

    public PaymentMethod makeDefault(String tenant, String customerId, String paymentMethodId) {
        for (int attempt = 1; ; attempt++) {
            var customer = customer(tenant, customerId);
            var card = savedCard(tenant, customerId, paymentMethodId).method();
            var after = customer.withCards(customer.paymentMethod(), card.id(), now());
            try {
                repository.updateCardReferences(tenant, customer, after, card);
                return view(card, after);
            } catch (Conflict e) {
                giveUpAfter(attempt);
            }
        }
    }

    // ---- charges -------------------------------------------------------------------------------

    /** Charge now: the settled payment ({@code succeeded}, or {@code failed} with the decline; either is kept). */
    public Payment charge(ChargeCommand command, IdempotentWrite<Payment> key) {
        return charge(command, key, customer(command.tenant(), command.customerId()));
    }

    /**
     * {@link #charge(ChargeCommand, IdempotentWrite)} of a payer the caller has just read (consistently, by
     * {@code command}'s tenant and customer id), so that the caller can use that read for its own write too
     * (a renewal: the customer's subscription figures).
     */
    public Payment charge(ChargeCommand command, IdempotentWrite<Payment> key, Customer customer) {
        String tenant = command.tenant();
        String customerId = command.customerId();
        var input = command.input();
        if (!customer.id().equals(customerId)) {
            throw new IllegalArgumentException("the payer read is " + customer.id() + ", not " + customerId);
        }
        var errors = new ArrayList<FieldError>();
        Money amount = amount(errors, input.amount());
        String description = text(errors, "description", input.description(), MAX_DESCRIPTION);
        references(errors, input.storeId(), input.terminalId(), input.receiptId());
        inCustomersCurrency(errors, amount, customer);
        String methodId = input.paymentMethodId() != null ? input.paymentMethodId() : customer.defaultPaymentMethodId();
        if (methodId == null) {
            errors.add(new FieldError("paymentMethodId", "is required: the customer has no saved card to charge"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        var card = savedCard(tenant, customerId, methodId);
        var claimed = key.claim(() -> Ids.next(Ids.PAYMENT));
        var pending = resumeOr(tenant, claimed, key, () -> {
            Instant now = now();
            var hold = input.couponCode() == null ? null
                    : coupons.hold(tenant, customerId, input.couponCode(), amount, claimed.resourceId(), input.storeId(), now);
            return new NewPayment(Payment.builder().id(claimed.resourceId()).customerId(customerId).status(PaymentStatus.PENDING)
                    .amount(afterCoupon(amount, hold)).description(description).paymentMethod(card.method().card()).storeId(input.storeId())
                    .terminalId(input.terminalId()).receiptId(input.receiptId()).paidFor(command.paidFor())
                    .coupon(hold == null ? null : hold.coupon()).createdAt(now).updatedAt(now).build(), card.token(),
                    hold == null ? List.of() : hold.writes());
        });
        return settleCharge(tenant, key, pending, customer);
    }

    /**
     * A payment made outside the processor ("mark as paid": a bank transfer, cash, a cheque), recorded
     * as succeeded at once, with its event, so LTV and points count it as any charge. {@code method} and
     * a {@code reference} (the transfer's or cheque's) are required; nothing is asked of the processor.
     */
    public Payment recordOffline(OfflinePaymentCommand command, IdempotentWrite<Payment> key) {
        String tenant = command.tenant();
        String customerId = command.customerId();
        var input = command.input();
        var customer = customer(tenant, customerId);
        var errors = new ArrayList<FieldError>();
        Money amount = amount(errors, input.amount());
        String description = text(errors, "description", input.description(), MAX_DESCRIPTION);
        var method = input.method() == null ? java.util.Optional.<OfflineMethod>empty() : OfflineMethod.parse(input.method());
        if (method.isEmpty()) {
            errors.add(new FieldError("method", "must be one of " + OfflineMethod.names()));
        }
        String reference = CustomerRules.text(errors, "reference", input.reference(), MAX_OFFLINE_REFERENCE, false);
        if (reference == null && errors.stream().noneMatch(e -> e.field().equals("reference"))) {
            errors.add(new FieldError("reference", "is required: the transfer's, cheque's or receipt's reference (up to "
                    + MAX_OFFLINE_REFERENCE + " characters)"));
        }
        inCustomersCurrency(errors, amount, customer);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        var claimed = key.claim(() -> Ids.next(Ids.PAYMENT));
        var pending = resumeOr(tenant, claimed, key, () -> {
            Instant now = now();
            return new NewPayment(Payment.builder().id(claimed.resourceId()).customerId(customerId).status(PaymentStatus.PENDING)
                    .amount(amount).description(description).offline(new Payment.Offline(method.get(), reference))
                    .paidFor(command.paidFor()).createdAt(now).updatedAt(now).build(), null);
        });
        return settleCharge(tenant, key, pending, customer);
    }

    /**
     * A charge without a customer: the card is used once and not saved. A {@code couponCode} is a shared code's
     * (one given to a customer is refused), its use taken with the pending payment as a customer's charge takes it,
     * counted against the code's total limit only: a guest has no per-customer count.
     */
    public Payment guestCharge(GuestChargeCommand command, IdempotentWrite<Payment> key) {
        String tenant = command.tenant();
        var input = command.input();
        var errors = new ArrayList<FieldError>();
        String email = CustomerRules.email(errors, "email", input.email());
        String phone = CustomerRules.phone(errors, "phone", input.phone(), null).orElse(null);
        if (input.card() == null) {
            errors.add(new FieldError("card", "is required"));
        } else {
            errors.addAll(CardRules.validate(input.card(), YearMonth.now(clock.withZone(ZoneOffset.UTC)), "card"));
        }
        Money amount = amount(errors, input.amount());
        String description = text(errors, "description", input.description(), MAX_DESCRIPTION);
        references(errors, input.storeId(), input.terminalId(), input.receiptId());
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        var card = new CardDetails(CardRules.normalise(input.card().number()), input.card().expMonth(),
                input.card().expYear(), input.card().cvc(), strip(input.card().holderName()));
        var claimed = key.claim(() -> Ids.next(Ids.PAYMENT));
        var pending = resumeOr(tenant, claimed, key, () -> {
            Instant now = now();
            var hold = input.couponCode() == null ? null
                    : coupons.hold(tenant, null, input.couponCode(), amount, claimed.resourceId(), input.storeId(), now);
            CardToken token = tokenize(card);
            var used = new PaymentCard(null, token.brand(), token.last4(), fingerprints.of(tenant, card.number()));
            return new NewPayment(Payment.builder().id(claimed.resourceId()).status(PaymentStatus.PENDING).amount(afterCoupon(amount, hold))
                    .description(description).paymentMethod(used).guest(new Payment.Guest(email, phone)).storeId(input.storeId())
                    .terminalId(input.terminalId()).receiptId(input.receiptId()).coupon(hold == null ? null : hold.coupon())
                    .createdAt(now).updatedAt(now).build(), token.token(), hold == null ? List.of() : hold.writes());
        });
        return settleCharge(tenant, key, pending, null);
    }

    /** What is charged of {@code amount} after the coupon held (none: all of it). */
    private static Money afterCoupon(Money amount, PaymentCoupons.Hold hold) {
        return hold == null ? amount : new Money(amount.amount() - hold.coupon().discount().amount(), amount.currency());
    }

    /** A payment about to be recorded, with the processor's token of the card it charges and the use of its coupon (if any). */
    private record NewPayment(Payment payment, String cardToken, List<software.amazon.awssdk.services.dynamodb.model.TransactWriteItem> holds) {

        NewPayment(Payment payment, String cardToken) {
            this(payment, cardToken, List.of());
        }
    }

    /** The payment a resumed claim started, or a new pending one recorded now; either way, the claim's resource is started. */
    private StoredPayment resumeOr(String tenant, IdempotentWrite.Claimed claimed, IdempotentWrite<Payment> key,
                                   java.util.function.Supplier<NewPayment> create) {
        if (claimed.resumed()) {
            var existing = repository.payment(tenant, claimed.resourceId());
            if (existing.isPresent()) {
                key.started();
                return existing.get();
            }
        }
        var created = create.get();
        StoredPayment pending;
        try {
            pending = repository.insertPending(tenant, created.payment(), created.cardToken(), created.holds());
        } catch (PaymentRepository.OtherFailed e) {
            var payment = created.payment();
            throw coupons.refused(tenant, payment.customerId(), payment.coupon(), e.index);
        }
        key.started();
        return pending;
    }

    /**
     * Asks the processor (with the payment id as its idempotency key, so a resumed request cannot
     * charge twice) and settles the payment, its event and the stored response in one transaction.
     * When the processor's answer is lost, the payment stays {@code pending} and the key is released:
     * a retry with the same key settles it. {@code customer} is the payer as read for this request
     * (null for a guest).
     */
    private Payment settleCharge(String tenant, IdempotentWrite<Payment> key, StoredPayment pending, Customer customer) {
        var payment = pending.payment();
        GatewayResult result;
        if (payment.status() != PaymentStatus.PENDING) {
            result = new GatewayResult(pending.gatewayReference(), payment.failureCode(), payment.failureMessage());
        } else {
            if (payment.offline() != null) {
                // paid outside the processor: nothing to ask it
                result = GatewayResult.succeeded(null);
            } else {
                try {
                    result = gateway.charge(tenant, pending.cardToken(), payment.amount(), payment.description(), payment.id());
                } catch (GatewayUnavailable e) {
                    throw gatewayUnavailable(payment.id());
                }
            }
        }
        Customer before = customer;
        for (int attempt = 1; ; attempt++) {
            Customer after = null;
            var outcome = result;
            if (outcome.succeeded() && before != null) {
                if (before.currency() == null) {
                    after = before.withCurrency(payment.amount().currency(), now());
                } else if (!before.currency().equals(payment.amount().currency())) {
                    // A first charge in another currency won the race: undo ours at the processor (an offline one, by hand).
                    if (payment.offline() == null) {
                        gateway.refund(outcome.reference(), payment.amount(), payment.id() + ":currency");
                    }
                    outcome = GatewayResult.declined(outcome.reference(), "currency_mismatch",
                            "The customer's currency became " + before.currency() + " while this charge ran; it was reversed.");
                }
            }
            boolean settling = payment.status() == PaymentStatus.PENDING;
            var settled = settling ? payment.settled(outcome, now()) : payment;
            var event = event(tenant, outcome.succeeded() ? PaymentEvent.SUCCEEDED : PaymentEvent.FAILED, settled, null,
                    settled.amount().amount(), settled.createdAt());
            var couponUse = settling && payment.coupon() != null ? coupons.settle(tenant, payment.customerId(), payment.coupon(),
                    payment.id(), payment.storeId(), outcome.succeeded(), now()) : List.<software.amazon.awssdk.services.dynamodb.model.TransactWriteItem>of();
            try {
                repository.settle(tenant, pending, new StoredPayment(settled, pending.home(), pending.cardToken(), outcome.reference()),
                        event, key.completion(settled, settled.customerId()), before, after, couponUse);
                publish(pending.home(), event);
                if (payment.status() == PaymentStatus.PENDING) {
                    metrics.record(charged(tenant, settled));
                }
                return settled;
            } catch (Conflict e) {
                // the profile moved (edited, deleted, a card saved): settle against what it is now
                giveUpAfter(attempt);
                before = repository.customer(tenant, payment.customerId()).orElse(null);
            }
        }
    }

    // ---- history -------------------------------------------------------------------------------

    /**
     * A customer's payments, newest first: query {@code status}, {@code orderId}, {@code subscriptionId},
     * {@code invoiceId} (what they paid for), {@code limit}, {@code cursor}.
     */
    public History payments(String tenant, String customerId, Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, Set.of("status", "orderId", "subscriptionId", "invoiceId"), errors);
        String status = ListParams.blank(query.get("status"));
        if (status != null && PaymentStatus.parse(status).isEmpty()) {
            errors.add(new FieldError("status", "must be one of " + String.join(", ",
                    java.util.Arrays.stream(PaymentStatus.values()).map(PaymentStatus::json).sorted().toList())));
        }
        String orderId = idParam(errors, query, "orderId", Ids.ORDER);
        String subscriptionId = idParam(errors, query, "subscriptionId", Ids.SUBSCRIPTION);
        String invoiceId = idParam(errors, query, "invoiceId", Ids.INVOICE);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        var customer = customer(tenant, customerId);
        String scope = "payments:" + customerId + ":" + (status == null ? "" : status) + ":" + (orderId == null ? "" : orderId)
                + ":" + (subscriptionId == null ? "" : subscriptionId) + ":" + (invoiceId == null ? "" : invoiceId);
        var after = paging.cursor() == null ? null : cursors.decode(tenant, scope, paging.cursor());
        var slice = repository.payments(tenant, customerId, status == null ? null : PaymentStatus.parse(status).orElseThrow(),
                new PaymentFor(orderId, subscriptionId, null, invoiceId), paging.limit(), after);
        var stats = customer.stats();
        var lifetime = points.totals(tenant, customerId);
        return new History(slice.items().stream().map(PaymentRepository::payment).toList(),
                slice.resumeAfter() == null ? null : cursors.encode(tenant, scope, slice.resumeAfter()),
                new HistoryTotals(stats == null ? 0 : stats.orders(), stats == null ? null : inCurrency(stats.ltv()),
                        stats == null ? null : inCurrency(stats.refunded()), lifetime.credited(), lifetime.redeemed()));
    }

    /** A figure of the stats, or none before the customer has a currency (no payment yet). */
    private static Money inCurrency(Money figure) {
        return figure == null || figure.currency() == null ? null : figure;
    }

    private static String idParam(List<FieldError> errors, Map<String, String> query, String name, String prefix) {
        String value = ListParams.blank(query.get(name));
        if (value != null && !Ids.isValid(prefix, value)) {
            errors.add(new FieldError(name, "must be an id starting with " + prefix));
        }
        return value;
    }

    public Payment payment(String tenant, String paymentId) {
        return stored(tenant, paymentId).payment();
    }

    /** The tenant's payment with this id, if there is one: what another capability reads of a payment it named. */
    public Optional<Payment> find(String tenant, String paymentId) {
        return Ids.isValid(Ids.PAYMENT, paymentId) ? repository.payment(tenant, paymentId).map(StoredPayment::payment) : Optional.empty();
    }

    /**
     * Every payment of the tenant (customers' and guests'), newest first, filtered ({@link PaymentSearch}); one
     * Query per page, so a page may hold fewer rows than {@code limit} while {@code nextCursor} says there is more.
     */
    public Page<Payment> list(String tenant, Map<String, String> query) {
        var search = PaymentSearch.parse(query);
        String scope = search.scope();
        var slice = repository.search(tenant, search, cursors.after(tenant, scope, search.paging()));
        return new Page<>(slice.items().stream().map(PaymentRepository::payment).toList(), cursors.next(tenant, scope, slice));
    }

    public Listing<Payment> byReceipt(String tenant, String receiptId) {
        if (!References.isValid(receiptId)) {
            throw ApiException.invalid("receiptId", "is required: letters, digits and . _ : / - (up to 64)");
        }
        return new Listing<>(repository.byReceipt(tenant, receiptId));
    }

    /** Guest payments made with one of the customer's cards, their email or their phone, newest first. */
    public Listing<RelatedGuestPayment> relatedGuestPayments(String tenant, String customerId) {
        var customer = customer(tenant, customerId);
        var found = new LinkedHashMap<String, Payment>();
        var reasons = new LinkedHashMap<String, Set<String>>();
        java.util.function.BiConsumer<List<Payment>, String> add = (payments, reason) -> payments.forEach(p -> {
            found.put(p.id(), p);
            reasons.computeIfAbsent(p.id(), id -> new LinkedHashSet<>()).add(reason);
        });
        repository.cards(tenant, customerId).stream().map(c -> c.method().fingerprint()).distinct()
                .forEach(fp -> add.accept(repository.guestPaymentsByCard(tenant, fp), "card"));
        add.accept(repository.guestPaymentsByEmail(tenant, customer.email()), "email");
        add.accept(repository.guestPaymentsByPhone(tenant, customer.phone()), "phone");
        return new Listing<>(found.values().stream()
                .sorted(Comparator.comparing(Payment::createdAt).reversed())
                .map(p -> new RelatedGuestPayment(p.id(), p.status(), p.amount(), p.paymentMethod(), p.guest(),
                        p.createdAt(), List.copyOf(reasons.get(p.id()))))
                .toList());
    }

    // ---- refunds -------------------------------------------------------------------------------

    /** Refunds what is left of a payment, or {@code amount} of it: the refund, succeeded or refused by the processor. */
    public Refund refund(RefundCommand command, IdempotentWrite<Refund> key) {
        String tenant = command.tenant();
        String paymentId = command.paymentId();
        var input = command.input();
        var current = stored(tenant, paymentId);
        var amount = refundAmount(current.payment(), input);
        var errors = new ArrayList<FieldError>();
        String reason = text(errors, "reason", input.reason(), MAX_DESCRIPTION);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        var claimed = key.claim(() -> Ids.next(Ids.REFUND));
        Refund refund;
        StoredPayment reserved;
        for (int attempt = 1; ; attempt++) {
            var existing = current.payment().refunds().stream().filter(r -> r.id().equals(claimed.resourceId())).findFirst();
            if (existing.isPresent()) {
                refund = existing.get();
                reserved = current;
                break;
            }
            amount = refundAmount(current.payment(), input);
            refund = new Refund(claimed.resourceId(), paymentId, RefundStatus.PENDING, amount, reason, null, null, now());
            reserved = new StoredPayment(current.payment().withRefund(refund, now()), current.home(), current.cardToken(),
                    current.gatewayReference());
            try {
                repository.update(tenant, current, reserved);
                break;
            } catch (Conflict e) {
                giveUpAfter(attempt);
                current = stored(tenant, paymentId);
            }
        }
        key.started();
        if (refund.status() != RefundStatus.PENDING) {
            // settled before a crash lost the response: the stored response was written with it
            return refund;
        }
        GatewayResult result;
        try {
            result = gateway.refund(reserved.gatewayReference(), refund.amount(), refund.id());
        } catch (GatewayUnavailable e) {
            throw gatewayUnavailable(paymentId);
        }
        var done = new Refund(refund.id(), paymentId, result.succeeded() ? RefundStatus.SUCCEEDED : RefundStatus.FAILED, refund.amount(),
                refund.reason(), result.failureCode(), result.failureMessage(), refund.createdAt());
        var settled = new StoredPayment(reserved.payment().withRefund(done, now()), reserved.home(), reserved.cardToken(),
                reserved.gatewayReference());
        var event = event(tenant, result.succeeded() ? PaymentEvent.REFUNDED : null, settled.payment(), done.id(),
                done.amount().amount(), done.createdAt());
        repository.settle(tenant, reserved, settled, event, key.completion(done, settled.payment().customerId()), null, null, List.of());
        publish(settled.home(), event);
        metrics.record(refunded(tenant, done));
        if (done.status() == RefundStatus.SUCCEEDED) {
            try {
                afterRefund.refunded(tenant, settled.payment(), done);
            } catch (RuntimeException e) {
                Log.warn("a refund's follow-up failed: the refund stands", Map.of("tenant", tenant, "payment_id", paymentId,
                        "refund_id", done.id(), "error_type", e.getClass().getName()));
            }
        }
        return done;
    }

    private Money refundAmount(Payment payment, RefundRequest input) {
        if (payment.offline() != null) {
            throw new ApiException(400, "payment_not_refundable", "Payment cannot be refunded",
                    "This payment was made outside the processor (" + payment.offline().method().json()
                            + "): it is refunded the same way, not through the API");
        }
        if (!payment.isRefundable()) {
            throw new ApiException(400, "payment_not_refundable", "Payment cannot be refunded",
                    "Only succeeded payments with something left to refund can be refunded; this one is " + payment.status());
        }
        long left = payment.refundable();
        if (input.amount() == null) {
            if (left <= 0) {
                throw new ApiException(400, "payment_not_refundable", "Payment cannot be refunded",
                        "Everything captured is refunded, being refunded or held by a dispute");
            }
            return new Money(left, payment.amount().currency());
        }
        var errors = new ArrayList<FieldError>();
        Money amount = amount(errors, input.amount());
        if (amount != null && !amount.currency().equals(payment.amount().currency())) {
            errors.add(new FieldError("amount.currency", "must be " + payment.amount().currency() + ", the payment's currency"));
        } else if (amount != null && amount.amount() > left) {
            errors.add(new FieldError("amount.amount", "must be at most " + left + ": what is left to refund of this payment (neither refunded nor disputed)"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return amount;
    }

    // ---- shared --------------------------------------------------------------------------------

    /**
     * The payment event of a change, or null when the change is not one ({@code type} null). Its
     * time is the charge's or the refund's creation time, as the ledger records it, so aggregates
     * kept from events and aggregates recomputed from the ledger agree exactly.
     */
    private PaymentEvent event(String tenant, String type, Payment payment, String refundId, long amount, Instant at) {
        if (type == null) {
            return null;
        }
        return PaymentEvent.builder().id(Ids.next(Ids.EVENT)).type(type).tenantId(tenant).customerId(payment.customerId())
                .paymentId(payment.id()).refundId(refundId).amount(amount).currency(payment.amount().currency())
                .occurredAt(at).storeId(payment.storeId()).terminalId(payment.terminalId()).receiptId(payment.receiptId())
                .failureCode(PaymentEvent.FAILED.equals(type) ? payment.failureCode() : null)
                .cardFingerprint(payment.paymentMethod() == null ? null : payment.paymentMethod().fingerprint())
                .couponPoints(PaymentEvent.SUCCEEDED.equals(type) ? PaymentCoupon.pointsOf(payment.coupon()) : null).build();
    }

    /** A charge settled now: {@link #settled} {@code Charge}. */
    static MetricRecord charged(String tenant, Payment payment) {
        return settled(tenant, "Charge", payment.amount(), payment.status() == PaymentStatus.SUCCEEDED, payment.failureCode());
    }

    /** A refund settled now: {@link #settled} {@code Refund}. */
    static MetricRecord refunded(String tenant, Refund refund) {
        return settled(tenant, "Refund", refund.amount(), refund.status() == RefundStatus.SUCCEEDED, refund.failureCode());
    }

    /**
     * Money moved or refused: {@code <kind>sSucceeded} (and per currency) with {@code <kind>Amount}
     * (minor units, per currency only: added up across currencies it means nothing), or
     * {@code <kind>sDeclined} (and per decline code); the tenant as a property.
     */
    private static MetricRecord settled(String tenant, String kind, Money amount, boolean succeeded, String declineCode) {
        var record = MetricRecord.with("Currency", amount.currency()).property("tenantId", tenant);
        if (succeeded) {
            return record.count(kind + "sSucceeded", "Currency").per("Currency", kind + "Amount", amount.amount(), MetricRecord.Unit.NONE);
        }
        return record.dimension("DeclineCode", declineCode).count(kind + "sDeclined", "DeclineCode");
    }

    private void publish(String home, PaymentEvent event) {
        if (event != null) {
            outbox.publish(home, event, e -> Log.warn("event left in the outbox for the relay",
                    Map.of("event_id", event.id(), "error_type", e.getClass().getName())));
        }
    }

    private CardToken tokenize(CardDetails card) {
        try {
            return gateway.tokenize(card);
        } catch (GatewayUnavailable e) {
            throw gatewayUnavailable(null);
        }
    }

    private static ApiException gatewayUnavailable(String paymentId) {
        return new ApiException(502, "gateway_unavailable", "Payment processor unavailable",
                paymentId == null ? "The card processor did not answer; nothing was charged. Retry with the same Idempotency-Key."
                        : "The card processor did not answer in time, so the outcome is not known yet: the payment stays pending. "
                        + "Retry with the same Idempotency-Key to settle it; it will not be charged twice.",
                List.of(), paymentId == null ? Map.of() : Map.of("paymentId", paymentId, "paymentStatus", PaymentStatus.PENDING.json()), Map.of());
    }

    private Customer customer(String tenant, String customerId) {
        if (!Ids.isValid(Ids.CUSTOMER, customerId)) {
            throw notFound("Customer", customerId);
        }
        return repository.customer(tenant, customerId).orElseThrow(() -> notFound("Customer", customerId));
    }

    private SavedCard savedCard(String tenant, String customerId, String paymentMethodId) {
        if (!Ids.isValid(Ids.PAYMENT_METHOD, paymentMethodId)) {
            throw notFound("Payment method", paymentMethodId);
        }
        var card = repository.card(tenant, customerId, paymentMethodId).orElseThrow(() -> notFound("Payment method", paymentMethodId));
        if (card.token() == null) {
            // the customer's personal data was erased: the card was removed at the gateway
            throw new ApiException(409, "payment_method_removed", "Payment method removed",
                    "Payment method " + paymentMethodId + " was removed at the gateway when the customer's personal data was erased");
        }
        return card;
    }

    private StoredPayment stored(String tenant, String paymentId) {
        if (!Ids.isValid(Ids.PAYMENT, paymentId)) {
            throw notFound("Payment", paymentId);
        }
        return repository.payment(tenant, paymentId).orElseThrow(() -> notFound("Payment", paymentId));
    }

    private static ApiException notFound(String what, String id) {
        return ApiException.notFound(what + " " + id);
    }

    private static PaymentMethod view(PaymentMethod method, Customer customer) {
        return method.withDefault(method.id().equals(customer.defaultPaymentMethodId()));
    }

    private static CardSummary summary(PaymentMethod method) {
        return new CardSummary(method.id(), method.brand(), method.last4());
    }

    private Money amount(List<FieldError> errors, Money raw) {
        if (raw == null) {
            errors.add(new FieldError("amount", "is required: {\"amount\": <minor units>, \"currency\": \"USD\"}"));
            return null;
        }
        boolean ok = true;
        if (raw.amount() <= 0) {
            errors.add(new FieldError("amount.amount", "must be a positive number of minor units (cents)"));
            ok = false;
        } else if (raw.amount() > maxChargeAmount) {
            errors.add(new FieldError("amount.amount", "must be at most " + maxChargeAmount));
            ok = false;
        }
        if (!Money.isCurrency(raw.currency())) {
            errors.add(new FieldError("amount.currency", "must be an ISO 4217 code such as USD"));
            ok = false;
        }
        return ok ? raw : null;
    }


    /** A payment of a customer is in their currency, once a first successful charge has fixed it. */
    private static void inCustomersCurrency(List<FieldError> errors, Money amount, Customer customer) {
        if (amount != null && customer.currency() != null && !customer.currency().equals(amount.currency())) {
            errors.add(new FieldError("amount.currency", "must be " + customer.currency()
                    + ": the customer's currency, fixed by their first successful charge"));
        }
    }

    private static void references(List<FieldError> errors, String storeId, String terminalId, String receiptId) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("storeId", storeId);
        values.put("terminalId", terminalId);
        values.put("receiptId", receiptId);
        values.forEach((field, value) -> {
            if (value != null && !References.isValid(value)) {
                errors.add(new FieldError(field, References.RULE));
            }
        });
    }

    private static String text(List<FieldError> errors, String field, String raw, int max) {
        return CustomerRules.text(errors, field, raw, max, false);
    }

    private static BillingAddress billingAddress(List<FieldError> errors, BillingAddress raw) {
        if (raw == null) {
            return null;
        }
        String at = "billingAddress.";
        return new BillingAddress(
                CustomerRules.text(errors, at + "line1", raw.line1(), 200, false),
                CustomerRules.text(errors, at + "line2", raw.line2(), 200, false),
                CustomerRules.text(errors, at + "city", raw.city(), 100, false),
                CustomerRules.text(errors, at + "region", raw.region(), 100, false),
                CustomerRules.text(errors, at + "postalCode", raw.postalCode(), 20, false),
                CustomerRules.country(errors, at + "country", raw.country()));
    }

    private static String strip(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static void giveUpAfter(int attempt) {
        if (attempt >= MAX_WRITE_ATTEMPTS) {
            throw new ApiException(409, "concurrent_update", "Conflict",
                    "The customer or payment kept changing while this request ran; try again");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
