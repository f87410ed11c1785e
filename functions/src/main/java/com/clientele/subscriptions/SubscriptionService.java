package com.clientele.subscriptions;

import com.clientele.catalogue.CatalogueService;
import com.clientele.catalogue.Price;
import com.clientele.customers.Address;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerRules;
import com.clientele.payments.PaymentRepository;
import com.clientele.shared.Activity;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.http.Listing;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The rules of subscriptions that a request applies: starting one (from the API or from an order), reading
 * them, and the changes a user makes. The rules of a subscription's own states are {@link Subscription}'s;
 * this checks what a request names (the customer, the price, the card) and writes the result with its activity.
 */
public final class SubscriptionService {

    public static final int MAX_QUANTITY = 10_000;
    public static final int MAX_TRIAL_DAYS = 730;
    static final int MAX_SERIAL_NUMBER = 100;
    private static final int MAX_WRITE_ATTEMPTS = 3;

    private final SubscriptionRepository repository;
    private final CatalogueService catalogue;
    private final CustomerRepository customers;
    private final PaymentRepository payments;
    private final Cursors cursors;
    private final Clock clock;

    public SubscriptionService(SubscriptionRepository repository, CatalogueService catalogue, CustomerRepository customers,
                               PaymentRepository payments, Cursors cursors, Clock clock) {
        this.repository = repository;
        this.catalogue = catalogue;
        this.customers = customers;
        this.payments = payments;
        this.cursors = cursors;
        this.clock = clock;
    }

    /**
     * A subscription to start for customer {@code customerId} at the recurring price {@code priceId}.
     * {@code quantity} 1 when null; {@code collection} {@code charge_automatically} (the saved card
     * {@code paymentMethodId}, or the customer's default card) or {@code send_invoice}; {@code shippingAddress}
     * the profile's default shipping address (else billing) when null; {@code trialDays} 0 when null.
     * {@code orderId}: the order that started it (null: none). {@code subscriptionId}: the id its caller
     * chose (an order), which makes the start idempotent; null: a new one.
     */
    public record StartCommand(String tenant, String customerId, String priceId, Integer quantity, String collection,
                               String paymentMethodId, Address shippingAddress, String assetSerialNumber, Integer trialDays,
                               String orderId, String subscriptionId) {
    }

    /** The body of {@code POST /customers/{id}/subscriptions}. */
    public record StartInput(String priceId, Integer quantity, String collection, String paymentMethodId, Address shippingAddress,
                             String assetSerialNumber, Integer trialDays) {

        public StartCommand command(String tenant, String customerId) {
            return new StartCommand(tenant, customerId, priceId, quantity, collection, paymentMethodId, shippingAddress,
                    assetSerialNumber, trialDays, null, null);
        }
    }

    // ---- start ---------------------------------------------------------------------------------------

    /**
     * Starts a subscription, or, when the command names a {@code subscriptionId} that exists already,
     * returns that one (a repeated start of an order's subscription starts nothing).
     */
    public Subscription start(StartCommand command) {
        return start(command, null);
    }

