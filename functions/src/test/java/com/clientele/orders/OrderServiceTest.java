package com.clientele.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.clientele.catalogue.CatalogueService;
import com.clientele.catalogue.Price;
import com.clientele.catalogue.Product;
import com.clientele.catalogue.Variant;
import com.clientele.customers.Address;
import com.clientele.customers.CustomerService;
import com.clientele.orders.OrderService.ItemInput;
import com.clientele.orders.OrderService.OrderInput;
import com.clientele.orders.OrderService.Outcome;
import com.clientele.orders.OrderService.PayInput;
import com.clientele.orders.OrderService.PayOrder;
import com.clientele.orders.OrderService.PlaceOrder;
import com.clientele.payments.Payment;
import com.clientele.payments.PaymentCard;
import com.clientele.payments.PaymentInputs.ChargeCommand;
import com.clientele.payments.PaymentCoupon;
import com.clientele.payments.PaymentCoupons;
import com.clientele.payments.PaymentService;
import com.clientele.payments.PaymentStatus;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Money;
import com.clientele.shared.TransactPut;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import com.clientele.subscriptions.SubscriptionService;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The rules of orders that the API cannot show without a crash: totals, and attempts resumed or found charged. */
class OrderServiceTest {

    private static final String TENANT = "acme";
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Address BILLING = new Address("billing", "1 Navy Way", null, "Arlington", null, null, "US", null);

    private final OrderRepository repository = mock(OrderRepository.class);
    private final CatalogueService catalogue = mock(CatalogueService.class);
    private final PaymentService payments = mock(PaymentService.class);
    private final SubscriptionService subscriptions = mock(SubscriptionService.class);
    private final PaymentCoupons coupons = mock(PaymentCoupons.class);
    private final OrderService service = new OrderService(repository, mock(CustomerService.class), catalogue, payments, subscriptions,
            coupons, new Cursors("secret"), Clock.fixed(NOW, ZoneOffset.UTC));

    /** A key whose claim answers {@code claimed}; its completions are not written anywhere (the repository is a mock). */
    private static IdempotentWrite<Outcome> key(String claimed, boolean resumed) {
        return new IdempotentWrite<>() {
            @Override
            public Claimed claim(Supplier<String> newResourceId) {
                return new Claimed(claimed == null ? newResourceId.get() : claimed, resumed);
            }

            @Override
            public void started() {
            }

            @Override
            public TransactPut completion(Outcome result, String customerId) {
                return null;
            }

            @Override
            public RuntimeException finishedEarlier() {
                return new IllegalStateException();
            }
        };
    }

    private static CatalogueService.Sale sale(String priceId, long amount, Price.Recurring recurring) {
        var product = new Product(Ids.next(Ids.PRODUCT), "FlexBook", null, Map.of(), true, 1, 1, NOW, NOW, 1);
        var variant = new Variant(Ids.next(Ids.VARIANT), product.id(), "16 GB", null, Map.of(), true, NOW, NOW, 1);
        var price = new Price(priceId, product.id(), variant.id(), "USD", amount, recurring == null ? Price.Type.ONE_TIME
                : Price.Type.RECURRING, recurring, null, null, null, Map.of(), true, NOW, NOW, 1);
        return new CatalogueService.Sale(product, variant, price);
    }

    private static Order pending(String paymentId, Instant updated) {
        var item = OrderItem.of(sale(Ids.next(Ids.PRICE), 5000, null), 2, null);
        var order = Order.place(Ids.next(Ids.ORDER), Ids.next(Ids.CUSTOMER), null, "USD", List.of(item), null, BILLING, BILLING, updated);
        return paymentId == null ? order : order.paying(paymentId, updated);
    }

    private static Payment payment(String id, PaymentStatus status) {
        return Payment.builder().id(id).status(status).amount(new Money(10_000, "USD")).createdAt(NOW).updatedAt(NOW).build();
    }

