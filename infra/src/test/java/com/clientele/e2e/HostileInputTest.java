package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.customers.CustomerItems;
import com.clientele.e2e.Api.Reply;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a careless or hostile client sends, route by route: lone UTF-16 surrogates (JSON
 * {@code \ud800}), zero-width, bidi and control characters, searches of punctuation alone, numbers
 * at and past the ends of their types, huge strings. Every answer is a 4xx problem naming the field
 * (and nothing changed) or a 2xx that works: never a 5xx. Then what GET returns is PUT back as it is.
 */
class HostileInputTest {

    private static final String LONE = "\\ud800";
    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "h" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private static String customerBody(String first, String last, String email) {
        return """
                {"firstName": "%s", "lastName": "%s", "email": "%s", "phone": "+14155550123"}""".formatted(first, last, email);
    }

    private String customer(String email) {
        var reply = api.post("/customers", customerBody("Ada", "Lovelace", email));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    /** A 400 problem whose errors name {@code field}. */
    private static void refused(Reply reply, String field) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(400);
        assertThat(reply.json().path("code").asText()).isEqualTo("validation_error");
        assertThat(reply.json().path("errors").findValuesAsText("field")).as(reply.text()).contains(field);
    }

    private int customers() {
        var page = api.get("/customers?limit=100");
        assertThat(page.status()).isEqualTo(200);
        return page.json().path("data").size();
    }

    @Test
    void textThatIsNotWellFormedOrHoldsControlCharactersIsRefusedNamingTheFieldAndNothingIsStored() {
        refused(api.post("/customers", customerBody("Ada" + LONE, "Lovelace", "a@example.com")), "firstName");
        refused(api.post("/customers", customerBody("Ada", "Love\\udc00lace", "a@example.com")), "lastName");
        refused(api.post("/customers", customerBody("Ada", "Lovelace", "a" + LONE + "@example.com")), "email");
        refused(api.post("/customers", customerBody("Ada\\u0000", "Lovelace", "a@example.com")), "firstName");
        refused(api.post("/customers", customerBody("Ada\\u001b[31m", "Lovelace", "a@example.com")), "firstName");
        refused(api.post("/customers", customerBody("Ada\\nLovelace", "Lovelace", "a@example.com")), "firstName");
        refused(api.post("/customers", customerBody("Ada\\u0085", "Lovelace", "a@example.com")), "firstName");
        refused(api.post("/customers", """
                {"firstName": "Ada", "lastName": "Lovelace", "email": "a@example.com", "phone": "+14155550123",
                 "metadata": {"k\\ud800": "v"}}"""), "metadata.k\ufffd");
        refused(api.post("/customers", """
                {"firstName": "Ada", "lastName": "Lovelace", "email": "a@example.com", "phone": "+14155550123",
                 "addresses": [{"kind": "billing", "line1": "1 Main\\u0007", "city": "Springfield", "country": "US"}]}"""),
                "addresses[0].line1");
        refused(api.post("/customers", customerBody("A".repeat(100_000), "Lovelace", "a@example.com")), "firstName");
        var huge = api.post("/customers", customerBody("A".repeat(300_000), "Lovelace", "a@example.com"));
        assertThat(huge.status()).isEqualTo(413);
        assertThat(customers()).isZero();

        String id = customer("ada@example.com");
        var before = api.get("/customers/" + id);
        var patched = api.patch("/customers/" + id, "{\"lastName\": \"X\\udfff\"}", before.header("ETag"));
        refused(patched, "lastName");
        assertThat(api.get("/customers/" + id).json().path("lastName").asText()).isEqualTo("Lovelace");
    }

    @Test
    void invisibleCharactersAreRemovedAndTextIsStoredInNfc() {
        var reply = api.post("/customers", customerBody("\\u200bZoe\\u0301\\u2060", "\\u202eL\\u00f8v\\ufeffe", "zoe@example.com"));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        assertThat(reply.json().path("firstName").asText()).isEqualTo("Zoé");
        assertThat(reply.json().path("lastName").asText()).isEqualTo("Løve");
        var search = api.get("/customers?q=zo%C3%A9");
        assertThat(search.json().path("data").findValuesAsText("id")).containsExactly(reply.json().path("id").asText());

        // A name that begins outside the Basic Multilingual Plane: its search partition is a whole code point.
        var emoji = api.post("/customers", customerBody("\ud83d\ude00Joy", "Smile", "joy@example.com"));
        assertThat(emoji.status()).as(emoji.text()).isEqualTo(201);
        assertThat(api.get("/customers?q=%F0%9F%98%80").json().path("data").findValuesAsText("id"))
                .containsExactly(emoji.json().path("id").asText());
        assertThat(api.get("/customers?q=%F0%9F%98%81").json().path("data")).isEmpty();
    }

