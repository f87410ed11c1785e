package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * CSV exports end to end: asked for over HTTP, written by the worker function through
 * ExportJobsQueue into the embedded S3 server, downloaded through the presigned link with no
 * credentials, and parsed: the header, then the rows of the customers list with the same sort and
 * filters, in its order.
 */
class ExportsApiTest {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "x" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    // ---- helpers -------------------------------------------------------------------------------

    private String customer(String first, String last, String company) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("firstName", first).put("lastName", last)
                .put("email", "c" + UUID.randomUUID().toString().substring(0, 8) + "@example.com").put("phone", "+14155550123");
        if (company != null) {
            body.put("type", "business").putObject("company").put("name", company);
        }
        var reply = api.post("/customers", body.toString());
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    static JsonNode start(Api api, String body) {
        var reply = api.post("/exports/customers", body);
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        String id = reply.json().path("id").asText();
        assertThat(id).startsWith("exp_");
        assertThat(reply.header("Location")).isEqualTo("/exports/" + id);
        assertThat(reply.json().path("status").asText()).isEqualTo("queued");
        return reply.json();
    }

    static JsonNode finished(Api api, String id) {
        return Eventually.get(() -> api.get("/exports/" + id).json(),
                e -> e.path("status").asText().equals("succeeded") || e.path("status").asText().equals("failed"), JOB_TIMEOUT);
    }

