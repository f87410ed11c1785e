package com.clientele.shared.http;

import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON merge patch (RFC 7396) and the {@code If-Match} check of the updates that apply one. */
public final class MergePatch {

    private MergePatch() {
    }

    /** {@code target} with {@code patch} applied: a null member removes, an object merges, anything else replaces. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.MAPPER.createObjectNode();
        patch.properties().forEach(e -> {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), apply(result.get(e.getKey()), e.getValue()));
            }
        });
        return result;
    }

    /** Equal nodes, numbers by value ({@code 2} and {@code 2.0}, an int and a long), for {@link JsonNode#equals(java.util.Comparator, JsonNode)}. */
    private static final java.util.Comparator<JsonNode> BY_VALUE = (a, b) -> a.equals(b)
            || a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;

    /**
     * The members of {@code patch} (a merge patch of {@code current}, a resource as a GET shows it) that may
     * change ({@code writable}); any other member must be one of the resource's and hold its current value (numbers by value), or
     * it is named in the 400: not a field of {@code kind}, or the message {@code readOnly} gives for it.
     */
    public static ObjectNode writable(Object current, JsonNode patch, java.util.Set<String> writable, String kind,
                                      java.util.function.Function<String, String> readOnly) {
        if (!patch.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object (a merge patch)");
        }
        var shown = Json.MAPPER.valueToTree(current);
        var changes = Json.MAPPER.createObjectNode();
        var errors = new java.util.ArrayList<FieldError>();
        patch.properties().forEach(member -> {
            String name = member.getKey();
            if (writable.contains(name)) {
                changes.set(name, member.getValue());
            } else if (!shown.has(name)) {
                errors.add(new FieldError(name, "is not a field of " + kind));
            } else if (!shown.get(name).equals(BY_VALUE, member.getValue())) {
                errors.add(new FieldError(name, readOnly.apply(name)));
            }
        });
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return changes;
    }

    /** Whether an {@code If-Match} header (a list of tags, {@code *}, weak tags) names {@code etag}. */
    public static boolean matches(String ifMatch, String etag) {
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
