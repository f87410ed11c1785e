package com.clientele.catalogue;

import com.clientele.shared.Items;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.TransactPut;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.ReadBatch;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The catalogue's items in the tenant's catalogue partition ({@link CatalogueItems}): every change a
 * transaction whose puts are conditioned on the version read (or on the item being new), so a
 * concurrent change fails it ({@link Stale}) instead of being overwritten. A new variant or price
 * rewrites its product (its counts, one version later) in the same transaction, so a product is never
 * deleted under a variant or a price being added to it.
 */
public final class CatalogueRepository {

    private static final Set<String> ITEM_ONLY = Set.of("entity");
    private static final Expression IS_NEW = Expression.builder().expression("attribute_not_exists(PK)").build();
    private static final Expression EXISTS = Expression.builder().expression("attribute_exists(PK)").build();

    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EnhancedDocument> table;

    public CatalogueRepository(DynamoDbEnhancedClient client, String tableName) {
        this.client = client;
        this.table = client.table(tableName, Table.SCHEMA);
    }

    /** The item changed (or went) since it was read, or the item another one depends on did. */
    static final class Stale extends RuntimeException {
        Stale() {
            super(null, null, false, false);
        }
    }

    /** Another variant of the tenant holds the SKU. */
    static final class SkuTaken extends RuntimeException {
        SkuTaken() {
            super(null, null, false, false);
        }
    }

    Optional<Product> product(String tenant, String productId) {
        return find(tenant, CatalogueItems.product(productId)).map(item -> Items.read(item, Product.class, ITEM_ONLY));
    }

    Optional<Variant> variant(String tenant, String productId, String variantId) {
        return find(tenant, CatalogueItems.variant(productId, variantId)).map(CatalogueRepository::variant);
    }

    Optional<Price> price(String tenant, String priceId) {
        return find(tenant, CatalogueItems.price(priceId)).map(CatalogueRepository::price);
    }

    private Optional<EnhancedDocument> find(String tenant, String sortKey) {
        return Optional.ofNullable(table.getItem(r -> r.key(key(tenant, sortKey)).consistentRead(true)));
    }

    /**
     * The prices with these ids, and the products and variants they are of: two batch reads (of up to
     * 100 keys each, repeated for more), consistent. Prices that do not exist are left out.
     */
    List<CatalogueService.Sale> sales(String tenant, Collection<String> priceIds) {
        var prices = batch(tenant, priceIds.stream().map(CatalogueItems::price).toList()).values().stream()
                .map(CatalogueRepository::price).toList();
        var keys = new LinkedHashSet<String>();
        prices.forEach(p -> {
            keys.add(CatalogueItems.product(p.productId()));
            if (p.variantId() != null) {
                keys.add(CatalogueItems.variant(p.productId(), p.variantId()));
            }
        });
        var found = batch(tenant, List.copyOf(keys));
        var sales = new ArrayList<CatalogueService.Sale>();
        for (var p : prices) {
            var product = found.get(CatalogueItems.product(p.productId()));
            var variant = p.variantId() == null ? null : found.get(CatalogueItems.variant(p.productId(), p.variantId()));
            if (product != null && (p.variantId() == null || variant != null)) {
                sales.add(new CatalogueService.Sale(product(product), variant == null ? null : variant(variant), p));
            }
        }
        return sales;
    }