    /** The file behind a download link, fetched as a browser would: no credentials, no headers of ours. */
    static HttpResponse<byte[]> download(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** RFC 4180 records, header first. */
    static List<List<String>> parse(byte[] csv) {
        try (var rows = new CsvMapper().readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .<List<String>>readValues(csv)) {
            return rows.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every id of GET /customers with this query, page after page. */
    private List<String> listIds(String query) {
        var ids = new ArrayList<String>();
        String cursor = null;
        do {
            var page = api.get("/customers?limit=100" + (query.isEmpty() ? "" : "&" + query)
                    + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.path("data").forEach(row -> ids.add(row.path("id").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
        } while (cursor != null);
        return ids;
    }

    // ---- tests ---------------------------------------------------------------------------------

    @Test
    void aFilteredSortedExportHoldsTheListsRowsInItsOrderWithTrickyTextIntact() {
        customer("Ada", "Lovelace", null);
        customer("Grace", "Hopper", "Hopper, \"Analytics\"\nand Sons");
        customer("=HYPERLINK(\"http://evil\")", "Zed", "@Acme");
        customer("Zoë", "Łódź", "北京 Trading");
        customer("-Minus", "Brown", "+Plus Ltd");
        customer("Plain", "Adams", "Plain Co");
        String body = """
                {"sort": "name", "type": "business", "columns": ["id", "firstName", "lastName", "company", "phone"]}""";
        var started = start(api, body);
        assertThat(started.path("parameters").path("sort").asText()).isEqualTo("name");
        assertThat(started.path("columns")).hasSize(5);

        var export = finished(api, started.path("id").asText());
        assertThat(export.path("status").asText()).as(export.toString()).isEqualTo("succeeded");
        assertThat(export.path("rowsWritten").asLong()).isEqualTo(5);
        assertThat(export.path("progress").asInt()).isEqualTo(100);
        assertThat(export.path("requestedBy").asText()).isEqualTo("alice");
        String fileName = "customers-" + LocalDate.now(ZoneOffset.UTC) + ".csv";
        assertThat(export.path("fileName").asText()).isEqualTo(fileName);
        Instant linkExpires = Instant.parse(export.path("downloadUrlExpiresAt").asText());
        assertThat(linkExpires).isBetween(Instant.now().plusSeconds(14 * 60), Instant.now().plusSeconds(15 * 60 + 5));

        var response = download(export.path("downloadUrl").asText());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"" + fileName + "\"");
        assertThat(export.path("bytes").asLong()).isEqualTo(response.body().length);
        var rows = parse(response.body());
        assertThat(rows.get(0)).containsExactly("id", "firstName", "lastName", "company", "phone");
        var data = rows.subList(1, rows.size());
        assertThat(data).extracting(r -> r.get(0)).containsExactlyElementsOf(listIds("sort=name&type=business"));
        assertThat(data).extracting(r -> r.get(2)).containsExactly("Adams", "Brown", "Hopper", "Zed", "Łódź");
        assertThat(data.get(2)).containsSequence("Grace", "Hopper", "Hopper, \"Analytics\"\nand Sons", "'+14155550123");
        assertThat(data.get(3)).containsSequence("'=HYPERLINK(\"http://evil\")", "Zed", "'@Acme");
        assertThat(data.get(1)).containsSequence("'-Minus", "Brown", "'+Plus Ltd");
        assertThat(data.get(4)).containsSequence("Zoë", "Łódź", "北京 Trading");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("\r\n").contains("Zoë,Łódź,北京 Trading");
    }

    @Test
    void anUnfilteredExportHasTheDefaultColumnsEveryCustomerNewestFirstAndAKnownTotal() {
        for (int i = 0; i < 7; i++) {
            customer("Ada" + i, "Byron", i % 2 == 0 ? null : "Byron " + i);
        }
        var started = start(api, null);
        assertThat(started.path("progress").isNull()).isTrue();
        var export = finished(api, started.path("id").asText());
        assertThat(export.path("status").asText()).as(export.toString()).isEqualTo("succeeded");
        assertThat(export.path("totalRows").asLong()).isEqualTo(7);
        assertThat(export.path("rowsWritten").asLong()).isEqualTo(7);
        var rows = parse(download(export.path("downloadUrl").asText()).body());
        assertThat(rows.get(0)).containsExactly("id", "type", "firstName", "lastName", "email", "phone", "company", "ltv",
                "currency", "orders", "averageOrderValue", "lastPurchaseAt", "lastOrderValue", "paymentMethod",
                "pointsAvailable", "createdAt");
        assertThat(rows.subList(1, rows.size())).extracting(r -> r.get(0)).containsExactlyElementsOf(listIds(""));
        assertThat(rows.get(1)).containsSequence("0", "", "0", "0");
        assertThat(rows.stream().skip(1).map(r -> r.get(1))).containsOnly("individual", "business");

        // the same list, empty: a header alone
        var none = finished(api, start(api, "{\"segment\": \"loyal\"}").path("id").asText());
        assertThat(none.path("rowsWritten").asLong()).isZero();
        assertThat(none.path("totalRows").isNull()).isTrue();
        assertThat(parse(download(none.path("downloadUrl").asText()).body())).hasSize(1);
    }

    @Test
    void badParametersAndColumnsAreNamedInOne400() {
        var reply = api.post("/exports/customers", """
                {"segment": "vip", "ltvMin": "lots", "colour": "red", "limit": 5, "columns": ["id", "shoeSize", "id"]}""");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.json().path("errors")).extracting(e -> e.path("field").asText())
                .containsExactlyInAnyOrder("segment", "ltvMin", "colour", "limit", "columns[1]", "columns[2]");
        var wrongType = api.post("/exports/customers", "{\"columns\": \"id\", \"type\": {\"a\": 1}}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().path("errors")).extracting(e -> e.path("field").asText()).containsExactlyInAnyOrder("columns", "type");
        assertThat(api.post("/exports/customers", "[1]").status()).isEqualTo(400);
        assertThat(api.post("/exports/customers", "{\"sort\": \"-ltv\", \"hasPurchases\": true, \"ltvMin\": 100}").status())
                .isEqualTo(202);
        assertThat(api.get("/exports?limit=0").status()).isEqualTo(400);
    }

    @Test
    void anotherTenantsExportIsNotFoundAndListsAreTenantScopedNewestFirst() {
        customer("Ada", "Lovelace", null);
        String first = start(api, null).path("id").asText();
        String second = start(api, "{\"columns\": [\"id\"]}").path("id").asText();
        var other = new Api(cloud.apiUrl(), cloud.token("y" + UUID.randomUUID().toString().substring(0, 8), "mallory"));
        var stranger = other.get("/exports/" + first);
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(stranger.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(other.post("/exports/" + first + "/retry", null).status()).isEqualTo(404);
        assertThat(other.get("/exports").json().path("data")).isEmpty();
        assertThat(api.get("/exports/exp_nope").status()).isEqualTo(404);

        var mine = api.get("/exports?limit=1").json();
        assertThat(mine.path("data")).extracting(e -> e.path("id").asText()).containsExactly(second);
        var next = api.get("/exports?limit=1&cursor=" + mine.path("nextCursor").asText()).json();
        assertThat(next.path("data")).extracting(e -> e.path("id").asText()).containsExactly(first);
        assertThat(other.get("/exports?cursor=" + mine.path("nextCursor").asText()).status()).isEqualTo(400);

        var done = finished(api, first);
        assertThat(done.path("status").asText()).isEqualTo("succeeded");
        var retry = api.post("/exports/" + first + "/retry", null);
        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.json().path("code").asText()).isEqualTo("export_not_failed");
        // the link names the tenant's own object: another tenant's export id gets nothing to sign
        assertThat(done.path("downloadUrl").asText()).contains("/exports/" + tenant + "/" + first + ".csv");
    }
}
