package com.clientele.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HttpApi's routes and how a request picks one, as API Gateway does: among the routes whose
 * method (or {@code ANY}) and path match, the most specific wins, whatever the order they are
 * declared in. Paths compare segment by segment from the left: a literal segment beats a
 * {@code {variable}}, which beats a greedy {@code {proxy+}} (so {@code GET /customers/top} is
 * served by that route, not by {@code GET /customers/{id}} with {@code id = "top"}); on equal
 * paths a named method beats {@code ANY}. Nothing else matching, {@code $default} serves.
 */
final class Routes {

    private final List<Compiled> routes = new ArrayList<>();

    record Selected(Template.Route route, Map<String, String> parameters) {
    }

    private record Compiled(Template.Route route, String[] segments) {

        /** Path parameters when the route matches, else null. */
        Map<String, String> match(String[] path) {
            boolean greedy = segments.length > 0 && segments[segments.length - 1].endsWith("+}");
            if (greedy ? path.length < segments.length : path.length != segments.length) {
                return null;
            }
            var parameters = new LinkedHashMap<String, String>();
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                if (segment.startsWith("{") && segment.endsWith("+}")) {
                    parameters.put(segment.substring(1, segment.length() - 2), String.join("/", List.of(path).subList(i, path.length)));
                    return parameters;
                } else if (segment.startsWith("{")) {
                    parameters.put(segment.substring(1, segment.length() - 1), decode(path[i]));
                } else if (!segment.equals(path[i])) {
                    return null;
                }
            }
            return parameters;
        }

        /** Positive when this route is more specific than {@code other} (both matching the same request). */
        int compareSpecificity(Compiled other) {
            for (int i = 0; i < Math.min(segments.length, other.segments.length); i++) {
                int difference = rank(segments[i]) - rank(other.segments[i]);
                if (difference != 0) {
                    return difference;
                }
            }
            if (segments.length != other.segments.length) {
                // Only a greedy route can match a longer path: the one that consumed more literally is more specific.
                return segments.length - other.segments.length;
            }
            return Boolean.compare(!route.method().equals("ANY"), !other.route.method().equals("ANY"));
        }

        private static int rank(String segment) {
            return segment.endsWith("+}") ? 0 : segment.startsWith("{") ? 1 : 2;
        }
    }

    Routes(List<Template.Route> declared) {
        for (var route : declared) {
            routes.add(new Compiled(route, route.path().equals("$default") ? new String[0] : split(route.path())));
        }
    }

    Optional<Selected> select(String method, String path) {
        String[] segments = split(path);
        Compiled best = null;
        Map<String, String> bestParameters = null;
        for (var compiled : routes) {
            var route = compiled.route();
            if (route.path().equals("$default") || !(route.method().equals(method) || route.method().equals("ANY"))) {
                continue;
            }
            var parameters = compiled.match(segments);
            if (parameters != null && (best == null || compiled.compareSpecificity(best) > 0)) {
                best = compiled;
                bestParameters = parameters;
            }
        }
        if (best != null) {
            return Optional.of(new Selected(best.route(), bestParameters));
        }
        return routes.stream().filter(r -> r.route().path().equals("$default")).findFirst()
                .map(r -> new Selected(r.route(), Map.of()));
    }

    static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    static String decode(String value) {
        try {
            // API Gateway keeps a literal '+' (it is not form decoding): only %XX sequences decode.
            return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }
}
