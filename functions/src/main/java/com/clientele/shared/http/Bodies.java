package com.clientele.shared.http;

import com.clientele.shared.Json;
import com.clientele.shared.Text;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads request bodies strictly, turning every Jackson complaint into a problem that names the field. */
public final class Bodies {

    private Bodies() {
    }

    public static <T> T read(ApiRequest request, Class<T> type) {
        return convert(readTree(request), type);
    }

    /** The body as a JSON object; anything else (absent, not JSON, an array) is a 400 or 415. */
    public static JsonNode readTree(ApiRequest request) {
        var contentType = request.header("content-type").orElse("application/json").toLowerCase(Locale.ROOT);
        if (!contentType.contains("json")) {
            throw new ApiException(415, "unsupported_media_type", "Unsupported media type",
                    "Send the body as application/json, not " + contentType);
        }
        if (request.body() == null || request.body().isBlank()) {
            throw ApiException.invalid("body", "is required");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(request.body());
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw ApiException.invalid("body", "is not valid JSON" + (location == null ? ""
                    : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"));
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
        var errors = new ArrayList<FieldError>();
        node = clean(node, "", errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return node;
    }

    /**
     * Every string of the body, names of fields included, under {@link Text}'s rule: normalised, or
     * an error naming its path. Tabs and line breaks pass here; fields of one line refuse them when
     * they are validated.
     */
    private static JsonNode clean(JsonNode node, String path, List<FieldError> errors) {
        if (node.isTextual()) {
            String value = Text.check(errors, path.isEmpty() ? "body" : path, node.textValue(), true);
            return value.equals(node.textValue()) ? node : TextNode.valueOf(value);
        }
        if (node.isArray()) {
            var array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, clean(array.get(i), path + "[" + i + "]", errors));
            }
            return array;
        }
        if (node.isObject()) {
            var object = Json.MAPPER.createObjectNode();
            for (var field : node.properties()) {
                String prefix = path.isEmpty() ? "" : path + ".";
                String name = Text.check(errors, prefix + Text.repair(field.getKey()), field.getKey(), false);
                String at = prefix + Text.repair(name);
                if (object.has(name)) {
                    errors.add(new FieldError(at, "is the same field as another once normalised"));
                }
                object.set(name, clean(field.getValue(), at, errors));
            }
            return object;
        }
        return node;
    }

    /** Binds an already-parsed object to a type, with the same field-naming errors. */
    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.invalid(path(e), "is not a known field");
        } catch (MismatchedInputException e) {
            throw ApiException.invalid(path(e), "must be " + describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw ApiException.invalid(path(e), "is invalid");
        } catch (JsonProcessingException e) {
            throw ApiException.invalid("body", "is invalid");
        }
    }

    static String path(JsonMappingException e) {
        var path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "of type " + type.getSimpleName();
    }
}
