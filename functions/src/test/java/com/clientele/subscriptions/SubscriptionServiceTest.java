package com.clientele.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.clientele.catalogue.CatalogueService;
import com.clientele.catalogue.Price;
import com.clientele.customers.Address;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.payments.PaymentMethod;
import com.clientele.payments.PaymentRepository;
import com.clientele.shared.Money;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.subscriptions.SubscriptionService.StartCommand;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** Starting a subscription: what the request names is checked, each refusal naming its field. */
class SubscriptionServiceTest {

    private static final String TENANT = "acme";
    private static final String CUSTOMER = "cus_01KB2CAJ2M4N6P8R0S2T4V6W8X";
    private static final String CARD = "pm_01KB2CBK3N5P7R9S1T3V5W7X9Y";
    private static final String SUB = "sub_01KB2C8H0K2M4N6P8R0S2T4V6W";
    private final SubscriptionRepository repository = mock(SubscriptionRepository.class);
    private final CatalogueService catalogue = mock(CatalogueService.class);
    private final CustomerRepository customers = mock(CustomerRepository.class);
    private final PaymentRepository payments = mock(PaymentRepository.class);
    private final SubscriptionService service = new SubscriptionService(repository, catalogue, customers, payments,
            new Cursors("secret"), Clock.fixed(SubscriptionTest.NOW, ZoneOffset.UTC));
    private final Price price = SubscriptionTest.price(8900, Price.Interval.MONTH, 1, 12, 80000L);

    private Customer.Builder customer() {
        return Customer.builder().id(CUSTOMER).firstName("Ada").defaultPaymentMethodId(CARD).currency("USD")
                .addresses(List.of(new Address("billing", "1 Main St", null, "Springfield", null, "12345", "US", true),
                        new Address("shipping", "9 Dock Rd", null, "Shelbyville", null, "54321", "US", true)));
    }

    private void given(Customer customer) {
        when(customers.find(TENANT, CUSTOMER)).thenReturn(Optional.of(customer));
        when(catalogue.forSale(TENANT, price.id())).thenReturn(new CatalogueService.Sale(null, null, price));
        when(payments.paymentMethod(TENANT, CUSTOMER, CARD)).thenReturn(Optional.of(mock(PaymentMethod.class)));
    }

    private static StartCommand command(Integer quantity, String collection, String card, Address shipping, String serial) {
        return new StartCommand(TENANT, CUSTOMER, "price_01KB2C6F8H0K2M4N6P8R0S2T4V", quantity, collection, card, shipping, serial, null,
                null, null);
    }

