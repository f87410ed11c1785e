package com.clientele.shared.items;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** Single-item writes of whole items (as JSON, keys included), for the moves of a merge. */
public interface ItemStore {

    /**
     * Puts {@code item} unless its key holds it already: with {@code version}, unless the copy there is
     * at that version or newer; without, unless anything is there. Whether it wrote.
     */
    boolean copy(ObjectNode item, Long version);

    /** Puts an item whatever is there. */
    void put(ObjectNode item);

    /** Deletes an item; with {@code version}, only at that version. Whether it is gone. */
    boolean delete(String pk, String sk, Long version);

    Optional<ObjectNode> item(String pk, String sk);

    /** Puts one item and deletes another, both or neither. */
    void replace(ObjectNode put, String deletePk, String deleteSk);
}