    @Test
    void emailsThatDifferOnlyByInvisibleOrCompatibilityCharactersAreTheSameCustomer() {
        String id = customer("ada@example.com");
        for (String twin : List.of("a\\u200bda@example.com", "ada@example.com\\u200d", "\\ufeffADA@Example.com",
                "\\uff41da@example.com", "a\\u2060da@EXAMPLE.COM")) {
            var reply = api.post("/customers", customerBody("Ada", "Twin", twin));
            assertThat(reply.status()).as(twin + ": " + reply.text()).isEqualTo(409);
            assertThat(reply.json().path("existingCustomerId").asText()).isEqualTo(id);
        }
        for (String query : List.of("a%E2%80%8Bda%40example.com", "%EF%BD%81da%40example.com", "ADA%40example.com")) {
            var found = api.get("/customers?email=" + query);
            assertThat(found.status()).as(found.text()).isEqualTo(200);
            assertThat(found.json().path("data").findValuesAsText("id")).as(query).containsExactly(id);
        }
        refused(api.post("/customers", customerBody("Ada", "Twin", "ada\\u0007@example.com")), "email");
        assertThat(customers()).isEqualTo(1);
    }

    @Test
    void searchesOfAnyCharactersAnswer200Or400() {
        String id = customer("ada@example.com");
        for (String q : List.of("%21%40%23", "...", "%E2%80%8B", "-", "%2B", "()", "%23", "%25", "%5C", "%22", "%27",
                "%F0%9F%98%80", "%EF%BF%BD", "%ED%A0%80", "%C0%AF", "a%2Ab", "%20.%20", "%2B%2B%2B")) {
            var reply = api.get("/customers?q=" + q);
            assertThat(reply.status()).as(q + ": " + reply.text()).isIn(200, 400);
        }
        assertThat(api.get("/customers?q=...").json().path("data")).isEmpty();
        assertThat(api.get("/customers?q=%E2%80%8B").json().path("data").findValuesAsText("id")).containsExactly(id);
        assertThat(api.get("/customers?q=ada%E2%80%8B").json().path("data").findValuesAsText("id")).containsExactly(id);
        refused(api.get("/customers?q=a%07"), "q");

        var export = ExportsApiTest.start(api, "{\"q\": \"...\"}");
        var done = ExportsApiTest.finished(api, export.path("id").asText());
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("rowsWritten").asLong()).isZero();
        refused(api.post("/exports/customers", "{\"q\": \"a" + LONE + "\"}"), "q");
        refused(api.post("/exports/customers", "{\"q\": \"a\\u0000\"}"), "q");
        refused(api.post("/exports/customers", "{\"columns\": [\"id\\ud800\"]}"), "columns[0]");
    }

    @Test
    void pointsAdjustmentsAtTheEndsOfTheNumberRangeAreRefusedAndTheBalanceUntouched() {
        String id = customer("ada@example.com");
        var credit = adjust(id, "500");
        assertThat(credit.status()).as(credit.text()).isEqualTo(201);
        for (String points : List.of("-9223372036854775808", "9223372036854775807", "9223372036854775808",
                "-9223372036854775809", "1000000001", "-1000000001", "2147483648", "0", "1e3", "1.5", "\"5\"",
                "99999999999999999999999999999999999999")) {
            refused(adjust(id, points), "points");
        }
        refused(api.send("POST", "/customers/" + id + "/points/redemptions",
                "{\"points\": -9223372036854775808, \"reason\": \"till\"}", "Idempotency-Key", UUID.randomUUID().toString()), "points");
        refused(api.send("POST", "/customers/" + id + "/points/adjustments",
                "{\"points\": 5, \"reason\": \"bad\\u0000\"}", "Idempotency-Key", UUID.randomUUID().toString()), "reason");
        var points = api.get("/customers/" + id + "/points").json();
        assertThat(points.path("available").asLong()).as(points.toString()).isEqualTo(500);
        assertThat(points.path("lifetime").asLong()).isEqualTo(500);
        assertThat(api.get("/customers/" + id + "/points/statement").json().path("data")).hasSize(1);
    }

    private Reply adjust(String customerId, String points) {
        return api.send("POST", "/customers/" + customerId + "/points/adjustments",
                "{\"points\": " + points + ", \"reason\": \"goodwill\"}", "Idempotency-Key", UUID.randomUUID().toString());
    }

    @Test
    void settingsNumbersPastTheirRangeAreRefusedAndTheSettingsUnchanged() {
        String loyalty = api.get("/loyalty/settings").text();
        String segments = api.get("/settings/segments").text();
        for (var bad : Map.of(
                "lotLifetimeMonths", "\"lotLifetimeMonths\": 2147483648",
                "referrerBonus", "\"referrerBonus\": -9223372036854775808",
                "refereeBonus", "\"refereeBonus\": 9223372036854775808",
                "pointValue.amount", "\"pointValue\": {\"amount\": 9223372036854775807, \"currency\": \"USD\"}",
                "pointsPerUnit", "\"pointsPerUnit\": 1e999999999").entrySet()) {
            var body = new java.util.LinkedHashMap<String, String>(Map.of("pointsPerUnit", "\"pointsPerUnit\": 1",
                    "rounding", "\"rounding\": \"DOWN\"", "lotLifetimeMonths", "\"lotLifetimeMonths\": 12",
                    "referrerBonus", "\"referrerBonus\": 0", "refereeBonus", "\"refereeBonus\": 0",
                    "otpRequired", "\"otpRequired\": false",
                    "pointValue.amount", "\"pointValue\": {\"amount\": 1, \"currency\": \"USD\"}"));
            body.put(bad.getKey(), bad.getValue());
            var reply = api.send("PUT", "/loyalty/settings", "{" + String.join(", ", body.values()) + "}");
            assertThat(reply.status()).as(bad + ": " + reply.text()).isEqualTo(400);
            assertThat(reply.json().path("errors").findValuesAsText("field")).as(reply.text())
                    .anyMatch(f -> f.startsWith(bad.getKey().split("\\.")[0]));
        }
        String valid = "{\"highValueLtv\": {\"amount\": 100, \"currency\": \"USD\"}, \"atRiskDays\": 30, \"loyalOrders\": 3, \"newDays\": 30}";
        refused(api.send("PUT", "/settings/segments", valid.replace("\"atRiskDays\": 30", "\"atRiskDays\": 2147483648")), "atRiskDays");
        refused(api.send("PUT", "/settings/segments", valid.replace("\"atRiskDays\": 30", "\"atRiskDays\": -2147483649")), "atRiskDays");
        refused(api.send("PUT", "/settings/segments", valid.replace("\"loyalOrders\": 3", "\"loyalOrders\": 9223372036854775808")), "loyalOrders");
        refused(api.send("PUT", "/settings/segments", valid.replace("\"newDays\": 30", "\"newDays\": 1e10")), "newDays");
        refused(api.send("PUT", "/settings/segments", "{\"highValueLtv\": {\"amount\": 9223372036854775807, \"currency\": \"USD\"}, "
                + "\"atRiskDays\": 30, \"loyalOrders\": 3, \"newDays\": 30}"), "highValueLtv.amount");
        refused(api.send("PUT", "/settings/segments", "{\"highValueLtv\": {\"amount\": 100, \"currency\": \"US\\u200bD\"}, "
                + "\"atRiskDays\": 30, \"loyalOrders\": 2147483647, \"newDays\": 30}"), "loyalOrders");
        assertThat(api.get("/loyalty/settings").text()).isEqualTo(loyalty);
        assertThat(api.get("/settings/segments").text()).isEqualTo(segments);
    }

    @Test
    void chargeAmountsAndCardTextAtTheEndsOfTheirRangeAreRefused() {
        String id = customer("ada@example.com");
        var card = api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4242424242424242"));
        assertThat(card.status()).as(card.text()).isIn(200, 201);
        for (String amount : List.of("9223372036854775807", "9223372036854775808", "-9223372036854775808", "0", "2147483648000000")) {
            var reply = api.send("POST", "/customers/" + id + "/charges",
                    "{\"amount\": {\"amount\": " + amount + ", \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString());
            refused(reply, "amount.amount");
        }
        refused(api.send("POST", "/customers/" + id + "/charges", "{\"amount\": {\"amount\": 100, \"currency\": \"USD\"}, "
                + "\"description\": \"Order" + LONE + "\"}", "Idempotency-Key", UUID.randomUUID().toString()), "description");
        refused(api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4242424242424242")
                .replace("Alice Smith", "Alice\\tSmith")), "card.holderName");
        assertThat(api.get("/customers/" + id + "/payments").json().path("data")).isEmpty();
    }

    @Test
    void notesMaySpanLinesButHoldNoOtherControlCharacter() {
        String id = customer("ada@example.com");
        refused(api.post("/customers/" + id + "/notes", "{\"type\": \"phone\", \"summary\": \"Called\\u0000\"}"), "summary");
        refused(api.post("/customers/" + id + "/notes", "{\"type\": \"phone\", \"summary\": \"Called" + LONE + "\"}"), "summary");
        var note = api.post("/customers/" + id + "/notes", "{\"type\": \"phone\", \"summary\": \"Called\\r\\n\\tback\\u200b\"}");
        assertThat(note.status()).as(note.text()).isEqualTo(201);
        assertThat(note.json().path("summary").asText()).isEqualTo("Called\n\tback");
        assertThat(api.get("/customers/" + id + "/notes").json().path("data")).hasSize(1);
    }

    @Test
    void pathAndQueryParametersFollowTheRuleToo() {
        refused(api.get("/customers?limit=2147483648"), "limit");
        refused(api.get("/customers?ltvMin=9223372036854775808"), "ltvMin");
        var reply = api.get("/customers/cus_%E2%80%8B");
        assertThat(reply.status()).as(reply.text()).isBetween(400, 499);
        var control = api.get("/customers/cus_%07");
        assertThat(control.status()).as(control.text()).isBetween(400, 499);
    }

    // ---- representations round-trip -------------------------------------------------------------

    @Test
    void whatGetReturnsEveryPutTakesBackUnchanged() {
        for (String path : List.of("/loyalty/settings", "/settings/segments")) {
            var defaults = api.get(path);
            var put = api.send("PUT", path, defaults.text());
            assertThat(put.status()).as(path + ": " + put.text()).isEqualTo(200);
            var saved = api.get(path).json();
            assertThat(withoutUpdatedAt(saved)).isEqualTo(withoutUpdatedAt(defaults.json()));
            assertThat(saved.path("updatedAt").isTextual()).isTrue();

            var again = api.send("PUT", path, saved.toString());
            assertThat(again.status()).as(path + ": " + again.text()).isEqualTo(200);
            assertThat(withoutUpdatedAt(api.get(path).json())).isEqualTo(withoutUpdatedAt(saved));
        }
    }

    /** Without the read-only stamps of a save: when ({@code updatedAt}) and by whom ({@code updatedBy}). */
    private static JsonNode withoutUpdatedAt(JsonNode node) {
        var copy = node.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(List.of("updatedAt", "updatedBy"));
        return copy;
    }

    @Test
    void aPatchOfTheWholeCustomerNamesItsReadOnlyFieldsAsDocumented() {
        String id = customer("ada@example.com");
        var read = api.get("/customers/" + id);
        var reply = api.patch("/customers/" + id, read.text(), read.header("ETag"));
        refused(reply, "id");
        assertThat(reply.json().path("errors").findValuesAsText("field")).contains("createdAt", "updatedAt", "version");
        assertThat(api.get("/customers/" + id).header("ETag")).isEqualTo(read.header("ETag"));
    }

    // ---- records stored before the rules ------------------------------------------------------------

    @Test
    void aCustomerStoredWithALoneSurrogateIsExportedRepairedAndCountedAndRecomputed() {
        String bad = customer("ada@example.com");
        customer("grace@example.com");
        try (var dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            var table = cloud.resources().get("Table");
            dynamo.updateItem(r -> r.tableName(table)
                    .key(Map.of("PK", AttributeValue.fromS(Keys.customer(tenant, bad)), "SK", AttributeValue.fromS(CustomerItems.PROFILE)))
                    .updateExpression("SET firstName = :name")
                    .expressionAttributeValues(Map.of(":name", AttributeValue.fromS("Ada\ud800"))));
        }
        var export = ExportsApiTest.start(api, "{\"columns\": [\"id\", \"firstName\", \"email\"]}");
        var done = ExportsApiTest.finished(api, export.path("id").asText());
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("rowsWritten").asLong()).isEqualTo(2);
        assertThat(done.path("rowsRepaired").asLong()).isEqualTo(1);
        assertThat(done.path("rowsSkipped").asLong()).isZero();
        var rows = ExportsApiTest.parse(ExportsApiTest.download(done.path("downloadUrl").asText()).body());
        assertThat(rows).extracting(r -> r.get(1)).contains("Ada\ufffd");

        // The whole-tenant LTV recompute rewrites every profile: the damaged one does not stop it.
        var job = LtvRecomputeTest.finished(api, LtvRecomputeTest.start(api, null).path("id").asText());
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
        assertThat(api.get("/customers/" + bad).status()).isEqualTo(200);
    }
}