    private static List<FieldError> errors(Runnable call, int status) {
        try {
            call.run();
        } catch (ApiException e) {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
            return e.errors();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void aStartCopiesThePricesTermsAndTheProfilesShippingAddressAndWritesItsActivity() {
        given(customer().build());
        var started = service.start(command(2, null, null, null, "SN\u200B-42"));
        assertThat(started.id()).startsWith("sub_");
        assertThat(started.amount()).isEqualTo(new Money(17800, "USD"));
        assertThat(started.paymentMethodId()).as("the default card").isEqualTo(CARD);
        assertThat(started.collection()).isEqualTo(Collection.CHARGE_AUTOMATICALLY);
        assertThat(started.shippingAddress().line1()).as("the default shipping address").isEqualTo("9 Dock Rd");
        assertThat(started.assetSerialNumber()).as("the zero-width space removed").isEqualTo("SN-42");
        var activity = ArgumentCaptor.forClass(com.clientele.shared.Activity.class);
        verify(repository).insert(eq(TENANT), eq(started), activity.capture(), eq(null));
        assertThat(activity.getValue().kind()).isEqualTo(com.clientele.shared.Activity.Kind.SUBSCRIPTION_STARTED);
        assertThat(activity.getValue().summary()).isEqualTo("Subscription started: 2 × 89.00 USD every month");
    }

    @Test
    void withoutADefaultShippingAddressTheBillingOneShipsAndWithoutEitherNone() {
        given(customer().addresses(List.of(new Address("billing", "1 Main St", null, "Springfield", null, null, "US", false))).build());
        assertThat(service.start(command(null, null, null, null, null)).shippingAddress().line1()).isEqualTo("1 Main St");
        given(customer().addresses(List.of()).build());
        assertThat(service.start(command(null, null, null, null, null)).shippingAddress()).isNull();
    }

    @Test
    void aStartWithTheIdOfOneThatExistsReturnsItAndWritesNothing() {
        var existing = Subscription.builder().id(SUB).customerId(CUSTOMER).build();
        when(repository.find(TENANT, CUSTOMER, SUB)).thenReturn(Optional.of(existing));
        var again = new StartCommand(TENANT, CUSTOMER, "price_gone", 1, null, null, null, null, null, "ord_1", SUB);
        assertThat(service.start(again)).isSameAs(existing);
        verify(repository, never()).insert(anyString(), any(), any(), any());
    }

    @Test
    void aStartThatLosesARaceForItsIdReturnsTheOneThatWon() {
        given(customer().build());
        var won = Subscription.builder().id(SUB).customerId(CUSTOMER).build();
        when(repository.find(TENANT, CUSTOMER, SUB)).thenReturn(Optional.empty(), Optional.of(won));
        doThrow(SubscriptionRepository.Stale.class).when(repository).insert(eq(TENANT), any(), any(), any());
        var command = new StartCommand(TENANT, CUSTOMER, price.id(), 1, null, null, null, null, null, "ord_1", SUB);
        assertThat(service.start(command)).isSameAs(won);
    }

    @Test
    void badInputIsRefusedNamingEachField() {
        given(customer().build());
        assertThat(errors(() -> service.start(command(0, "by_pigeon", "card_1", null, "SN 1")), 400)).extracting(FieldError::field)
                .containsExactly("quantity", "collection", "assetSerialNumber", "paymentMethodId");
        assertThat(errors(() -> service.start(command(10_001, null, null, null, null)), 400))
                .containsExactly(new FieldError("quantity", "must be from 1 to 10000"));
        assertThat(errors(() -> service.start(command(1, null, null, null, "SN-\uD800")), 400)).extracting(FieldError::field)
                .containsExactly("assetSerialNumber");
        assertThat(errors(() -> service.start(command(1, null, null, new Address(null, null, null, "X", null, null, "ZZ", null), null)),
                400)).extracting(FieldError::field).containsExactly("shippingAddress.country", "shippingAddress.line1");
    }

    @Test
    void aPriceThatCannotBeSubscribedToIsRefusedNamingPriceId() {
        given(customer().build());
        when(catalogue.forSale(TENANT, "price_01KB2C6F8H0K2M4N6P8R0S2T4V"))
                .thenThrow(ApiException.notFound("Price price_01KB2C6F8H0K2M4N6P8R0S2T4V"))
                .thenThrow(new ApiException(409, "price_archived", "Archived", "Price price_01KB2C6F8H0K2M4N6P8R0S2T4V is archived"));
        assertThat(errors(() -> service.start(command(1, null, null, null, null)), 404)).extracting(FieldError::field).containsExactly("priceId");
        assertThat(errors(() -> service.start(command(1, null, null, null, null)), 409)).extracting(FieldError::field).containsExactly("priceId");

        var once = new Price(price.id(), price.productId(), null, "USD", 500, Price.Type.ONE_TIME, null, null, null, null, Map.of(), true,
                price.createdAt(), price.createdAt(), 1);
        doReturn(new CatalogueService.Sale(null, null, once)).when(catalogue).forSale(TENANT, price.id());
        assertThat(errors(() -> service.start(command(1, null, null, null, null)), 400)).singleElement()
                .isEqualTo(new FieldError("priceId", "is a one-time price: a subscription needs a recurring price"));

        doReturn(new CatalogueService.Sale(null, null, price)).when(catalogue).forSale(TENANT, price.id());
        when(customers.find(TENANT, CUSTOMER)).thenReturn(Optional.of(customer().currency("EUR").build()));
        assertThat(errors(() -> service.start(command(1, null, null, null, null)), 400)).singleElement()
                .extracting(FieldError::message).asString().startsWith("is in USD, but the customer pays in EUR");
        verify(repository, never()).insert(anyString(), any(), any(), any());
    }

    @Test
    void automaticCollectionNeedsTheCustomersSavedCard() {
        given(customer().defaultPaymentMethodId(null).build());
        assertThat(errors(() -> service.start(command(1, null, null, null, null)), 400)).singleElement()
                .extracting(FieldError::field).isEqualTo("paymentMethodId");
        assertThat(service.start(command(1, "send_invoice", null, null, null)).paymentMethodId()).as("an invoice needs no card").isNull();
        String another = "pm_01KB2CFQ7S9V1W3X5Y7Z9A1B3C";
        when(payments.paymentMethod(TENANT, CUSTOMER, another)).thenReturn(Optional.empty());
        assertThat(errors(() -> service.start(command(1, null, another, null, null)), 400)).singleElement()
                .isEqualTo(new FieldError("paymentMethodId", "is not a saved card of this customer"));
    }

    @Test
    void anUnknownCustomerIs404() {
        when(customers.find(TENANT, CUSTOMER)).thenReturn(Optional.empty());
        assertThatThrownBy(() -> service.start(command(1, null, null, null, null))).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).status()).isEqualTo(404);
        assertThatThrownBy(() -> service.subscription(TENANT, "sub_nope")).isInstanceOf(ApiException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void aChangeWhereItDoesNotApplyIs409NamingTheStateAndWritesNothing() {
        var canceled = SubscriptionTest.monthly12().canceled(false, SubscriptionTest.NOW);
        when(repository.find(TENANT, SUB)).thenReturn(Optional.of(canceled));
        var refused = org.assertj.core.api.Assertions.catchThrowableOfType(ApiException.class, () -> service.pause(TENANT, SUB));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("invalid_state");
        assertThat(refused.problem(null)).containsEntry("subscriptionStatus", "canceled").containsEntry("status", 409);
        verify(repository, never()).update(anyString(), any(), any(), any(), any());
    }

    @Test
    void aChangeThatLosesARaceIsMadeAgainOnWhatWon() {
        var first = SubscriptionTest.monthly12();
        var renewed = first.renewedFor(1, SubscriptionTest.NOW);
        when(repository.find(TENANT, SUB)).thenReturn(Optional.of(first), Optional.of(renewed));
        doThrow(SubscriptionRepository.Stale.class).when(repository).update(eq(TENANT), eq(first), any(), any(), any());
        var paused = service.pause(TENANT, SUB);
        assertThat(paused.status()).isEqualTo(SubscriptionStatus.PAUSED);
        assertThat(paused.periodsBilled()).as("paused as renewed").isEqualTo(1);
        verify(repository).update(eq(TENANT), eq(renewed), eq(paused), any(), eq(null));
    }

    @Test
    void aChangeOfPriceMustKeepTheProductCurrencyAndPeriod() {
        var s = SubscriptionTest.monthly12();
        when(repository.find(TENANT, SUB)).thenReturn(Optional.of(s));
        when(catalogue.forSale(TENANT, "price_yearly")).thenReturn(new CatalogueService.Sale(null, null,
                SubscriptionTest.price(99900, Price.Interval.YEAR, 1, null, null)));
        assertThat(errors(() -> service.change(TENANT, SUB, new SubscriptionService.ChangeInput(null, "price_yearly")), 400))
                .singleElement().extracting(FieldError::field).isEqualTo("priceId");
        assertThat(errors(() -> service.change(TENANT, SUB, new SubscriptionService.ChangeInput(0, null)), 400))
                .containsExactly(new FieldError("quantity", "must be from 1 to 10000"));
        when(catalogue.forSubscription(TENANT, s.priceId())).thenReturn(SubscriptionTest.price(8900, Price.Interval.MONTH, 1, 12, 80000L));
        var changed = service.change(TENANT, SUB, new SubscriptionService.ChangeInput(3, null));
        assertThat(changed.pendingChange().quantity()).isEqualTo(3);
        assertThat(changed.pendingChange().amount()).isEqualTo(new Money(26700, "USD"));
    }
}
