package com.clientele.shared.items;

import com.clientele.shared.Table;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What merging a duplicate customer into a primary does to one item of the duplicate's partition:
 * first a decision per item ({@link Action}: it stays, moves to the primary's partition, or is
 * dropped), then, for an item that moves, how. An item that moves is counted under {@code counter}
 * in the merge's record (a dropped one is listed there by its {@code id}); a null counter is not counted.
 */
public record MergePolicy(String counter, Planner planner, Mover mover) {

    public enum Action { KEEP, MOVE, DROP }

    /** The decision for one item of the duplicate. */
    @FunctionalInterface
    public interface Planner {
        Action plan(com.fasterxml.jackson.databind.node.ObjectNode item, MergeContext merge);
    }

    /** Moves one item to the primary's partition (a repeated or concurrent run must be harmless). */
    @FunctionalInterface
    public interface Mover {
        void move(com.fasterxml.jackson.databind.node.ObjectNode item, MergeContext merge);
    }

    public MergePolicy {
        Objects.requireNonNull(planner, "planner");
        Objects.requireNonNull(mover, "mover");
    }

    /** It stays with the duplicate. */
    public static MergePolicy keep() {
        return new MergePolicy(null, (item, merge) -> Action.KEEP, (item, merge) -> {
            throw new IllegalStateException("kept items do not move");
        });
    }

    /** It is deleted from the duplicate's partition. */
    public static MergePolicy drop() {
        return new MergePolicy(null, (item, merge) -> Action.DROP, (item, merge) -> {
            throw new IllegalStateException("dropped items do not move");
        });
    }

    /** It moves as it is. */
    public static MergePolicy move(String counter) {
        return new MergePolicy(counter, (item, merge) -> Action.MOVE, (item, merge) -> asIs(item, merge, false));
    }

    /** It moves with its {@code customerId} rewritten to the primary's. */
    public static MergePolicy moveAsCustomer(String counter) {
        return new MergePolicy(counter, (item, merge) -> Action.MOVE, (item, merge) -> asIs(item, merge, true));
    }

    /** It moves the capability's own way (pointers to it, keys that may collide). */
    public static MergePolicy custom(String counter, Mover mover) {
        return new MergePolicy(counter, (item, merge) -> Action.MOVE, mover);
    }

    /** The same moves, with a decision per item (an item the primary holds already is dropped, say). */
    public MergePolicy deciding(Planner planner) {
        return new MergePolicy(counter, planner, mover);
    }

    /** How many times {@link #moveAtVersion} copies an item that keeps changing before the merge stops. */
    private static final int MAX_MOVE_ATTEMPTS = 5;

    /**
     * The move of an item that something outside the partition points at (a payment, a subscription): the
     * item as read, at its {@code version}, is copied into the primary's partition with the primary's
     * {@code customerId} (and what {@code rewrite} changes in the copy; never over a newer copy), what points
     * at it is moved ({@code repoint}, given the item), then the original is deleted at that version. If the
     * original changed in between (a refund, a renewal just before the pointer moved), again with it as it
     * is now; after five times, {@link MergeContext.Interrupted}.
     */
    public static void moveAtVersion(ObjectNode item, MergeContext merge, java.util.function.Consumer<ObjectNode> rewrite,
                                     java.util.function.Consumer<ObjectNode> repoint) {
        var store = merge.store();
        for (int attempt = 1; attempt <= MAX_MOVE_ATTEMPTS; attempt++) {
            long version = item.path("version").asLong();
            var copy = item.deepCopy();
            copy.put(Table.PK, merge.to()).put("customerId", merge.primaryId());
            rewrite.accept(copy);
            store.copy(copy, version);
            repoint.accept(item);
            if (store.delete(merge.from(), item.path(Table.SK).asText(), version)) {
                return;
            }
            var now = store.item(merge.from(), item.path(Table.SK).asText());
            if (now.isEmpty()) {
                return;
            }
            item = now.get();
        }
        throw new MergeContext.Interrupted();
    }

    /** A copy into the primary's partition, unless one is there, then the original deleted. */
    private static void asIs(com.fasterxml.jackson.databind.node.ObjectNode item, MergeContext merge, boolean customerId) {
        var copy = item.deepCopy();
        copy.put(Table.PK, merge.to());
        if (customerId) {
            copy.put("customerId", merge.primaryId());
        }
        merge.store().copy(copy, null);
        merge.store().delete(merge.from(), item.path(Table.SK).asText(), null);
    }
}
