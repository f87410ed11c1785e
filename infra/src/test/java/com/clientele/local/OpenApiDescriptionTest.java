package com.clientele.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.e2e.TestCloud;
import com.clientele.shared.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI description (docs/api/openapi.yaml) describes exactly the routes of template.yaml, each
 * with the scope the template's authorizer asks for, and the local cloud serves it with Swagger UI.
 */
class OpenApiDescriptionTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void everyRouteOfTheTemplateIsDescribedAndNothingElse() {
        var template = Template.load(TestCloud.template()).routes().stream().filter(r -> !r.key().equals("$default"))
                .collect(Collectors.toMap(Template.Route::key, Template.Route::scopes, (a, b) -> a, TreeMap::new));
        var contract = OpenApiContract.described();
        assertThat(contract.routes()).as("described routes (a new route of the template must be described)")
                .containsExactlyInAnyOrderElementsOf(template.keySet());
        var described = new TreeMap<String, Object>();
        contract.routes().forEach(route -> described.put(route, contract.scopes(route)));
        assertThat(described).as("the scopes of each route's security requirement").isEqualTo(new TreeMap<String, Object>(template));
    }

    @Test
    void theDescriptionIsOpenApi31WithABearerScheme() {
        var tree = OpenApiDocument.load().tree();
        assertThat(tree.path("openapi").asText()).startsWith("3.1.");
        assertThat(tree.at("/components/securitySchemes/bearerAuth/scheme").asText()).isEqualTo("bearer");
        assertThat(tree.at("/components/securitySchemes/bearerAuth/bearerFormat").asText()).isEqualTo("JWT");
    }

    @Test
    void theLocalCloudServesTheDescriptionWithoutATokenAndNamesItselfAsTheServer() throws Exception {
        var api = TestCloud.embedded().apiUrl();
        var response = get(api, "/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        var served = Json.MAPPER.readTree(response.body());
        assertThat(served.at("/servers/0/url").asText()).isEqualTo(api.toString());
        assertThat(served.path("paths")).isEqualTo(OpenApiDocument.load().tree().path("paths"));
    }

    @Test
    void swaggerUiLoadsTheDescriptionWithItsAssets() throws Exception {
        var api = TestCloud.embedded().apiUrl();
        var redirect = get(api, "/docs");
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("location")).contains("/docs/");

        var page = get(api, "/docs/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        var assets = Pattern.compile("(?:src|href)=\"\\./?([^\"]+)\"").matcher(page.body()).results()
                .map(m -> m.group(1)).toList();
        assertThat(assets).contains("swagger-ui.css", "swagger-ui-bundle.js", "swagger-initializer.js");
        Map<String, String> types = Map.of("css", "text/css", "js", "text/javascript", "png", "image/png");
        for (String asset : assets) {
            var response = get(api, "/docs/" + asset);
            assertThat(response.statusCode()).as(asset).isEqualTo(200);
            assertThat(response.body()).as(asset).isNotEmpty();
            String extension = asset.substring(asset.lastIndexOf('.') + 1);
            assertThat(response.headers().firstValue("content-type")).as(asset)
                    .hasValueSatisfying(t -> assertThat(t).startsWith(types.get(extension)));
        }
        assertThat(get(api, "/docs/swagger-initializer.js").body()).contains("url: \"/openapi.json\"").doesNotContain("petstore");
        assertThat(get(api, "/docs/nothing-here.js").statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> get(URI api, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(api.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
