package com.clientele.shared.http;

/** One offending field of a request: a JSON path such as {@code addresses[1].country}. */
public record FieldError(String field, String message) {
}
