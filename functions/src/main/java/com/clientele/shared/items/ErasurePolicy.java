package com.clientele.shared.items;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What erasing a customer's personal data ({@code POST /customers/{id}/erase}) does to one item of
 * the partition, as the erasure walks it: nothing ({@link #keep}: no personal data, or anonymised
 * by the erasure's first step), {@link #scrub} some attributes (replaced or removed), or
 * {@link #delete} the item.
 */
public record ErasurePolicy(Kind kind, List<Scrub> scrubs, Predicate<ObjectNode> applies, String description) {

    /** What replaces personal text. */
    public static final String ERASED = "[erased]";

    public enum Kind { KEEP, SCRUB, DELETE }

    /** What the erasure did to an item. */
    public enum Outcome { UNCHANGED, REWRITTEN, DELETED }

    /** One attribute scrubbed: replaced by an anonymous value (where the item has it), or removed. */
    public record Scrub(String attribute, String replacement) {

        public static Scrub replace(String attribute, String replacement) {
            return new Scrub(attribute, Objects.requireNonNull(replacement));
        }

        public static Scrub remove(String attribute) {
            return new Scrub(attribute, null);
        }

        /** Applies it; whether the item changed. */
        boolean apply(ObjectNode item) {
            if (replacement == null) {
                return item.remove(attribute) != null;
            }
            if (!item.has(attribute) || replacement.equals(item.path(attribute).asText())) {
                return false;
            }
            item.put(attribute, replacement);
            return true;
        }

        @Override
        public String toString() {
            return replacement == null ? attribute + " removed" : attribute + " → \"" + replacement + "\"";
        }
    }

    public ErasurePolicy {
        Objects.requireNonNull(kind, "kind");
        scrubs = List.copyOf(scrubs);
        Objects.requireNonNull(applies, "applies");
        Objects.requireNonNull(description, "description");
    }

    /** Left as it is ({@code because}: no personal data, or what anonymises it). */
    public static ErasurePolicy keep(String because) {
        return new ErasurePolicy(Kind.KEEP, List.of(), item -> false, "kept: " + because);
    }

    public static ErasurePolicy scrub(Scrub... scrubs) {
        if (scrubs.length == 0) {
            throw new IllegalArgumentException("scrub what?");
        }
        return new ErasurePolicy(Kind.SCRUB, List.of(scrubs), item -> true, "scrubbed: " + List.of(scrubs));
    }

    public static ErasurePolicy delete() {
        return new ErasurePolicy(Kind.DELETE, List.of(), item -> true, "deleted");
    }

    /** The same, only for the items where {@code attribute} is {@code value} (an activity of one kind). */
    public ErasurePolicy when(String attribute, String value) {
        return new ErasurePolicy(kind, scrubs, applies.and(item -> value.equals(item.path(attribute).asText())),
                description + " when " + attribute + " = " + value);
    }

    /** Applies the policy to {@code item} (scrubbing it in place). */
    public Outcome apply(ObjectNode item) {
        if (kind == Kind.KEEP || !applies.test(item)) {
            return Outcome.UNCHANGED;
        }
        if (kind == Kind.DELETE) {
            return Outcome.DELETED;
        }
        boolean changed = false;
        for (var scrub : scrubs) {
            changed |= scrub.apply(item);
        }
        return changed ? Outcome.REWRITTEN : Outcome.UNCHANGED;
    }
}
