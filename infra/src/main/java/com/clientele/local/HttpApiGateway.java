package com.clientele.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.shared.Json;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.ApiRequest;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.ApiRoutes;
import com.clientele.shared.http.Router;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HttpApi of template.yaml on a local port: matches each request to a route as API Gateway
 * does (most specific path first, then {@code $default}), runs the JWT authorizer and checks the
 * route's authorization scopes, builds the payload-2.0 event, invokes the route's function and
 * writes its response back. Also serves {@code POST /_local/tokens}, which hands out development
 * tokens of a role or with given scopes, {@code POST /_local/schedules/{FunctionLogicalId}}, which
 * runs a function's schedule now, {@code GET} and {@code POST /_local/clock}, which read and move
 * the local cloud's clock, {@code GET /_local/mail}, what the local mail server received,
 * {@code POST /_local/processor/disputes}, which plays the card processor's dispute notifications ({@link LocalProcessor}), and, without a token, the API's OpenAPI description at
 * {@code /openapi.json} and Swagger UI at {@code /docs/} ({@link ApiDocs}), and the merchant
 * dashboard at {@code /} ({@link Dashboard}; its sign-in the development one, or an OpenID provider's).
 */
final class HttpApiGateway implements AutoCloseable {

    /** API Gateway's own payload limit. The functions enforce their smaller ones. */
    static final int MAX_PAYLOAD = 10 * 1024 * 1024;
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Routes routes;
    private final FunctionHost functions;
    private final Schedules schedules;
    private final Jwts jwts;
    private final LocalClock clock;
    private final MailServer mail;
    private final ApiDocs docs = new ApiDocs();
    private final Dashboard dashboard;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(32);

    /** Reports a bounce or a complaint of a received message as SES would ({@code EmailFeedbackQueue}); false when no such message came. */
    @FunctionalInterface
    interface Feedback {
        boolean report(String messageId, String type);
    }

    private final Feedback feedback;

    private final LocalProcessor processor;

    HttpApiGateway(Template template, FunctionHost functions, Schedules schedules, Jwts jwts, LocalClock clock, MailServer mail,
                   Feedback feedback, LocalProcessor processor, OidcSignIn oidc, int port) throws IOException {
        this.processor = processor;
        this.dashboard = new Dashboard(oidc);
        this.mail = mail;
        this.feedback = feedback;
        this.functions = functions;
        this.clock = clock;
        this.schedules = schedules;
        this.jwts = jwts;
        this.routes = new Routes(template.routes());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = read(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, Map.of("Content-Type", "application/json"), "{\"message\":\"Request Entity Too Large\"}");
                return;
            }
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/_local/tokens") && method.equals("POST")) {
                issueToken(exchange, body);
                return;
            }
            if (path.equals("/_local/clock") && (method.equals("GET") || method.equals("POST"))) {
                clock(exchange, method, body);
                return;
            }
            if (path.equals("/_local/mail") && method.equals("GET")) {
                mailbox(exchange);
                return;
            }
            if (path.equals("/_local/mail/bounce") && method.equals("POST")) {
                bounce(exchange, body);
                return;
            }
            if (path.equals("/_local/processor/disputes") && method.equals("POST")) {
                var answer = processor.play(body);
                send(exchange, answer.status(), Map.of("Content-Type", "application/json"), answer.body());
                return;
            }
            if (path.startsWith(SCHEDULES) && method.equals("POST")) {
                runSchedule(exchange, decode(path.substring(SCHEDULES.length())));
                return;
            }
            if (method.equals("GET") && path.equals("/docs")) {
                send(exchange, 302, Map.of("Location", ApiDocs.PAGE), new byte[0]);
                return;
            }
            var site = method.equals("GET") ? dashboard.get(path) : Optional.<ApiDocs.Answer>empty();
            if (site.isPresent()) {
                send(exchange, site.get().status(), Map.of("Content-Type", site.get().contentType(),
                        "Content-Security-Policy", dashboard.contentSecurityPolicy(), "X-Content-Type-Options", "nosniff",
                        "Cache-Control", "no-cache"), site.get().body());
                return;
            }
            var page = method.equals("GET") ? docs.get(path, serverUrl(exchange)) : Optional.<ApiDocs.Answer>empty();
            if (page.isPresent()) {
                send(exchange, page.get().status(), Map.of("Content-Type", page.get().contentType()), page.get().body());
                return;
            }
            var selected = routes.select(method, path);
            if (selected.isEmpty()) {
                send(exchange, 404, Map.of("Content-Type", "application/json"), "{\"message\":\"Not Found\"}");
                return;
            }
            var claims = jwts.verify(exchange.getRequestHeaders().getFirst("Authorization"));
            if (claims.isEmpty()) {
                send(exchange, 401, Map.of("Content-Type", "application/json", "www-authenticate", "Bearer"),
                        "{\"message\":\"Unauthorized\"}");
                return;
            }
            var missing = missingScope(selected.get().route(), claims.get());
            if (missing.isPresent()) {
                send(exchange, Router.problem(Router.insufficientScope(missing.get()), path));
                return;
            }
            var event = event(exchange, method, path, body, selected.get().route(), selected.get().parameters(), claims.get());
            APIGatewayV2HTTPResponse response;
            try {
                response = (APIGatewayV2HTTPResponse) functions.invoke(selected.get().route().functionId(), event);
            } catch (RuntimeException e) {
                System.err.println("[gateway] function " + selected.get().route().functionId() + " failed: " + e);
                send(exchange, 500, Map.of("Content-Type", "application/json"), "{\"message\":\"Internal Server Error\"}");
                return;
            }
            respond(exchange, response);
        } catch (RuntimeException e) {
            System.err.println("[gateway] " + e);
            send(exchange, 500, Map.of("Content-Type", "application/json"), "{\"message\":\"Internal Server Error\"}");
        }
    }

    private APIGatewayV2HTTPEvent event(HttpExchange exchange, String method, String path, byte[] body,
                                        Template.Route route, Map<String, String> pathParameters, Map<String, String> claims) {
        var headers = new LinkedHashMap<String, String>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        String rawQuery = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
        var query = new LinkedHashMap<String, String>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.merge(name, value, (a, b) -> a + "," + b);
        }
        String text = utf8(body);
        boolean base64 = body.length > 0 && (text == null || !textual(headers.get("content-type")));
        Instant now = clock.instant();
        String requestId = UUID.randomUUID().toString();
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(method).withPath(path).withProtocol(exchange.getProtocol())
                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                .withUserAgent(headers.get("user-agent")).build();
        var authorizer = APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                        .withClaims(claims).withScopes(null).build())
                .build();
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId("000000000000").withApiId("local").withStage("$default")
                .withDomainName(headers.getOrDefault("host", "localhost")).withDomainPrefix("local")
                .withRequestId(requestId).withRouteKey(route.key())
                .withTime(REQUEST_TIME.format(now)).withTimeEpoch(now.toEpochMilli())
                .withHttp(http).withAuthorizer(authorizer).build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey(route.key())
                .withRawPath(path).withRawQueryString(rawQuery)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withRequestContext(context)
                .withBody(body.length == 0 ? null : base64 ? Base64.getEncoder().encodeToString(body) : text)
                .withIsBase64Encoded(base64)
                .build();
    }

    /** The URL the caller reached this gateway at (its Host header), for the description's server. */
    private String serverUrl(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        return "http://" + (host == null || host.isBlank() ? "localhost:" + port() : host);
    }

    /**
     * The scope the route asks for when the token has none of its scopes (API Gateway reads the
     * {@code scope} or {@code scp} claim; one of the route's scopes is enough), else empty. API
     * Gateway then answers 403 {@code {"message":"Forbidden"}}; here the caller gets the problem
     * document the functions answer for the same reason, so that both checks read alike.
     */
    private static Optional<String> missingScope(Template.Route route, Map<String, String> claims) {
        var granted = ApiRequest.scopes(claims);
        if (route.scopes().isEmpty() || route.scopes().stream().anyMatch(granted::contains)) {
            return Optional.empty();
        }
        return Optional.of(String.join(" or ", route.scopes()));
    }

    /**
     * {@code {"tenantId", "userId", "role"}} or {@code {"tenantId", "userId", "scopes": [...]}}; with
     * neither role nor scopes, a token of the {@link Roles#DEFAULT} role.
     */
    private void issueToken(HttpExchange exchange, byte[] body) throws IOException {
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (IOException | RuntimeException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            request = Json.MAPPER.createObjectNode();
        }
        String tenantId = request.path("tenantId").asText(null);
        // "userId": null issues a token without sub (to try how the API treats one)
        String userId = request.path("userId").isNull() ? null : request.path("userId").asText("local-user");
        if (tenantId == null || !tenantId.matches("[A-Za-z0-9_-]{1,64}")) {
            refuse(exchange, "tenantId", "is required (letters, digits, _ and -, up to 64)");
            return;
        }
        JsonNode role = request.path("role");
        JsonNode scopes = request.path("scopes");
        if (!role.isMissingNode() && !scopes.isMissingNode()) {
            refuse(exchange, "role", "give a role or scopes, not both");
            return;
        }
        Collection<String> granted;
        String roleName = null;
        if (!scopes.isMissingNode()) {
            var known = ApiRoutes.scopes();
            var list = new ArrayList<String>();
            scopes.forEach(scope -> list.add(scope.asText("")));
            if (!scopes.isArray() || !known.containsAll(list)) {
                refuse(exchange, "scopes", "must be a list of the API's scopes: " + String.join(" ", known));
                return;
            }
            granted = list;
        } else {
            var preset = Roles.scopes(role.isMissingNode() ? Roles.DEFAULT : role.asText(""));
            if (preset.isEmpty()) {
                refuse(exchange, "role", "must be one of " + String.join(", ", Roles.PRESETS.keySet()));
                return;
            }
            granted = preset.get();
            roleName = role.isMissingNode() ? Roles.DEFAULT : role.asText();
        }
        send(exchange, 200, Map.of("Content-Type", "application/json"), Json.write(Map.of(
                "token", jwts.issue(tenantId, userId, roleName, granted), "tokenType", "Bearer",
                "expiresIn", Jwts.TOKEN_LIFETIME.toSeconds())));
    }

    private static void refuse(HttpExchange exchange, String field, String message) throws IOException {
        send(exchange, Router.problem(ApiException.invalid(field, message), null));
    }

    /**
     * {@code GET /_local/clock}: {@code {now, offset}}. {@code POST} with {@code {"advance": "P1M"}}
     * or {@code {"set": "2027-01-01T00:00:00Z"}} moves the clock forward, runs the schedules whose
     * time came in the jump ({@link Schedules#caughtUp}), then answers the same with {@code ran}, what
     * they returned; 400 naming the field for a malformed or backward move.
     */
    private void clock(HttpExchange exchange, String method, byte[] body) throws IOException {
        var answer = Json.MAPPER.createObjectNode();
        if (method.equals("POST")) {
            JsonNode request;
            try {
                request = Json.MAPPER.readTree(body);
            } catch (IOException | RuntimeException e) {
                request = null;
            }
            try {
                clock.move(request);
            } catch (LocalClock.FieldException e) {
                refuse(exchange, e.field, e.getMessage());
                return;
            }
            var ran = Json.MAPPER.createArrayNode();
            for (var run : schedules.caughtUp()) {
                ran.add(json(run));
            }
            clock.state().forEach(answer::put);
            answer.set("ran", ran);
        } else {
            clock.state().forEach(answer::put);
        }
        send(exchange, 200, Map.of("Content-Type", "application/json"), Json.write(answer));
    }

    /**
     * {@code GET /_local/mail[?to=address]}: the emails the local mail server received, newest first: to, from,
     * subject, text, html and the attachments' names, types and sizes.
     */
    private void mailbox(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String to = null;
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("to=")) {
                    to = decode(pair.substring(3));
                }
            }
        }
        var list = Json.MAPPER.createArrayNode();
        var messages = new java.util.ArrayList<>(mail.messages());
        java.util.Collections.reverse(messages);
        for (var message : messages) {
            if (to != null && !to.equalsIgnoreCase(message.to())) {
                continue;
            }
            var item = list.addObject().put("to", message.to()).put("from", message.from()).put("subject", message.subject())
                    .put("receivedAt", message.receivedAt() == null ? null : message.receivedAt().toString())
                    .put("text", message.text()).put("html", message.html());
            var files = item.putArray("attachments");
            message.attachments().forEach(f -> files.addObject().put("name", f.name()).put("contentType", f.contentType())
                    .put("size", f.bytes().length));
        }
        send(exchange, 200, Map.of("Content-Type", "application/json"), Json.write(Json.MAPPER.createObjectNode().set("data", list)));
    }

    /**
     * {@code POST /_local/mail/bounce {"messageId": "<...>", "type": "bounce"|"complaint"}}: SES's report of a
     * bounce (permanent) or a complaint about a received message (its {@code providerMessageId}), put on the
     * queue SES's notifications reach in AWS, for the same consumer. 202, or 404 when no such message came.
     */
    private void bounce(HttpExchange exchange, byte[] body) throws IOException {
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            request = null;
        }
        String messageId = request == null ? null : request.path("messageId").asText(null);
        if (messageId == null) {
            send(exchange, 400, Map.of("Content-Type", "application/json"), "{\"message\":\"messageId is required\"}");
            return;
        }
        boolean found = feedback.report(messageId, request.path("type").asText("bounce"));
        send(exchange, found ? 202 : 404, Map.of("Content-Type", "application/json"),
                found ? "{\"queued\":true}" : "{\"message\":\"no such message\"}");
    }

    /** What a function returned, as JSON (its text if it does not map). */
    private static JsonNode json(Object value) {
        try {
            return Json.MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            return Json.MAPPER.getNodeFactory().textNode(String.valueOf(value));
        }
    }

    private static final String SCHEDULES = "/_local/schedules/";

    private void runSchedule(HttpExchange exchange, String functionId) throws IOException {
        if (!schedules.has(functionId)) {
            send(exchange, 404, Map.of("Content-Type", "application/json"),
                    Json.write(Map.of("message", "no schedule for function " + functionId)));
            return;
        }
        Object result;
        try {
            result = schedules.run(functionId);
        } catch (RuntimeException e) {
            send(exchange, 500, Map.of("Content-Type", "application/json"),
                    Json.write(Map.of("function", functionId, "error", String.valueOf(e))));
            return;
        }
        var answer = Json.MAPPER.createObjectNode().put("function", functionId).set("result", json(result));
        send(exchange, 200, Map.of("Content-Type", "application/json"), Json.write(answer));
    }

    private static void respond(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        var headers = response.getHeaders() == null ? Map.<String, String>of() : response.getHeaders();
        byte[] body = response.getBody() == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        send(exchange, response.getStatusCode(), headers, body);
    }

    private static void send(HttpExchange exchange, ApiResponse problem) throws IOException {
        send(exchange, problem.status(), problem.headers(), Json.write(problem.body()));
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        send(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("apigw-requestid", UUID.randomUUID().toString());
        boolean empty = body.length == 0 || status == 204 || status == 304;
        exchange.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            exchange.getResponseBody().write(body);
        }
    }

    /** The body, or null when it is over API Gateway's limit. */
    private static byte[] read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_PAYLOAD + 1);
        return bytes.length > MAX_PAYLOAD ? null : bytes;
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean textual(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.contains("x-www-form-urlencoded") || type.contains("javascript");
    }

    private static String decode(String value) {
        return Routes.decode(value);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