    @Test
    void theTotalIsTheOneTimeLinesAndRecurringLinesAreSummedPerPeriod() {
        var monthly = new Price.Recurring(Price.Interval.MONTH, 1, 12);
        var items = List.of(OrderItem.of(sale("price_a", 30_000, null), 1, null),
                OrderItem.of(sale("price_b", 8_900, monthly), 2, "sub_1"),
                OrderItem.of(sale("price_c", 1_000, monthly), 1, "sub_2"),
                OrderItem.of(sale("price_d", 99_900, new Price.Recurring(Price.Interval.YEAR, 1, null)), 1, "sub_3"));
        var order = Order.place("ord_1", "cus_1", false, "USD", items, null, BILLING, BILLING, NOW);
        assertThat(order.total()).isEqualTo(new Money(30_000, "USD"));
        assertThat(order.recurringTotal()).containsExactly(
                new Order.RecurringTotal(Price.Interval.MONTH, 1, new Money(18_800, "USD")),
                new Order.RecurringTotal(Price.Interval.YEAR, 1, new Money(99_900, "USD")));
        assertThat(order.shown().items()).extracting(OrderItem::subscriptionId).as("not started while unpaid").containsOnlyNulls();
        assertThat(order.paid(NOW).shown().items()).extracting(OrderItem::subscriptionId).containsExactly(null, "sub_1", "sub_2", "sub_3");
    }

    @Test
    void aResumedPlacementChargesTheAttemptItRecordedAndPlacesNothingAgain() {
        String paymentId = Ids.next(Ids.PAYMENT);
        var order = pending(paymentId, NOW);
        when(catalogue.sales(eq(TENANT), any())).thenReturn(Map.of(order.items().get(0).priceId(),
                sale(order.items().get(0).priceId(), 5000, null)));
        when(repository.find(TENANT, order.id())).thenReturn(java.util.Optional.of(order));
        when(payments.charge(any(), any())).thenReturn(payment(paymentId, PaymentStatus.SUCCEEDED));
        var input = new OrderInput(null, null, List.of(new ItemInput(null, order.items().get(0).priceId(), BigDecimal.TWO)), null, null,
                null, true, null, null);
        var customers = mock(CustomerService.class);
        var customer = com.clientele.customers.Customer.builder().id(order.customerId()).firstName("Ada").lastName("L").email("a@b.co")
                .phone("+14155550101").addresses(List.of(BILLING)).defaultPaymentMethodId(Ids.next(Ids.PAYMENT_METHOD)).build();
        when(customers.get(TENANT, order.customerId())).thenReturn(customer);
        var resuming = new OrderService(repository, customers, catalogue, payments, subscriptions, coupons, new Cursors("secret"),
                Clock.fixed(NOW, ZoneOffset.UTC));

        var outcome = resuming.place(new PlaceOrder(TENANT, new OrderInput(order.customerId(), null, input.items(), null, null, null, true,
                null, null)), key(order.id(), true));

        assertThat(outcome.order().status()).isEqualTo(OrderStatus.PAID);
        var charged = ArgumentCaptor.forClass(ChargeCommand.class);
        verify(payments).charge(charged.capture(), any());
        assertThat(charged.getValue().paidFor().orderId()).isEqualTo(order.id());
        assertThat(charged.getValue().input().amount()).isEqualTo(new Money(10_000, "USD"));
        verify(repository, never()).insert(any(), any(), any(), any());
        verify(repository).update(eq(TENANT), eq(order), any(Order.class), any(), isNull());
    }

    @Test
    void aPaymentChargedByARequestThatDiedPaysTheOrderWithoutASecondCharge() {
        String paymentId = Ids.next(Ids.PAYMENT);
        var order = pending(paymentId, NOW);
        when(repository.find(TENANT, order.id())).thenReturn(java.util.Optional.of(order));
        when(payments.find(TENANT, paymentId)).thenReturn(java.util.Optional.of(payment(paymentId, PaymentStatus.SUCCEEDED)));
        when(payments.payment(TENANT, paymentId)).thenReturn(payment(paymentId, PaymentStatus.SUCCEEDED));

        var outcome = service.pay(new PayOrder(TENANT, order.id(), new PayInput(null)), key(null, false));

        assertThat(outcome.order().status()).isEqualTo(OrderStatus.PAID);
        assertThat(outcome.order().paymentId()).isEqualTo(paymentId);
        verify(payments, never()).charge(any(), any());
    }

