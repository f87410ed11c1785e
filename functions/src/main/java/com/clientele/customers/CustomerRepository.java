package com.clientele.customers;

import com.clientele.analytics.TenantCounters;
import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.Table.Index;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.ReadBatch;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactDeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Customer items in the single table. A customer is one profile item in its own partition,
 * projected into GSI1 (email), GSI2 (phone), GSI3 (join date), GSI4 (name) and GSI5 (LTV, sharded);
 * plus a guard item per email (uniqueness) and one search-term item per searchable value. Every
 * write of a customer changes all of these in one transaction.
 */
public final class CustomerRepository {

    static final String ACTIVE = "active";
    static final String DELETED = "deleted";
    private static final String STATUS = "status";
    private static final String CUSTOMER_ID = "customerId";
    private static final String ENTITY = "entity";
    private static final Set<String> ITEM_ONLY = Set.of(STATUS, ENTITY, "deletedAt");

    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EnhancedDocument> table;
    private final TenantCounters counters;

    public CustomerRepository(DynamoDbClient dynamoDb, String tableName) {
        this.client = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
        this.table = client.table(tableName, Table.SCHEMA);
        this.counters = new TenantCounters(dynamoDb, tableName);
    }

    /** Raised when an email belongs to another live customer of the tenant. */
    static final class EmailTaken extends RuntimeException {
        final String existingCustomerId;

        EmailTaken(String existingCustomerId) {
            super(null, null, false, false);
            this.existingCustomerId = existingCustomerId;
        }
    }

    /** Raised when the stored version is not the one the write was based on. */
    static final class StaleVersion extends RuntimeException {
        StaleVersion() {
            super(null, null, false, false);
        }
    }

    /** A page of rows and, when there is more, the key to resume after. */
    record Slice(List<Customer> rows, Map<String, String> resumeAfter) {
    }

    // ---- reads -------------------------------------------------------------------------------

    public Optional<Customer> find(String tenant, String id) {
        var item = table.getItem(r -> r.key(profileKey(tenant, id)).consistentRead(true));
        return Optional.ofNullable(item).filter(CustomerRepository::isLive).map(CustomerRepository::customer);
    }

