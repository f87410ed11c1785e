package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The catalogue over HTTP: products, their variants and prices; archiving takes them out of new sales
 * only; a price's terms never change; bad input is a 4xx naming the field; another tenant sees nothing.
 */
class CatalogueApiTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "cat" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private Api.Reply create(String path, String body) {
        return api.send("POST", path, body, "Idempotency-Key", UUID.randomUUID().toString());
    }

    private String product(String name) {
        var created = create("/products", "{\"name\": \"" + name + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private static String field(Api.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        return reply.json().path("errors").get(0).path("field").asText();
    }

    @Test
    void aProductWithVariantsAndPricesIsListedChangedAndArchived() {
        var created = create("/products", """
                {"name": "FlexBook 14", "description": "A 14-inch laptop", "metadata": {"line": "laptops"}}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String product = created.json().path("id").asText();
        assertThat(product).startsWith("prod_");
        assertThat(created.header("Location")).isEqualTo("/products/" + product);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(created.json().path("active").asBoolean()).isTrue();

        var variant = create("/products/" + product + "/variants", """
                {"name": "16 GB, silver", "sku": "FB14-16-SLV", "attributes": {"memory": "16 GB"}}""");
        assertThat(variant.status()).as(variant.toString()).isEqualTo(201);
        String variantId = variant.json().path("id").asText();
        assertThat(variant.header("Location")).isEqualTo("/products/" + product + "/variants/" + variantId);
        var sameSku = create("/products/" + product + "/variants", "{\"name\": \"Again\", \"sku\": \"fb14-16-slv\"}");
        assertThat(sameSku.status()).as("SKUs are unique whatever their case").isEqualTo(409);
        assertThat(sameSku.json().path("code").asText()).isEqualTo("sku_taken");
        assertThat(sameSku.json().path("errors").get(0).path("field").asText()).isEqualTo("sku");

        var monthly = create("/prices", """
                {"productId": "%s", "variantId": "%s", "currency": "USD", "unitAmount": 8900, "type": "recurring",
                 "recurring": {"interval": "month", "contractMonths": 12}, "assetCost": 90000}""".formatted(product, variantId));
        assertThat(monthly.status()).as(monthly.toString()).isEqualTo(201);
        assertThat(monthly.json().path("monthlyAmount").asLong()).isEqualTo(8900);
        assertThat(monthly.json().path("recurring").path("intervalCount").asInt()).isEqualTo(1);
        String monthlyId = monthly.json().path("id").asText();
        var yearly = create("/prices", """
                {"productId": "%s", "currency": "USD", "unitAmount": 99900, "type": "recurring",
                 "recurring": {"interval": "year", "intervalCount": 1}}""".formatted(product));
        assertThat(yearly.json().path("monthlyAmount").asLong()).as("99900 / 12 = 8325").isEqualTo(8325);
        var buyout = create("/prices", """
                {"productId": "%s", "currency": "USD", "unitAmount": 30000, "type": "one_time", "nickname": "Buyout"}""".formatted(product));
        assertThat(buyout.status()).isEqualTo(201);
        assertThat(buyout.json().path("monthlyAmount").isNull()).isTrue();

        var read = api.get("/products/" + product);
        assertThat(read.json().path("variantCount").asInt()).isEqualTo(1);
        assertThat(read.json().path("priceCount").asInt()).isEqualTo(3);
        String etag = read.header("ETag");
        assertThat(api.get("/prices?productId=" + product + "&type=recurring").json().path("data"))
                .extracting(p -> p.path("id").asText()).containsExactly(yearly.json().path("id").asText(), monthlyId);
        var page = api.get("/prices?productId=" + product + "&limit=2").json();
        assertThat(page.path("data")).hasSize(2);
        assertThat(api.get("/prices?productId=" + product + "&limit=2&cursor=" + page.path("nextCursor").asText()).json()
                .path("data").get(0).path("id").asText()).isEqualTo(monthlyId);
        assertThat(api.get("/products/" + product + "/variants").json().path("data")).hasSize(1);

        // a product is changed by merge patch under If-Match; what a GET returned can be sent back
        assertThat(api.patch("/products/" + product, "{\"name\": \"FlexBook 14 Pro\"}", null).status()).isEqualTo(428);
        assertThat(api.patch("/products/" + product, "{\"name\": \"FlexBook 14 Pro\"}", "\"1\"").status()).isEqualTo(412);
        var sentBack = (com.fasterxml.jackson.databind.node.ObjectNode) read.json();
        sentBack.put("name", "FlexBook 14 Pro");
        var renamed = api.patch("/products/" + product, sentBack.toString(), etag);
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.json().path("name").asText()).isEqualTo("FlexBook 14 Pro");
        assertThat(field(api.patch("/products/" + product, "{\"priceCount\": 0}", renamed.header("ETag")))).isEqualTo("priceCount");
        var variantRead = api.get("/products/" + product + "/variants/" + variantId);
        var resku = api.patch("/products/" + product + "/variants/" + variantId, "{\"sku\": \"FB14-16-SILVER\"}", variantRead.header("ETag"));
        assertThat(resku.status()).as(resku.toString()).isEqualTo(200);
        assertThat(create("/products/" + product + "/variants", "{\"name\": \"Old SKU free again\", \"sku\": \"FB14-16-SLV\"}").status())
                .isEqualTo(201);

        // a price's terms never change: a new price, and the old one archived
        var priceRead = api.get("/prices/" + monthlyId);
        assertThat(field(api.patch("/prices/" + monthlyId, "{\"unitAmount\": 9900}", priceRead.header("ETag")))).isEqualTo("unitAmount");
        var nicknamed = api.patch("/prices/" + monthlyId, "{\"nickname\": \"Launch\"}", priceRead.header("ETag"));
        assertThat(nicknamed.status()).as(nicknamed.toString()).isEqualTo(200);
        assertThat(nicknamed.json().path("unitAmount").asLong()).isEqualTo(8900);
        var archived = api.post("/prices/" + monthlyId + "/archive", null);
        assertThat(archived.status()).as(archived.toString()).isEqualTo(200);
        assertThat(archived.json().path("active").asBoolean()).isFalse();
        assertThat(api.get("/prices/" + monthlyId).json().path("active").asBoolean()).as("archived, still there").isFalse();
        assertThat(api.get("/prices?productId=" + product + "&active=false").json().path("data"))
                .extracting(p -> p.path("id").asText()).containsExactly(monthlyId);
        assertThat(api.post("/prices/" + monthlyId + "/unarchive", null).json().path("active").asBoolean()).isTrue();

        // a product with prices is archived, not deleted; archived, it takes no new prices or variants
        var refused = api.delete("/products/" + product);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("code").asText()).isEqualTo("product_has_prices");
        assertThat(api.post("/products/" + product + "/archive", null).json().path("active").asBoolean()).isFalse();
        assertThat(api.get("/products?active=false").json().path("data")).extracting(p -> p.path("id").asText()).containsExactly(product);
        var late = create("/prices", """
                {"productId": "%s", "currency": "USD", "unitAmount": 100, "type": "one_time"}""".formatted(product));
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().path("code").asText()).isEqualTo("product_archived");
        assertThat(api.post("/products/" + product + "/variants/" + variantId + "/archive", null).json().path("active").asBoolean())
                .isFalse();
    }

    @Test
    void aProductWithoutPricesIsDeletedWithItsVariantsAndTheirSkus() {
        String product = product("Sample kit");
        assertThat(create("/products/" + product + "/variants", "{\"name\": \"Small\", \"sku\": \"KIT-S\"}").status()).isEqualTo(201);
        assertThat(api.delete("/products/" + product).status()).isEqualTo(204);
        assertThat(api.get("/products/" + product).status()).isEqualTo(404);
        String again = product("Sample kit 2");
        assertThat(create("/products/" + again + "/variants", "{\"name\": \"Small\", \"sku\": \"KIT-S\"}").status())
                .as("the deleted variant's SKU is free").isEqualTo(201);
    }

    @Test
    void aPostReplaysUnderItsIdempotencyKey() {
        String key = UUID.randomUUID().toString();
        var first = api.send("POST", "/products", "{\"name\": \"Dock\"}", "Idempotency-Key", key);
        var again = api.send("POST", "/products", "{\"name\": \"Dock\"}", "Idempotency-Key", key);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
        assertThat(api.send("POST", "/products", "{\"name\": \"Other\"}", "Idempotency-Key", key).status()).isEqualTo(422);
        assertThat(api.post("/products", "{\"name\": \"No key\"}").status()).isEqualTo(400);
        assertThat(api.get("/products").json().path("data")).hasSize(1);
    }

    @Test
    void badInputIsA4xxNamingTheField() {
        String product = product("Monitor");
        String base = "{\"productId\": \"" + product + "\", \"currency\": \"USD\", \"type\": \"recurring\", ";
        assertThat(field(create("/prices", base + "\"unitAmount\": -1, \"recurring\": {\"interval\": \"month\"}}"))).isEqualTo("unitAmount");
        assertThat(field(create("/prices", base + "\"unitAmount\": 10000000000, \"recurring\": {\"interval\": \"month\"}}")))
                .isEqualTo("unitAmount");
        assertThat(create("/prices", base + "\"unitAmount\": 0, \"recurring\": {\"interval\": \"month\"}}").status())
                .as("free is a price").isEqualTo(201);
        assertThat(field(create("/prices", "{\"productId\": \"" + product + "\", \"currency\": \"ZZZ\", \"unitAmount\": 1, "
                + "\"type\": \"one_time\"}"))).isEqualTo("currency");
        assertThat(field(create("/prices", base + "\"unitAmount\": 1, \"recurring\": {\"interval\": \"month\", \"intervalCount\": 13}}")))
                .isEqualTo("recurring.intervalCount");
        assertThat(field(create("/prices", base + "\"unitAmount\": 1, \"recurring\": {\"interval\": \"year\", \"intervalCount\": 4}}")))
                .isEqualTo("recurring.intervalCount");
        assertThat(field(create("/prices", base + "\"unitAmount\": 1, \"recurring\": {\"interval\": \"month\", \"contractMonths\": 0}}")))
                .isEqualTo("recurring.contractMonths");
        assertThat(field(create("/prices", base + "\"unitAmount\": 1, \"recurring\": {\"interval\": \"month\", \"contractMonths\": 121}}")))
                .isEqualTo("recurring.contractMonths");
        assertThat(field(create("/prices", base + "\"unitAmount\": 1.5, \"recurring\": {\"interval\": \"month\"}}"))).isEqualTo("unitAmount");
        assertThat(field(create("/products", "{\"name\": \"Bad \\ud800\"}"))).isEqualTo("name");
        var invisible = create("/products", "{\"name\": \"Wide\\u200b screen\"}");
        assertThat(invisible.json().path("name").asText()).as("zero-width characters go").isEqualTo("Wide screen");
        assertThat(field(create("/products", "{\"name\": \"x\", \"colour\": \"red\"}"))).isEqualTo("colour");
        assertThat(field(api.get("/products?active=maybe"))).isEqualTo("active");
        assertThat(field(api.get("/prices?type=weekly"))).isEqualTo("type");
        assertThat(create("/prices", "{\"productId\": \"prod_01KB0000000000000000000000\", \"currency\": \"USD\", \"unitAmount\": 1, "
                + "\"type\": \"one_time\"}").status()).isEqualTo(404);
        assertThat(create("/prices", "{\"productId\": \"" + product + "\", \"variantId\": \"var_01KB0000000000000000000000\", "
                + "\"currency\": \"USD\", \"unitAmount\": 1, \"type\": \"one_time\"}").status()).isEqualTo(404);
        assertThat(api.get("/prices/price_01KB0000000000000000000000").status()).isEqualTo(404);
        assertThat(api.get("/products/not-an-id").status()).isEqualTo(404);
    }

    @Test
    void anotherTenantSeesNothingAndATokenWithoutTheScopeChangesNothing() {
        String product = product("Keyboard");
        String variant = create("/products/" + product + "/variants", "{\"name\": \"US\"}").json().path("id").asText();
        String price = create("/prices", "{\"productId\": \"" + product + "\", \"currency\": \"EUR\", \"unitAmount\": 4900, "
                + "\"type\": \"one_time\"}").json().path("id").asText();

        var intruder = new Api(cloud.apiUrl(), cloud.token("other" + tenant, "mallory"));
        for (String path : List.of("/products/" + product, "/products/" + product + "/variants", "/products/" + product + "/variants/" + variant,
                "/prices/" + price)) {
            assertThat(intruder.get(path).status()).as(path).isEqualTo(404);
        }
        assertThat(intruder.post("/products/" + product + "/archive", null).status()).isEqualTo(404);
        assertThat(intruder.post("/prices/" + price + "/archive", null).status()).isEqualTo(404);
        assertThat(intruder.delete("/products/" + product).status()).isEqualTo(404);
        assertThat(intruder.send("POST", "/prices", "{\"productId\": \"" + product + "\", \"currency\": \"EUR\", \"unitAmount\": 1, "
                + "\"type\": \"one_time\"}", "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(404);
        assertThat(intruder.get("/products").json().path("data")).isEmpty();
        assertThat(intruder.get("/prices?productId=" + product).json().path("data")).isEmpty();

        var reader = new Api(cloud.apiUrl(), cloud.token(tenant, "bob", List.of("catalogue:read")));
        assertThat(reader.get("/products/" + product).status()).isEqualTo(200);
        var archive = reader.post("/prices/" + price + "/archive", null);
        assertThat(archive.status()).isEqualTo(403);
        assertThat(archive.json().path("scope").asText()).isEqualTo("catalogue:write");
        assertThat(reader.send("POST", "/products", "{\"name\": \"Nope\"}", "Idempotency-Key", UUID.randomUUID().toString()).status())
                .isEqualTo(403);
        var nobody = new Api(cloud.apiUrl(), cloud.token(tenant, "eve", List.of("customers:read")));
        assertThat(nobody.get("/prices").json().path("scope").asText()).isEqualTo("catalogue:read");
        assertThat(api.get("/prices/" + price).json().path("active").asBoolean()).as("nothing changed").isTrue();
        assertThat(api.get("/products").json().path("data")).hasSize(1);
    }
}
