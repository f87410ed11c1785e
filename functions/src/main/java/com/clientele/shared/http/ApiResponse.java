package com.clientele.shared.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a route returns: a status, headers and a body that is serialised as JSON. */
public record ApiResponse(int status, Map<String, String> headers, Object body) {

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, Map.of(), body);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), null);
    }

    public ApiResponse withHeader(String name, String value) {
        var copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, copy, body);
    }
}