    /** One page of customers from a sorted index: GSI3 newest first, GSI4 by name. */
    Slice list(String tenant, Index index, boolean newestFirst, int limit, Map<String, String> after,
               String typeFilter, String idPrefix) {
        QueryConditional condition = idPrefix == null
                ? QueryConditional.keyEqualTo(k -> k.partitionValue(Keys.customers(tenant)))
                : QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customers(tenant)).sortValue(idPrefix));
        return page(table.index(index.name()), condition, !newestFirst, limit, after, typeFilter, index);
    }

    Slice byEmail(String tenant, String email, int limit, Map<String, String> after) {
        return page(table.index(Index.GSI1.name()),
                QueryConditional.keyEqualTo(k -> k.partitionValue(Keys.byEmail(tenant, email))),
                true, limit, after, null, Index.GSI1);
    }

    Slice byPhone(String tenant, String phone, int limit, Map<String, String> after) {
        return page(table.index(Index.GSI2.name()),
                QueryConditional.keyEqualTo(k -> k.partitionValue(Keys.byPhone(tenant, phone))),
                true, limit, after, null, Index.GSI2);
    }

    /**
     * Highest LTV first: each shard of GSI5 is read from its own position, the candidates merged,
     * the best {@code limit} kept; each shard resumes after the last of its rows that was kept.
     */
    Slice byLtv(String tenant, int limit, Map<String, String> after, String typeFilter) {
        record Candidate(int shard, EnhancedDocument item) {
        }
        var candidates = new ArrayList<Candidate>();
        var shardHasMore = new boolean[Keys.LTV_SHARDS];
        for (int shard = 0; shard < Keys.LTV_SHARDS; shard++) {
            String prefix = shard + ".";
            if (after != null && after.containsKey(prefix + "done")) {
                continue;
            }
            var start = after == null ? null : unprefixed(after, prefix);
            int s = shard;
            var request = QueryEnhancedRequest.builder()
                    .queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(Keys.byLtv(tenant, s))))
                    .scanIndexForward(false).limit(limit + 1)
                    .exclusiveStartKey(start == null || start.isEmpty() ? null : Pages.attributes(start))
                    .filterExpression(typeFilter(typeFilter)).build();
            var page = table.index(Index.GSI5.name()).query(request).iterator().next();
            page.items().forEach(item -> candidates.add(new Candidate(s, item)));
            shardHasMore[shard] = page.items().size() > limit || page.lastEvaluatedKey() != null;
        }
        candidates.sort(Comparator.comparing((Candidate c) -> c.item().getString(Index.GSI5.sk())).reversed());
        var kept = candidates.subList(0, Math.min(limit, candidates.size()));
        var position = new LinkedHashMap<String, String>();
        boolean more = false;
        for (int shard = 0; shard < Keys.LTV_SHARDS; shard++) {
            String prefix = shard + ".";
            int s = shard;
            var lastKept = kept.stream().filter(c -> c.shard() == s).reduce((a, b) -> b);
            long offered = candidates.stream().filter(c -> c.shard() == s).count();
            long taken = kept.stream().filter(c -> c.shard() == s).count();
            boolean shardMore = shardHasMore[shard] || taken < offered;
            if (after != null && after.containsKey(prefix + "done") || !shardMore) {
                position.put(prefix + "done", "1");
                continue;
            }
            more = true;
            if (lastKept.isPresent()) {
                Pages.keyOf(lastKept.get().item(), Index.GSI5).forEach((k, v) -> position.put(prefix + k, v));
            } else if (after != null) {
                unprefixed(after, prefix).forEach((k, v) -> position.put(prefix + k, v));
            }
        }
        var rows = kept.stream().map(c -> customer(c.item())).toList();
        return new Slice(rows, more ? position : null);
    }

    /** Search terms beginning with {@code prefix}, resolved to live customers in one batch read. */
    Slice search(String tenant, String prefix, int limit, Map<String, String> after) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBeginsWith(k -> k
                        .partitionValue(Keys.searchPartition(tenant, prefix)).sortValue(prefix)))
                .limit(limit + 1)
                .exclusiveStartKey(after == null ? null : Pages.attributes(after))
                .build();
        var page = table.query(request).iterator().next();
        var terms = page.items();
        boolean more = terms.size() > limit;
        if (more) {
            terms = terms.subList(0, limit);
        }
        var ids = new LinkedHashSet<String>();
        terms.forEach(term -> ids.add(term.getString(CUSTOMER_ID)));
        var found = new HashMap<String, Customer>();
        if (!ids.isEmpty()) {
            var batch = ReadBatch.builder(EnhancedDocument.class).mappedTableResource(table);
            ids.forEach(id -> batch.addGetItem(profileKey(tenant, id)));
            client.batchGetItem(r -> r.readBatches(batch.build())).resultsForTable(table).forEach(item -> {
                if (isLive(item)) {
                    var customer = customer(item);
                    found.put(customer.id(), customer);
                }
            });
        }
        var rows = ids.stream().map(found::get).filter(c -> c != null).toList();
        Map<String, String> resume = more ? Pages.keyOf(terms.get(terms.size() - 1), null) : null;
        return new Slice(rows, resume);
    }

    // ---- writes ------------------------------------------------------------------------------

    /** Profile, email guard and search terms, all or nothing. */
    void insert(String tenant, Customer customer) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(profile(tenant, customer))
                        .conditionExpression(notExists()).build())
                .addPutItem(table, guardPut(tenant, customer));
        searchTerms(customer).forEach(term -> tx.addPutItem(table, searchItem(tenant, term, customer.id())));
        var counted = new java.util.HashMap<>(TenantCounters.contribution(customer));
        counted.put(TenantCounters.newOn(customer.createdAt()), 1L);
        write(tx, tenant, customer.id(), counted);
    }

    /** Replaces a live profile at {@code before.version()}, moving its email guard and search terms. */
    void replace(String tenant, Customer before, Customer after) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(profile(tenant, after))
                        .conditionExpression(isVersion(before.version())).build());
        if (!before.email().equals(after.email())) {
            tx.addDeleteItem(table, guardDelete(tenant, before));
            tx.addPutItem(table, guardPut(tenant, after));
        }
        var oldTerms = searchTerms(before);
        var newTerms = searchTerms(after);
        oldTerms.stream().filter(t -> !newTerms.contains(t))
                .forEach(t -> tx.addDeleteItem(table, searchKey(tenant, t, before.id())));
        newTerms.stream().filter(t -> !oldTerms.contains(t))
                .forEach(t -> tx.addPutItem(table, searchItem(tenant, t, after.id())));
        write(tx);
    }

    /**
     * Soft delete: the profile stays (its ledger is the merchant's books) but leaves every index,
     * and the email guard and search terms go, so the email is free again.
     */
    void softDelete(String tenant, Customer customer, Instant at) {
        ObjectNode json = profileJson(tenant, customer, DELETED);
        json.put("deletedAt", at.toString());
        json.put("version", customer.version() + 1);
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(Items.document(json))
                        .conditionExpression(isVersion(customer.version())).build())
                .addDeleteItem(table, guardDelete(tenant, customer));
        searchTerms(customer).forEach(t -> tx.addDeleteItem(table, searchKey(tenant, t, customer.id())));
        write(tx, tenant, customer.id(), TenantCounters.difference(customer, null));
    }

    /**
     * The profile at its next version, for a transaction of another capability (saved cards, the
     * currency fixed by a first charge). It fails the transaction if the profile changed since
     * {@code before} was read. Only for changes that keep the email and the search terms.
     */
    public TransactPutItemEnhancedRequest<EnhancedDocument> profileUpdate(String tenant, Customer before, Customer after) {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                .item(profile(tenant, after))
                .conditionExpression(isVersion(before.version())).build();
    }

    /** One more search term for a customer (a receipt id), for another capability's transaction. */
    public static TransactPutItemEnhancedRequest<EnhancedDocument> searchTerm(String tenant, String term, String customerId) {
        return searchItem(tenant, lower(term), customerId);
    }

    private void write(TransactWriteItemsEnhancedRequest.Builder tx) {
        write(tx, null, null, Map.of());
    }

    /** The transaction, plus the tenant's analytics counters changed by {@code deltas}. */
    private void write(TransactWriteItemsEnhancedRequest.Builder tx, String tenant, String customerId, Map<String, Long> deltas) {
        try {
            counters.write(tx.build(), tenant, customerId, deltas);
        } catch (TransactionCanceledException e) {
            throw translate(e);
        }
    }

    private static RuntimeException translate(TransactionCanceledException e) {
        List<CancellationReason> reasons = e.cancellationReasons();
        for (int i = 0; i < reasons.size(); i++) {
            var reason = reasons.get(i);
            if (!"ConditionalCheckFailed".equals(reason.code())) {
                continue;
            }
            var item = reason.item();
            if (i == 0) {
                return new StaleVersion();
            }
            if (item != null && item.containsKey(CUSTOMER_ID)) {
                return new EmailTaken(item.get(CUSTOMER_ID).s());
            }
            return new StaleVersion();
        }
        return e;
    }

    // ---- items -------------------------------------------------------------------------------

    private static Key profileKey(String tenant, String id) {
        return Key.builder().partitionValue(Keys.customer(tenant, id)).sortValue(Keys.PROFILE).build();
    }

    private static Key searchKey(String tenant, String term, String id) {
        return Key.builder().partitionValue(Keys.searchPartition(tenant, term)).sortValue(Keys.searchSortKey(term, id)).build();
    }

    /** The profile item's attributes without index keys: the customer's JSON, its key and status. */
    private static ObjectNode profileJson(String tenant, Customer c, String status) {
        ObjectNode json = Items.attributes(c);
        json.put(Table.PK, Keys.customer(tenant, c.id()));
        json.put(Table.SK, Keys.PROFILE);
        json.put(ENTITY, "customer");
        json.put(STATUS, status);
        return json;
    }

    /** A live profile: projected into every customer index. */
    private static EnhancedDocument profile(String tenant, Customer c) {
        ObjectNode json = profileJson(tenant, c, ACTIVE);
        json.put(Index.GSI1.pk(), Keys.byEmail(tenant, c.email()));
        json.put(Index.GSI1.sk(), c.id());
        json.put(Index.GSI2.pk(), Keys.byPhone(tenant, c.phone()));
        json.put(Index.GSI2.sk(), c.id());
        json.put(Index.GSI3.pk(), Keys.customers(tenant));
        json.put(Index.GSI3.sk(), c.id());
        json.put(Index.GSI4.pk(), Keys.customers(tenant));
        json.put(Index.GSI4.sk(), Keys.byName(c.lastName(), c.firstName(), c.id()));
        json.put(Index.GSI5.pk(), Keys.byLtv(tenant, Keys.ltvShard(c.id())));
        json.put(Index.GSI5.sk(), Keys.ltvSortKey(c.stats().ltv().amount(), c.id()));
        return Items.document(json);
    }

    private TransactPutItemEnhancedRequest<EnhancedDocument> guardPut(String tenant, Customer c) {
        var guard = Table.item()
                .putString(Table.PK, Keys.emailGuard(tenant, c.email()))
                .putString(Table.SK, Keys.UNIQUE)
                .putString(ENTITY, "emailGuard")
                .putString(CUSTOMER_ID, c.id())
                .build();
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                .item(guard)
                .conditionExpression(notExists())
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    private static TransactDeleteItemEnhancedRequest guardDelete(String tenant, Customer c) {
        return TransactDeleteItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(Keys.emailGuard(tenant, c.email())).sortValue(Keys.UNIQUE).build())
                .conditionExpression(Expression.builder().expression("#c = :id")
                        .putExpressionName("#c", CUSTOMER_ID)
                        .putExpressionValue(":id", AttributeValue.fromS(c.id())).build())
                .build();
    }

    private static TransactPutItemEnhancedRequest<EnhancedDocument> searchItem(String tenant, String term, String id) {
        var item = Table.item()
                .putString(Table.PK, Keys.searchPartition(tenant, term))
                .putString(Table.SK, Keys.searchSortKey(term, id))
                .putString(ENTITY, "searchTerm")
                .putString(CUSTOMER_ID, id)
                .build();
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item).build();
    }

    /**
     * What {@code q} can match, lower-case: email, phone digits, "first last", "last first" and
     * the company name. (Matching "first last" also covers a search by first name alone.)
     */
    static Set<String> searchTerms(Customer c) {
        var terms = new LinkedHashSet<String>();
        terms.add(c.email());
        terms.add(c.phone().substring(1));
        terms.add(lower(c.firstName() + " " + c.lastName()));
        terms.add(lower(c.lastName() + " " + c.firstName()));
        if (c.company() != null && c.company().name() != null) {
            terms.add(lower(c.company().name()));
        }
        return terms;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static Expression notExists() {
        return Expression.builder().expression("attribute_not_exists(PK)").build();
    }

    private static Expression isVersion(long version) {
        return Expression.builder().expression("#v = :v AND #s = :active")
                .putExpressionName("#v", "version").putExpressionName("#s", STATUS)
                .putExpressionValue(":v", AttributeValue.fromN(Long.toString(version)))
                .putExpressionValue(":active", AttributeValue.fromS(ACTIVE)).build();
    }

    private static Expression typeFilter(String type) {
        return type == null ? null : Expression.builder().expression("#t = :t")
                .putExpressionName("#t", "type").putExpressionValue(":t", AttributeValue.fromS(type)).build();
    }

    private static boolean isLive(EnhancedDocument item) {
        return ACTIVE.equals(item.getString(STATUS));
    }

    static Customer customer(EnhancedDocument item) {
        return Items.read(item, Customer.class, ITEM_ONLY);
    }

    // ---- paging ------------------------------------------------------------------------------

    private static Slice page(DynamoDbIndex<EnhancedDocument> index, QueryConditional condition, boolean ascending,
                              int limit, Map<String, String> after, String typeFilter, Index which) {
        var slice = Pages.read(index::query, which, condition, ascending, limit, after, typeFilter(typeFilter));
        return new Slice(slice.items().stream().map(CustomerRepository::customer).toList(), slice.resumeAfter());
    }

    private static Map<String, String> unprefixed(Map<String, String> position, String prefix) {
        var result = new LinkedHashMap<String, String>();
        position.forEach((k, v) -> {
            if (k.startsWith(prefix) && !k.equals(prefix + "done")) {
                result.put(k.substring(prefix.length()), v);
            }
        });
        return result;
    }
}
