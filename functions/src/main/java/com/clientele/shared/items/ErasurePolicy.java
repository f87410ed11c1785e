package com.clientele.shared.items;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What erasing a customer's personal data ({@code POST /customers/{id}/erase}) does to one item of
 * the partition, as the erasure walks it: nothing ({@link #keep}: no personal data, or anonymised
 * by the erasure's first step), {@link #scrub} some attributes (replaced or removed), or
 * {@link #delete} the item.
 */
public record ErasurePolicy(Kind kind, List<Scrub> scrubs, String description) {

    /** What replaces personal text. */
    public static final String ERASED = "[erased]";

    public enum Kind { KEEP, SCRUB, DELETE }

    /** What the erasure did to an item. */
    public enum Outcome { UNCHANGED, REWRITTEN, DELETED }

    /**
     * One attribute scrubbed: replaced by an anonymous value (where the item has it), removed, cut
     * before a separator (a summary that quotes personal text after it), or released (a token held
     * by a service outside the table, handed to the erasure's releaser, then removed). The attribute
     * may be a path into lists of objects: {@code refunds[].reason} scrubs the {@code reason} of every
     * element of {@code refunds}.
     */
    public record Scrub(String attribute, Action action, String value, String whenAttribute, List<String> whenValues) {

        public enum Action { REPLACE, REMOVE, CUT, RELEASE }

        public Scrub {
            Objects.requireNonNull(attribute, "attribute");
            Objects.requireNonNull(action, "action");
            whenValues = whenValues == null ? null : List.copyOf(whenValues);
        }

        public static Scrub replace(String attribute, String replacement) {
            return new Scrub(attribute, Action.REPLACE, Objects.requireNonNull(replacement), null, null);
        }

        public static Scrub remove(String attribute) {
            return new Scrub(attribute, Action.REMOVE, null, null, null);
        }

        /** Keeps the text before the first {@code separator} ("Redeemed 30 points: " + a reason → "Redeemed 30 points"). */
        public static Scrub cutAt(String attribute, String separator) {
            return new Scrub(attribute, Action.CUT, Objects.requireNonNull(separator), null, null);
        }

        /** A token of an outside service (a saved card's at the gateway): released there, then removed. */
        public static Scrub release(String attribute) {
            return new Scrub(attribute, Action.RELEASE, null, null, null);
        }

        /** The same, only on the items where {@code attribute} is one of {@code values} (activities of some kinds). */
        public Scrub when(String attribute, String... values) {
            return new Scrub(this.attribute, action, value, attribute, List.of(values));
        }

        /** Whether it applies to {@code item} (no condition, or the condition holds). */
        boolean appliesTo(ObjectNode item) {
            return whenAttribute == null || whenValues.contains(item.path(whenAttribute).asText());
        }

        /** Applies it; whether the item changed. */
        boolean apply(ObjectNode item, Consumer<String> releaser) {
            if (!appliesTo(item)) {
                return false;
            }
            return apply(item, attribute.split("\\."), 0, releaser);
        }

        private boolean apply(ObjectNode node, String[] path, int at, Consumer<String> releaser) {
            String name = path[at];
            if (at < path.length - 1) {
                boolean changed = false;
                if (name.endsWith("[]")) {
                    for (JsonNode element : node.path(name.substring(0, name.length() - 2))) {
                        changed |= element instanceof ObjectNode object && apply(object, path, at + 1, releaser);
                    }
                } else if (node.get(name) instanceof ObjectNode object) {
                    changed = apply(object, path, at + 1, releaser);
                }
                return changed;
            }
            JsonNode current = node.get(name);
            if (current == null || current.isNull()) {
                return false;
            }
            return switch (action) {
                case REMOVE -> node.remove(name) != null;
                case RELEASE -> {
                    releaser.accept(current.asText());
                    yield node.remove(name) != null;
                }
                case REPLACE -> {
                    if (value.equals(current.asText())) {
                        yield false;
                    }
                    node.put(name, value);
                    yield true;
                }
                case CUT -> {
                    int cut = current.asText().indexOf(value);
                    if (cut < 0) {
                        yield false;
                    }
                    node.put(name, current.asText().substring(0, cut));
                    yield true;
                }
            };
        }

        @Override
        public String toString() {
            String what = switch (action) {
                case REPLACE -> attribute + " → \"" + value + "\"";
                case REMOVE -> attribute + " removed";
                case CUT -> attribute + " cut before \"" + value + "\"";
                case RELEASE -> attribute + " released and removed";
            };
            return whenAttribute == null ? what
                    : what + " when " + whenAttribute + (whenValues.size() == 1 ? " = " + whenValues.get(0) : " in " + whenValues);
        }
    }

    public ErasurePolicy {
        Objects.requireNonNull(kind, "kind");
        scrubs = List.copyOf(scrubs);
        Objects.requireNonNull(description, "description");
    }

    /** Left as it is ({@code because}: no personal data, or what anonymises it). */
    public static ErasurePolicy keep(String because) {
        return new ErasurePolicy(Kind.KEEP, List.of(), "kept: " + because);
    }

    public static ErasurePolicy scrub(Scrub... scrubs) {
        if (scrubs.length == 0) {
            throw new IllegalArgumentException("scrub what?");
        }
        return new ErasurePolicy(Kind.SCRUB, List.of(scrubs), "scrubbed: " + List.of(scrubs));
    }

    public static ErasurePolicy delete() {
        return new ErasurePolicy(Kind.DELETE, List.of(), "deleted");
    }

    /** Deleted where {@code attribute} is one of {@code values} (the outbox's events that hold the profile), else kept. */
    public static ErasurePolicy deleteWhen(String attribute, String... values) {
        return new ErasurePolicy(Kind.DELETE, List.of(Scrub.remove(attribute).when(attribute, values)),
                "deleted when " + attribute + (values.length == 1 ? " = " + values[0] : " in " + List.of(values)) + ", else kept");
    }

    /** Applies the policy to {@code item} (scrubbing it in place); an item without outside tokens. */
    public Outcome apply(ObjectNode item) {
        return apply(item, token -> {
            throw new IllegalStateException("no releaser for " + token);
        });
    }

    /** Applies the policy to {@code item} (scrubbing it in place), handing outside tokens to {@code releaser}. */
    public Outcome apply(ObjectNode item, Consumer<String> releaser) {
        if (kind == Kind.KEEP) {
            return Outcome.UNCHANGED;
        }
        if (kind == Kind.DELETE) {
            // a conditional delete carries its condition as its one scrub's (deleteWhen)
            return scrubs.isEmpty() || scrubs.get(0).appliesTo(item) ? Outcome.DELETED : Outcome.UNCHANGED;
        }
        boolean changed = false;
        for (var scrub : scrubs) {
            changed |= scrub.apply(item, releaser);
        }
        return changed ? Outcome.REWRITTEN : Outcome.UNCHANGED;
    }
}
