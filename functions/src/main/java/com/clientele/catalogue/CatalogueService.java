package com.clientele.catalogue;

import com.clientele.catalogue.CatalogueRepository.PriceFilter;
import com.clientele.catalogue.CatalogueRepository.SkuTaken;
import com.clientele.catalogue.CatalogueRepository.Stale;
import com.clientele.catalogue.Product.ProductInput;
import com.clientele.catalogue.Variant.VariantInput;
import com.clientele.customers.CustomerRules;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.Money;
import com.clientele.shared.Pages;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.http.Listing;
import com.clientele.shared.http.MergePatch;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The rules of a tenant's catalogue: products, their variants, and prices (one-off or recurring), as
 * Stripe has them. Products and variants are changed by merge patch under {@code If-Match}; a price's
 * amount, currency, type and period never change (a new price is made and the old one archived), only
 * its nickname, metadata and whether it is active. Archiving takes a product, variant or price out of
 * new sales ({@link #forSale}) and nothing else: what was sold at an archived price goes on
 * ({@link #forSubscription}). A product is deleted only while it has no prices (a price may have been
 * sold: for now, any price keeps its product), with its variants.
 */
public final class CatalogueService {

    static final int MAX_NAME = 200;
    static final int MAX_DESCRIPTION = 2_000;
    static final int MAX_SKU = 64;
    static final int MAX_NICKNAME = 200;
    /** A product's variants are deleted with it in one transaction (at most 100 items: the product, each variant and its SKU guard). */
    static final int MAX_VARIANTS = 40;
    /** 99,999,999.99 in a currency of two decimals. */
    static final long MAX_AMOUNT = 9_999_999_999L;
    static final int MAX_CONTRACT_MONTHS = 120;
    private static final int MAX_WRITE_ATTEMPTS = 3;
    private static final Set<String> PRODUCT_WRITABLE = Set.of("name", "description", "metadata");
    private static final Set<String> VARIANT_WRITABLE = Set.of("name", "sku", "attributes");
    private static final Set<String> PRICE_WRITABLE = Set.of("nickname", "metadata");
    private static final Set<String> PRICE_TERMS = Set.of("productId", "variantId", "currency", "unitAmount", "type", "recurring",
            "monthlyAmount", "assetCost");

    private final CatalogueRepository repository;
    private final Cursors cursors;
    private final Clock clock;

    public CatalogueService(CatalogueRepository repository, Cursors cursors, Clock clock) {
        this.repository = repository;
        this.cursors = cursors;
        this.clock = clock;
    }

    /** A product to create in {@code tenant}. */
    public record NewProduct(String tenant, ProductInput input) {
    }

    /** A variant to add to product {@code productId}. */
    public record NewVariant(String tenant, String productId, VariantInput input) {
    }

    /** A price to create in {@code tenant}. */
    public record NewPrice(String tenant, PriceInput input) {
    }

    /** The body of {@code POST /prices}. */
    public record PriceInput(String productId, String variantId, String currency, Long unitAmount, String type,
                             RecurringInput recurring, Long assetCost, String nickname, Map<String, String> metadata) {
    }

    /** The {@code recurring} of a price's body ({@code intervalCount} is 1 when left out). */
    public record RecurringInput(String interval, Integer intervalCount, Integer contractMonths) {
    }

    /** The body of a price's merge patch: what may change. */
    record PriceChange(String nickname, Map<String, String> metadata) {
    }

    /** What a new sale of a price sells: the price, its product and its variant (null for a price of the whole product). */
    public record Sale(Product product, Variant variant, Price price) {

        /** What of it is archived, so that it takes no new sale: {@code price}, {@code product} or {@code variant}; null when none is. */
        public String archived() {
            return !price.active() ? "price" : !product.active() ? "product" : variant != null && !variant.active() ? "variant" : null;
        }
    }

    // ---- products --------------------------------------------------------------------------------

    public Product createProduct(NewProduct command, IdempotentWrite<Product> key) {
        var valid = validate(command.input());
        var claimed = key.claim(() -> Ids.next(Ids.PRODUCT));
        var product = Product.create(claimed.resourceId(), valid, now());
        try {
            repository.insert(command.tenant(), product, key.completion(product, null));
        } catch (Stale e) {
            throw key.finishedEarlier();
        }
        return product;
    }

    public Product product(String tenant, String productId) {
        return (Ids.isValid(Ids.PRODUCT, productId) ? repository.product(tenant, productId) : java.util.Optional.<Product>empty())
                .orElseThrow(() -> ApiException.notFound("Product " + productId));
    }

    /** The tenant's products, newest first; {@code ?active=true|false} keeps only the active or the archived ones. */
    public Listing<Product> products(String tenant, Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, Set.of("active"), errors);
        Boolean active = bool(errors, "active", query.get("active"));
        failOn(errors);
        String scope = "products:" + active;
        var slice = repository.products(tenant, active, paging.limit(), cursors.after(tenant, scope, paging));
        return page(tenant, scope, slice, CatalogueRepository::product);
    }

    /** Applies a merge patch to the product's name, description and metadata, if {@code ifMatch} is its ETag. */
    public Product updateProduct(String tenant, String productId, JsonNode patch, String ifMatch) {
        var current = product(tenant, productId);
        var changes = writable(current, patch, PRODUCT_WRITABLE, Set.of());
        precondition(ifMatch, current.etag(), "product");
        var valid = validate(Bodies.convert(MergePatch.apply(Json.MAPPER.valueToTree(current.input()), changes), ProductInput.class));
        if (valid.equals(current.input())) {
            return current;
        }
        var updated = current.edited(valid, now());
        ifUnchanged("product", () -> repository.replace(tenant, current, updated));
        return updated;
    }

    /** Takes the product out of new sales ({@code active} false), or back in. */
    public Product setProductActive(String tenant, String productId, boolean active) {
        return activated(active, () -> product(tenant, productId), Product::active, p -> p.withActive(active, now()),
                (before, after) -> repository.replace(tenant, before, after));
    }

    /** Deletes a product that has no prices, with its variants; one with prices is archived instead (409). */
    public void deleteProduct(String tenant, String productId) {
        retried(() -> {
            var current = product(tenant, productId);
            if (current.priceCount() > 0) {
                throw new ApiException(409, "product_has_prices", "Product has prices",
                        "Product " + productId + " has prices, which may have been sold: archive it instead");
            }
            repository.delete(tenant, current, repository.allVariants(tenant, productId, MAX_VARIANTS));
            return current;
        });
    }

    // ---- variants --------------------------------------------------------------------------------

    public Variant createVariant(NewVariant command, IdempotentWrite<Variant> key) {
        String tenant = command.tenant();
        var valid = validate(command.input());
        sellable(product(tenant, command.productId()));
        var claimed = key.claim(() -> Ids.next(Ids.VARIANT));
        return retried(() -> {
            var product = sellable(product(tenant, command.productId()));
            if (product.variantCount() >= MAX_VARIANTS) {
                throw new ApiException(409, "too_many_variants", "Too many variants",
                        "A product has at most " + MAX_VARIANTS + " variants; archive the ones no longer sold or add a product");
            }
            Instant now = now();
            var variant = Variant.create(claimed.resourceId(), product.id(), valid, now);
            try {
                repository.insert(tenant, product, product.withVariantAdded(now), variant, key.completion(variant, null));
            } catch (SkuTaken e) {
                throw skuTaken();
            }
            return variant;
        });
    }

    public Variant variant(String tenant, String productId, String variantId) {
        product(tenant, productId);
        return (Ids.isValid(Ids.VARIANT, variantId) ? repository.variant(tenant, productId, variantId) : java.util.Optional.<Variant>empty())
                .orElseThrow(() -> ApiException.notFound("Variant " + variantId + " of product " + productId));
    }

    /** A product's variants, in the order they were made. */
    public Listing<Variant> variants(String tenant, String productId, Map<String, String> query) {
        var paging = ListParams.of(query);
        product(tenant, productId);
        String scope = "variants:" + productId;
        var slice = repository.variants(tenant, productId, paging.limit(), cursors.after(tenant, scope, paging));
        return page(tenant, scope, slice, CatalogueRepository::variant);
    }

    /** Applies a merge patch to the variant's name, SKU and attributes, if {@code ifMatch} is its ETag. */
    public Variant updateVariant(String tenant, String productId, String variantId, JsonNode patch, String ifMatch) {
        var current = variant(tenant, productId, variantId);
        var changes = writable(current, patch, VARIANT_WRITABLE, Set.of());
        precondition(ifMatch, current.etag(), "variant");
        var valid = validate(Bodies.convert(MergePatch.apply(Json.MAPPER.valueToTree(current.input()), changes), VariantInput.class));
        if (valid.equals(current.input())) {
            return current;
        }
        var updated = current.edited(valid, now());
        try {
            ifUnchanged("variant", () -> repository.replace(tenant, current, updated));
        } catch (SkuTaken e) {
            throw skuTaken();
        }
        return updated;
    }

    public Variant setVariantActive(String tenant, String productId, String variantId, boolean active) {
        return activated(active, () -> variant(tenant, productId, variantId), Variant::active, v -> v.withActive(active, now()),
                (before, after) -> repository.replace(tenant, before, after));
    }

    // ---- prices ----------------------------------------------------------------------------------

    public Price createPrice(NewPrice command, IdempotentWrite<Price> key) {
        String tenant = command.tenant();
        var valid = validate(command.input());
        sellable(product(tenant, valid.productId()));
        if (valid.variantId() != null) {
            variant(tenant, valid.productId(), valid.variantId());
        }
        var claimed = key.claim(() -> Ids.next(Ids.PRICE));
        return retried(() -> {
            var product = sellable(product(tenant, valid.productId()));
            Instant now = now();
            var price = Price.create(claimed.resourceId(), valid, now);
            repository.insert(tenant, product, product.withPriceAdded(now), price, key.completion(price, null));
            return price;
        });
    }

    public Price price(String tenant, String priceId) {
        return (Ids.isValid(Ids.PRICE, priceId) ? repository.price(tenant, priceId) : java.util.Optional.<Price>empty())
                .orElseThrow(() -> ApiException.notFound("Price " + priceId));
    }

    /** The tenant's prices, newest first, narrowed by {@code productId}, {@code active} and {@code type}. */
    public Listing<Price> prices(String tenant, Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, Set.of("productId", "active", "type"), errors);
        Boolean active = bool(errors, "active", query.get("active"));
        Price.Type type = null;
        if (query.get("type") != null) {
            type = enumOf(errors, "type", query.get("type"), Price.Type::of, "one_time or recurring");
        }
        String productId = ListParams.blank(query.get("productId"));
        failOn(errors);
        var filter = new PriceFilter(productId, active, type);
        String scope = "prices:" + productId + ":" + active + ":" + type;
        var slice = repository.prices(tenant, filter, paging.limit(), cursors.after(tenant, scope, paging));
        return page(tenant, scope, slice, CatalogueRepository::price);
    }

    /** Applies a merge patch to the price's nickname and metadata (its terms never change), if {@code ifMatch} is its ETag. */
    public Price updatePrice(String tenant, String priceId, JsonNode patch, String ifMatch) {
        var current = price(tenant, priceId);
        var changes = writable(current, patch, PRICE_WRITABLE, PRICE_TERMS);
        precondition(ifMatch, current.etag(), "price");
        var before = new PriceChange(current.nickname(), current.metadata());
        var change = Bodies.convert(MergePatch.apply(Json.MAPPER.valueToTree(before), changes), PriceChange.class);
        var errors = new ArrayList<FieldError>();
        String nickname = CustomerRules.line(errors, "nickname", change.nickname(), MAX_NICKNAME, false);
        var metadata = CustomerRules.metadata(errors, "metadata", change.metadata());
        failOn(errors);
        if (new PriceChange(nickname, metadata).equals(before)) {
            return current;
        }
        var updated = current.edited(nickname, metadata, now());
        ifUnchanged("price", () -> repository.replace(tenant, current, updated));
        return updated;
    }

    /** Takes the price out of new sales (what was sold at it goes on), or back in. */
    public Price setPriceActive(String tenant, String priceId, boolean active) {
        return activated(active, () -> price(tenant, priceId), Price::active, p -> p.withActive(active, now()),
                (before, after) -> repository.replace(tenant, before, after));
    }

    // ---- what orders and subscriptions use --------------------------------------------------------

    /**
     * A price as a new sale may use it: it exists in the tenant (404), and it, its product and its
     * variant are active (409 {@code price_archived}, {@code product_archived}, {@code variant_archived}).
     */
    public Sale forSale(String tenant, String priceId) {
        var price = price(tenant, priceId);
        if (!price.active()) {
            throw archived("price", "Price " + priceId);
        }
        var product = sellable(product(tenant, price.productId()));
        Variant variant = null;
        if (price.variantId() != null) {
            variant = variant(tenant, price.productId(), price.variantId());
            if (!variant.active()) {
                throw archived("variant", "Variant " + variant.id());
            }
        }
        return new Sale(product, variant, price);
    }

    /**
     * The prices with these ids that exist in the tenant, each with its product and variant, archived or
     * not ({@link Sale#archived} says): an order's lines in two batch reads, whatever their number.
     */
    public Map<String, Sale> sales(String tenant, java.util.Collection<String> priceIds) {
        var valid = priceIds.stream().filter(id -> Ids.isValid(Ids.PRICE, id)).distinct().toList();
        var sales = new java.util.HashMap<String, Sale>();
        repository.sales(tenant, valid).forEach(sale -> sales.put(sale.price().id(), sale));
        return sales;
    }

    /** Up to {@code max} active prices of the variant {@code variantId} (an order's line that names a variant and no price). */
    public List<Price> activePrices(String tenant, String variantId, int max) {
        return Ids.isValid(Ids.VARIANT, variantId) ? repository.activePrices(tenant, variantId, max) : List.of();
    }

    /** A price as an existing subscription bills it: it exists in the tenant (404); archived or not. */
    public Price forSubscription(String tenant, String priceId) {
        return price(tenant, priceId);
    }

    // ---- rules -----------------------------------------------------------------------------------

    static ProductInput validate(ProductInput in) {
        var errors = new ArrayList<FieldError>();
        var valid = new ProductInput(CustomerRules.line(errors, "name", in.name(), MAX_NAME, true),
                CustomerRules.text(errors, "description", in.description(), MAX_DESCRIPTION, false),
                CustomerRules.metadata(errors, "metadata", in.metadata()));
        failOn(errors);
        return valid;
    }

    static VariantInput validate(VariantInput in) {
        var errors = new ArrayList<FieldError>();
        String sku = CustomerRules.line(errors, "sku", in.sku(), MAX_SKU, false);
        if (sku != null && sku.chars().anyMatch(Character::isWhitespace)) {
            errors.add(new FieldError("sku", "must not contain spaces"));
        }
        var valid = new VariantInput(CustomerRules.line(errors, "name", in.name(), MAX_NAME, true), sku,
                CustomerRules.metadata(errors, "attributes", in.attributes()));
        failOn(errors);
        return valid;
    }

    static Price.Valid validate(PriceInput in) {
        var errors = new ArrayList<FieldError>();
        String productId = in.productId();
        if (productId == null || productId.isBlank()) {
            errors.add(new FieldError("productId", "is required"));
        }
        String variantId = ListParams.blank(in.variantId());
        if (!Money.isCurrency(in.currency())) {
            errors.add(new FieldError("currency", "must be an ISO 4217 code such as USD"));
        }
        long unitAmount = amount(errors, "unitAmount", in.unitAmount(), true);
        Long assetCost = in.assetCost() == null ? null : amount(errors, "assetCost", in.assetCost(), false);
        Price.Type type = in.type() == null ? null : enumOf(errors, "type", in.type(), Price.Type::of, "one_time or recurring");
        if (in.type() == null) {
            errors.add(new FieldError("type", "is required: one_time or recurring"));
        }
        Price.Recurring recurring = null;
        if (type == Price.Type.RECURRING) {
            recurring = recurring(errors, in.recurring());
        } else if (type == Price.Type.ONE_TIME && in.recurring() != null) {
            errors.add(new FieldError("recurring", "is only for a recurring price"));
        }
        String nickname = CustomerRules.line(errors, "nickname", in.nickname(), MAX_NICKNAME, false);
        var metadata = CustomerRules.metadata(errors, "metadata", in.metadata());
        failOn(errors);
        return new Price.Valid(productId, variantId, in.currency(), unitAmount, type, recurring, assetCost, nickname, metadata);
    }

    private static Price.Recurring recurring(List<FieldError> errors, RecurringInput in) {
        if (in == null) {
            errors.add(new FieldError("recurring", "is required for a recurring price: {\"interval\": \"month\"}"));
            return null;
        }
        Price.Interval interval = null;
        if (in.interval() == null) {
            errors.add(new FieldError("recurring.interval", "is required: month or year"));
        } else {
            interval = enumOf(errors, "recurring.interval", in.interval(), Price.Interval::of, "month or year");
        }
        int count = in.intervalCount() == null ? 1 : in.intervalCount();
        if (interval != null && (count < 1 || count > interval.maxCount())) {
            errors.add(new FieldError("recurring.intervalCount", "must be from 1 to " + interval.maxCount() + " for " + interval.value()));
        }
        Integer contract = in.contractMonths();
        if (contract != null && (contract < 1 || contract > MAX_CONTRACT_MONTHS)) {
            errors.add(new FieldError("recurring.contractMonths", "must be from 1 to " + MAX_CONTRACT_MONTHS));
        }
        return interval == null ? null : new Price.Recurring(interval, count, contract);
    }

    private static long amount(List<FieldError> errors, String field, Long raw, boolean required) {
        if (raw == null) {
            if (required) {
                errors.add(new FieldError(field, "is required: an integer of minor units (cents)"));
            }
            return 0;
        }
        if (raw < 0 || raw > MAX_AMOUNT) {
            errors.add(new FieldError(field, "must be from 0 to " + MAX_AMOUNT + " minor units"));
        }
        return raw;
    }

    private static <E> E enumOf(List<FieldError> errors, String field, String raw, Function<String, E> parse, String allowed) {
        try {
            return parse.apply(raw);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "must be " + allowed));
            return null;
        }
    }

    private static Boolean bool(List<FieldError> errors, String field, String raw) {
        if (raw == null) {
            return null;
        }
        if (raw.equals("true") || raw.equals("false")) {
            return Boolean.valueOf(raw);
        }
        errors.add(new FieldError(field, "must be true or false"));
        return null;
    }

    /**
     * The members of a merge patch that change something: the {@code writable} ones. Any other member
     * the resource shows (what a GET returned, sent back) must hold its current value: a change to one
     * of {@code terms} is refused as a price's terms are, any other as read-only.
     */
    private static JsonNode writable(Object current, JsonNode patch, Set<String> writable, Set<String> terms) {
        var shown = (ObjectNode) Json.MAPPER.valueToTree(current);
        var changes = Json.MAPPER.createObjectNode();
        var errors = new ArrayList<FieldError>();
        patch.properties().forEach(member -> {
            String name = member.getKey();
            if (writable.contains(name) || !shown.has(name)) {
                changes.set(name, member.getValue());
            } else if (!shown.get(name).equals(SAME_VALUE, member.getValue())) {
                errors.add(new FieldError(name, terms.contains(name)
                        ? "never changes: create a new price and archive this one" : "is read-only"));
            }
        });
        failOn(errors);
        return changes;
    }

    /** Numbers compare by value ({@code 1} and {@code 1.0}, an int and a long), the rest as JSON. */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private static void precondition(String ifMatch, String etag, String what) {
        if (ifMatch == null) {
            throw new ApiException(428, "precondition_required", "Precondition required",
                    "Send If-Match with the ETag of the " + what + " you are changing");
        }
        if (!MergePatch.matches(ifMatch, etag)) {
            throw stale(what);
        }
    }

    /** Runs {@code write}, a change under {@code If-Match}: 412 if the {@code what} changed since it was read. */
    private static void ifUnchanged(String what, Runnable write) {
        try {
            write.run();
        } catch (Stale e) {
            throw stale(what);
        }
    }

    private static ApiException stale(String what) {
        return new ApiException(412, "precondition_failed", "Precondition failed",
                "The " + what + " changed since you read it; read it again and reapply your change");
    }

    private static Product sellable(Product product) {
        if (!product.active()) {
            throw archived("product", "Product " + product.id());
        }
        return product;
    }

    private static ApiException archived(String kind, String what) {
        return new ApiException(409, kind + "_archived", "Archived", what + " is archived: it takes no new sales");
    }

    private static ApiException skuTaken() {
        return new ApiException(409, "sku_taken", "SKU already in use", "Another variant of this account has this SKU",
                List.of(new FieldError("sku", "is already in use")), Map.of(), Map.of());
    }

    /** Archives ({@code active} false) or unarchives what {@code read} reads, unless it is so already: read, changed, written, retried. */
    private static <T> T activated(boolean active, Supplier<T> read, Predicate<T> isActive, UnaryOperator<T> changed,
                                   BiConsumer<T, T> write) {
        return retried(() -> {
            var current = read.get();
            if (isActive.test(current) == active) {
                return current;
            }
            var updated = changed.apply(current);
            write.accept(current, updated);
            return updated;
        });
    }

    /** Runs a read-then-write until it commits; after {@value #MAX_WRITE_ATTEMPTS} conflicts, 409. */
    private static <T> T retried(Supplier<T> attempt) {
        for (int i = 0; i < MAX_WRITE_ATTEMPTS; i++) {
            try {
                return attempt.get();
            } catch (Stale e) {
                // read again
            }
        }
        throw new ApiException(409, "catalogue_changed", "Catalogue changed",
                "The catalogue kept changing while this request ran; retry");
    }

    private <T> Listing<T> page(String tenant, String scope, Pages.Slice slice,
                                Function<software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument, T> read) {
        return new Listing<>(slice.items().stream().map(read).toList(), cursors.next(tenant, scope, slice));
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
