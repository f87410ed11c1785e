package com.clientele.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Requests to the local cloud's HTTP API as one tenant, on the caller's (keep-alive) {@link HttpClient}:
 * what the benchmarks send through the API, and how they seed what they measure.
 */
final class ApiClient {

    private final HttpClient http;
    private final URI base;
    private final String authorization;

    ApiClient(HttpClient http, URI base, String token) {
        this.http = http;
        this.base = base;
        this.authorization = "Bearer " + token;
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    /**
     * @param body    JSON, or null for none
     * @param headers name, value, name, value...
     */
    HttpResponse<String> send(String method, String path, String body, String... headers) {
        var request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POSTs {@code body}, which must create something (201); returns its id, the last segment of {@code Location}. */
    String create(String path, String body, String... headers) {
        var response = send("POST", path, body, headers);
        expect(201, response, "POST " + path);
        return lastSegment(response.headers().firstValue("Location").orElseThrow());
    }

    static String lastSegment(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    static void expect(int status, HttpResponse<String> response, String what) {
        expect(status, response.statusCode(), what, response.body());
    }

    static void expect(int expected, int status, String what, String body) {
        if (status != expected) {
            throw new IllegalStateException(what + " answered " + status + ": " + body);
        }
    }
}
