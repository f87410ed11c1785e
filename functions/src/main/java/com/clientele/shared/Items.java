package com.clientele.shared;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;

/**
 * Records stored as items: the record's JSON (nulls left out) plus the item's own attributes
 * (keys, index keys, status), and back. One mapping for every capability's items.
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
        try {
            return (ObjectNode) Json.MAPPER.readTree(item.toJson());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EnhancedDocument document(ObjectNode attributes) {
        return Table.item().json(attributes.toString()).build();
    }

    /** The record an item holds: every key, index key and {@code itemOnly} attribute is dropped first. */
    public static <T> T read(EnhancedDocument item, Class<T> type, Set<String> itemOnly) {
        try {
            ObjectNode json = (ObjectNode) Json.MAPPER.readTree(item.toJson());
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
