package com.clientele.shared.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request that cannot be served, as the RFC 9457 problem the caller receives. Services throw
 * it; the router turns it into {@code application/problem+json}. {@code code} is stable and
 * documented; {@code extensions} carry machine-readable context (an existing customer's id).
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, Object> extensions;
    private final Map<String, String> headers;

    public ApiException(int status, String code, String title, String detail, List<FieldError> errors,
                        Map<String, Object> extensions, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.extensions = Map.copyOf(extensions);
        this.headers = Map.copyOf(headers);
    }

    public ApiException(int status, String code, String title, String detail) {
        this(status, code, title, detail, List.of(), Map.of(), Map.of());
    }

    public static ApiException invalid(List<FieldError> errors) {
        var detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new ApiException(400, "validation_error", "The request is invalid", detail, errors, Map.of(), Map.of());
    }

    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "resource_missing", "Not found", what + " does not exist");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /**
     * The problem document. {@code type} points at the code's documentation; an extension never
     * replaces one of RFC 9457's members (a {@code status} is the HTTP status, a number).
     */
    public Map<String, Object> problem(String instance) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "https://clientele.dev/problems/" + code.replace('_', '-'));
        body.put("title", title);
        body.put("status", status);
        body.put("detail", getMessage());
        body.put("code", code);
        if (instance != null) {
            body.put("instance", instance);
        }
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        extensions.forEach(body::putIfAbsent);
        return body;
    }
}