    @Test
    void anotherPaymentWaitsWhileAnAttemptRunsAndTakesOverOneThatDiedWithoutAPayment() {
        String running = Ids.next(Ids.PAYMENT);
        var order = pending(running, NOW);
        when(repository.find(TENANT, order.id())).thenReturn(java.util.Optional.of(order));
        when(payments.find(TENANT, running)).thenReturn(java.util.Optional.of(payment(running, PaymentStatus.PENDING)));
        assertThatThrownBy(() -> service.pay(new PayOrder(TENANT, order.id(), new PayInput(null)), key(null, false)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("payment_in_progress"));

        // an attempt recorded a while ago whose payment never came: its request died; a new attempt charges
        String dead = Ids.next(Ids.PAYMENT);
        var stale = pending(dead, NOW.minus(OrderService.ABANDONED).minusSeconds(1));
        when(repository.find(TENANT, stale.id())).thenReturn(java.util.Optional.of(stale));
        when(payments.find(TENANT, dead)).thenReturn(java.util.Optional.empty());
        String fresh = Ids.next(Ids.PAYMENT);
        when(payments.charge(any(), any())).thenReturn(payment(fresh, PaymentStatus.SUCCEEDED));
        var outcome = service.pay(new PayOrder(TENANT, stale.id(), new PayInput(null)), key(fresh, false));
        assertThat(outcome.order().paymentId()).isEqualTo(fresh);
        assertThat(outcome.order().status()).isEqualTo(OrderStatus.PAID);
    }

    @Test
    void payingStartsEachRecurringLinesSubscriptionUnderTheIdItsLineHoldsWithTheCardCharged() {
        var monthly = new Price.Recurring(Price.Interval.MONTH, 1, 12);
        var recurring = sale(Ids.next(Ids.PRICE), 8_900, monthly);
        String subscriptionId = Ids.next(Ids.SUBSCRIPTION);
        var order = Order.place(Ids.next(Ids.ORDER), Ids.next(Ids.CUSTOMER), null, "USD", List.of(OrderItem.of(
                sale(Ids.next(Ids.PRICE), 5_000, null), 1, null), OrderItem.of(recurring, 3, subscriptionId)), null, BILLING, BILLING, NOW);
        when(repository.find(TENANT, order.id())).thenReturn(java.util.Optional.of(order));
        when(catalogue.sales(eq(TENANT), any())).thenReturn(Map.of(recurring.price().id(), recurring));
        String card = Ids.next(Ids.PAYMENT_METHOD);
        String paymentId = Ids.next(Ids.PAYMENT);
        when(payments.charge(any(), any())).thenReturn(payment(paymentId, PaymentStatus.SUCCEEDED).toBuilder()
                .paymentMethod(new PaymentCard(card, "visa", "4242", "fp")).build());

        var outcome = service.pay(new PayOrder(TENANT, order.id(), new PayInput(card)), key(paymentId, false));

        var started = ArgumentCaptor.forClass(SubscriptionService.StartCommand.class);
        verify(subscriptions).start(started.capture());
        assertThat(started.getValue()).isEqualTo(new SubscriptionService.StartCommand(TENANT, order.customerId(), recurring.price().id(), 3,
                "charge_automatically", card, BILLING, null, null, order.id(), subscriptionId));
        assertThat(outcome.order().items().get(1).subscriptionId()).isEqualTo(subscriptionId);
    }

    @Test
    void aDeclineLeavesTheOrderPendingWithTheDecline() {
        String paymentId = Ids.next(Ids.PAYMENT);
        var order = pending(null, NOW);
        when(repository.find(TENANT, order.id())).thenReturn(java.util.Optional.of(order));
        when(payments.charge(any(), any())).thenReturn(payment(paymentId, PaymentStatus.FAILED).toBuilder().failureCode("card_declined")
                .build());
        var outcome = service.pay(new PayOrder(TENANT, order.id(), new PayInput(null)), key(paymentId, false));
        assertThat(outcome.order().status()).isEqualTo(OrderStatus.PENDING);
        assertThat(outcome.refusal()).isEqualTo(new com.clientele.payments.ProcessorRefusal(paymentId, null, "card_declined", null));
    }

    private static final PaymentCoupon TEN_OFF = new PaymentCoupon("TEN-OFF", "cmp_1", "amount_off", new Money(10_000, "USD"),
            new Money(1_000, "USD"), 0);

    /** A pending order of 2 × 5,000 USD with {@link #TEN_OFF}. */
    private static Order withCoupon() {
        var item = OrderItem.of(sale(Ids.next(Ids.PRICE), 5000, null), 2, null);
        return Order.place(Ids.next(Ids.ORDER), Ids.next(Ids.CUSTOMER), null, "USD", List.of(item), TEN_OFF, BILLING, BILLING, NOW);
    }

    @Test
    void aCouponIsTakenOffTheTotalAndItsCodeChargedWithTheAmountBeforeIt() {
        var coupon = TEN_OFF;
        var order = withCoupon();
        assertThat(order.total()).isEqualTo(new Money(9_000, "USD"));
        assertThat(order.shown().coupon()).isEqualTo(coupon);
        when(repository.find(TENANT, order.id())).thenReturn(java.util.Optional.of(order));
        String paymentId = Ids.next(Ids.PAYMENT);
        when(payments.charge(any(), any())).thenReturn(payment(paymentId, PaymentStatus.SUCCEEDED));

        service.pay(new PayOrder(TENANT, order.id(), new PayInput(null)), key(paymentId, false));

        var charged = ArgumentCaptor.forClass(ChargeCommand.class);
        verify(payments).charge(charged.capture(), any());
        assertThat(charged.getValue().input().amount()).isEqualTo(new Money(10_000, "USD"));
        assertThat(charged.getValue().input().couponCode()).isEqualTo("TEN-OFF");
        verify(coupons).quote(TENANT, order.customerId(), "TEN-OFF", new Money(10_000, "USD"), NOW);
    }

    @Test
    void aCouponThatNoLongerAppliesRefusesPayingBeforeAnAttemptIsRecorded() {
        var order = withCoupon();
        when(repository.find(TENANT, order.id())).thenReturn(java.util.Optional.of(order));
        when(coupons.quote(any(), any(), any(), any(), any())).thenThrow(new ApiException(422, "coupon_exhausted", "Coupon does not apply", "used up"));

        assertThatThrownBy(() -> service.pay(new PayOrder(TENANT, order.id(), new PayInput(null)), key(Ids.next(Ids.PAYMENT), false)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("coupon_exhausted"));
        verify(repository, never()).update(any(), any(), any(), any(), any());
        verify(payments, never()).charge(any(), any());
    }

    @Test
    void aCouponRefusedByTheChargeLeavesNoAttemptOnTheOrder() {
        var order = withCoupon();
        when(repository.find(TENANT, order.id())).thenReturn(java.util.Optional.of(order));
        when(payments.charge(any(), any())).thenThrow(new ApiException(422, "coupon_exhausted", "Coupon does not apply", "raced"));
        String paymentId = Ids.next(Ids.PAYMENT);

        assertThatThrownBy(() -> service.pay(new PayOrder(TENANT, order.id(), new PayInput(null)), key(paymentId, false)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("coupon_exhausted"));
        var written = ArgumentCaptor.forClass(Order.class);
        verify(repository, org.mockito.Mockito.times(2)).update(eq(TENANT), any(), written.capture(), any(), any());
        assertThat(written.getAllValues().get(0).paymentId()).isEqualTo(paymentId);
        assertThat(written.getAllValues().get(1).paymentId()).as("the attempt is over: no payment was made").isNull();
        assertThat(written.getAllValues().get(1).status()).isEqualTo(OrderStatus.PENDING);
    }
}
