package com.clientele.shared.items;

import java.util.List;
import java.util.Objects;

/**
 * One kind of item in a customer's partition, declared once by the capability that writes it: its
 * name, its sort-key shape, the index keys it carries, and what each whole-customer operation does
 * with it (merge, data export, erasure, soft delete). The builder has no defaults: a declaration
 * that leaves a policy out does not compile, and one that passes null is refused here.
 *
 * <pre>{@code
 * ItemType.named("note").sortKey(SortKey.prefix("NOTE#")).indexKeys()
 *         .merge(MergePolicy.moveAsCustomer("notes"))
 *         .export(ExportPolicy.list("notes"))
 *         .erasure(ErasurePolicy.scrub(Scrub.replace("summary", "[erased]"), Scrub.remove("followUp")))
 *         .softDelete(SoftDeletePolicy.KEEP);
 * }</pre>
 */
public record ItemType(String name, SortKey sortKey, List<String> indexKeys, MergePolicy merge, ExportPolicy export,
                       ErasurePolicy erasure, SoftDeletePolicy softDelete) {

    public ItemType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sortKey, name + ": sortKey");
        indexKeys = List.copyOf(Objects.requireNonNull(indexKeys, name + ": indexKeys"));
        Objects.requireNonNull(merge, name + ": no merge policy");
        Objects.requireNonNull(export, name + ": no data export policy");
        Objects.requireNonNull(erasure, name + ": no erasure policy");
        Objects.requireNonNull(softDelete, name + ": no soft delete policy");
    }

    public boolean matches(String sortKey) {
        return this.sortKey.matches(sortKey);
    }

    public static KeyStage named(String name) {
        return sortKey -> indexKeys -> merge -> export -> erasure -> softDelete ->
                new ItemType(name, sortKey, List.of(indexKeys), merge, export, erasure, softDelete);
    }

    /** The stages of a declaration, in order; each one required. */
    public interface KeyStage {
        IndexStage sortKey(SortKey sortKey);
    }

    public interface IndexStage {
        /** The index key attributes ({@code GSI1PK}, …) the item may carry; none for most. */
        MergeStage indexKeys(String... attributes);
    }

    public interface MergeStage {
        ExportStage merge(MergePolicy merge);
    }

    public interface ExportStage {
        ErasureStage export(ExportPolicy export);
    }

    public interface ErasureStage {
        SoftDeleteStage erasure(ErasurePolicy erasure);
    }

    public interface SoftDeleteStage {
        ItemType softDelete(SoftDeletePolicy softDelete);
    }
}
