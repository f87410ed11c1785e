package com.clientele.shared.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.clientele.shared.Actor;
import com.clientele.shared.Text;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The parts of an API Gateway (payload 2.0) request a route needs, with the caller's identity
 * taken from the JWT claims the authorizer verified: tenant from {@code tenant_id}, user from
 * {@code sub}, and what it may do from its scopes: the {@code scope} claim (space-separated, OAuth 2.0)
 * or {@code scp} (which API Gateway passes as {@code [a b]} when the token has it as an array), as
 * the authorizer reads them. Header names are case-insensitive.
 */
public record ApiRequest(String routeKey, String method, String path, Map<String, String> pathParameters,
                         Map<String, String> query, Map<String, String> headers, String body,
                         String tenantId, String userId, String requestId, Set<String> scopes) {

    /** Larger bodies are refused before any parsing. */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    static ApiRequest from(APIGatewayV2HTTPEvent event) {
        var headers = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        if (event.getHeaders() != null) {
            headers.putAll(event.getHeaders());
        }
        var http = event.getRequestContext() == null ? null : event.getRequestContext().getHttp();
        var claims = claims(event);
        var errors = new ArrayList<FieldError>();
        var pathParameters = clean(event.getPathParameters(), errors);
        var query = clean(event.getQueryStringParameters(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new ApiRequest(
                event.getRouteKey(),
                http == null ? "" : http.getMethod().toUpperCase(Locale.ROOT),
                event.getRawPath(),
                pathParameters,
                query,
                headers,
                body(event),
                claims.get("tenant_id"),
                claims.get("sub"),
                event.getRequestContext() == null ? null : event.getRequestContext().getRequestId(),
                scopes(claims));
    }

    /** The token's {@code role} claim, or {@link Actor#CUSTOM} for a token that grants scopes without naming a role. */
    static String role(APIGatewayV2HTTPEvent event) {
        String role = claims(event).get("role");
        return role == null || role.isBlank() ? Actor.CUSTOM : role;
    }

    /** The scopes the claims grant: {@code scope} and {@code scp}, split on white space (and commas). */
    public static Set<String> scopes(Map<String, String> claims) {
        var scopes = new TreeSet<String>();
        for (String claim : List.of("scope", "scp")) {
            String value = claims.get(claim);
            if (value != null) {
                for (String scope : value.replaceAll("^\\[|]$", "").split("[\\s,]+")) {
                    if (!scope.isEmpty()) {
                        scopes.add(scope);
                    }
                }
            }
        }
        return scopes;
    }

    /** Path and query parameters under {@link Text}'s rule, for one line: normalised, or an error naming each. */
    private static Map<String, String> clean(Map<String, String> parameters, List<FieldError> errors) {
        if (parameters == null) {
            return Map.of();
        }
        var result = new LinkedHashMap<String, String>();
        parameters.forEach((name, value) -> {
            String key = Text.check(errors, Text.repair(name), name, false);
            result.put(key, Text.check(errors, Text.repair(key), value, false));
        });
        return result;
    }

    private static Map<String, String> claims(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null
                || context.getAuthorizer().getJwt().getClaims() == null) {
            return Map.of();
        }
        return context.getAuthorizer().getJwt().getClaims();
    }

    private static String body(APIGatewayV2HTTPEvent event) {
        String raw = event.getBody();
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        byte[] bytes = event.getIsBase64Encoded() ? decode(raw) : raw.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "body_too_large", "Request body too large",
                    "The body is " + bytes.length + " bytes; the limit is " + MAX_BODY_BYTES);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] decode(String raw) {
        try {
            return Base64.getDecoder().decode(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("body", "is not valid base64");
        }
    }

    public String pathParameter(String name) {
        return pathParameters.get(name);
    }

    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name));
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }
}
