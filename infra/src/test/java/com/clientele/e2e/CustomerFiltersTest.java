package com.clientele.e2e;

import com.clientele.customers.CustomerItems;
import static com.clientele.e2e.CustomersApiContract.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.clientele.shared.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The customers list's value filters, segments, top customers and segment settings, end to end
 * over HTTP. Stats come from real charges through the LTV aggregator where that is enough, and are
 * written straight into the profile where a test needs many customers or times in the past.
 */
class CustomerFiltersTest {

    private static final String SETTINGS = "/settings/segments";
    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
    private final DynamoDbClient dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint());

    @AfterEach
    void closeClient() {
        dynamo.close();
    }

    /** What a test seeded, to compute the lists it expects. */
    record Seeded(String id, String name, String sortName, String type, String billingGroupId, long ltv, long orders) {
    }

    private Seeded create(String first, String last, String type, String billingGroupId) {
        String email = (first + "." + last + "@" + UUID.randomUUID().toString().substring(0, 6) + ".example").toLowerCase();
        String body = "business".equals(type)
                ? """
                {"type": "business", "firstName": "%s", "lastName": "%s", "email": "%s", "phone": "+14155550123",
                 "company": {"name": "%s Ltd"}%s}""".formatted(first, last, email, last,
                        billingGroupId == null ? "" : ", \"billingGroupId\": \"" + billingGroupId + "\"")
                : """
                {"firstName": "%s", "lastName": "%s", "email": "%s", "phone": "+14155550123"}""".formatted(first, last, email);
        var reply = api.post("/customers", body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return new Seeded(reply.json().path("id").asText(), first + " " + last, (last + " " + first).toLowerCase(),
                type == null ? "individual" : type, billingGroupId, 0, 0);
    }

    /** A new billing group in USD, paid by {@code payerId}: its id. */
    private String billingGroup(String name, String payerId) {
        var reply = api.post("/billing-groups", """
                {"name": "%s", "payerId": "%s", "currency": "USD", "paymentTerms": "NET_30"}""".formatted(name, payerId));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    /** Writes a customer's stats straight into its profile (and its place in the LTV index), as the aggregator would. */
    private Seeded stats(Seeded c, long ltv, long orders, Instant firstPurchaseAt, Instant lastFailedAt) {
        String currency = orders > 0 ? "\"USD\"" : "null";
        String json = """
                {"ltv": {"amount": %d, "currency": %s}, "orders": %d, "averageOrderValue": {"amount": %d, "currency": %s},
                 "firstPurchaseAt": %s, "lastPurchaseAt": %s, "lastOrderValue": null, "refunded": {"amount": 0, "currency": %s},
                 "failedPayments": %d, "lastFailedAt": %s, "returning": %s}""".formatted(ltv, currency, orders,
                orders == 0 ? 0 : ltv / orders, currency, quoted(firstPurchaseAt), quoted(firstPurchaseAt), currency,
                lastFailedAt == null ? 0 : 1, quoted(lastFailedAt), orders >= 2);
        var statsValue = AttributeValue.fromM(EnhancedDocument.fromJson(json).toMap());
        dynamo.updateItem(r -> r.tableName(cloud.resources().get("Table"))
                .key(Map.of("PK", AttributeValue.fromS(Keys.customer(tenant, c.id())), "SK", AttributeValue.fromS(CustomerItems.PROFILE)))
                .updateExpression("SET #s = :s, GSI5SK = :k")
                .expressionAttributeNames(Map.of("#s", "stats"))
                .expressionAttributeValues(Map.of(":s", statsValue, ":k", AttributeValue.fromS(CustomerItems.ltvSortKey(ltv, c.id())))));
        return new Seeded(c.id(), c.name(), c.sortName(), c.type(), c.billingGroupId(), ltv, orders);
    }

    private static String quoted(Instant at) {
        return at == null ? "null" : "\"" + at + "\"";
    }

    private List<JsonNode> rows(String query) {
        var reply = api.get("/customers?" + query);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        var rows = new ArrayList<JsonNode>();
        reply.json().path("data").forEach(rows::add);
        return rows;
    }

    private List<String> ids(String query) {
        return rows(query).stream().map(r -> r.path("id").asText()).toList();
    }

    /** Every page of a list, checking each page's summary against its rows; the rows in the order served. */
    private List<JsonNode> walk(String query) {
        var all = new ArrayList<JsonNode>();
        String cursor = null;
        int pages = 0;
        do {
            var reply = api.get("/customers?" + query + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            var page = reply.json();
            var data = new ArrayList<JsonNode>();
            page.path("data").forEach(data::add);
            assertSummaryIsExact(page.path("summary"), data);
            all.addAll(data);
            cursor = page.path("nextCursor").isNull() ? null : URLEncoder.encode(page.path("nextCursor").asText(), StandardCharsets.UTF_8);
            assertThat(++pages).as("pages of " + query).isLessThan(200);
        } while (cursor != null);
        return all;
    }

    private static void assertSummaryIsExact(JsonNode summary, List<JsonNode> rows) {
        assertThat(summary.path("customers").asInt()).isEqualTo(rows.size());
        long ltv = rows.stream().filter(r -> !r.path("ltv").path("currency").isNull()).mapToLong(r -> r.path("ltv").path("amount").asLong()).sum();
        boolean anyCurrency = rows.stream().anyMatch(r -> !r.path("ltv").path("currency").isNull());
        if (anyCurrency) {
            long average = BigDecimal.valueOf(ltv).divide(BigDecimal.valueOf(rows.size()), 0, RoundingMode.HALF_EVEN).longValueExact();
            assertThat(summary.path("averageLtv").get(0).path("amount").asLong()).isEqualTo(average);
        } else {
            assertThat(summary.path("averageLtv").size()).isZero();
        }
        long returning = rows.stream().filter(r -> r.path("orders").asLong() >= 2).count();
        var pct = rows.isEmpty() ? BigDecimal.ZERO : BigDecimal.valueOf(returning * 100).divide(BigDecimal.valueOf(rows.size()), 1, RoundingMode.HALF_EVEN);
        assertThat(summary.path("returningCustomersPct").decimalValue()).isEqualByComparingTo(pct);
    }

    private String charge(String customer, long amount, String paymentMethodId) {
        var reply = api.send("POST", "/customers/" + customer + "/charges", "{\"amount\": {\"amount\": " + amount
                        + ", \"currency\": \"USD\"}" + (paymentMethodId == null ? "" : ", \"paymentMethodId\": \"" + paymentMethodId + "\"") + "}",
                "Idempotency-Key", UUID.randomUUID().toString());
        return reply.status() + "";
    }

    private String saveCard(String customer, String number) {
        var reply = api.post("/customers/" + customer + "/payment-methods", PaymentsApiContract.card(number));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private Api.Reply putSettings(String json) {
        return api.send("PUT", SETTINGS, json);
    }

    @Test
    void realChargesAndDeclinesPutCustomersInSegmentsThatSettingsMove() {
        var whale = create("Wanda", "Whale", null, null);
        var decliner = create("Dee", "Cline", null, null);
        var idle = create("Ida", "Idle", null, null);
        saveCard(whale.id(), "4242424242424242");
        String declined = saveCard(decliner.id(), "4000000000000002");
        for (int i = 0; i < 3; i++) {
            assertThat(charge(whale.id(), 40_000, null)).isEqualTo("201");
        }
        assertThat(charge(decliner.id(), 5_000, declined)).isEqualTo("402");
        Eventually.get(() -> api.get("/customers/" + whale.id()).json().path("stats").path("orders").asLong(), n -> n == 3);
        Eventually.get(() -> api.get("/customers/" + decliner.id()).json().path("stats").path("failedPayments").asLong(), n -> n == 1);

        assertThat(ids("segment=high_value")).containsExactly(whale.id());
        assertThat(ids("segment=loyal")).containsExactly(whale.id());
        assertThat(ids("segment=new")).containsExactly(whale.id());
        assertThat(ids("segment=at_risk")).containsExactly(decliner.id());
        assertThat(ids("segment=business")).isEmpty();
        assertThat(ids("hasPurchases=true")).containsExactly(whale.id());
        assertThat(ids("hasPurchases=false")).containsExactlyInAnyOrder(decliner.id(), idle.id());
        assertThat(ids("sort=-ltv&segment=high_value&ltvMin=120000&ltvMax=120000")).containsExactly(whale.id());
        assertThat(ids("sort=-ltv&ltvMin=120001")).isEmpty();
        var row = rows("sort=-ltv").get(0);
        assertThat(row.path("id").asText()).isEqualTo(whale.id());
        assertThat(row.path("segments").toString()).isEqualTo("[\"high_value\",\"loyal\",\"new\"]");

        var defaults = api.get(SETTINGS);
        assertThat(defaults.status()).isEqualTo(200);
        assertThat(defaults.json().path("highValueLtv").path("amount").asLong()).isEqualTo(100_000);
        assertThat(defaults.json().path("highValueLtv").path("currency").asText()).isEqualTo("USD");
        assertThat(defaults.json().path("atRiskDays").asInt()).isEqualTo(30);
        assertThat(defaults.json().path("loyalOrders").asInt()).isEqualTo(3);
        assertThat(defaults.json().path("newDays").asInt()).isEqualTo(30);

        var saved = putSettings("""
                {"highValueLtv": {"amount": 150000, "currency": "USD"}, "atRiskDays": 30, "loyalOrders": 4, "newDays": 30}""");
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(api.get(SETTINGS).json().path("loyalOrders").asInt()).isEqualTo(4);
        assertThat(ids("segment=high_value")).isEmpty();
        assertThat(ids("sort=-ltv&segment=high_value")).isEmpty();
        assertThat(ids("segment=loyal")).isEmpty();
        assertThat(rows("q=wanda").get(0).path("segments").toString()).isEqualTo("[\"new\"]");

        putSettings("""
                {"highValueLtv": {"amount": 120000, "currency": "USD"}, "atRiskDays": 30, "loyalOrders": 3, "newDays": 30}""");
        assertThat(ids("sort=-ltv&segment=high_value")).containsExactly(whale.id());
        putSettings("""
                {"highValueLtv": {"amount": 100, "currency": "EUR"}, "atRiskDays": 30, "loyalOrders": 3, "newDays": 30}""");
        assertThat(ids("segment=high_value")).as("a threshold in another currency").isEmpty();
    }

    @Test
    void timeWindowsCountFromNow() {
        Instant now = Instant.now();
        var recentBuyer = stats(create("Rita", "Recent", null, null), 5_000, 1, now.minus(10, ChronoUnit.DAYS), null);
        var oldBuyer = stats(create("Olga", "Old", null, null), 5_000, 1, now.minus(40, ChronoUnit.DAYS), null);
        var recentFail = stats(create("Fay", "Fail", null, null), 0, 0, null, now.minus(5, ChronoUnit.DAYS));
        var oldFail = stats(create("Fred", "Fail", null, null), 9_000, 2, now.minus(90, ChronoUnit.DAYS), now.minus(45, ChronoUnit.DAYS));
        assertThat(ids("segment=new")).containsExactly(recentBuyer.id());
        assertThat(ids("segment=at_risk")).containsExactly(recentFail.id());
        assertThat(ids("sort=name&segment=new")).containsExactly(recentBuyer.id());
        assertThat(ids("sort=-ltv&segment=at_risk")).containsExactly(recentFail.id());

        putSettings("""
                {"highValueLtv": {"amount": 100000, "currency": "USD"}, "atRiskDays": 60, "loyalOrders": 2, "newDays": 60}""");
        assertThat(ids("segment=new")).containsExactlyInAnyOrder(recentBuyer.id(), oldBuyer.id());
        assertThat(ids("segment=at_risk")).containsExactlyInAnyOrder(recentFail.id(), oldFail.id());
        assertThat(ids("segment=loyal")).containsExactly(oldFail.id());
        var row = rows("q=fred").get(0);
        assertThat(row.path("segments").toString()).isEqualTo("[\"at_risk\",\"loyal\"]");
    }

    @Test
    void filtersCombineWithEverySortAndPagination() {
        var seeded = new ArrayList<Seeded>();
        var payer = create("Payer", "Groups", "business", null);
        seeded.add(payer);
        String rare = billingGroup("Rare", payer.id());
        var common = List.of(billingGroup("Even", payer.id()), billingGroup("Odd", payer.id()));
        for (int i = 0; i < 130; i++) {
            // A few business customers in a rare billing group, so the LTV index's shards read past many non-matching rows.
            String type = i % 3 == 0 ? "business" : "individual";
            String group = type.equals("business") ? (i % 27 == 0 ? rare : common.get(i % 2)) : null;
            var c = create("N" + i, "Name" + (char) ('a' + (i * 7) % 26), type, group);
            long orders = i % 5;
            long ltv = orders == 0 ? 0 : (i * 7_919L) % 50_000 + 100;
            seeded.add(stats(c, ltv, orders, orders == 0 ? null : Instant.now().minus(i, ChronoUnit.DAYS), null));
        }
        Map<String, Predicate<Seeded>> filters = Map.of(
                "", c -> true,
                "type=business", c -> c.type().equals("business"),
                "billingGroupId=" + rare, c -> rare.equals(c.billingGroupId()),
                "ltvMin=10000&ltvMax=30000", c -> c.ltv() >= 10_000 && c.ltv() <= 30_000,
                "hasPurchases=false", c -> c.orders() == 0,
                "segment=loyal&type=individual", c -> c.orders() >= 3 && c.type().equals("individual"),
                "segment=loyal&type=business", c -> c.orders() >= 3 && c.type().equals("business"),
                "segment=business&ltvMin=20000&hasPurchases=true", c -> c.type().equals("business") && c.ltv() >= 20_000 && c.orders() > 0);
        var orders = Map.<String, Comparator<Seeded>>of(
                "-createdAt", Comparator.comparing(Seeded::id).reversed(),
                "name", Comparator.comparing(Seeded::sortName),
                "-ltv", Comparator.comparing(Seeded::ltv).thenComparing(Seeded::id).reversed());
        for (var filter : filters.entrySet()) {
            for (var sort : orders.entrySet()) {
                String query = "sort=" + sort.getKey() + "&limit=7" + (filter.getKey().isEmpty() ? "" : "&" + filter.getKey());
                var expected = seeded.stream().filter(filter.getValue()).sorted(sort.getValue()).map(Seeded::id).toList();
                var served = walk(query).stream().map(r -> r.path("id").asText()).toList();
                assertThat(served).as(query).doesNotHaveDuplicates().isEqualTo(expected);
            }
        }
        // Pages of 2 read at most 5 x 3 rows per shard: shards stop short of their matches, and the merge must wait for them.
        for (var filter : List.of("billingGroupId=" + rare, "segment=loyal&type=business")) {
            var expected = seeded.stream().filter(filters.get(filter)).sorted(orders.get("-ltv")).map(Seeded::id).toList();
            assertThat(walk("sort=-ltv&limit=2&" + filter).stream().map(r -> r.path("id").asText()).toList())
                    .as(filter).isEqualTo(expected);
        }
    }

    @Test
    void topCustomersAreTheHighestLtvFirst() {
        var ltvs = List.of(3_000L, 90_000L, 15_000L, 0L, 42_000L);
        var seeded = new ArrayList<Seeded>();
        for (int i = 0; i < ltvs.size(); i++) {
            seeded.add(stats(create("T" + i, "Top", null, null), ltvs.get(i), ltvs.get(i) == 0 ? 0 : 1, Instant.now(), null));
        }
        var expected = seeded.stream().sorted(Comparator.comparing(Seeded::ltv).reversed()).map(Seeded::id).toList();
        var reply = api.get("/customers/top?limit=3");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        var data = new ArrayList<JsonNode>();
        reply.json().path("data").forEach(data::add);
        assertThat(data.stream().map(r -> r.path("id").asText()).toList()).isEqualTo(expected.subList(0, 3));
        assertThat(data.get(0).path("ltv").path("amount").asLong()).isEqualTo(90_000);
        assertThat(data.get(0).has("segments")).isTrue();
        assertSummaryIsExact(reply.json().path("summary"), data);
        var all = api.get("/customers/top").json().path("data");
        assertThat(all.size()).isEqualTo(5);
        assertThat(all.get(4).path("id").asText()).isEqualTo(expected.get(4));

        assertProblem(api.get("/customers/top?limit=0"), 400, "limit");
        assertProblem(api.get("/customers/top?limit=101"), 400, "limit");
        assertProblem(api.get("/customers/top?limit=x"), 400, "limit");
        assertProblem(api.get("/customers/top?cursor=abc"), 400, "cursor");
        assertProblem(api.get("/customers/top?segment=loyal"), 400, "segment");
        var other = new Api(cloud.apiUrl(), cloud.token(tenant + "x", "mallory"));
        assertThat(other.get("/customers/top").json().path("data").size()).isZero();
    }

    @Test
    void badFiltersAndSettingsAre400NamingTheField() {
        assertProblem(api.get("/customers?ltvMin=-5"), 400, "ltvMin");
        assertProblem(api.get("/customers?ltvMax=ten"), 400, "ltvMax");
        assertProblem(api.get("/customers?ltvMin=500&ltvMax=100"), 400, "ltvMax");
        assertProblem(api.get("/customers?segment=vip"), 400, "segment");
        assertProblem(api.get("/customers?hasPurchases=1"), 400, "hasPurchases");
        assertProblem(api.get("/customers?billingGroupId="), 400, "billingGroupId");
        assertProblem(api.get("/customers?currency=dollars"), 400, "currency");

        for (int i = 0; i < 3; i++) {
            stats(create("C" + i, "Cursor", null, null), 1_000 * (i + 1), 1, Instant.now(), null);
        }
        String cursor = api.get("/customers?sort=-ltv&ltvMin=1&limit=1").json().path("nextCursor").asText();
        assertThat(api.get("/customers?sort=-ltv&ltvMin=1&limit=1&cursor=" + cursor).status()).isEqualTo(200);
        assertProblem(api.get("/customers?sort=-ltv&ltvMin=2&limit=1&cursor=" + cursor), 400, "cursor");
        assertProblem(api.get("/customers?sort=-ltv&limit=1&cursor=" + cursor), 400, "cursor");

        assertProblem(putSettings("""
                {"highValueLtv": {"amount": 0, "currency": "USD"}, "atRiskDays": 30, "loyalOrders": 3, "newDays": 30}"""),
                400, "highValueLtv.amount");
        assertProblem(putSettings("""
                {"highValueLtv": {"amount": 100, "currency": "usd"}, "atRiskDays": 30, "loyalOrders": 3, "newDays": 30}"""),
                400, "highValueLtv.currency");
        assertProblem(putSettings("""
                {"highValueLtv": {"amount": 100, "currency": "USD"}, "atRiskDays": 0, "loyalOrders": 3, "newDays": 30}"""),
                400, "atRiskDays");
        assertProblem(putSettings("""
                {"highValueLtv": {"amount": 100, "currency": "USD"}, "atRiskDays": 30, "loyalOrders": "3", "newDays": 30}"""),
                400, "loyalOrders");
        assertProblem(putSettings("""
                {"highValueLtv": {"amount": 100, "currency": "USD"}, "atRiskDays": 30, "loyalOrders": 3}"""), 400, "newDays");
        assertProblem(putSettings("""
                {"highValueLtv": {"amount": 100, "currency": "USD"}, "atRiskDays": 30, "loyalOrders": 3, "newDays": 30,
                 "vipDays": 1}"""), 400, "vipDays");
        assertProblem(api.send("DELETE", SETTINGS, null), 405, null);
        assertThat(api.get(SETTINGS).json().path("loyalOrders").asInt()).as("nothing saved").isEqualTo(3);
    }
}
