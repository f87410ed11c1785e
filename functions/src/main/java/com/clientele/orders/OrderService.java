package com.clientele.orders;

import com.clientele.catalogue.CatalogueService;
import com.clientele.catalogue.CatalogueService.Sale;
import com.clientele.customers.Address;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerInput;
import com.clientele.customers.CustomerRules;
import com.clientele.customers.CustomerService;
import com.clientele.orders.OrderRepository.Stale;
import com.clientele.payments.Payment;
import com.clientele.payments.PaymentCoupon;
import com.clientele.payments.PaymentCoupons;
import com.clientele.payments.PaymentFor;
import com.clientele.payments.PaymentInputs.Charge;
import com.clientele.payments.PaymentInputs.ChargeCommand;
import com.clientele.payments.PaymentInputs.RefundCommand;
import com.clientele.payments.PaymentInputs.RefundRequest;
import com.clientele.payments.PaymentService;
import com.clientele.payments.PaymentStatus;
import com.clientele.payments.Refund;
import com.clientele.payments.RefundStatus;
import com.clientele.payments.ProcessorRefusal;
import com.clientele.shared.Activity;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Money;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.http.Listing;
import com.clientele.subscriptions.Collection;
import com.clientele.subscriptions.SubscriptionService;
import com.clientele.subscriptions.SubscriptionService.CancelInput;
import com.clientele.subscriptions.SubscriptionService.StartCommand;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The rules of orders. An order is placed for a customer named by id, or by their details: matched by
 * email (an existing customer is used as it is) or created, exactly as {@code POST /customers} creates
 * one, in the order's own transaction. Its lines are sold at active prices, on the prices' terms then.
 * It is paid through the charge-now path ({@link PaymentService#charge}: idempotent, with its events,
 * LTV and points), at once ({@code "pay": true}) or later; an order whose lines are all recurring has
 * nothing to charge and is paid as placed. Paying it starts its recurring lines' subscriptions (their
 * ids chosen when the order is placed, so a retried or resumed order never starts two). A paid order is
 * fulfilled, or canceled with its payment refunded in full ({@code refunded}); a fulfilled one is not
 * canceled. A coupon ({@code couponCode}) is judged as the order is placed and again before it is paid; its
 * use is taken by the order's payment ({@link PaymentCoupons#hold}), given back when that is refunded whole.
 *
 * <p>Money moves under the route's {@code Idempotency-Key} and an attempt recorded on the order first:
 * the payment's (or refund's) id is written on the order before the processor is called, and the
 * charge (or refund) is made under that id ({@link IdempotentWrite#owned}), so a retry with the key
 * resumes it, and another request sees it and does not start a second one.
 */
public final class OrderService {

    /** Lines of one order: its subscriptions start one by one when it is paid, and the order is one item. */
    static final int MAX_ITEMS = 100;
    /** As a subscription's quantity. */
    static final int MAX_QUANTITY = 10_000;
    /** An attempt whose payment (or refund) does not exist this long after it was recorded died before it made one. */
    static final Duration ABANDONED = Duration.ofSeconds(60);
    private static final int MAX_WRITE_ATTEMPTS = 3;
    private static final Set<String> STATUS_QUERY = Set.of("status");

    private final OrderRepository repository;
    private final CustomerService customers;
    private final CatalogueService catalogue;
    private final PaymentService payments;
    private final SubscriptionService subscriptions;
    private final PaymentCoupons coupons;
    private final Cursors cursors;
    private final Clock clock;

    /** {@code coupons}: how an order's {@code couponCode} is judged before it is placed or paid (its use is taken by its payment). */
    public OrderService(OrderRepository repository, CustomerService customers, CatalogueService catalogue, PaymentService payments,
                        SubscriptionService subscriptions, PaymentCoupons coupons, Cursors cursors, Clock clock) {
        this.coupons = coupons;
        this.repository = repository;
        this.customers = customers;
        this.catalogue = catalogue;
        this.payments = payments;
        this.subscriptions = subscriptions;
        this.cursors = cursors;
        this.clock = clock;
    }

    /** The body of {@code POST /orders}. */
    public record OrderInput(String customerId, CustomerInput customer, List<ItemInput> items, Address billingAddress,
                             Address shippingAddress, String currency, Boolean pay, String paymentMethodId, String couponCode) {
    }

    /** One line of {@code POST /orders}: a variant and a price of it (which may be left out when the variant has one active price). */
    public record ItemInput(String variantId, String priceId, BigDecimal quantity) {
    }

    /** The body of {@code POST /orders/{id}/pay} (may be empty: the customer's default card). */
    public record PayInput(String paymentMethodId) {
    }

    public record PlaceOrder(String tenant, OrderInput input) {
    }

    public record PayOrder(String tenant, String orderId, PayInput input) {
    }

    /** {@code mayRefund}: the caller may refund (a paid order's cancel refunds its payment). */
    public record CancelOrder(String tenant, String orderId, boolean mayRefund) {
    }

    /** What a request that may move money did: the order, and the processor's refusal of this request's charge or refund (null: none). */
    public record Outcome(Order order, ProcessorRefusal refusal) {
    }

    // ---- placing -----------------------------------------------------------------------------------

    public Outcome place(PlaceOrder command, IdempotentWrite<Outcome> key) {
        String tenant = command.tenant();
        var input = command.input();
        var errors = new ArrayList<FieldError>();
        var lines = lines(errors, input.items());
        Address billing = orderAddress(errors, "billingAddress", input.billingAddress(), "billing");
        Address shipping = orderAddress(errors, "shippingAddress", input.shippingAddress(), "shipping");
        if (input.currency() != null && !Money.isCurrency(input.currency())) {
            errors.add(new FieldError("currency", "must be an ISO 4217 code such as USD"));
        }
        if (input.paymentMethodId() != null && !Ids.isValid(Ids.PAYMENT_METHOD, input.paymentMethodId())) {
            errors.add(new FieldError("paymentMethodId", "is not a saved card's id"));
        }
        CustomerInput newCustomer = null;
        if ((input.customerId() == null) == (input.customer() == null)) {
            errors.add(new FieldError(input.customerId() == null ? "customer" : "customerId",
                    "give either customerId (an existing customer) or customer (their details, matched by email)"));
        } else if (input.customer() != null) {
            newCustomer = customerInput(errors, input.customer(), billing, shipping);
        }
        failOn(errors);

        Customer customer;
        Boolean matched = null;
        if (input.customerId() != null) {
            customer = existing(tenant, input.customerId());
        } else {
            customer = customers.byEmail(tenant, newCustomer.email()).orElse(null);
            matched = customer != null;
        }
        var sales = sales(tenant, input.items(), lines, customer, input.currency());
        String currency = sales.get(0).price().currency();
        if (customer != null) {
            billing = billing != null ? billing : profileAddress(customer.addresses(), "billing");
            shipping = shipping != null ? shipping : profileAddress(customer.addresses(), "shipping");
        } else {
            billing = billing != null ? billing : profileAddress(newCustomer.addresses(), "billing");
            shipping = shipping != null ? shipping : profileAddress(newCustomer.addresses(), "shipping");
        }
        if (billing == null) {
            throw ApiException.invalid("billingAddress", "is required: the customer has no billing address to default to");
        }
        Address shipTo = shipping != null ? shipping : new Address("shipping", billing.line1(), billing.line2(), billing.city(),
                billing.region(), billing.postalCode(), billing.country(), null);
        boolean pay = Boolean.TRUE.equals(input.pay());
        long total = 0;
        for (int i = 0; i < sales.size(); i++) {
            if (sales.get(i).price().type() == com.clientele.catalogue.Price.Type.ONE_TIME) {
                total += sales.get(i).price().unitAmount() * lines.get(i);
            }
        }
        if (pay && total > 0) {
            payable(tenant, customer, input.paymentMethodId());
        }

        var claimed = key.claim(() -> Ids.next(Ids.ORDER));
        Order order = claimed.resumed() ? repository.find(tenant, claimed.resourceId()).orElse(null) : null;
        if (order == null) {
            // judged before anything is written (a resumed placement's order has its coupon already); a new customer has
            // no coupon of their own yet: judged as a customer without one (a fresh id reads nothing)
            PaymentCoupon coupon = input.couponCode() == null ? null : coupons.quote(tenant, customer != null ? customer.id()
                    : Ids.next(Ids.CUSTOMER), input.couponCode(), new Money(total, currency), now());
            var items = new ArrayList<OrderItem>();
            for (int i = 0; i < sales.size(); i++) {
                var sale = sales.get(i);
                items.add(OrderItem.of(sale, lines.get(i),
                        sale.price().type() == com.clientele.catalogue.Price.Type.RECURRING ? Ids.next(Ids.SUBSCRIPTION) : null));
            }
            String paymentId = pay && total > 0 ? Ids.next(Ids.PAYMENT) : null;
            // Pending with nothing more to do (no charge asked for, something to charge): final as placed.
            boolean finalAsPlaced = total > 0 && !pay;
            order = insert(tenant, claimed.resourceId(), customer, newCustomer, matched, currency, items, coupon, billing, shipTo,
                    paymentId, finalAsPlaced, key);
            if (finalAsPlaced) {
                return new Outcome(order.shown(), null);
            }
        }
        key.started();
        return collect(tenant, order, input.paymentMethodId() != null ? input.paymentMethodId()
                : customer == null ? null : customer.defaultPaymentMethodId(), key);
    }

    /** The order written with its activity, and its new customer's items when it creates one; the customer's id is the order's. */
    private Order insert(String tenant, String orderId, Customer customer, CustomerInput newCustomer, Boolean matched, String currency,
                         List<OrderItem> items, PaymentCoupon coupon, Address billing, Address shipping, String paymentId, boolean finalAsPlaced,
                         IdempotentWrite<Outcome> key) {
        Instant now = now();
        var placed = new Order[1];
        java.util.function.Consumer<String> write = customerId -> {
            var order = Order.place(orderId, customerId, matched, currency, items, coupon, billing, shipping, now);
            placed[0] = paymentId == null ? order : order.paying(paymentId, now);
        };
        try {
            if (customer != null) {
                write.accept(customer.id());
                repository.insert(tenant, placed[0], activity(placed[0], Activity.Kind.ORDER_CREATED),
                        finalAsPlaced ? key.completion(new Outcome(placed[0].shown(), null), customer.id()) : null);
            } else {
                customers.create(tenant, newCustomer, insertion -> {
                    write.accept(insertion.customer().id());
                    repository.insert(tenant, placed[0], activity(placed[0], Activity.Kind.ORDER_CREATED),
                            finalAsPlaced ? key.completion(new Outcome(placed[0].shown(), null), insertion.customer().id()) : null,
                            insertion);
                });
            }
        } catch (Stale e) {
            throw new ApiException(409, "customer_changed", "Customer changed",
                    "The customer was deleted or merged while the order was being placed; place it again");
        }
        return placed[0];
    }

    /**
     * What a placed (or resumed) order still needs: nothing to charge, it is paid at once; otherwise its
     * payment attempt is charged (with {@code paymentMethodId}, or the customer's default card when null),
     * and the order is paid or, declined, stays pending.
     */
    private Outcome collect(String tenant, Order order, String paymentMethodId, IdempotentWrite<Outcome> key) {
        if (order.total().amount() == 0) {
            return paid(tenant, order, paymentMethodId, key);
        }
        Payment payment;
        try {
            payment = charge(tenant, order, paymentMethodId);
        } catch (ApiException e) {
            if (order.coupon() != null && e.code() != null && e.code().startsWith("coupon_")) {
                // its coupon's last use went to another payment meanwhile: no payment was made, so the attempt is over now
                var over = order.paying(null, now());
                written(() -> repository.update(tenant, order, over, null, null));
            }
            throw e;
        }
        if (payment.status().captured()) {
            return paid(tenant, order, cardOf(payment), key);
        }
        var declined = ProcessorRefusal.declined(payment);
        var after = order.paying(order.paymentId(), now());
        var outcome = new Outcome(after.shown(), declined);
        written(() -> repository.update(tenant, order, after, null, key.completion(outcome, order.customerId())));
        return outcome;
    }

    /**
     * The order paid: its recurring lines' subscriptions started (each under the id its line holds, so a
     * retry starts none twice; collected automatically from {@code card} when there is one, else by
     * invoice), then the order, its activity and the request's completion in one transaction.
     */
    private Outcome paid(String tenant, Order order, String card, IdempotentWrite<Outcome> key) {
        for (var item : order.items()) {
            if (item.recurs()) {
                subscriptions.start(new StartCommand(tenant, order.customerId(), item.priceId(), item.quantity(),
                        (card != null ? Collection.CHARGE_AUTOMATICALLY : Collection.SEND_INVOICE).value(), card,
                        order.shippingAddress(), null, null, order.id(), item.subscriptionId()));
            }
        }
        var after = order.paid(now());
        var outcome = new Outcome(after.shown(), null);
        written(() -> repository.update(tenant, order, after, activity(after, Activity.Kind.ORDER_PAID),
                key.completion(outcome, order.customerId())));
        return outcome;
    }

    /** The saved card a payment charged. */
    private static String cardOf(Payment payment) {
        return payment.paymentMethod() == null ? null : payment.paymentMethod().id();
    }

    private Payment charge(String tenant, Order order, String paymentMethodId) {
        var coupon = order.coupon();
        var charge = new Charge(coupon == null ? order.total() : coupon.amountBefore(), "Order " + order.id(), paymentMethodId, null, null,
                null, coupon == null ? null : coupon.code());
        return payments.charge(new ChargeCommand(tenant, order.customerId(), charge, PaymentFor.order(order.id())),
                IdempotentWrite.owned(order.paymentId()));
    }

    // ---- paying, fulfilling, canceling --------------------------------------------------------------

    /** Pays a pending order with the card named (or the customer's default card). */
    public Outcome pay(PayOrder command, IdempotentWrite<Outcome> key) {
        String tenant = command.tenant();
        String methodId = command.input().paymentMethodId();
        if (methodId != null && !Ids.isValid(Ids.PAYMENT_METHOD, methodId)) {
            throw ApiException.invalid("paymentMethodId", "is not a saved card's id");
        }
        var order = stored(tenant, command.orderId());
        if (order.status() != OrderStatus.PENDING) {
            throw wrongStatus(order, "paid", "only a pending order is paid");
        }
        stillForSale(tenant, order);
        var claimed = key.claim(() -> Ids.next(Ids.PAYMENT));
        for (int attempt = 1; !claimed.resourceId().equals(order.paymentId()); attempt++) {
            if (lastPayment(tenant, order) == Attempt.CHARGED) {
                // an earlier attempt was charged, and its request died before the order said so
                key.started();
                return paid(tenant, order, cardOf(payments.payment(tenant, order.paymentId())), key);
            }
            if (order.coupon() != null) {
                // a coupon that no longer applies is refused before an attempt is recorded: the order stays as it is
                coupons.quote(tenant, order.customerId(), order.coupon().code(), order.coupon().amountBefore(), now());
            }
            var current = order;
            var attempting = order.paying(claimed.resourceId(), now());
            try {
                repository.update(tenant, current, attempting, null, null);
                order = attempting;
            } catch (Stale e) {
                giveUpAfter(attempt);
                order = stored(tenant, command.orderId());
                if (order.status() != OrderStatus.PENDING) {
                    throw wrongStatus(order, "paid", "only a pending order is paid");
                }
            }
        }
        key.started();
        return collect(tenant, order, methodId, key);
    }

    /**
     * The recurring lines' prices are still for sale: paying starts their subscriptions, which a price
     * archived since the order was placed would refuse after the money moved (409 naming the line).
     */
    private void stillForSale(String tenant, Order order) {
        var recurring = order.items().stream().filter(OrderItem::recurs).map(OrderItem::priceId).toList();
        if (recurring.isEmpty()) {
            return;
        }
        var sales = catalogue.sales(tenant, recurring);
        var errors = new ArrayList<FieldError>();
        for (int i = 0; i < order.items().size(); i++) {
            var item = order.items().get(i);
            var sale = item.recurs() ? sales.get(item.priceId()) : null;
            if (item.recurs() && (sale == null || sale.archived() != null)) {
                errors.add(new FieldError("items[" + i + "].priceId", "is no longer for sale: its subscription cannot start"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(409, "price_archived", "Price archived", "A recurring line's price was archived since the order "
                    + "was placed: cancel the order and place it again", errors, Map.of(), Map.of());
        }
    }

    /** What became of an order's last payment attempt: none or failed (another may start), running, or charged. */
    private enum Attempt { OVER, RUNNING, CHARGED }

    /** The order's last payment attempt; 409 while it runs (its payment pending, or not made yet by a request still alive). */
    private Attempt lastPayment(String tenant, Order order) {
        if (order.paymentId() == null) {
            return Attempt.OVER;
        }
        var last = payments.find(tenant, order.paymentId());
        var attempt = last.isEmpty() ? (abandoned(order) ? Attempt.OVER : Attempt.RUNNING)
                : last.get().status().captured() ? Attempt.CHARGED
                : last.get().status() == PaymentStatus.PENDING ? Attempt.RUNNING : Attempt.OVER;
        if (attempt == Attempt.RUNNING) {
            throw inProgress(order, "payment", order.paymentId());
        }
        return attempt;
    }

    /** Whether the order's last attempt (recorded when it last changed) is old enough to have died if it made nothing. */
    private boolean abandoned(Order order) {
        return order.updatedAt().plus(ABANDONED).isBefore(clock.instant());
    }

    /** A paid order shipped or handed over; fulfilling a fulfilled order changes nothing. */
    public Order fulfil(String tenant, String orderId) {
        for (int attempt = 1; ; attempt++) {
            var order = stored(tenant, orderId);
            if (order.status() == OrderStatus.FULFILLED) {
                return order.shown();
            }
            if (order.status() != OrderStatus.PAID) {
                throw wrongStatus(order, "fulfilled", "only a paid order is fulfilled");
            }
            var after = order.fulfilled(now());
            try {
                repository.update(tenant, order, after, activity(after, Activity.Kind.ORDER_FULFILLED), null);
                return after.shown();
            } catch (Stale e) {
                giveUpAfter(attempt);
            }
        }
    }

    /**
     * Cancels an order: a pending one is {@code canceled}; a paid one has its payment refunded in full and
     * is {@code refunded}; a fulfilled one is not canceled (409). Canceling a canceled or refunded order
     * changes nothing.
     */
    public Outcome cancel(CancelOrder command, IdempotentWrite<Outcome> key) {
        String tenant = command.tenant();
        var order = stored(tenant, command.orderId());
        switch (order.status()) {
            case CANCELED, REFUNDED -> {
                return new Outcome(order.shown(), null);
            }
            case FULFILLED -> throw wrongStatus(order, "canceled", "a fulfilled order is not canceled");
            case PENDING -> {
                return cancelPending(tenant, order, key);
            }
            default -> {
                if (!command.mayRefund()) {
                    throw new ApiException(403, "insufficient_scope", "Forbidden",
                            "Order " + order.id() + " is paid: canceling it refunds its payment, which needs the scope payments:refund",
                            List.of(), Map.of("scope", "payments:refund"), Map.of());
                }
                return refund(tenant, order, key);
            }
        }
    }

    private Outcome cancelPending(String tenant, Order order, IdempotentWrite<Outcome> key) {
        if (lastPayment(tenant, order) == Attempt.CHARGED) {
            // charged, and its request died before the order said so: a retry of the payment marks it paid, then it is canceled
            throw inProgress(order, "payment", order.paymentId());
        }
        key.claim(order::id);
        var after = order.canceled(now());
        var outcome = new Outcome(after.shown(), null);
        try {
            repository.update(tenant, order, after, activity(after, Activity.Kind.ORDER_CANCELED), key.completion(outcome, order.customerId()));
        } catch (Stale e) {
            throw changed(order);
        }
        return outcome;
    }

    private Outcome refund(String tenant, Order order, IdempotentWrite<Outcome> key) {
        var claimed = key.claim(() -> Ids.next(Ids.REFUND));
        if (!claimed.resourceId().equals(order.refundId())) {
            if (order.refundId() != null) {
                var last = payments.payment(tenant, order.paymentId()).refunds().stream()
                        .filter(r -> r.id().equals(order.refundId())).findFirst();
                if (last.isPresent() && last.get().status() == RefundStatus.SUCCEEDED) {
                    // refunded, and its request died before the order said so
                    return refunded(tenant, order, key);
                }
                if (last.isPresent() ? last.get().status() == RefundStatus.PENDING : !abandoned(order)) {
                    throw inProgress(order, "refund", order.refundId());
                }
            }
            var attempting = order.refunding(claimed.resourceId(), now());
            try {
                repository.update(tenant, order, attempting, null, null);
            } catch (Stale e) {
                throw changed(order);
            }
            return refunded(tenant, attempting, key);
        }
        return refunded(tenant, order, key);
    }

    /** The order's refund attempt made (or resumed) and the order refunded, or, refused, left paid. */
    private Outcome refunded(String tenant, Order order, IdempotentWrite<Outcome> key) {
        key.started();
        Refund refund = payments.refund(new RefundCommand(tenant, order.paymentId(), new RefundRequest(null, "Order " + order.id()
                + " canceled")), IdempotentWrite.owned(order.refundId()));
        Order after;
        Outcome outcome;
        if (refund.status() == RefundStatus.SUCCEEDED) {
            endSubscriptions(tenant, order);
            after = order.refunded(now());
            outcome = new Outcome(after.shown(), null);
        } else {
            after = order.refunding(order.refundId(), now());
            outcome = new Outcome(after.shown(), ProcessorRefusal.refused(order.paymentId(), refund));
        }
        var written = after;
        written(() -> repository.update(tenant, order, written, written.status() == OrderStatus.REFUNDED
                ? activity(written, Activity.Kind.ORDER_REFUNDED) : null, key.completion(outcome, order.customerId())));
        return outcome;
    }

    /**
     * The subscriptions the order's payment started, canceled now: no further billing. One canceled or over
     * already (a retry of this request) or gone is left as it is; one being billed this moment fails the
     * request (409), and its retry, which finds the refund made, cancels it then.
     */
    private void endSubscriptions(String tenant, Order order) {
        for (var item : order.items()) {
            if (!item.recurs() || item.subscriptionId() == null) {
                continue;
            }
            try {
                subscriptions.cancel(tenant, item.subscriptionId(), new CancelInput("now"));
            } catch (ApiException e) {
                if (e.status() != 404 && !"invalid_state".equals(e.code())) {
                    throw e;
                }
            }
        }
    }

    /**
     * A pending order whose invoice was paid in full: paid as if paid here (its recurring lines'
     * subscriptions started, collected by invoice); an order no longer pending is left as it is.
     */
    public Order paidByInvoice(String tenant, String orderId) {
        var order = stored(tenant, orderId);
        if (order.status() != OrderStatus.PENDING) {
            return order.shown();
        }
        return paid(tenant, order, null, IdempotentWrite.owned(order.id())).order();
    }

    // ---- reads -------------------------------------------------------------------------------------

    public Order get(String tenant, String orderId) {
        return stored(tenant, orderId).shown();
    }

    /** A customer's orders, newest first, with their items and status. */
    public Listing<Order> ofCustomer(String tenant, String customerId, Map<String, String> query) {
        var paging = ListParams.of(query);
        customers.get(tenant, customerId);
        String scope = "orders:" + customerId;
        var slice = repository.ofCustomer(tenant, customerId, paging.limit(), cursors.after(tenant, scope, paging));
        return new Listing<>(slice.items().stream().map(item -> OrderRepository.order(item).shown()).toList(),
                cursors.next(tenant, scope, slice));
    }

    /** The tenant's orders of one {@code status}, newest first. */
    public Listing<Order> byStatus(String tenant, Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, STATUS_QUERY, errors);
        OrderStatus status = null;
        try {
            status = query.get("status") == null ? null : OrderStatus.of(query.get("status"));
        } catch (IllegalArgumentException e) {
            // named below
        }
        if (status == null) {
            errors.add(new FieldError("status", "is required: one of pending, paid, fulfilled, canceled, refunded"));
        }
        failOn(errors);
        String scope = "orders:" + status.value();
        var slice = repository.byStatus(tenant, status, paging.limit(), cursors.after(tenant, scope, paging));
        return new Listing<>(slice.items().stream().map(item -> OrderRepository.order(item).shown()).toList(),
                cursors.next(tenant, scope, slice));
    }

    // ---- rules -------------------------------------------------------------------------------------

    /** Each line's quantity, checked; the lines' other fields are checked against the catalogue. */
    private static List<Integer> lines(List<FieldError> errors, List<ItemInput> items) {
        if (items == null || items.isEmpty() || items.size() > MAX_ITEMS) {
            errors.add(new FieldError("items", "must hold 1 to " + MAX_ITEMS + " items"));
            return List.of();
        }
        var quantities = new ArrayList<Integer>();
        for (int i = 0; i < items.size(); i++) {
            String at = "items[" + i + "]";
            var item = items.get(i);
            if (item == null) {
                errors.add(new FieldError(at, "must be an object"));
                quantities.add(0);
                continue;
            }
            if (item.priceId() == null && item.variantId() == null) {
                errors.add(new FieldError(at + ".variantId", "is required (or priceId)"));
            }
            var q = item.quantity();
            if (q == null) {
                errors.add(new FieldError(at + ".quantity", "is required: an integer from 1 to " + MAX_QUANTITY));
                quantities.add(0);
            } else if (q.stripTrailingZeros().scale() > 0 || q.compareTo(BigDecimal.ONE) < 0
                    || q.compareTo(BigDecimal.valueOf(MAX_QUANTITY)) > 0) {
                errors.add(new FieldError(at + ".quantity", "must be an integer from 1 to " + MAX_QUANTITY));
                quantities.add(0);
            } else {
                quantities.add(q.intValueExact());
            }
        }
        return quantities;
    }

    /**
     * The customer's details as {@code POST /customers} takes them, checked by its rules (fields named
     * {@code customer.…}); the order's billing and shipping addresses become a new customer's own
     * default ones when their details hold none of that kind.
     */
    private static CustomerInput customerInput(List<FieldError> errors, CustomerInput in, Address billing, Address shipping) {
        var addresses = new ArrayList<>(in.addresses() == null ? List.<Address>of() : in.addresses());
        Predicate<String> has = kind -> addresses.stream().anyMatch(a -> a != null && kind.equals(a.kind()));
        if (billing != null && !has.test("billing")) {
            addresses.add(withDefault(billing));
        }
        if (shipping != null && !has.test("shipping")) {
            addresses.add(withDefault(shipping));
        }
        var withAddresses = new CustomerInput(in.type(), in.firstName(), in.lastName(), in.email(), in.phone(), in.company(),
                in.paymentTerms(), in.billingGroupId(), addresses, in.metadata(), in.referredBy(),
                in.communicationPreferences());
        try {
            return CustomerService.validate(withAddresses);
        } catch (ApiException e) {
            e.errors().forEach(error -> errors.add(new FieldError("customer." + error.field(), error.message())));
            return null;
        }
    }

    /** An order's billing or shipping address ({@code kind}, whatever the body says), held to a customer's address rules; null when not given. */
    private static Address orderAddress(List<FieldError> errors, String field, Address raw, String kind) {
        if (raw == null) {
            return null;
        }
        var valid = CustomerRules.address(errors, field, new Address(kind, raw.line1(), raw.line2(), raw.city(), raw.region(),
                raw.postalCode(), raw.country(), null));
        return new Address(kind, valid.line1(), valid.line2(), valid.city(), valid.region(), valid.postalCode(), valid.country(), null);
    }

    private static Address withDefault(Address a) {
        return new Address(a.kind(), a.line1(), a.line2(), a.city(), a.region(), a.postalCode(), a.country(), true);
    }

    /** The profile's default address of a kind, else its first of that kind, as an order holds it (not a default of anything). */
    private static Address profileAddress(List<Address> addresses, String kind) {
        var ofKind = addresses.stream().filter(a -> kind.equals(a.kind())).toList();
        return ofKind.stream().filter(a -> Boolean.TRUE.equals(a.isDefault())).findFirst().or(() -> ofKind.stream().findFirst())
                .map(a -> new Address(kind, a.line1(), a.line2(), a.city(), a.region(), a.postalCode(), a.country(), null)).orElse(null);
    }

    /**
     * Each line's sale: its price (named, or the variant's only active one), active with its product and
     * variant, all in one currency, the customer's when they have one. One 400 naming every bad line.
     */
    private List<Sale> sales(String tenant, List<ItemInput> items, List<Integer> quantities, Customer customer, String currency) {
        var errors = new ArrayList<FieldError>();
        var priceIds = new ArrayList<String>();
        var onlyPrice = new LinkedHashMap<String, List<String>>();
        for (var item : items) {
            if (item.priceId() == null) {
                onlyPrice.computeIfAbsent(item.variantId(), v -> catalogue.activePrices(tenant, v, 2).stream()
                        .map(com.clientele.catalogue.Price::id).toList());
            }
        }
        for (int i = 0; i < items.size(); i++) {
            var item = items.get(i);
            String at = "items[" + i + "]";
            if (item.priceId() != null) {
                priceIds.add(item.priceId());
                continue;
            }
            var prices = onlyPrice.get(item.variantId());
            if (prices.size() == 1) {
                priceIds.add(prices.get(0));
            } else {
                priceIds.add(null);
                errors.add(prices.isEmpty() ? new FieldError(at + ".variantId", "is not a variant of this account with an active price")
                        : new FieldError(at + ".priceId", "is required: the variant has more than one active price"));
            }
        }
        var found = catalogue.sales(tenant, new LinkedHashSet<>(priceIds.stream().filter(id -> id != null).toList()));
        String fixed = customer == null ? null : customer.currency();
        if (currency != null && fixed != null && !currency.equals(fixed)) {
            errors.add(new FieldError("currency", "must be " + fixed + ": the customer's currency, fixed by their first charge"));
        }
        String expected = fixed != null ? fixed : currency;
        var sales = new ArrayList<Sale>();
        for (int i = 0; i < items.size(); i++) {
            String at = "items[" + i + "]";
            String priceId = priceIds.get(i);
            if (priceId == null) {
                continue;
            }
            var sale = found.get(priceId);
            if (sale == null) {
                errors.add(new FieldError(at + ".priceId", "is not a price of this account"));
                continue;
            }
            var price = sale.price();
            String variantId = items.get(i).variantId();
            if (variantId != null && !variantId.equals(price.variantId())) {
                errors.add(new FieldError(at + ".variantId", price.variantId() == null
                        ? "must be left out: price " + price.id() + " is for the whole product"
                        : "is not the variant of price " + price.id()));
            } else if (sale.archived() != null) {
                errors.add(new FieldError(at + ".priceId", sale.archived().equals("price") ? "is archived: it takes no new sales"
                        : "is of an archived " + sale.archived() + ": it takes no new sales"));
            } else if (expected == null) {
                expected = price.currency();
            } else if (!expected.equals(price.currency())) {
                errors.add(new FieldError(at + ".priceId", "is in " + price.currency() + ": " + (expected.equals(fixed)
                        ? "the customer pays in " + fixed + ", fixed by their first charge" : "the order is in " + expected)));
            }
            sales.add(sale);
        }
        failOn(errors);
        return sales;
    }

    /** A charge asked for now needs a card: the one named (a card of the customer's) or the customer's default one. */
    private void payable(String tenant, Customer customer, String paymentMethodId) {
        if (customer == null) {
            throw ApiException.invalid("pay", "cannot be true for a new customer, who has no saved card yet: place the order, "
                    + "save a card, then pay the order");
        }
        if (paymentMethodId == null && customer.defaultPaymentMethodId() == null) {
            throw ApiException.invalid("paymentMethodId", "is required: the customer has no saved card to charge");
        }
        if (paymentMethodId != null && payments.cards(tenant, customer.id()).data().stream().noneMatch(c -> c.id().equals(paymentMethodId))) {
            throw ApiException.invalid("paymentMethodId", "is not a saved card of the customer");
        }
    }

    private Customer existing(String tenant, String customerId) {
        try {
            return customers.get(tenant, customerId);
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            throw ApiException.invalid("customerId", "is not a customer of this account");
        }
    }

    private Order stored(String tenant, String orderId) {
        return (Ids.isValid(Ids.ORDER, orderId) ? repository.find(tenant, orderId) : Optional.<Order>empty())
                .orElseThrow(() -> ApiException.notFound("Order " + orderId));
    }

    private static Activity activity(Order order, Activity.Kind kind) {
        String total = Activity.money(order.total().amount(), order.currency());
        String summary = switch (kind) {
            case ORDER_CREATED -> "Order placed: " + order.items().size() + (order.items().size() == 1 ? " item, " : " items, ") + total;
            case ORDER_PAID -> "Order paid: " + total;
            case ORDER_FULFILLED -> "Order fulfilled";
            case ORDER_CANCELED -> "Order canceled";
            case ORDER_REFUNDED -> "Order canceled and refunded: " + total;
            default -> throw new IllegalArgumentException(kind + " is not an order's");
        };
        return new Activity(order.updatedAt(), kind, summary, order.id());
    }

    /** 409 naming the order's status, which does not allow what was asked. */
    private static ApiException wrongStatus(Order order, String asked, String rule) {
        return new ApiException(409, "order_" + order.status().value(), "Order is " + order.status().value(),
                "Order " + order.id() + " is " + order.status().value() + ": it cannot be " + asked + " (" + rule + ")",
                List.of(), Map.of("orderStatus", order.status().value()), Map.of());
    }

    private static ApiException inProgress(Order order, String what, String id) {
        return new ApiException(409, what + "_in_progress", "Order is being " + (what.equals("payment") ? "paid" : "refunded"),
                "A " + what + " of order " + order.id() + " (" + id + ") is under way; retry it with its Idempotency-Key, or wait",
                List.of(), Map.of(what + "Id", id), Map.of());
    }

    private static ApiException changed(Order order) {
        return new ApiException(409, "concurrent_update", "Conflict", "Order " + order.id() + " changed while this request ran; try again");
    }

    /** A write that finishes a request whose money moved: if the order changed meanwhile, 409, and a retry with the key finishes it. */
    private static void written(Runnable write) {
        try {
            write.run();
        } catch (Stale e) {
            throw new ApiException(409, "concurrent_update", "Conflict",
                    "The order changed while this request ran; retry with the same Idempotency-Key to finish it");
        }
    }

    private static void giveUpAfter(int attempt) {
        if (attempt >= MAX_WRITE_ATTEMPTS) {
            throw new ApiException(409, "concurrent_update", "Conflict", "The order kept changing while this request ran; try again");
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
