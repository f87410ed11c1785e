package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.e2e.Api.Reply;
import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Smart lists over HTTP: saved queries of the customers list, per tenant and shared by its team; created, listed by
 * name, read, renamed under If-Match, deleted; names unique whatever their case; queries checked by the customers
 * list's own parser; at most 100 per tenant; another tenant's list not found; a viewer reads but never writes.
 */
class SmartListsApiTest {

    private LocalCloud cloud;
    private String tenant;
    private Api api;

    @BeforeEach
    void setUp() {
        cloud = TestCloud.embedded();
        tenant = "sl" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
    }

    @Test
    void aListIsCreatedListedByNameReadRenamedAndDeleted() {
        var created = api.post("/smart-lists", """
                {"name": "Big spenders", "query": {"segment": "high_value", "sort": "-ltv", "ltvMin": 10000, "hasPurchases": true}}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        var list = created.json();
        String id = list.path("id").asText();
        assertThat(id).startsWith("sl_");
        assertThat(created.header("Location")).isEqualTo("/smart-lists/" + id);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(list.path("name").asText()).isEqualTo("Big spenders");
        assertThat(list.path("query").path("segment").asText()).isEqualTo("high_value");
        assertThat(list.path("query").path("ltvMin").asText()).isEqualTo("10000");
        assertThat(list.path("query").path("hasPurchases").asText()).isEqualTo("true");
        assertThat(list.path("createdBy").asText()).isEqualTo("alice");
        assertThat(list.path("createdAt").asText()).isEqualTo(list.path("updatedAt").asText()).isNotEmpty();
        assertThat(list.path("version").asLong()).isEqualTo(1);

        var runs = api.get("/customers?" + String.join("&", query(list)));
        assertThat(runs.status()).as("the saved query runs as it is: " + runs).isEqualTo(200);

        create("beta", "{\"q\": \"acme\"}");
        create("Alpha", "{\"type\": \"business\"}");
        assertThat(names(api.get("/smart-lists"))).containsExactly("Alpha", "beta", "Big spenders");

        var read = api.get("/smart-lists/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo("\"1\"");
        assertThat(read.json()).isEqualTo(list);

        var noIfMatch = api.patch("/smart-lists/" + id, "{\"name\": \"Biggest spenders\"}", null);
        assertThat(noIfMatch.status()).as(noIfMatch.toString()).isEqualTo(428);
        var renamed = api.patch("/smart-lists/" + id, "{\"name\": \"Biggest spenders\", \"query\": {\"ltvMin\": null, \"tier\": \"gold\"}}", "\"1\"");
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.header("ETag")).isEqualTo("\"2\"");
        assertThat(renamed.json().path("name").asText()).isEqualTo("Biggest spenders");
        assertThat(renamed.json().path("query").has("ltvMin")).isFalse();
        assertThat(renamed.json().path("query").path("tier").asText()).isEqualTo("gold");
        assertThat(renamed.json().path("query").path("segment").asText()).isEqualTo("high_value");
        assertThat(renamed.json().path("createdAt").asText()).isEqualTo(list.path("createdAt").asText());
        var stale = api.patch("/smart-lists/" + id, "{\"name\": \"Whales\"}", "\"1\"");
        assertThat(stale.status()).as(stale.toString()).isEqualTo(412);
        assertThat(api.get("/smart-lists/" + id).json().path("name").asText()).isEqualTo("Biggest spenders");
        var sentBack = api.patch("/smart-lists/" + id, renamed.text(), "\"2\"");
        assertThat(sentBack.status()).as("what a GET shows may be sent back: " + sentBack).isEqualTo(200);
        assertThat(sentBack.json().path("version").asLong()).isEqualTo(2);
        assertThat(names(api.get("/smart-lists"))).containsExactly("Alpha", "beta", "Biggest spenders");

        var deleted = api.delete("/smart-lists/" + id);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        assertThat(api.get("/smart-lists/" + id).status()).isEqualTo(404);
        assertThat(api.delete("/smart-lists/" + id).status()).isEqualTo(404);
        assertThat(names(api.get("/smart-lists"))).containsExactly("Alpha", "beta");
        create("Biggest spenders", "{}");
    }

    @Test
    void namesAreUniqueWhateverTheirCase() {
        String alpha = create("Alpha", "{}").path("id").asText();
        String beta = create("Beta", "{}").path("id").asText();
        taken(api.post("/smart-lists", "{\"name\": \"ALPHA\", \"query\": {}}"));
        taken(api.post("/smart-lists", "{\"name\": \"  alpha \", \"query\": {}}"));
        taken(api.patch("/smart-lists/" + beta, "{\"name\": \"alpha\"}", "\"1\""));
        var recased = api.patch("/smart-lists/" + alpha, "{\"name\": \"ALPHA\"}", "\"1\"");
        assertThat(recased.status()).as("its own name in another case: " + recased).isEqualTo(200);
        var moved = api.patch("/smart-lists/" + beta, "{\"name\": \"Gamma\"}", "\"1\"");
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        create("beta", "{}");
        taken(api.post("/smart-lists", "{\"name\": \"gamma\", \"query\": {}}"));
        assertThat(names(api.get("/smart-lists"))).containsExactly("ALPHA", "beta", "Gamma");
    }

    @Test
    void badNamesAndQueriesAreNamed() {
        invalid(api.post("/smart-lists", "{\"name\": \"x\", \"query\": {\"colour\": \"red\"}}"), "query.colour");
        invalid(api.post("/smart-lists", "{\"name\": \"x\", \"query\": {\"ltvMin\": \"lots\"}}"), "query.ltvMin");
        invalid(api.post("/smart-lists", "{\"name\": \"x\", \"query\": {\"ltvMin\": 500, \"ltvMax\": 100}}"), "query.ltvMax");
        invalid(api.post("/smart-lists", "{\"name\": \"x\", \"query\": {\"sort\": \"shoe size\"}}"), "query.sort");
        invalid(api.post("/smart-lists", "{\"name\": \"x\", \"query\": {\"segment\": {\"a\": 1}}}"), "query.segment");
        invalid(api.post("/smart-lists", "{\"name\": \"x\", \"query\": {\"hasPurchases\": 1.5}}"), "query.hasPurchases");
        invalid(api.post("/smart-lists", "{\"name\": \"x\", \"query\": {\"limit\": 10}}"), "query.limit");
        invalid(api.post("/smart-lists", "{\"name\": \"x\", \"query\": {\"cursor\": \"abc\"}}"), "query.cursor");
        invalid(api.post("/smart-lists", "{\"name\": \"x\", \"query\": {\"phone\": \"+14155550101\"}}"), "query.phone");
        invalid(api.post("/smart-lists", "{\"name\": \"x\", \"query\": {\"q\": \"ada\", \"sort\": \"name\"}}"), "query.sort");
        invalid(api.post("/smart-lists", "{\"name\": \"x\", \"query\": {\"email\": \"ada@example.com\"}}"), "query.email");
        invalid(api.post("/smart-lists", "{\"name\": \"x\", \"query\": [\"segment\"]}"), "query");
        invalid(api.post("/smart-lists", "{\"name\": \"x\"}"), "query");
        invalid(api.post("/smart-lists", "{\"name\": \"  \", \"query\": {}}"), "name");
        invalid(api.post("/smart-lists", "{\"name\": \"" + "n".repeat(81) + "\", \"query\": {}}"), "name");
        invalid(api.post("/smart-lists", "{\"name\": \"a\\u0007b\", \"query\": {}}"), "name");
        invalid(api.post("/smart-lists", "{\"name\": 7, \"query\": {}}"), "name");
        invalid(api.post("/smart-lists", "{\"name\": \"x\", \"query\": {}, \"colour\": \"red\"}"), "colour");
        invalid(api.get("/smart-lists?limit=5"), "limit");
        assertThat(create("n".repeat(80), "{}").path("name").asText()).hasSize(80);
        String id = create("Fine", "{\"segment\": \"loyal\"}").path("id").asText();
        invalid(api.patch("/smart-lists/" + id, "{\"query\": {\"ltvMax\": -1}}", "\"1\""), "query.ltvMax");
        invalid(api.patch("/smart-lists/" + id, "{\"id\": \"sl_other\"}", "\"1\""), "id");
        invalid(api.patch("/smart-lists/" + id, "{\"name\": null}", "\"1\""), "name");
        assertThat(api.get("/smart-lists/" + id).json().path("version").asLong()).as("nothing changed").isEqualTo(1);
        assertThat(api.get("/smart-lists/nope").status()).isEqualTo(404);
    }

    @Test
    void anotherTenantsListIsNotFound() {
        String id = create("Ours", "{}").path("id").asText();
        var other = new Api(cloud.apiUrl(), cloud.token("o" + tenant, "mallory"));
        assertThat(other.get("/smart-lists/" + id).status()).isEqualTo(404);
        assertThat(other.patch("/smart-lists/" + id, "{\"name\": \"Theirs\"}", "\"1\"").status()).isEqualTo(404);
        assertThat(other.delete("/smart-lists/" + id).status()).isEqualTo(404);
        assertThat(other.get("/smart-lists").json().path("data")).isEmpty();
        var theirs = other.post("/smart-lists", "{\"name\": \"Ours\", \"query\": {}}");
        assertThat(theirs.status()).as("names are unique per tenant only: " + theirs).isEqualTo(201);
        assertThat(names(api.get("/smart-lists"))).containsExactly("Ours");
        assertThat(api.get("/smart-lists/" + id).json().path("name").asText()).isEqualTo("Ours");
    }

    @Test
    void aViewerReadsTheTeamsListsButCannotWriteThem() {
        String id = create("Shared", "{\"segment\": \"new\"}").path("id").asText();
        var viewer = new Api(cloud.apiUrl(), cloud.tokenOfRole(tenant, "victor", "viewer"));
        assertThat(names(viewer.get("/smart-lists"))).containsExactly("Shared");
        assertThat(viewer.get("/smart-lists/" + id).json().path("createdBy").asText()).isEqualTo("alice");
        refused(viewer.post("/smart-lists", "{\"name\": \"Mine\", \"query\": {}}"));
        refused(viewer.patch("/smart-lists/" + id, "{\"name\": \"Mine\"}", "\"1\""));
        refused(viewer.delete("/smart-lists/" + id));
        assertThat(names(api.get("/smart-lists"))).containsExactly("Shared");
    }

    @Test
    void aTenantKeepsAtMostOneHundredLists() {
        var ids = new ArrayList<String>();
        for (int i = 0; i < 100; i++) {
            ids.add(create("List %03d".formatted(i), "{}").path("id").asText());
        }
        var refused = api.post("/smart-lists", "{\"name\": \"One too many\", \"query\": {}}");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.json().path("code").asText()).isEqualTo("too_many_smart_lists");
        assertThat(api.get("/smart-lists").json().path("data")).hasSize(100);
        assertThat(api.delete("/smart-lists/" + ids.get(0)).status()).isEqualTo(204);
        create("One too many", "{}");
        assertThat(api.get("/smart-lists").json().path("data")).hasSize(100);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private JsonNode create(String name, String query) {
        var reply = api.post("/smart-lists", "{\"name\": \"" + name + "\", \"query\": " + query + "}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    private static List<String> query(JsonNode list) {
        var parameters = new ArrayList<String>();
        list.path("query").properties().forEach(e -> parameters.add(e.getKey() + "=" + e.getValue().asText()));
        return parameters;
    }

    private static List<String> names(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().path("data").findValuesAsText("name");
    }

    private static void taken(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
        assertThat(reply.json().path("code").asText()).isEqualTo("smart_list_name_taken");
        assertThat(reply.json().path("errors").get(0).path("field").asText()).isEqualTo("name");
    }

    private static void invalid(Reply reply, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().path("errors").findValuesAsText("field")).as(reply.toString()).contains(field);
    }

    private static void refused(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
        assertThat(reply.json().path("code").asText()).isEqualTo("insufficient_scope");
        assertThat(reply.json().path("scope").asText()).isEqualTo("customers:write");
    }
}
