package com.clientele.local;

import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks an HTTP exchange against the OpenAPI description of the API ({@code docs/api/openapi.yaml}):
 * the route is described; its path, query and header parameters and its body are what the
 * description accepts — or else the API refused the request with a 4xx; the status is one the
 * operation declares, and the body is of the declared media type and valid against its JSON
 * Schema (2020-12, formats asserted). The end-to-end suites' client ({@code com.clientele.e2e.Api}) runs every exchange of the end-to-end suites
 * through {@link #check}.
 */
public final class OpenApiContract {

    private static final String BASE = "https://clientele.dev/openapi.json";
    /** The local cloud's own routes (tokens, schedules), which are not the API's. */
    private static final String LOCAL = "/_local/";
    private static final OpenApiContract DESCRIBED = new OpenApiContract(OpenApiDocument.load().tree());

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final List<Operation> operations = new ArrayList<>();

    /** One described operation: its method, its path template as a pattern, and where it is in the document. */
    private record Operation(String method, String path, Pattern pattern, List<String> names, String pointer, int literals) {
    }

    /** A node of the document and the JSON pointer it was found at (after following {@code $ref}). */
    private record Located(JsonNode node, String pointer) {
    }

    public OpenApiContract(JsonNode document) {
        this.document = document;
        String text = Json.write(document);
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemas(Map.of(BASE, text)));
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(entry -> {
            String method = entry.getKey().toUpperCase(Locale.ROOT);
            if (List.of("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS").contains(method)) {
                var names = new ArrayList<String>();
                var regex = new StringBuilder("^");
                var matcher = Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
                int last = 0;
                while (matcher.find()) {
                    regex.append(Pattern.quote(path.getKey().substring(last, matcher.start()))).append("([^/]+)");
                    names.add(matcher.group(1));
                    last = matcher.end();
                }
                regex.append(Pattern.quote(path.getKey().substring(last))).append('$');
                String pointer = "/paths/" + escape(path.getKey()) + "/" + entry.getKey();
                int literals = path.getKey().replaceAll("\\{[^}]+}", "").length();
                operations.add(new Operation(method, path.getKey(), Pattern.compile(regex.toString()), names, pointer, literals));
            }
        }));
        // API Gateway's rule: the most specific path wins (the most literal characters)
        operations.sort(Comparator.comparingInt(Operation::literals).reversed());
    }

    /** The description as kept in the repository. */
    public static OpenApiContract described() {
        return DESCRIBED;
    }

    /**
     * What is wrong with this exchange by the description; empty when it conforms. {@code target}
     * is the raw path and query, headers by lower-case name.
     */
    public List<String> check(String method, String target, Map<String, String> requestHeaders, String requestBody,
                              int status, Map<String, String> responseHeaders, String responseBody) {
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        String query = target.contains("?") ? target.substring(target.indexOf('?') + 1) : "";
        var problems = new ArrayList<String>();
        if (path.startsWith(LOCAL)) {
            return problems;
        }
        var pathMatches = operations.stream().filter(o -> o.pattern().matcher(path).matches()).toList();
        var operation = pathMatches.stream().filter(o -> o.method().equals(method)).findFirst();
        if (operation.isEmpty()) {
            if (status != 404 && status != 405) {
                problems.add(method + " " + path + " is not described, yet answered " + status);
            }
            return problems;
        }
        var op = operation.get();
        String where = method + " " + op.path();
        var refused = new ArrayList<String>();
        checkRequest(op, path, query, requestHeaders, requestBody, refused);
        if (!refused.isEmpty() && (status < 400 || status > 499)) {
            refused.forEach(p -> problems.add(where + ": the description refuses the request (" + p + "), yet the API answered " + status));
        }
        checkResponse(op, status, responseHeaders, responseBody, problems);
        return problems.stream().map(p -> p.startsWith(where) ? p : where + ": " + p).toList();
    }

    private void checkRequest(Operation op, String path, String query, Map<String, String> headers, String body,
                              List<String> refused) {
        JsonNode operation = document.at(op.pointer());
        if (!headers.containsKey("authorization") && operation.has("security")) {
            refused.add("no bearer token");
        }
        var parameters = new LinkedHashMap<String, Located>();
        for (String owner : List.of(op.pointer().substring(0, op.pointer().lastIndexOf('/')), op.pointer())) {
            JsonNode list = document.at(owner + "/parameters");
            for (int i = 0; i < list.size(); i++) {
                var parameter = resolve(list.get(i), owner + "/parameters/" + i);
                String in = parameter.node().path("in").asText();
                String name = parameter.node().path("name").asText();
                parameters.put(in + ":" + (in.equals("header") ? name.toLowerCase(Locale.ROOT) : name), parameter);
            }
        }
        var matcher = op.pattern().matcher(path);
        if (matcher.matches()) {
            for (int i = 0; i < op.names().size(); i++) {
                var parameter = parameters.get("path:" + op.names().get(i));
                if (parameter == null) {
                    refused.add("path parameter " + op.names().get(i) + " is not described");
                } else {
                    value(parameter, decode(matcher.group(i + 1)), refused);
                }
            }
        }
        var values = new LinkedHashMap<String, String>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                values.merge(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)),
                        (a, b) -> a + "," + b);
            }
        }
        values.forEach((name, value) -> {
            var parameter = parameters.get("query:" + name);
            if (parameter == null) {
                refused.add("query parameter " + name + " is not described");
            } else {
                value(parameter, value, refused);
            }
        });
        parameters.forEach((key, parameter) -> {
            String name = key.substring(key.indexOf(':') + 1);
            String value = key.startsWith("query:") ? values.get(name) : key.startsWith("header:") ? headers.get(name) : "";
            if (value == null && parameter.node().path("required").asBoolean(false)) {
                refused.add(key.replace(':', ' ') + " is required");
            } else if (value != null && key.startsWith("header:")) {
                value(parameter, value, refused);
            }
        });
        JsonNode requestBody = operation.path("requestBody");
        boolean empty = body == null || body.isEmpty();
        if (requestBody.isMissingNode()) {
            if (!empty) {
                refused.add("a body, and the operation takes none");
            }
            return;
        }
        var described = resolve(requestBody, op.pointer() + "/requestBody");
        if (empty) {
            if (described.node().path("required").asBoolean(false)) {
                refused.add("the body is required");
            }
            return;
        }
        String type = mediaType(headers.get("content-type"));
        if (!described.node().path("content").has(type)) {
            refused.add("a body of type " + type + ", not one of " + names(described.node().path("content")));
            return;
        }
        errors(described.pointer() + "/content/" + escape(type) + "/schema", body)
                .forEach(e -> refused.add("body: " + e));
    }

    private void checkResponse(Operation op, int status, Map<String, String> headers, String body, List<String> problems) {
        JsonNode responses = document.at(op.pointer() + "/responses");
        String code = responses.has(String.valueOf(status)) ? String.valueOf(status)
                : responses.has(status / 100 + "XX") ? status / 100 + "XX" : responses.has("default") ? "default" : null;
        if (code == null) {
            problems.add("status " + status + " is not described (" + names(responses) + "): " + body);
            return;
        }
        var response = resolve(responses.get(code), op.pointer() + "/responses/" + escape(code));
        JsonNode content = response.node().path("content");
        boolean empty = body == null || body.isEmpty();
        if (content.isMissingNode() || content.isEmpty()) {
            if (!empty) {
                problems.add(status + " has a body, and the description says none: " + body);
            }
            return;
        }
        String type = mediaType(headers.get("content-type"));
        if (!content.has(type)) {
            problems.add(status + " is " + type + ", not one of " + names(content) + ": " + body);
            return;
        }
        errors(response.pointer() + "/content/" + escape(type) + "/schema", empty ? "null" : body)
                .forEach(e -> problems.add(status + " body: " + e + " in " + body));
    }

    /** A parameter's value, as the JSON value its schema's type makes of the text. */
    private void value(Located parameter, String text, List<String> refused) {
        String pointer = parameter.pointer() + "/schema";
        var schema = resolve(document.at(pointer), pointer).node();
        String type = schema.path("type").isArray() ? schema.path("type").get(0).asText() : schema.path("type").asText("string");
        String json;
        if ((type.equals("integer") || type.equals("number")) && text.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
            json = text;
        } else if (type.equals("boolean") && (text.equals("true") || text.equals("false"))) {
            json = text;
        } else {
            json = Json.write(text);
        }
        errors(pointer, json).forEach(e -> refused.add(parameter.node().path("in").asText() + " parameter "
                + parameter.node().path("name").asText() + "=" + text + ": " + e));
    }

    private List<String> errors(String pointer, String json) {
        try {
            Json.MAPPER.readTree(json);
        } catch (IOException e) {
            return List.of("not JSON (" + e.getMessage() + ")");
        }
        var schema = schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(BASE + "#" + p)));
        return schema.validate(json, InputFormat.JSON, context -> context.executionConfig(c -> c.formatAssertionsEnabled(true)))
                .stream().map(Object::toString).toList();
    }

    private Located resolve(JsonNode node, String pointer) {
        while (node.has("$ref")) {
            pointer = node.get("$ref").asText().substring(1);
            node = document.at(pointer);
        }
        return new Located(node, pointer);
    }

    /** The description's routes, as {@code METHOD /path}. */
    public List<String> routes() {
        return operations.stream().map(o -> o.method() + " " + o.path()).sorted().toList();
    }

    /** The scopes an operation's security requirement lists. */
    public List<String> scopes(String route) {
        var op = operations.stream().filter(o -> route.equals(o.method() + " " + o.path())).findFirst().orElseThrow();
        var scopes = new ArrayList<String>();
        document.at(op.pointer() + "/security").forEach(requirement -> requirement.properties()
                .forEach(scheme -> scheme.getValue().forEach(scope -> scopes.add(scope.asText()))));
        return scopes;
    }

    private static String mediaType(String contentType) {
        return Optional.ofNullable(contentType).map(t -> t.split(";")[0].trim().toLowerCase(Locale.ROOT)).orElse("(none)");
    }

    private static List<String> names(JsonNode object) {
        var names = new ArrayList<String>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String decode(String value) {
        return Routes.decode(value);
    }
}
