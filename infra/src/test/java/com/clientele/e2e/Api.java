package com.clientele.e2e;

import com.clientele.local.OpenApiContract;
import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The API as a client sees it: HTTP requests with a bearer token, JSON replies. Every exchange is
 * checked against the API's OpenAPI description ({@link OpenApiContract}): one that the description
 * does not allow fails the test that made it. The personal values and codes that go through it, and
 * its token, are registered for the scan of the logs ({@link SensitiveValues}).
 */
public final class Api {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    public Api(URI base, String token) {
        this.base = base;
        this.token = token;
        SensitiveValues.register(token);
    }

    public record Reply(int status, java.net.http.HttpHeaders headers, String text) {
        public JsonNode json() {
            try {
                return text.isEmpty() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    public Reply get(String path) {
        return send("GET", path, null);
    }

    public Reply post(String path, String json) {
        return send("POST", path, json);
    }

    public Reply patch(String path, String json, String ifMatch) {
        return ifMatch == null ? send("PATCH", path, json) : send("PATCH", path, json, "If-Match", ifMatch);
    }

    public Reply delete(String path) {
        return send("DELETE", path, null);
    }

    public Reply send(String method, String path, String body, String... headers) {
        var request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            var sent = request.build();
            var response = HTTP.send(sent, HttpResponse.BodyHandlers.ofString());
            SensitiveValues.fromBody(path, body);
            SensitiveValues.fromBody(path, response.body());
            conforms(sent, body, response);
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void conforms(HttpRequest request, String body, HttpResponse<String> response) {
        var uri = request.uri();
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        var problems = OpenApiContract.described().check(request.method(), target, firstValues(request.headers()), body,
                response.statusCode(), firstValues(response.headers()), response.body());
        if (!problems.isEmpty()) {
            throw new AssertionError("the exchange does not conform to docs/api/openapi.yaml:\n  " + String.join("\n  ", problems));
        }
    }

    private static Map<String, String> firstValues(java.net.http.HttpHeaders headers) {
        var values = new LinkedHashMap<String, String>();
        headers.map().forEach((name, list) -> values.put(name.toLowerCase(Locale.ROOT), list.isEmpty() ? "" : list.get(0)));
        return values;
    }
}
