package com.clientele.shared.items;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every item type of a customer's partition, each declared by its capability. Refuses two types
 * whose sort-key shapes overlap (or share a name), so that every item is of at most one type; the
 * whole-customer operations (merge, data export, erasure, soft delete) walk it.
 */
public final class ItemRegistry {

    private final List<ItemType> types;

    public ItemRegistry(List<ItemType> types) {
        var problems = new ArrayList<String>();
        for (int i = 0; i < types.size(); i++) {
            for (int j = i + 1; j < types.size(); j++) {
                var a = types.get(i);
                var b = types.get(j);
                if (a.name().equals(b.name())) {
                    problems.add("two types named " + a.name());
                }
                if (a.sortKey().overlaps(b.sortKey())) {
                    problems.add(a.name() + " (" + a.sortKey() + ") and " + b.name() + " (" + b.sortKey() + ") overlap");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Item types refused: " + String.join("; ", problems));
        }
        this.types = List.copyOf(types);
    }

    public List<ItemType> types() {
        return types;
    }

    /** The type of the item with this sort key, if one is declared. */
    public Optional<ItemType> typeOf(String sortKey) {
        return types.stream().filter(type -> type.matches(sortKey)).findFirst();
    }

    /** This registry and {@code more} types (a test's throwaway type), validated again. */
    public ItemRegistry with(ItemType... more) {
        var all = new ArrayList<>(types);
        all.addAll(List.of(more));
        return new ItemRegistry(all);
    }
}
