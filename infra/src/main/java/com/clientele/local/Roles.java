package com.clientele.local;

import com.clientele.shared.http.ApiRoutes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The role presets: the scopes a tenant's identity provider puts in the token of a user with that
 * role, here what {@code POST /_local/tokens} issues for {@code "role"}. Each role has what the one
 * before it has, and more.
 * <ul>
 *   <li>viewer: every read but the personal data export and the jobs (the catalogue, orders and subscriptions too);</li>
 *   <li>cashier: and charge, save cards, redeem points, write notes, place, pay, fulfil and cancel orders
 *   (a paid order's cancel refunds it, which needs the refund scope as well), start and change subscriptions;</li>
 *   <li>manager: and change and delete customers, merge, refund, adjust points, change settings, export,
 *   change the catalogue;</li>
 *   <li>admin: every scope of the API, the privacy actions, the tenant jobs and the audit log too.</li>
 * </ul>
 */
public final class Roles {

    /** The role of a token asked for without role or scopes, so that trying the API needs neither. */
    public static final String DEFAULT = "admin";

    /** Role name → its scopes, from the least to the most able. */
    public static final Map<String, Set<String>> PRESETS = presets();

    private Roles() {
    }

    private static Map<String, Set<String>> presets() {
        var viewer = Set.of("customers:read", "payments:read", "points:read", "settings:read", "catalogue:read", "orders:read",
                "subscriptions:read", "invoices:read");
        var cashier = union(viewer, Set.of("payments:charge", "cards:write", "points:redeem", "notes:write", "orders:write",
                "subscriptions:write", "invoices:write"));
        var manager = union(cashier, Set.of("customers:write", "customers:delete", "customers:merge", "payments:refund",
                "points:adjust", "settings:write", "exports:create", "exports:read", "catalogue:write"));
        var presets = new LinkedHashMap<String, Set<String>>();
        presets.put("viewer", union(viewer));
        presets.put("cashier", cashier);
        presets.put("manager", manager);
        presets.put("admin", union(ApiRoutes.scopes()));
        return Collections.unmodifiableMap(presets);
    }

    /** The role's scopes, or empty for a role that is not a preset. */
    public static Optional<Set<String>> scopes(String role) {
        return Optional.ofNullable(PRESETS.get(role));
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        var all = new TreeSet<String>();
        Stream.of(sets).forEach(all::addAll);
        return Collections.unmodifiableSet(all);
    }
}
