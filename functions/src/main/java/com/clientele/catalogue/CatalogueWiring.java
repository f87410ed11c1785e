package com.clientele.catalogue;

import com.clientele.shared.Components;

/** How the catalogue's parts are built from a function's {@link Components}, each once. */
public final class CatalogueWiring {

    private CatalogueWiring() {
    }

    public static CatalogueRepository repository(Components components) {
        return components.once(CatalogueRepository.class, () -> new CatalogueRepository(components.enhanced(), components.table()));
    }

    /** The catalogue's rules: what the catalogue's routes call, and what orders and subscriptions resolve prices with. */
    public static CatalogueService service(Components components) {
        return components.once(CatalogueService.class,
                () -> new CatalogueService(repository(components), components.cursors(), components.clock()));
    }
}
