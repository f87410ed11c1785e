package com.clientele.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.clientele.catalogue.CatalogueService.NewPrice;
import com.clientele.catalogue.CatalogueService.NewProduct;
import com.clientele.catalogue.CatalogueService.NewVariant;
import com.clientele.catalogue.CatalogueService.PriceInput;
import com.clientele.catalogue.CatalogueService.RecurringInput;
import com.clientele.catalogue.Product.ProductInput;
import com.clientele.catalogue.Variant.VariantInput;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.Money;
import com.clientele.shared.TransactPut;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CatalogueServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final String TENANT = "acme";
    private final CatalogueRepository repository = mock(CatalogueRepository.class);
    private final CatalogueService service = new CatalogueService(repository, new Cursors("secret"), Clock.fixed(NOW, ZoneOffset.UTC));

    /** A key that is always free: the id it hands out is a new one. */
    private static <R> IdempotentWrite<R> key() {
        return new IdempotentWrite<>() {
            @Override
            public Claimed claim(Supplier<String> newResourceId) {
                return new Claimed(newResourceId.get(), false);
            }

            @Override
            public void started() {
            }

            @Override
            public TransactPut completion(R result, String customerId) {
                return new TransactPut(null, null);
            }

            @Override
            public RuntimeException finishedEarlier() {
                return new IllegalStateException("finished earlier");
            }
        };
    }

    private Product product(boolean active, int variants, int prices) {
        var product = new Product(Ids.next(Ids.PRODUCT), "Flex laptop", null, Map.of(), active, variants, prices, NOW, NOW, 3);
        when(repository.product(TENANT, product.id())).thenReturn(Optional.of(product));
        return product;
    }

    private Variant variant(Product product, boolean active) {
        var variant = new Variant(Ids.next(Ids.VARIANT), product.id(), "16 GB", "FLEX-16", Map.of(), active, NOW, NOW, 1);
        when(repository.variant(TENANT, product.id(), variant.id())).thenReturn(Optional.of(variant));
        return variant;
    }

    private static PriceInput monthly(String productId, long amount, int count) {
        return new PriceInput(productId, null, "USD", amount, "recurring", new RecurringInput("month", count, 12), 30_000L, null, null);
    }

    private static List<String> fields(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(400);
            return e.errors().stream().map(FieldError::field).toList();
        }
        throw new AssertionError("no 400");
    }

    private static int status(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e.status();
        }
        return 200;
    }

    @Test
    void theMonthlyAmountIsThePeriodsAmountPerMonthRoundedHalfEven() {
        assertThat(Price.monthly(8900, new Price.Recurring(Price.Interval.MONTH, 1, null))).isEqualTo(8900);
        assertThat(Price.monthly(106_800, new Price.Recurring(Price.Interval.YEAR, 1, 12))).isEqualTo(8900);
        // 1000 / 12 = 83.33 → 83; 1002 / 12 = 83.5 → 84 (even); 990 / 12 = 82.5 → 82 (even)
        assertThat(Price.monthly(1000, new Price.Recurring(Price.Interval.YEAR, 1, null))).isEqualTo(83);
        assertThat(Price.monthly(1002, new Price.Recurring(Price.Interval.YEAR, 1, null))).isEqualTo(84);
        assertThat(Price.monthly(990, new Price.Recurring(Price.Interval.YEAR, 1, null))).isEqualTo(82);
        assertThat(Price.monthly(30_000, new Price.Recurring(Price.Interval.MONTH, 3, null))).isEqualTo(10_000);
        assertThat(Price.monthly(72_000, new Price.Recurring(Price.Interval.YEAR, 3, null))).isEqualTo(2_000);
        assertThat(Price.monthly(0, new Price.Recurring(Price.Interval.MONTH, 1, null))).isZero();
        assertThat(Price.monthly(8900, null)).isNull();
    }

    @Test
    void aRecurringPriceIsStoredWithItsProductOnePriceMoreAndItsMonthlyAmount() {
        var product = product(true, 0, 1);
        var price = service.createPrice(new NewPrice(TENANT, monthly(product.id(), 26_700, 3)), key());
        assertThat(price.id()).startsWith(Ids.PRICE);
        assertThat(price.type()).isEqualTo(Price.Type.RECURRING);
        assertThat(price.recurring()).isEqualTo(new Price.Recurring(Price.Interval.MONTH, 3, 12));
        assertThat(price.monthly()).isEqualTo(new Money(8900, "USD"));
        assertThat(price.assetCost()).isEqualTo(30_000);
        assertThat(price.active()).isTrue();
        verify(repository).insert(eq(TENANT), eq(product), eq(product.withPriceAdded(NOW)), eq(price), any(TransactPut.class));
        assertThat(Json.MAPPER.valueToTree(price).path("recurring").path("interval").asText()).isEqualTo("month");
        assertThat(Json.MAPPER.valueToTree(price).path("type").asText()).isEqualTo("recurring");
    }

    @Test
    void badPricesAreRefusedNamingEachField() {
        var product = product(true, 0, 0);
        String id = product.id();
        assertThat(fields(() -> service.createPrice(new NewPrice(TENANT, new PriceInput(id, null, "XYZ", -1L, "sometimes", null, -5L,
                null, null)), key()))).containsExactlyInAnyOrder("currency", "unitAmount", "assetCost", "type");
        assertThat(fields(() -> service.createPrice(new NewPrice(TENANT, monthly(id, 10_000_000_000L, 1)), key())))
                .containsExactly("unitAmount");
        assertThat(fields(() -> service.createPrice(new NewPrice(TENANT, monthly(id, 100, 13)), key())))
                .containsExactly("recurring.intervalCount");
        assertThat(fields(() -> service.createPrice(new NewPrice(TENANT, new PriceInput(id, null, "USD", 100L, "recurring",
                new RecurringInput("year", 4, 0), null, null, null)), key())))
                .containsExactlyInAnyOrder("recurring.intervalCount", "recurring.contractMonths");
        assertThat(fields(() -> service.createPrice(new NewPrice(TENANT, new PriceInput(id, null, "USD", 100L, "recurring",
                new RecurringInput("week", 1, 121), null, null, null)), key())))
                .containsExactlyInAnyOrder("recurring.interval", "recurring.contractMonths");
        assertThat(fields(() -> service.createPrice(new NewPrice(TENANT, new PriceInput(id, null, "USD", 100L, "recurring",
                null, null, null, null)), key()))).containsExactly("recurring");
        assertThat(fields(() -> service.createPrice(new NewPrice(TENANT, new PriceInput(id, null, "USD", 100L, "one_time",
                new RecurringInput("month", 1, null), null, null, null)), key()))).containsExactly("recurring");
        assertThat(fields(() -> service.createPrice(new NewPrice(TENANT, new PriceInput(null, null, "USD", null, null,
                null, null, null, null)), key()))).containsExactlyInAnyOrder("productId", "unitAmount", "type");
        verify(repository, never()).insert(any(), any(Product.class), any(Product.class), any(Price.class), any());
    }

    @Test
    void freeAndUpperBoundAmountsAreFine() {
        var product = product(true, 0, 0);
        var free = service.createPrice(new NewPrice(TENANT, monthly(product.id(), 0, 1)), key());
        assertThat(free.monthlyAmount()).isZero();
        var dear = service.createPrice(new NewPrice(TENANT, new PriceInput(product.id(), null, "JPY", CatalogueService.MAX_AMOUNT,
                "one_time", null, null, "Buyout", null)), key());
        assertThat(dear.monthlyAmount()).isNull();
        assertThat(dear.unit()).isEqualTo(new Money(CatalogueService.MAX_AMOUNT, "JPY"));
    }

    @Test
    void unknownProductsAndVariantsAre404AndArchivedOnesTakeNoNewPrices() {
        assertThat(status(() -> service.createPrice(new NewPrice(TENANT, monthly(Ids.next(Ids.PRODUCT), 100, 1)), key()))).isEqualTo(404);
        assertThat(status(() -> service.createPrice(new NewPrice(TENANT, monthly("cus_not-a-product", 100, 1)), key()))).isEqualTo(404);
        var product = product(true, 0, 0);
        assertThat(status(() -> service.createPrice(new NewPrice(TENANT, new PriceInput(product.id(), Ids.next(Ids.VARIANT), "USD", 100L,
                "one_time", null, null, null, null)), key()))).isEqualTo(404);
        var archived = product(false, 0, 0);
        var refused = (ApiException) org.assertj.core.api.Assertions.catchThrowable(() ->
                service.createPrice(new NewPrice(TENANT, monthly(archived.id(), 100, 1)), key()));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("product_archived");
    }

    @Test
    void aSaleNeedsAnActivePriceProductAndVariantWhileASubscriptionTakesAnArchivedPrice() {
        var product = product(true, 1, 1);
        var variant = variant(product, true);
        var price = new Price(Ids.next(Ids.PRICE), product.id(), variant.id(), "USD", 8900, Price.Type.RECURRING,
                new Price.Recurring(Price.Interval.MONTH, 1, 12), 8900L, null, null, Map.of(), true, NOW, NOW, 1);
        when(repository.price(TENANT, price.id())).thenReturn(Optional.of(price));
        assertThat(service.forSale(TENANT, price.id())).isEqualTo(new CatalogueService.Sale(product, variant, price));

        var archived = price.withActive(false, NOW);
        when(repository.price(TENANT, price.id())).thenReturn(Optional.of(archived));
        assertThatThrownBy(() -> service.forSale(TENANT, price.id())).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("price_archived"));
        assertThat(service.forSubscription(TENANT, price.id())).isEqualTo(archived);

        when(repository.price(TENANT, price.id())).thenReturn(Optional.of(price));
        when(repository.variant(TENANT, product.id(), variant.id())).thenReturn(Optional.of(variant.withActive(false, NOW)));
        assertThatThrownBy(() -> service.forSale(TENANT, price.id())).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("variant_archived"));

        assertThat(status(() -> service.forSubscription(TENANT, Ids.next(Ids.PRICE)))).isEqualTo(404);
        assertThat(status(() -> service.forSale("other", price.id()))).as("another tenant's price").isEqualTo(404);
    }

    @Test
    void aPricesTermsNeverChangeButItsNicknameAndMetadataDo() {
        var product = product(true, 0, 1);
        var price = new Price(Ids.next(Ids.PRICE), product.id(), null, "USD", 8900, Price.Type.ONE_TIME, null, null, null, "Old",
                Map.of("a", "1"), true, NOW, NOW, 2);
        when(repository.price(TENANT, price.id())).thenReturn(Optional.of(price));
        var sentBack = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.valueToTree(price);
        sentBack.put("nickname", "New");
        var changed = service.updatePrice(TENANT, price.id(), sentBack, "\"2\"");
        assertThat(changed.nickname()).isEqualTo("New");
        assertThat(changed.version()).isEqualTo(3);
        verify(repository).replace(TENANT, price, changed);

        var dearer = Json.MAPPER.createObjectNode().put("unitAmount", 9900);
        assertThat(fields(() -> service.updatePrice(TENANT, price.id(), dearer, "\"2\""))).containsExactly("unitAmount");
        var reactivated = Json.MAPPER.createObjectNode().put("active", false);
        assertThat(fields(() -> service.updatePrice(TENANT, price.id(), reactivated, "\"2\""))).containsExactly("active");
        assertThat(status(() -> service.updatePrice(TENANT, price.id(), Json.MAPPER.createObjectNode().put("nickname", "x"), null)))
                .isEqualTo(428);
        assertThat(status(() -> service.updatePrice(TENANT, price.id(), Json.MAPPER.createObjectNode().put("nickname", "x"), "\"1\"")))
                .isEqualTo(412);
    }

    @Test
    void aProductWithPricesIsNotDeletedAndOneWithoutGoesWithItsVariants() {
        var sold = product(true, 0, 1);
        assertThatThrownBy(() -> service.deleteProduct(TENANT, sold.id())).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("product_has_prices"));
        verify(repository, never()).delete(any(), any(), any());

        var unsold = product(true, 1, 0);
        var variant = variant(unsold, true);
        when(repository.allVariants(TENANT, unsold.id(), CatalogueService.MAX_VARIANTS)).thenReturn(List.of(variant));
        service.deleteProduct(TENANT, unsold.id());
        verify(repository).delete(TENANT, unsold, List.of(variant));
    }

    @Test
    void aConcurrentChangeIsReadAgainAndRetriedThenRefused() {
        var product = product(true, 0, 0);
        doThrow(new CatalogueRepository.Stale()).when(repository).replace(eq(TENANT), any(Product.class), any(Product.class));
        assertThatThrownBy(() -> service.setProductActive(TENANT, product.id(), false)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("catalogue_changed"));
        verify(repository, times(3)).replace(eq(TENANT), any(Product.class), any(Product.class));
        assertThat(service.setProductActive(TENANT, product.id(), true)).as("already active: nothing to write").isEqualTo(product);
    }

    @Test
    void aTakenSkuIs409NamingTheFieldAndABadVariantIs400() {
        var product = product(true, 0, 0);
        doThrow(new CatalogueRepository.SkuTaken()).when(repository)
                .insert(eq(TENANT), any(Product.class), any(Product.class), any(Variant.class), any());
        var taken = (ApiException) org.assertj.core.api.Assertions.catchThrowable(() -> service.createVariant(
                new NewVariant(TENANT, product.id(), new VariantInput("16 GB", "flex-16", Map.of("memory", "16 GB"))), key()));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.code()).isEqualTo("sku_taken");
        assertThat(taken.errors()).extracting(FieldError::field).containsExactly("sku");
        assertThat(fields(() -> service.createVariant(new NewVariant(TENANT, product.id(), new VariantInput(" ", "A B", null)), key())))
                .containsExactlyInAnyOrder("name", "sku");
        var full = product(true, CatalogueService.MAX_VARIANTS, 0);
        assertThat(status(() -> service.createVariant(new NewVariant(TENANT, full.id(), new VariantInput("One more", null, null)), key())))
                .isEqualTo(409);
    }

    @Test
    void textIsNormalisedAndInvisibleCharactersGo() {
        var created = service.createProduct(new NewProduct(TENANT, new ProductInput("  Flex\u200B laptop ", "Cafe\u0301", Map.of("k", "v"))),
                key());
        assertThat(created.name()).isEqualTo("Flex laptop");
        assertThat(created.description()).isEqualTo("Café");
        assertThat(fields(() -> service.createProduct(new NewProduct(TENANT, new ProductInput("Bad \uD800", null, null)), key())))
                .containsExactly("name");
        assertThat(CatalogueItems.sku("flex-16")).isEqualTo(CatalogueItems.sku("FLEX-16"));
    }

    @Test
    void aProductPatchSentBackAsReadChangesOnlyWhatChanged() {
        var product = product(true, 0, 0);
        var sentBack = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.valueToTree(product);
        assertThat(service.updateProduct(TENANT, product.id(), sentBack, product.etag())).as("unchanged").isEqualTo(product);
        sentBack.put("name", "Flex laptop 2");
        var updated = service.updateProduct(TENANT, product.id(), sentBack, product.etag());
        assertThat(updated.name()).isEqualTo("Flex laptop 2");
        assertThat(updated.priceCount()).isEqualTo(product.priceCount());
        verify(repository).replace(TENANT, product, updated);
        assertThat(fields(() -> service.updateProduct(TENANT, product.id(), Json.MAPPER.createObjectNode().put("priceCount", 9),
                product.etag()))).containsExactly("priceCount");
        assertThat(status(() -> service.products(TENANT, Map.of("active", "yes")))).isEqualTo(400);
        verify(repository, never()).products(any(), any(), anyInt(), any());
    }
}