    /**
     * The active prices of a variant (at most {@code max}): the tenant's prices read with a filter, page by
     * page, until {@code max} are found or {@value Pages#MAX_FILTERED_READS} pages were read.
     */
    List<Price> activePrices(String tenant, String variantId, int max) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(beginsWith(tenant, CatalogueItems.PRICE)).consistentRead(true)
                .filterExpression(Expression.builder().expression("variantId = :variant AND active = :active")
                        .putExpressionValue(":variant", AttributeValue.fromS(variantId))
                        .putExpressionValue(":active", AttributeValue.fromBool(true)).build()).build();
        var found = new ArrayList<Price>();
        int read = 0;
        for (var page : table.query(request)) {
            page.items().forEach(item -> found.add(price(item)));
            if (found.size() >= max || ++read == Pages.MAX_FILTERED_READS) {
                break;
            }
        }
        return found.size() > max ? List.copyOf(found.subList(0, max)) : found;
    }

    /** The catalogue items with these sort keys, by sort key. */
    private Map<String, EnhancedDocument> batch(String tenant, List<String> sortKeys) {
        var found = new HashMap<String, EnhancedDocument>();
        for (int from = 0; from < sortKeys.size(); from += 100) {
            var read = ReadBatch.builder(EnhancedDocument.class).mappedTableResource(table);
            new LinkedHashSet<>(sortKeys.subList(from, Math.min(sortKeys.size(), from + 100))).forEach(sortKey -> read.addGetItem(
                    GetItemEnhancedRequest.builder().key(key(tenant, sortKey))
                            .consistentRead(true).build()));
            client.batchGetItem(r -> r.readBatches(read.build())).resultsForTable(table)
                    .forEach(item -> found.put(item.getString(Table.SK), item));
        }
        return found;
    }

    /** A page of the tenant's products, newest first; only active (or only archived) ones when {@code active} is set. */
    Pages.Slice products(String tenant, Boolean active, int limit, Map<String, String> after) {
        return Pages.read(table::query, null, beginsWith(tenant, CatalogueItems.PRODUCT), false, limit, after,
                active == null ? null : Expression.builder().expression("active = :active")
                        .putExpressionValue(":active", AttributeValue.fromBool(active)).build());
    }

    /** A page of a product's variants, in the order they were made. */
    Pages.Slice variants(String tenant, String productId, int limit, Map<String, String> after) {
        return Pages.read(table::query, null, beginsWith(tenant, CatalogueItems.variants(productId)), true, limit, after, null);
    }

    /** Every variant of a product (it has at most {@code max}). */
    List<Variant> allVariants(String tenant, String productId, int max) {
        return variants(tenant, productId, max, null).items().stream().map(CatalogueRepository::variant).toList();
    }

    /** What a price list is narrowed to: each null leaves it open. */
    record PriceFilter(String productId, Boolean active, Price.Type type) {
    }

    /** A page of the tenant's prices, newest first, narrowed by {@code filter}. */
    Pages.Slice prices(String tenant, PriceFilter filter, int limit, Map<String, String> after) {
        var conditions = new ArrayList<String>();
        var expression = Expression.builder();
        if (filter.productId() != null) {
            conditions.add("productId = :product");
            expression.putExpressionValue(":product", AttributeValue.fromS(filter.productId()));
        }
        if (filter.active() != null) {
            conditions.add("active = :active");
            expression.putExpressionValue(":active", AttributeValue.fromBool(filter.active()));
        }
        if (filter.type() != null) {
            conditions.add("#type = :type");
            expression.putExpressionName("#type", "type").putExpressionValue(":type", AttributeValue.fromS(filter.type().value()));
        }
        return Pages.read(table::query, null, beginsWith(tenant, CatalogueItems.PRICE), false, limit, after,
                conditions.isEmpty() ? null : expression.expression(String.join(" AND ", conditions)).build());
    }

    static Product product(EnhancedDocument item) {
        return Items.read(item, Product.class, ITEM_ONLY);
    }

    static Variant variant(EnhancedDocument item) {
        return Items.read(item, Variant.class, ITEM_ONLY);
    }

    static Price price(EnhancedDocument item) {
        return Items.read(item, Price.class, ITEM_ONLY);
    }

    /** A new product, with the completion of the request that made it. */
    void insert(String tenant, Product product, TransactPut completion) {
        write(TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, put(item(tenant, CatalogueItems.product(product.id()), "product", product), IS_NEW))
                .addPutItem(table, completion.request()));
    }

    /** The product as changed, if it is still at {@code before}'s version. */
    void replace(String tenant, Product before, Product after) {
        write(TransactWriteItemsEnhancedRequest.builder().addPutItem(table, productPut(tenant, before, after)));
    }

    /**
     * A new variant, its SKU's guard (when it has a SKU) and its product one variant more, with the
     * completion of the request. {@link SkuTaken} when another variant holds the SKU.
     */
    void insert(String tenant, Product before, Product after, Variant variant, TransactPut completion) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, productPut(tenant, before, after))
                .addPutItem(table, put(item(tenant, CatalogueItems.variant(variant.productId(), variant.id()), "variant", variant), IS_NEW))
                .addPutItem(table, completion.request());
        if (variant.sku() != null) {
            tx.addPutItem(table, put(skuGuard(tenant, variant), IS_NEW));
        }
        writeWithSku(tx, 3);
    }

    /** The variant as changed, if still at {@code before}'s version; its SKU's guard moved when the SKU changed. */
    void replace(String tenant, Variant before, Variant after) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, put(item(tenant, CatalogueItems.variant(after.productId(), after.id()), "variant", after),
                        isVersion(before.version())));
        String was = before.sku() == null ? null : CatalogueItems.sku(before.sku());
        String is = after.sku() == null ? null : CatalogueItems.sku(after.sku());
        if (java.util.Objects.equals(was, is)) {
            write(tx);
            return;
        }
        if (was != null) {
            tx.addDeleteItem(table, guardDelete(tenant, before));
        }
        if (is != null) {
            tx.addPutItem(table, put(skuGuard(tenant, after), IS_NEW));
            writeWithSku(tx, was == null ? 1 : 2);
        } else {
            write(tx);
        }
    }

    /**
     * A new price and its product one price more (and, for a variant's price, the variant still
     * there), with the completion of the request.
     */
    void insert(String tenant, Product before, Product after, Price price, TransactPut completion) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, productPut(tenant, before, after))
                .addPutItem(table, put(item(tenant, CatalogueItems.price(price.id()), "price", price), IS_NEW))
                .addPutItem(table, completion.request());
        if (price.variantId() != null) {
            tx.addConditionCheck(table, ConditionCheck.builder()
                    .key(key(tenant, CatalogueItems.variant(price.productId(), price.variantId()))).conditionExpression(EXISTS).build());
        }
        write(tx);
    }

    /** The price as changed, if still at {@code before}'s version. */
    void replace(String tenant, Price before, Price after) {
        write(TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, put(item(tenant, CatalogueItems.price(after.id()), "price", after), isVersion(before.version()))));
    }

    /** Deletes a product that has no prices, with its {@code variants} and their SKU guards, if nothing changed since it was read. */
    void delete(String tenant, Product product, List<Variant> variants) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addDeleteItem(table, TransactDeleteItemEnhancedRequest.builder().key(key(tenant, CatalogueItems.product(product.id())))
                        .conditionExpression(isVersion(product.version())).build());
        for (var variant : variants) {
            tx.addDeleteItem(table, TransactDeleteItemEnhancedRequest.builder()
                    .key(key(tenant, CatalogueItems.variant(product.id(), variant.id()))).conditionExpression(isVersion(variant.version())).build());
            if (variant.sku() != null) {
                tx.addDeleteItem(table, guardDelete(tenant, variant));
            }
        }
        write(tx);
    }

    private TransactPutItemEnhancedRequest<EnhancedDocument> productPut(String tenant, Product before, Product after) {
        return put(item(tenant, CatalogueItems.product(after.id()), "product", after), isVersion(before.version()));
    }

    private static TransactDeleteItemEnhancedRequest guardDelete(String tenant, Variant holder) {
        return TransactDeleteItemEnhancedRequest.builder().key(key(tenant, CatalogueItems.sku(holder.sku())))
                .conditionExpression(Expression.builder().expression("variantId = :variant")
                        .putExpressionValue(":variant", AttributeValue.fromS(holder.id())).build()).build();
    }

    private static EnhancedDocument skuGuard(String tenant, Variant variant) {
        ObjectNode json = com.clientele.shared.Json.MAPPER.createObjectNode();
        json.put(Table.PK, CatalogueItems.partition(tenant)).put(Table.SK, CatalogueItems.sku(variant.sku())).put("entity", "skuGuard")
                .put("variantId", variant.id()).put("productId", variant.productId());
        return Items.document(json);
    }

    private void write(TransactWriteItemsEnhancedRequest.Builder tx) {
        try {
            client.transactWriteItems(tx.build());
        } catch (TransactionCanceledException e) {
            throw new Stale();
        }
    }

    /** Writes {@code tx}, whose item at {@code guardAt} is a new SKU guard: its failure is {@link SkuTaken}. */
    private void writeWithSku(TransactWriteItemsEnhancedRequest.Builder tx, int guardAt) {
        try {
            client.transactWriteItems(tx.build());
        } catch (TransactionCanceledException e) {
            var reasons = e.cancellationReasons();
            if (reasons.size() > guardAt && "ConditionalCheckFailed".equals(reasons.get(guardAt).code())) {
                throw new SkuTaken();
            }
            throw new Stale();
        }
    }

    private static EnhancedDocument item(String tenant, String sortKey, String entity, Object record) {
        ObjectNode json = Items.attributes(record);
        json.put(Table.PK, CatalogueItems.partition(tenant)).put(Table.SK, sortKey).put("entity", entity);
        return Items.document(json);
    }

    private static TransactPutItemEnhancedRequest<EnhancedDocument> put(EnhancedDocument item, Expression condition) {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item).conditionExpression(condition).build();
    }

    private static Expression isVersion(long version) {
        return Expression.builder().expression("version = :v").putExpressionValue(":v", AttributeValue.fromN(Long.toString(version))).build();
    }

    private static QueryConditional beginsWith(String tenant, String prefix) {
        return QueryConditional.sortBeginsWith(k -> k.partitionValue(CatalogueItems.partition(tenant)).sortValue(prefix));
    }

    private static Key key(String tenant, String sortKey) {
        return Key.builder().partitionValue(CatalogueItems.partition(tenant)).sortValue(sortKey).build();
    }
}
