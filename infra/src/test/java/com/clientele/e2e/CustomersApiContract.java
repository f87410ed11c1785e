package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.e2e.Api.Reply;
import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The customers API contract, end to end over HTTP with real tokens: the same scenarios run
 * against the embedded local cloud and, where Docker is present, against LocalStack.
 */
abstract class CustomersApiContract {

    protected abstract LocalCloud cloud();

    String tenant;
    Api api;

    @BeforeEach
    void newTenant() {
        tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        api = new Api(cloud().apiUrl(), cloud().token(tenant, "alice"));
    }

    static String person(String first, String last, String email, String phone) {
        return """
                {"firstName": "%s", "lastName": "%s", "email": "%s", "phone": "%s"}""".formatted(first, last, email, phone);
    }

    JsonNode create(String json) {
        Reply reply = api.post("/customers", json);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    JsonNode create(String first, String last, String email) {
        return create(person(first, last, email, "+14155550" + (100 + Math.floorMod(email.hashCode(), 900))));
    }

    static void assertProblem(Reply reply, int status, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.header("content-type")).isEqualTo("application/problem+json");
        var problem = reply.json();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("code").asText()).isNotBlank();
        assertThat(problem.path("title").asText()).isNotBlank();
        if (field != null) {
            List<String> fields = new ArrayList<>();
            problem.path("errors").forEach(e -> fields.add(e.path("field").asText()));
            assertThat(fields).as(reply.toString()).contains(field);
        }
        assertThat(reply.text()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** Every item of this tenant in the table, however it is keyed. */
    int tenantItems() {
        try (var dynamo = TestCloud.dynamoDb(cloud().dynamoDbEndpoint())) {
            return dynamo.scanPaginator(r -> r.tableName(cloud().resources().get("Table"))
                            .filterExpression("begins_with(PK, :t)")
                            .expressionAttributeValues(Map.of(":t", AttributeValue.fromS("T#" + tenant + "#"))))
                    .items().stream().mapToInt(i -> 1).sum();
        }
    }

    @Nested
    class Creating {

        @Test
        void createsANormalisedCustomerWithZeroedStats() {
            var reply = api.post("/customers", """
                    {"firstName": " Ada ", "lastName": "Lovelace", "email": "  Ada@Example.COM ", "phone": "020 7123 4567",
                     "addresses": [{"kind": "billing", "line1": "12 St James's Square", "city": "London", "country": "gb", "isDefault": true}],
                     "metadata": {"crmId": "A-17"}}""");
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
            var customer = reply.json();
            String id = customer.path("id").asText();
            assertThat(id).matches("cus_[0-9A-Z]{26}");
            assertThat(reply.header("location")).isEqualTo("/customers/" + id);
            assertThat(reply.header("etag")).isEqualTo("\"1\"");
            assertThat(customer.path("type").asText()).isEqualTo("individual");
            assertThat(customer.path("firstName").asText()).isEqualTo("Ada");
            assertThat(customer.path("email").asText()).isEqualTo("ada@example.com");
            assertThat(customer.path("phone").asText()).isEqualTo("+442071234567");
            assertThat(customer.path("addresses").get(0).path("country").asText()).isEqualTo("GB");
            assertThat(customer.path("metadata").path("crmId").asText()).isEqualTo("A-17");
            assertThat(customer.path("version").asLong()).isEqualTo(1);
            assertThat(customer.path("createdAt").asText()).endsWith("Z");
            var stats = customer.path("stats");
            assertThat(stats.path("ltv").path("amount").asLong()).isZero();
            assertThat(stats.path("orders").asLong()).isZero();
            assertThat(stats.path("lastPurchaseAt").isNull()).isTrue();

            var read = api.get("/customers/" + id);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.header("etag")).isEqualTo("\"1\"");
            assertThat(read.json()).isEqualTo(customer);
        }

        @Test
        void businessCustomersNeedACompanyAndOnlyThemMayHaveOne() {
            var business = create("""
                    {"type": "business", "firstName": "Grace", "lastName": "Hopper", "email": "grace@navy.example",
                     "phone": "+12025550123", "company": {"name": "Navy Labs", "vatNumber": "US123"},
                     "paymentTerms": "NET_30"}""");
            assertThat(business.path("company").path("name").asText()).isEqualTo("Navy Labs");
            assertThat(business.path("paymentTerms").asText()).isEqualTo("NET_30");

            assertProblem(api.post("/customers", """
                    {"type": "business", "firstName": "A", "lastName": "B", "email": "a@b.example", "phone": "+12025550124"}"""),
                    400, "company");
            assertProblem(api.post("/customers", """
                    {"firstName": "A", "lastName": "B", "email": "a@b.example", "phone": "+12025550124",
                     "company": {"name": "X"}, "paymentTerms": "NET_7"}"""), 400, "paymentTerms");
            assertProblem(api.post("/customers", """
                    {"type": "business", "firstName": "A", "lastName": "B", "email": "a@b.example", "phone": "+12025550124",
                     "company": {"name": "X"}, "paymentTerms": "NET_45"}"""), 400, "paymentTerms");
        }

        @Test
        void aSecondCustomerWithTheSameEmailIsAConflictNamingTheFirst() {
            var first = create("Ada", "Lovelace", "ada@example.com");
            int items = tenantItems();
            var reply = api.post("/customers", person("Ada", "King", "ADA@example.com ", "+442071234568"));
            assertProblem(reply, 409, "email");
            assertThat(reply.json().path("existingCustomerId").asText()).isEqualTo(first.path("id").asText());
            assertThat(tenantItems()).as("nothing half-written").isEqualTo(items);
        }

        @Test
        void concurrentCreatesWithOneEmailMakeOneCustomer() throws Exception {
            var pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<Integer>> calls = IntStream.range(0, 8).<Callable<Integer>>mapToObj(i ->
                        () -> api.post("/customers", person("Twin", "No" + i, "twin@example.com", "+1415555010" + i)).status()).toList();
                var statuses = new ArrayList<Integer>();
                for (var f : pool.invokeAll(calls)) {
                    statuses.add(f.get());
                }
                assertThat(statuses).containsOnly(201, 409);
                assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(1);
            } finally {
                pool.shutdown();
            }
            assertThat(api.get("/customers").json().path("data").size()).isEqualTo(1);
        }

