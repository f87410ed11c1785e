package com.clientele.web;

import com.clientele.shared.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenID provider for browser tests, on a loopback port of its own (another origin than the
 * dashboard's): its discovery document, an authorization endpoint that approves at once (it
 * redirects back with a one-time code), and a token endpoint that checks the client id, the
 * redirect URI and the PKCE verifier against the S256 challenge before it hands out a token of the
 * local cloud ({@code POST /_local/tokens}), which the local API accepts. Both endpoints the
 * browser fetches answer CORS, as real providers do for public clients.
 */
final class FakeOpenIdProvider implements AutoCloseable {

    private record Grant(String challenge, String clientId, String redirectUri) {
    }

    private final HttpServer server;
    private final String clientId;
    private final String tenantId;
    private final String userId;
    private final HttpClient http = HttpClient.newHttpClient();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final List<Map<String, String>> authorizations = new CopyOnWriteArrayList<>();
    private final List<Integer> tokenAnswers = new CopyOnWriteArrayList<>();
    private volatile URI cloud;
    private volatile boolean mismatchNextChallenge;
    private volatile boolean denyNext;

    FakeOpenIdProvider(String clientId, String tenantId, String userId) throws IOException {
        this.clientId = clientId;
        this.tenantId = tenantId;
        this.userId = userId;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    /** The issuer: {@code http://127.0.0.1:<port>} (a loopback address, another origin than {@code localhost}). */
    URI issuer() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The local cloud whose development tokens the token endpoint hands out. */
    void tokensFrom(URI localCloud) {
        this.cloud = localCloud;
    }

    /**
     * The next authorization keeps the challenge of another verifier than the browser's: its code
     * exchange is refused as a wrong verifier would be (400 invalid_grant).
     */
    void mismatchNextChallenge() {
        mismatchNextChallenge = true;
    }

    /** The next authorization is refused, as when the user cancels: back with {@code error=access_denied} and the state. */
    void denyNext() {
        denyNext = true;
    }

    /** The query parameters of every authorization request, oldest first. */
    List<Map<String, String>> authorizations() {
        return List.copyOf(authorizations);
    }

    /** The status of every answer of the token endpoint, oldest first. */
    List<Integer> tokenAnswers() {
        return List.copyOf(tokenAnswers);
    }

    private void discovery(HttpExchange exchange) throws IOException {
        try (exchange) {
            String issuer = issuer().toString();
            json(exchange, 200, Map.of("issuer", issuer, "authorization_endpoint", issuer + "/authorize",
                    "token_endpoint", issuer + "/token", "response_types_supported", List.of("code"),
                    "code_challenge_methods_supported", List.of("S256"), "grant_types_supported", List.of("authorization_code")));
        }
    }

    private void authorize(HttpExchange exchange) throws IOException {
        try (exchange) {
            var query = form(exchange.getRequestURI().getRawQuery());
            authorizations.add(query);
            String redirectUri = query.get("redirect_uri");
            if (!"code".equals(query.get("response_type")) || !clientId.equals(query.get("client_id"))
                    || !"S256".equals(query.get("code_challenge_method")) || blank(query.get("code_challenge"))
                    || blank(query.get("state")) || blank(redirectUri)) {
                text(exchange, 400, "invalid authorization request: " + query);
                return;
            }
            String back = redirectUri + "?state=" + encode(query.get("state"));
            if (denyNext) {
                denyNext = false;
                redirect(exchange, back + "&error=access_denied&error_description=" + encode("The user cancelled the sign-in"));
                return;
            }
            String challenge = query.get("code_challenge");
            if (mismatchNextChallenge) {
                mismatchNextChallenge = false;
                challenge = s256("not the verifier the browser keeps");
            }
            String code = randomText();
            grants.put(code, new Grant(challenge, clientId, redirectUri));
            redirect(exchange, back + "&code=" + encode(code));
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            if (!exchange.getRequestMethod().equals("POST")) {
                tokenAnswers.add(405);
                json(exchange, 405, Map.of("error", "invalid_request"));
                return;
            }
            var form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            var grant = form.get("code") == null ? null : grants.remove(form.get("code"));
            String refusal = !"authorization_code".equals(form.get("grant_type")) ? "grant_type must be authorization_code"
                    : grant == null ? "unknown or used code"
                    : !grant.clientId().equals(form.get("client_id")) ? "the code was issued to another client"
                    : !grant.redirectUri().equals(form.get("redirect_uri")) ? "redirect_uri differs from the authorization's"
                    : form.get("code_verifier") == null || !s256(form.get("code_verifier")).equals(grant.challenge())
                    ? "the code_verifier does not match the code_challenge" : null;
            if (refusal != null) {
                tokenAnswers.add(400);
                json(exchange, 400, Map.of("error", "invalid_grant", "error_description", refusal));
                return;
            }
            var issued = localToken();
            tokenAnswers.add(200);
            json(exchange, 200, Map.of("access_token", issued.path("token").asText(), "token_type", "Bearer",
                    "expires_in", issued.path("expiresIn").asLong()));
        }
    }

    private com.fasterxml.jackson.databind.JsonNode localToken() throws IOException {
        var request = HttpRequest.newBuilder(cloud.resolve("/_local/tokens"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("tenantId", tenantId, "userId", userId)))).build();
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("the local cloud issued no token: " + response.statusCode() + " " + response.body());
            }
            return Json.MAPPER.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, status, Json.write(body));
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        send(exchange, status, body);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> form(String encoded) {
        var values = new LinkedHashMap<String, String>();
        if (encoded != null) {
            for (String pair : encoded.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    values.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    /** BASE64URL(SHA-256(ASCII(verifier))), as RFC 7636 4.2 makes the S256 challenge. */
    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String randomText() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