    /**
     * Starts a subscription under a request's {@code Idempotency-Key} ({@code key}; null: none), whose
     * response is stored with it. Refuses, naming the field: an unknown (404), archived (409) or one-time
     * (400) price, a price in another currency than the customer's, a quantity outside 1 to
     * {@value #MAX_QUANTITY}, automatic collection without a saved card, a card that is not the customer's.
     */
    public Subscription start(StartCommand command, IdempotentWrite<Subscription> key) {
        String tenant = command.tenant();
        String customerId = command.customerId();
        if (command.subscriptionId() != null) {
            if (!Ids.isValid(Ids.SUBSCRIPTION, command.subscriptionId())) {
                throw ApiException.invalid("subscriptionId", "must be a subscription id (sub_…)");
            }
            var existing = repository.find(tenant, customerId, command.subscriptionId());
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        var customer = customer(tenant, customerId);
        var errors = new ArrayList<FieldError>();
        if (command.priceId() == null || command.priceId().isBlank()) {
            errors.add(new FieldError("priceId", "is required: a recurring price (price_…)"));
        }
        int quantity = command.quantity() == null ? 1 : command.quantity();
        if (quantity < 1 || quantity > MAX_QUANTITY) {
            errors.add(new FieldError("quantity", "must be from 1 to " + MAX_QUANTITY));
        }
        Collection collection = collection(errors, command.collection());
        int trialDays = command.trialDays() == null ? 0 : command.trialDays();
        if (trialDays < 0 || trialDays > MAX_TRIAL_DAYS) {
            errors.add(new FieldError("trialDays", "must be from 0 to " + MAX_TRIAL_DAYS));
        }
        String serial = serialNumber(errors, command.assetSerialNumber());
        Address shipping = command.shippingAddress() == null ? defaultShipping(customer) : shippingAddress(errors, command.shippingAddress());
        if (command.paymentMethodId() != null && !Ids.isValid(Ids.PAYMENT_METHOD, command.paymentMethodId())) {
            errors.add(new FieldError("paymentMethodId", "must be a saved card's id (pm_…)"));
        }
        failOn(errors);
        var price = recurringPrice(tenant, command.priceId(), customer);
        String paymentMethodId = paymentMethod(tenant, customer, collection, command.paymentMethodId());
        String id = key != null ? key.claim(() -> Ids.next(Ids.SUBSCRIPTION)).resourceId()
                : command.subscriptionId() != null ? command.subscriptionId() : Ids.next(Ids.SUBSCRIPTION);
        var subscription = Subscription.start(new Subscription.Start(id, customerId, command.orderId(), price, quantity, collection,
                paymentMethodId, shipping, serial, trialDays), now());
        try {
            repository.insert(tenant, subscription, SubscriptionActivities.started(subscription),
                    key == null ? null : key.completion(subscription, customerId));
            return subscription;
        } catch (SubscriptionRepository.Stale e) {
            var existing = repository.find(tenant, customerId, id);
            if (existing.isEmpty()) {
                throw ApiException.notFound("Customer " + customerId);
            }
            if (key != null) {
                throw key.finishedEarlier();
            }
            return existing.get();
        }
    }

    // ---- reads ---------------------------------------------------------------------------------------

    public Subscription subscription(String tenant, String subscriptionId) {
        return (Ids.isValid(Ids.SUBSCRIPTION, subscriptionId) ? repository.find(tenant, subscriptionId)
                : java.util.Optional.<Subscription>empty()).orElseThrow(() -> ApiException.notFound("Subscription " + subscriptionId));
    }

    /** A customer's subscriptions, newest first; {@code ?status=} keeps those of one status. */
    public Listing<Subscription> subscriptions(String tenant, String customerId, Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, Set.of("status"), errors);
        SubscriptionStatus status = null;
        String raw = ListParams.blank(query.get("status"));
        if (raw != null) {
            try {
                status = SubscriptionStatus.of(raw);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("status", "must be one of " + values(SubscriptionStatus.values())));
            }
        }
        failOn(errors);
        customer(tenant, customerId);
        String scope = "subscriptions:" + customerId + ":" + (status == null ? "" : status.value());
        var slice = repository.list(tenant, customerId, status, paging.limit(), cursors.after(tenant, scope, paging));
        return new Listing<>(slice.items().stream().map(SubscriptionRepository::subscription).toList(), cursors.next(tenant, scope, slice));
    }

    // ---- what a user changes -------------------------------------------------------------------------

    /** The body of {@code POST /subscriptions/{id}/cancel}: {@code now}, or at the current period's end. */
    public record CancelInput(String at) {
    }

    /** The body of {@code POST /subscriptions/{id}/extend}: the contract's months to add. */
    public record ExtendInput(Integer months) {
    }

    /** An extension of a subscription's contract, under a request's {@code Idempotency-Key}. */
    public record ExtendCommand(String tenant, String subscriptionId, ExtendInput input) {
    }

    /** The body of {@code POST /subscriptions/{id}/change}: the quantity, the price (of another variant), or both, from the next period. */
    public record ChangeInput(Integer quantity, String priceId) {
    }

    /** Pauses an active subscription: it is not billed (it leaves the due index) until resumed. */
    public Subscription pause(String tenant, String subscriptionId) {
        return changed(tenant, subscriptionId, null, s -> s.paused(now()), SubscriptionActivities::paused);
    }

    /** Resumes a paused subscription (see {@link Subscription#resumed} for its periods). */
    public Subscription resume(String tenant, String subscriptionId) {
        return changed(tenant, subscriptionId, null, s -> s.resumed(now()), SubscriptionActivities::resumed);
    }

    /** Cancels a subscription now, or at the end of its current period. */
    public Subscription cancel(String tenant, String subscriptionId, CancelInput input) {
        boolean atPeriodEnd;
        if ("now".equals(input.at())) {
            atPeriodEnd = false;
        } else if ("period_end".equals(input.at())) {
            atPeriodEnd = true;
        } else {
            throw ApiException.invalid("at", input.at() == null ? "is required: now or period_end" : "must be now or period_end");
        }
        return changed(tenant, subscriptionId, null, s -> s.canceled(atPeriodEnd, now()), SubscriptionActivities::canceled);
    }

    /** Extends a subscription's contract by {@code months} (1 to what makes it {@value Subscription#MAX_CONTRACT_MONTHS} in all). */
    public Subscription extend(ExtendCommand command, IdempotentWrite<Subscription> key) {
        Integer months = command.input().months();
        if (months == null || months < 1 || months > Subscription.MAX_CONTRACT_MONTHS) {
            throw ApiException.invalid("months", "must be from 1 to " + Subscription.MAX_CONTRACT_MONTHS);
        }
        return changed(command.tenant(), command.subscriptionId(), key, s -> {
            if (s.contractMonths() != null && s.contractMonths() + months > Subscription.MAX_CONTRACT_MONTHS) {
                throw ApiException.invalid("months", "must make the contract at most " + Subscription.MAX_CONTRACT_MONTHS
                        + " months: it has " + s.contractMonths());
            }
            return s.extended(months, now());
        }, SubscriptionActivities::extended);
    }

    /**
     * Changes the quantity, or the price to another of the same product, currency and billing period (another
     * variant's), from the next period; the current period stays as billed.
     */
    public Subscription change(String tenant, String subscriptionId, ChangeInput input) {
        if (input.quantity() == null && input.priceId() == null) {
            throw ApiException.invalid("body", "must change quantity, priceId or both");
        }
        if (input.quantity() != null && (input.quantity() < 1 || input.quantity() > MAX_QUANTITY)) {
            throw ApiException.invalid("quantity", "must be from 1 to " + MAX_QUANTITY);
        }
        var current = subscription(tenant, subscriptionId);
        var pending = current.pendingChange();
        String priceId = input.priceId() != null ? input.priceId() : pending != null ? pending.priceId() : current.priceId();
        int quantity = input.quantity() != null ? input.quantity() : pending != null ? pending.quantity() : current.quantity();
        // the price it bills now, or the one a pending change chose, needs to be for sale no more; any other does
        Price price = priceId.equals(current.priceId()) || (pending != null && priceId.equals(pending.priceId()))
                ? catalogue.forSubscription(tenant, priceId) : changedPrice(tenant, current, priceId);
        return changed(tenant, subscriptionId, null, s -> s.changedFromNextPeriod(price, quantity, now()), SubscriptionActivities::changed);
    }

    /** Another price a subscription may change to: on sale, recurring, of its product, currency and billing period. */
    private Price changedPrice(String tenant, Subscription current, String priceId) {
        Price price = forSale(tenant, priceId);
        if (price.type() != Price.Type.RECURRING || !price.productId().equals(current.productId())) {
            throw ApiException.invalid("priceId", "must be a recurring price of the subscription's product (" + current.productId() + ")");
        }
        if (!price.currency().equals(current.amount().currency())) {
            throw ApiException.invalid("priceId", "is in " + price.currency() + ": the subscription is billed in " + current.amount().currency());
        }
        if (price.recurring().interval() != current.interval() || price.recurring().intervalCount() != current.intervalCount()) {
            throw ApiException.invalid("priceId", "must bill the same period as the subscription: every "
                    + SubscriptionActivities.period(current));
        }
        return price;
    }

    /**
     * Reads the subscription, applies {@code change} (its next state, or a refusal: 409 naming its state),
     * writes it at the version read with its activity (and, under an {@code Idempotency-Key}, the stored
     * response), and tries again from the read when another change got there first.
     */
    private Subscription changed(String tenant, String subscriptionId, IdempotentWrite<Subscription> key,
                                 UnaryOperator<Subscription> change, Function<Subscription, Activity> activity) {
        for (int attempt = 1; ; attempt++) {
            var before = subscription(tenant, subscriptionId);
            Subscription after;
            try {
                after = change.apply(before);
            } catch (Subscription.Refused refused) {
                throw refusal(refused);
            }
            if (after == before) {
                return before;
            }
            if (key != null && attempt == 1) {
                key.claim(() -> subscriptionId);
            }
            try {
                repository.update(tenant, before, after, activity.apply(after),
                        key == null ? null : key.completion(after, after.customerId()));
                return after;
            } catch (SubscriptionRepository.Stale e) {
                if (attempt == MAX_WRITE_ATTEMPTS) {
                    throw changedMeanwhile("Subscription " + subscriptionId);
                }
            }
        }
    }

    // ---- rules ---------------------------------------------------------------------------------------

    private Customer customer(String tenant, String customerId) {
        return (Ids.isValid(Ids.CUSTOMER, customerId) ? customers.find(tenant, customerId) : java.util.Optional.<Customer>empty())
                .orElseThrow(() -> ApiException.notFound("Customer " + customerId));
    }

    /** A recurring price on sale, in the customer's currency; each refusal names {@code priceId}. */
    private Price recurringPrice(String tenant, String priceId, Customer customer) {
        Price price = forSale(tenant, priceId);
        if (price.type() != Price.Type.RECURRING) {
            throw ApiException.invalid("priceId", "is a one-time price: a subscription needs a recurring price");
        }
        if (customer.currency() != null && !customer.currency().equals(price.currency())) {
            throw ApiException.invalid("priceId", "is in " + price.currency() + ", but the customer pays in " + customer.currency()
                    + " (fixed by their first successful charge): choose a price in " + customer.currency());
        }
        return price;
    }

    /** 409: what the request changes kept changing under it (three tries). */
    static ApiException changedMeanwhile(String what) {
        return new ApiException(409, "subscription_changed", "Subscription changed",
                what + " kept changing while this request ran; retry");
    }

    /** A change the subscription's state refuses, as the 409 that names the state ({@code subscriptionStatus}). */
    static ApiException refusal(Subscription.Refused refused) {
        return new ApiException(409, refused.code(), "Not possible now", refused.getMessage(), List.of(),
                Map.of("subscriptionStatus", refused.status().value()), Map.of());
    }

    /** A price on sale; the catalogue's refusal (404 unknown, 409 archived) naming {@code priceId}. */
    private Price forSale(String tenant, String priceId) {
        try {
            return catalogue.forSale(tenant, priceId).price();
        } catch (ApiException e) {
            throw new ApiException(e.status(), e.code(), e.status() == 404 ? "Unknown price" : "Price not for sale", e.getMessage(),
                    List.of(new FieldError("priceId", e.status() == 404 ? "is not a price of this account" : "is not for sale: " + e.getMessage())),
                    Map.of(), Map.of());
        }
    }

    /** The card automatic collection charges: the one named (the customer's), else the customer's default; none for invoices unless named. */
    private String paymentMethod(String tenant, Customer customer, Collection collection, String named) {
        String id = named != null ? named : collection == Collection.CHARGE_AUTOMATICALLY ? customer.defaultPaymentMethodId() : null;
        if (id == null) {
            if (collection == Collection.CHARGE_AUTOMATICALLY) {
                throw ApiException.invalid("paymentMethodId", "is required to collect automatically, and the customer has no saved card: "
                        + "save one first, or collect with send_invoice");
            }
            return null;
        }
        if (payments.paymentMethod(tenant, customer.id(), id).isEmpty()) {
            throw ApiException.invalid("paymentMethodId", "is not a saved card of this customer");
        }
        return id;
    }

    private static Collection collection(List<FieldError> errors, String raw) {
        if (raw == null) {
            return Collection.CHARGE_AUTOMATICALLY;
        }
        try {
            return Collection.of(raw);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("collection", "must be one of " + values(Collection.values())));
            return null;
        }
    }

    /** One line of printable text without spaces (zero-width characters removed), at most {@value #MAX_SERIAL_NUMBER} characters. */
    static String serialNumber(List<FieldError> errors, String raw) {
        String serial = CustomerRules.line(errors, "assetSerialNumber", raw, MAX_SERIAL_NUMBER, false);
        if (serial != null && serial.chars().anyMatch(Character::isWhitespace)) {
            errors.add(new FieldError("assetSerialNumber", "must not contain spaces"));
        }
        return serial;
    }

    private static Address shippingAddress(List<FieldError> errors, Address raw) {
        var given = new Address(raw.kind() == null ? "shipping" : raw.kind(), raw.line1(), raw.line2(), raw.city(), raw.region(),
                raw.postalCode(), raw.country(), null);
        var valid = CustomerRules.address(errors, "shippingAddress", given);
        if (!"shipping".equals(valid.kind()) && valid.kind() != null) {
            errors.add(new FieldError("shippingAddress.kind", "must be shipping (or left out)"));
        }
        return new Address("shipping", valid.line1(), valid.line2(), valid.city(), valid.region(), valid.postalCode(), valid.country(), null);
    }

    /** The profile's default shipping address, else its default billing one, else its first shipping or billing one; null when none. */
    static Address defaultShipping(Customer customer) {
        var addresses = customer.addresses() == null ? List.<Address>of() : customer.addresses();
        for (var pick : List.<java.util.function.Predicate<Address>>of(
                a -> "shipping".equals(a.kind()) && Boolean.TRUE.equals(a.isDefault()),
                a -> "billing".equals(a.kind()) && Boolean.TRUE.equals(a.isDefault()),
                a -> "shipping".equals(a.kind()),
                a -> "billing".equals(a.kind()))) {
            var found = addresses.stream().filter(pick).findFirst();
            if (found.isPresent()) {
                var a = found.get();
                return new Address("shipping", a.line1(), a.line2(), a.city(), a.region(), a.postalCode(), a.country(), null);
            }
        }
        return null;
    }

    private static String values(Enum<?>[] values) {
        return String.join(", ", Arrays.stream(values).map(Object::toString).toList());
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
