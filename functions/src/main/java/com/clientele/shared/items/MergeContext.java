package com.clientele.shared.items;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One merge as an item's {@link MergePolicy} sees it: the two customers, their partitions, the
 * primary's items (read once per shape, for decisions such as "the primary holds this card
 * already") and the store that copies and deletes.
 */
public interface MergeContext {

    String tenant();

    String primaryId();

    String duplicateId();

    /** The duplicate's partition key. */
    String from();

    /** The primary's partition key. */
    String to();

    /** The primary's items of one shape. */
    List<ObjectNode> primaryItems(SortKey shape);

    ItemStore store();

    /** Thrown by a move that kept finding its item changed: the merge stops, and its request may be repeated. */
    final class Interrupted extends RuntimeException {
        public Interrupted() {
            super(null, null, false, false);
        }
    }
}