        @Test
        void badInputIsA400NamingTheFieldAndWritesNothing() {
            assertProblem(api.post("/customers", "{\"firstName\": "), 400, "body");
            assertProblem(api.post("/customers", "[1, 2]"), 400, "body");
            assertProblem(api.post("/customers", person("A", "B", "a@b.example", "+14155550100").replace("}", ", \"nickname\": \"x\"}")), 400, "nickname");
            assertProblem(api.post("/customers", "{\"firstName\": 1, \"lastName\": \"B\", \"email\": \"a@b.example\", \"phone\": \"+14155550100\"}"), 400, "firstName");
            assertProblem(api.post("/customers", "{\"lastName\": \"B\", \"email\": \"a@b.example\", \"phone\": \"+14155550100\"}"), 400, "firstName");
            assertProblem(api.post("/customers", person("A", "B", "not-an-email", "+14155550100")), 400, "email");
            assertProblem(api.post("/customers", person("A", "B", "a@b.example", "12")), 400, "phone");
            assertProblem(api.post("/customers", person("A", "B", "a@b.example", "+14155550100").replace("}",
                    ", \"type\": \"robot\"}")), 400, "type");
            assertProblem(api.post("/customers", person("A", "B", "a@b.example", "+14155550100").replace("}",
                    ", \"addresses\": [{\"kind\": \"billing\", \"line1\": \"1 Main St\", \"city\": \"X\", \"country\": \"XX\"}]}")),
                    400, "addresses[0].country");
            assertProblem(api.post("/customers", person("A", "B", "a@b.example", "+14155550100").replace("}",
                    ", \"addresses\": [{\"kind\": \"billing\", \"line1\": \"1\", \"city\": \"X\", \"country\": \"US\", \"isDefault\": true},"
                            + "{\"kind\": \"billing\", \"line1\": \"2\", \"city\": \"Y\", \"country\": \"US\", \"isDefault\": true}]}")),
                    400, "addresses");
            var tooMany = new StringBuilder();
            for (int i = 0; i < 51; i++) {
                tooMany.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": \"v\"");
            }
            assertProblem(api.post("/customers", person("A", "B", "a@b.example", "+14155550100").replace("}",
                    ", \"metadata\": {" + tooMany + "}}")), 400, "metadata");
            assertProblem(api.post("/customers", person("A", "B", "a@b.example", "+14155550100").replace("}",
                    ", \"metadata\": {\"n\": 5}}")), 400, "metadata.n");
            assertProblem(api.post("/customers", person("A", "B", "a@b.example", "+14155550100").replace("}",
                    ", \"id\": \"cus_x\"}")), 400, "id");
            String big = "x".repeat(300 * 1024);
            assertProblem(api.post("/customers", person("A", "B", "a@b.example", "+14155550100").replace("}",
                    ", \"metadata\": {\"big\": \"" + big + "\"}}")), 413, null);
            assertThat(tenantItems()).isZero();
        }
    }

    @Nested
    class Reading {

        @Test
        void anotherTenantsCustomerIsNotFound() {
            String id = create("Ada", "Lovelace", "ada@example.com").path("id").asText();
            var other = new Api(cloud().apiUrl(), cloud().token(tenant + "x", "mallory"));
            assertProblem(other.get("/customers/" + id), 404, null);
            assertProblem(other.patch("/customers/" + id, "{\"firstName\": \"M\"}", "\"1\""), 404, null);
            assertProblem(other.delete("/customers/" + id), 404, null);
            assertThat(api.get("/customers/" + id).status()).isEqualTo(200);
        }

        @Test
        void unknownAndMalformedIdsAreNotFound() {
            assertProblem(api.get("/customers/cus_01JAAAAAAAAAAAAAAAAAAAAAAA"), 404, null);
            assertProblem(api.get("/customers/whatever"), 404, null);
        }

        @Test
        void theGatewayRefusesMissingOrForgedTokens() {
            var anonymous = new Api(cloud().apiUrl(), null);
            assertThat(anonymous.get("/customers").status()).isEqualTo(401);
            var forged = new Api(cloud().apiUrl(), cloud().token(tenant, "alice") + "x");
            assertThat(forged.get("/customers").status()).isEqualTo(401);
            var garbage = new Api(cloud().apiUrl(), "not.a.jwt");
            assertThat(garbage.post("/customers", person("A", "B", "a@b.example", "+14155550100")).status()).isEqualTo(401);
            assertThat(tenantItems()).isZero();
        }

        @Test
        void unknownRoutesAre404AndWrongMethods405() {
            assertProblem(api.get("/nothing-here"), 404, null);
            var reply = api.send("PUT", "/customers", "{}");
            assertProblem(reply, 405, null);
            assertThat(reply.header("allow")).isEqualTo("GET, POST");
            assertThat(api.send("POST", "/customers/cus_01JAAAAAAAAAAAAAAAAAAAAAAA", "{}").header("allow"))
                    .isEqualTo("DELETE, GET, PATCH");
        }
    }

    @Nested
    class Updating {

        @Test
        void mergePatchWithIfMatchBumpsTheVersion() {
            var created = create(person("Ada", "Lovelace", "ada@example.com", "+442071234567").replace("}",
                    ", \"metadata\": {\"a\": \"1\", \"b\": \"2\"}}"));
            String id = created.path("id").asText();
            var reply = api.patch("/customers/" + id, "{\"lastName\": \"King\", \"metadata\": {\"a\": null, \"c\": \"3\"}}", "\"1\"");
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.header("etag")).isEqualTo("\"2\"");
            var updated = reply.json();
            assertThat(updated.path("lastName").asText()).isEqualTo("King");
            assertThat(updated.path("firstName").asText()).isEqualTo("Ada");
            assertThat(updated.path("metadata").properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("b", "c");
            assertThat(updated.path("createdAt")).isEqualTo(created.path("createdAt"));
            assertThat(api.get("/customers/" + id).json()).isEqualTo(updated);
            assertThat(api.get("/customers?q=king").json().path("data").size()).isEqualTo(1);
            assertThat(api.get("/customers?q=lovelace").json().path("data").size()).isZero();
        }

        @Test
        void preconditionsAreEnforced() {
            String id = create("Ada", "Lovelace", "ada@example.com").path("id").asText();
            assertProblem(api.patch("/customers/" + id, "{\"lastName\": \"King\"}", null), 428, null);
            assertThat(api.patch("/customers/" + id, "{\"lastName\": \"King\"}", "\"1\"").status()).isEqualTo(200);
            assertProblem(api.patch("/customers/" + id, "{\"lastName\": \"Byron\"}", "\"1\""), 412, null);
            assertThat(api.get("/customers/" + id).json().path("lastName").asText()).isEqualTo("King");
        }

        @Test
        void readOnlyFieldsAndInvalidResultsAreRefused() {
            String id = create("Ada", "Lovelace", "ada@example.com").path("id").asText();
            assertProblem(api.patch("/customers/" + id, "{\"stats\": {\"orders\": 9}}", "\"1\""), 400, "stats");
            assertProblem(api.patch("/customers/" + id, "{\"id\": \"cus_x\", \"createdAt\": \"2020-01-01T00:00:00Z\"}", "\"1\""), 400, "createdAt");
            assertProblem(api.patch("/customers/" + id, "{\"email\": \"nope\"}", "\"1\""), 400, "email");
            assertProblem(api.patch("/customers/" + id, "{\"firstName\": null}", "\"1\""), 400, "firstName");
            assertProblem(api.patch("/customers/" + id, "{\"type\": \"business\"}", "\"1\""), 400, "company");
            assertProblem(api.patch("/customers/" + id, "{\"shoeSize\": 9}", "\"1\""), 400, "shoeSize");
            assertThat(api.get("/customers/" + id).json().path("version").asLong()).isEqualTo(1);
        }

        @Test
        void changingEmailMovesItsUniqueness() {
            String id = create("Ada", "Lovelace", "ada@example.com").path("id").asText();
            String other = create("Bob", "Babbage", "bob@example.com").path("id").asText();
            var taken = api.patch("/customers/" + id, "{\"email\": \"BOB@example.com\"}", "\"1\"");
            assertProblem(taken, 409, "email");
            assertThat(taken.json().path("existingCustomerId").asText()).isEqualTo(other);

            assertThat(api.patch("/customers/" + id, "{\"email\": \"countess@example.com\"}", "\"1\"").status()).isEqualTo(200);
            assertThat(api.get("/customers?email=countess@example.com").json().path("data").get(0).path("id").asText()).isEqualTo(id);
            assertThat(api.get("/customers?email=ada@example.com").json().path("data").size()).isZero();
            create("Another", "Ada", "ada@example.com");
        }
    }

    @Nested
    class Deleting {

        @Test
        void deletedCustomersAreGoneAndTheirEmailIsFree() {
            String id = create("Ada", "Lovelace", "ada@example.com").path("id").asText();
            assertThat(api.delete("/customers/" + id).status()).isEqualTo(204);
            assertProblem(api.get("/customers/" + id), 404, null);
            assertProblem(api.delete("/customers/" + id), 404, null);
            assertThat(api.get("/customers").json().path("data").size()).isZero();
            assertThat(api.get("/customers?q=ada").json().path("data").size()).isZero();
            assertThat(api.get("/customers?email=ada@example.com").json().path("data").size()).isZero();
            String again = create("Ada", "Lovelace", "ada@example.com").path("id").asText();
            assertThat(again).isNotEqualTo(id);
            assertThat(tenantItems()).as("the deleted profile stays for the ledger").isGreaterThan(1);
        }

        @Test
        void batchDeleteReportsWhatItDeletedAndWhatItDidNotFind() {
            String a = create("Ada", "Lovelace", "ada@example.com").path("id").asText();
            String b = create("Bob", "Babbage", "bob@example.com").path("id").asText();
            String c = create("Cy", "Clark", "cy@example.com").path("id").asText();
            String missing = "cus_01JAAAAAAAAAAAAAAAAAAAAAAA";
            var reply = api.post("/customers/batch-delete", "{\"ids\": [\"" + a + "\", \"" + b + "\", \"" + missing + "\"]}");
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().path("deleted").toString()).isEqualTo("[\"" + a + "\",\"" + b + "\"]");
            assertThat(reply.json().path("notFound").toString()).isEqualTo("[\"" + missing + "\"]");
            var rows = api.get("/customers").json().path("data");
            assertThat(rows.size()).isEqualTo(1);
            assertThat(rows.get(0).path("id").asText()).isEqualTo(c);

            var tooMany = String.join(",", IntStream.range(0, 101).mapToObj(i -> "\"cus_" + i + "\"").toList());
            assertProblem(api.post("/customers/batch-delete", "{\"ids\": [" + tooMany + "]}"), 400, "ids");
            assertProblem(api.post("/customers/batch-delete", "{\"ids\": []}"), 400, "ids");
        }
    }

    @Nested
    class Listing {

        @Test
        void walkingAllPagesSeesEveryCustomerOnceWhileOthersAreCreated() {
            var originals = new HashSet<String>();
            for (int i = 0; i < 23; i++) {
                originals.add(create("P" + i, "Walker", "p" + i + "@walk.example").path("id").asText());
            }
            var seen = new ArrayList<String>();
            String cursor = null;
            int pages = 0;
            do {
                var page = api.get("/customers?limit=5" + (cursor == null ? "" : "&cursor=" + cursor)).json();
                page.path("data").forEach(row -> seen.add(row.path("id").asText()));
                assertThat(page.path("summary").path("customers").asInt()).isEqualTo(page.path("data").size());
                cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
                create("New" + pages, "Arrival", "new" + pages + "@walk.example");
                pages++;
            } while (cursor != null && pages < 20);
            assertThat(seen).doesNotHaveDuplicates();
            assertThat(seen).containsAll(originals);
            assertThat(pages).isEqualTo(5);
            var sorted = new ArrayList<>(seen);
            sorted.sort(java.util.Comparator.reverseOrder());
            assertThat(seen).as("newest first").isEqualTo(sorted);
        }

        @Test
        void sortsByNameAndByLtvAndFiltersByType() {
            create("Zoe", "Adams", "zoe@example.com");
            create("Al", "Brown", "al@example.com");
            create("""
                    {"type": "business", "firstName": "Cat", "lastName": "Cole", "email": "cat@corp.example",
                     "phone": "+12025550199", "company": {"name": "Corp Ltd"}}""");
            var byName = api.get("/customers?sort=name").json().path("data");
            assertThat(names(byName)).containsExactly("Zoe Adams", "Al Brown", "Cat Cole");
            var business = api.get("/customers?type=business").json().path("data");
            assertThat(names(business)).containsExactly("Cat Cole");
            assertThat(business.get(0).path("companyName").asText()).isEqualTo("Corp Ltd");

            var seen = new ArrayList<String>();
            String cursor = null;
            do {
                var page = api.get("/customers?sort=-ltv&limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
                page.path("data").forEach(row -> seen.add(row.path("id").asText()));
                cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            } while (cursor != null);
            assertThat(seen).hasSize(3).doesNotHaveDuplicates();
        }

        @Test
        void searchesByPrefixOfNameEmailPhoneCompanyAndId() {
            var ada = create(person("Ada", "Lovelace", "countess@analytical.example", "+442071234567"));
            create("""
                    {"type": "business", "firstName": "Grace", "lastName": "Hopper", "email": "grace@navy.example",
                     "phone": "+12025550123", "company": {"name": "Analytical Engines Ltd"}}""");
            assertThat(names(api.get("/customers?q=ADA").json().path("data"))).containsExactly("Ada Lovelace");
            assertThat(names(api.get("/customers?q=lovel").json().path("data"))).containsExactly("Ada Lovelace");
            assertThat(names(api.get("/customers?q=ada%20love").json().path("data"))).containsExactly("Ada Lovelace");
            assertThat(names(api.get("/customers?q=countess@").json().path("data"))).containsExactly("Ada Lovelace");
            assertThat(names(api.get("/customers?q=%2B44207").json().path("data"))).containsExactly("Ada Lovelace");
            assertThat(names(api.get("/customers?q=analytical%20eng").json().path("data"))).containsExactly("Grace Hopper");
            String id = ada.path("id").asText();
            assertThat(names(api.get("/customers?q=" + id.substring(0, 20).toLowerCase()).json().path("data"))).contains("Ada Lovelace");
            assertThat(api.get("/customers?q=zzz").json().path("data").size()).isZero();
        }

        @Test
        void looksUpByExactEmailAndPhone() {
            create(person("Ada", "Lovelace", "ada@example.com", "+442071234567"));
            create(person("Bob", "Lovelace", "bob@example.com", "+442071234567"));
            assertThat(names(api.get("/customers?email=ADA@example.com").json().path("data"))).containsExactly("Ada Lovelace");
            assertThat(names(api.get("/customers?email=ad@example.com").json().path("data"))).isEmpty();
            assertThat(names(api.get("/customers?phone=%2B442071234567").json().path("data")))
                    .containsExactlyInAnyOrder("Ada Lovelace", "Bob Lovelace");
            assertProblem(api.get("/customers?phone=123"), 400, "phone");
        }

        @Test
        void badListParametersAre400() {
            assertProblem(api.get("/customers?limit=0"), 400, "limit");
            assertProblem(api.get("/customers?limit=101"), 400, "limit");
            assertProblem(api.get("/customers?limit=ten"), 400, "limit");
            assertProblem(api.get("/customers?sort=age"), 400, "sort");
            assertProblem(api.get("/customers?type=robot"), 400, "type");
            assertProblem(api.get("/customers?colour=red"), 400, "colour");
            assertProblem(api.get("/customers?cursor=abc"), 400, "cursor");
        }

        @Test
        void cursorsCannotBeTamperedWithOrCarriedToAnotherTenantOrList() {
            for (int i = 0; i < 3; i++) {
                create("C" + i, "Cursor", "c" + i + "@example.com");
            }
            String cursor = api.get("/customers?limit=1").json().path("nextCursor").asText();
            assertThat(cursor).isNotBlank();
            assertThat(api.get("/customers?limit=1&cursor=" + cursor).status()).isEqualTo(200);
            // Flip the signature's first character: all six of its bits are signature bits (the last
            // character's low bits are padding, which decoders ignore).
            int at = cursor.indexOf('.') + 1;
            String tampered = cursor.substring(0, at) + (cursor.charAt(at) == 'A' ? 'B' : 'A') + cursor.substring(at + 1);
            assertProblem(api.get("/customers?limit=1&cursor=" + tampered), 400, "cursor");
            assertProblem(api.get("/customers?limit=1&sort=name&cursor=" + cursor), 400, "cursor");
            var other = new Api(cloud().apiUrl(), cloud().token(tenant + "x", "mallory"));
            assertProblem(other.get("/customers?limit=1&cursor=" + cursor), 400, "cursor");
        }

        @Test
        void rowsCarryWhatTheCustomersPageShows() {
            create("Ada", "Lovelace", "ada@example.com");
            var page = api.get("/customers").json();
            var row = page.path("data").get(0);
            for (String field : List.of("id", "name", "email", "type", "ltv", "lastPurchaseAt", "orders", "lastOrderValue", "paymentMethod")) {
                assertThat(row.has(field)).as(field).isTrue();
            }
            assertThat(row.path("paymentMethod").isNull()).isTrue();
            var summary = page.path("summary");
            assertThat(summary.path("customers").asInt()).isEqualTo(1);
            assertThat(summary.path("returningCustomersPct").asDouble()).isZero();
            assertThat(summary.has("averageSpent")).isTrue();
            assertThat(summary.has("averageLtv")).isTrue();
        }
    }

    private static List<String> names(JsonNode rows) {
        var names = new ArrayList<String>();
        rows.forEach(r -> names.add(r.path("name").asText()));
        return names;
    }
}
