package com.clientele.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * template.yaml as the local cloud reads it: resources by type, functions with their merged
 * environment and events, and the intrinsic functions the template uses (Ref, GetAtt, Sub),
 * resolved against what the local cloud created. The one source of truth for the schema.
 */
final class Template {

    private final Map<String, Object> root;

    private Template(Map<String, Object> root) {
        this.root = root;
    }

    static Template load(Path path) {
        try (Reader reader = Files.newBufferedReader(path)) {
            Map<String, Object> root = new Yaml(new CloudFormationConstructor()).load(reader);
            return new Template(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    /**
     * A function of the template with what the local cloud needs to host it (its timeout: Lambda's
     * default, 3 s, if none; its memory: Lambda's default, 128 MB, if none), and its deployable as
     * its CodeUri names it (relative to the template).
     */
    record FunctionSpec(String logicalId, String handler, Map<String, Object> environment,
                        Map<String, Map<String, Object>> events, int timeoutSeconds, int memoryMb, String codeUri) {
    }

    /** An event source of a function: {@code Type} and {@code Properties} of one entry of its Events. */
    record Event(String functionId, String name, String type, Map<String, Object> properties) {
    }

    /**
     * An HttpApi route: {@code POST /customers}, or {@code $default}, with the scopes of its
     * {@code Auth.AuthorizationScopes} (a token needs one of them; none: any token will do).
     */
    record Route(String method, String path, String functionId, List<String> scopes) {
        String key() {
            return path.equals("$default") ? "$default" : method + " " + path;
        }
    }

    Map<String, Map<String, Object>> resources(String type) {
        var result = new LinkedHashMap<String, Map<String, Object>>();
        section("Resources").forEach((id, value) -> {
            var resource = asMap(value);
            if (type.equals(resource.get("Type"))) {
                result.put(id, asMap(resource.getOrDefault("Properties", Map.of())));
            }
        });
        return result;
    }

    /** The template's outputs: each one's {@code Description} and {@code Value}, by name. */
    Map<String, Map<String, Object>> outputs() {
        var result = new LinkedHashMap<String, Map<String, Object>>();
        section("Outputs").forEach((name, value) -> result.put(name, asMap(value)));
        return result;
    }

    String parameterDefault(String name) {
        var parameter = asMap(section("Parameters").get(name));
        Object value = parameter.get("Default");
        return value == null ? null : value.toString();
    }

    List<FunctionSpec> functions() {
        var globals = asMap(asMap(section("Globals").getOrDefault("Function", Map.of())));
        var globalVariables = variables(globals);
        var result = new ArrayList<FunctionSpec>();
        resources("AWS::Serverless::Function").forEach((id, properties) -> {
            var environment = new LinkedHashMap<String, Object>(globalVariables);
            environment.putAll(variables(properties));
            var events = new LinkedHashMap<String, Map<String, Object>>();
            asMap(properties.getOrDefault("Events", Map.of())).forEach((name, event) -> events.put(name, asMap(event)));
            Object timeout = properties.getOrDefault("Timeout", globals.getOrDefault("Timeout", 3));
            Object memory = properties.getOrDefault("MemorySize", globals.getOrDefault("MemorySize", 128));
            result.add(new FunctionSpec(id, (String) properties.get("Handler"), environment, events,
                    Integer.parseInt(String.valueOf(timeout)), Integer.parseInt(String.valueOf(memory)),
                    (String) properties.getOrDefault("CodeUri", globals.get("CodeUri"))));
        });
        return result;
    }

    /** The events of every function whose Type is one of {@code types}, in template order. */
    List<Event> events(String... types) {
        var wanted = List.of(types);
        var result = new ArrayList<Event>();
        for (var function : functions()) {
            function.events().forEach((name, event) -> {
                if (wanted.contains(event.get("Type"))) {
                    result.add(new Event(function.logicalId(), name, (String) event.get("Type"), asMap(event.get("Properties"))));
                }
            });
        }
        return result;
    }

    List<Route> routes() {
        var routes = new ArrayList<Route>();
        for (var function : functions()) {
            function.events().values().stream().filter(e -> "HttpApi".equals(e.get("Type"))).forEach(event -> {
                var properties = asMap(event.get("Properties"));
                var scopes = asList(asMap(properties.get("Auth")).get("AuthorizationScopes")).stream().map(String::valueOf).toList();
                routes.add(new Route(String.valueOf(properties.get("Method")).toUpperCase(java.util.Locale.ROOT),
                        String.valueOf(properties.get("Path")), function.logicalId(), scopes));
            });
        }
        return routes;
    }

    /**
     * Resolves intrinsic functions. {@code refs} answers "Name" for Ref and "Name.Attribute" for
     * GetAtt; parameters fall back to their defaults. A dynamic reference ({{resolve:...}}) is
     * what {@code refs} answers for {@code "resolve:..."} (the secrets the local cloud made, see
     * {@link #secretReference}); one it does not know, and anything unknown, resolve to null: the
     * caller leaves such values out.
     */
    String resolve(Object value, Function<String, String> refs) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            var entry = map.entrySet().iterator().next();
            String fn = String.valueOf(entry.getKey());
            Object arg = entry.getValue();
            return switch (fn) {
                case "Ref" -> reference(String.valueOf(arg), refs);
                case "Fn::GetAtt" -> arg instanceof List<?> list
                        ? refs.apply(list.get(0) + "." + list.get(1)) : refs.apply(String.valueOf(arg));
                case "Fn::Sub" -> substitute(String.valueOf(arg instanceof List<?> list ? list.get(0) : arg), refs);
                default -> null;
            };
        }
        return dynamicReferences(value.toString(), refs);
    }

    /** The key under which {@code refs} answers {@code {{resolve:secretsmanager:<secret>:SecretString}}}. */
    static String secretReference(String secret) {
        return "resolve:secretsmanager:" + secret + ":SecretString";
    }

    private static final Pattern DYNAMIC_REFERENCE = Pattern.compile("\\{\\{(resolve:[^}]+)}}");

    private static String dynamicReferences(String text, Function<String, String> refs) {
        Matcher m = DYNAMIC_REFERENCE.matcher(text);
        var out = new StringBuilder();
        while (m.find()) {
            String resolved = refs.apply(m.group(1));
            if (resolved == null) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String reference(String name, Function<String, String> refs) {
        String resolved = refs.apply(name);
        return resolved != null ? resolved : parameterDefault(name);
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    private String substitute(String text, Function<String, String> refs) {
        Matcher m = PLACEHOLDER.matcher(text);
        var out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String resolved = name.contains(".") ? refs.apply(name) : reference(name, refs);
            if (resolved == null) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return dynamicReferences(out.toString(), refs);
    }

    private Map<String, Object> section(String name) {
        return asMap(root.getOrDefault(name, Map.of()));
    }

    private static Map<String, Object> variables(Map<String, Object> properties) {
        return asMap(asMap(properties.getOrDefault("Environment", Map.of())).getOrDefault("Variables", Map.of()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object value) {
        return value instanceof List<?> list ? (List<Object>) list : List.of();
    }

    /** Reads CloudFormation's short forms (!Ref X, !GetAtt X.Arn, !Sub "...") as their long forms. */
    private static final class CloudFormationConstructor extends SafeConstructor {

        CloudFormationConstructor() {
            super(new LoaderOptions());
            for (String fn : List.of("Ref", "GetAtt", "Sub", "Join", "Select", "Split", "If", "Equals", "Not", "And",
                    "Or", "FindInMap", "Base64", "ImportValue", "GetAZs", "Condition", "Cidr", "Transform")) {
                String longName = fn.equals("Ref") || fn.equals("Condition") ? fn : "Fn::" + fn;
                yamlConstructors.put(new Tag("!" + fn), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object value;
                        if (node instanceof ScalarNode scalar) {
                            String text = constructScalar(scalar);
                            value = fn.equals("GetAtt") ? List.of(text.split("\\.", 2)) : text;
                        } else if (node instanceof SequenceNode sequence) {
                            value = constructSequence(sequence);
                        } else {
                            value = constructMapping((MappingNode) node);
                        }
                        return Map.of(longName, value);
                    }
                });
            }
        }
    }
}
