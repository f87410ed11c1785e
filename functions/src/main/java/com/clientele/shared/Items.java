package com.clientele.shared;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Records stored as items: the record's JSON (nulls left out) plus the item's own attributes
 * (keys, index keys, status), and back. One mapping for every capability's items. Items are read
 * from their attribute values straight into JSON nodes (as {@link EnhancedDocument#toJson} writes
 * them: numbers as written, binaries in Base64, sets as arrays), without a JSON text in between.
 */
public final class Items {

    private Items() {
    }

    /** The record as item attributes, without nulls; callers add keys and item-only attributes. */
    public static ObjectNode attributes(Object record) {
        ObjectNode json = Json.MAPPER.valueToTree(record);
        var nulls = new ArrayList<String>();
        json.properties().forEach(e -> {
            if (e.getValue().isNull()) {
                nulls.add(e.getKey());
            }
        });
        json.remove(nulls);
        return json;
    }

    /** An item's attributes as JSON, keys included. */
    public static ObjectNode json(EnhancedDocument item) {
        return json(item.toMap());
    }

    /** An item's attributes (as the low-level client reads them) as JSON, keys included. */
    public static ObjectNode json(Map<String, AttributeValue> item) {
        var json = Json.MAPPER.createObjectNode();
        item.forEach((name, value) -> json.set(name, node(value)));
        return json;
    }

    private static JsonNode node(AttributeValue value) {
        return switch (value.type()) {
            case S -> TextNode.valueOf(value.s());
            case N -> number(value.n());
            case B -> base64(value.b());
            case BOOL -> BooleanNode.valueOf(value.bool());
            case NUL -> NullNode.getInstance();
            case M -> json(value.m());
            case L -> array(value.l(), Items::node);
            case SS -> array(value.ss(), TextNode::valueOf);
            case NS -> array(value.ns(), Items::number);
            case BS -> array(value.bs(), Items::base64);
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("unknown attribute type: " + value);
        };
    }

    /** A number as the parser reads it in a JSON text (the same node type and value as a whole item's JSON gives). */
    private static JsonNode number(String number) {
        try {
            return Json.MAPPER.readTree(number);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode base64(SdkBytes bytes) {
        return TextNode.valueOf(Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe()));
    }

    private static <V> ArrayNode array(List<V> values, Function<V, JsonNode> node) {
        var array = Json.MAPPER.createArrayNode();
        values.forEach(value -> array.add(node.apply(value)));
        return array;
    }

    public static EnhancedDocument document(ObjectNode attributes) {
        return Table.item().json(attributes.toString()).build();
    }

    /** The record an item holds: every key, index key and {@code itemOnly} attribute is dropped first. */
    public static <T> T read(EnhancedDocument item, Class<T> type, Set<String> itemOnly) {
        return read(item.toMap(), type, itemOnly);
    }

    /** {@link #read(EnhancedDocument, Class, Set)} of an item as the low-level client reads it. */
    public static <T> T read(Map<String, AttributeValue> item, Class<T> type, Set<String> itemOnly) {
        try {
            ObjectNode json = json(item);
            var drop = new ArrayList<String>();
            json.fieldNames().forEachRemaining(name -> {
                if (itemOnly.contains(name) || name.startsWith("GSI") || name.equals(Table.PK) || name.equals(Table.SK)
                        || name.equals(Table.TTL)) {
                    drop.add(name);
                }
            });
            json.remove(drop);
            return Json.MAPPER.treeToValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
