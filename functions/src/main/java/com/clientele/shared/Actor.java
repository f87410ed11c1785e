package com.clientele.shared;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Who makes the change being handled: the token's subject and role and the API Gateway request id,
 * or, for a queue consumer or a schedule, the system function and the message or event id. The
 * entry point makes it current for the time it handles one request or message ({@link #as}), on the
 * thread that handles it, and it is always cleared after, even when the work throws; writers read it
 * ({@link #current}) instead of having it threaded through every call. While it is current, the
 * writers of a customer's activities note that customer ({@link #touch}), so the audit line of a change
 * names its customer whatever the route's path.
 *
 * @param userId    the JWT {@code sub}, or {@code system:<function>}
 * @param role      the token's {@code role} claim, {@code custom} for a token with scopes but no role, or {@code system}
 * @param requestId the API Gateway request id, or the queue message / schedule event id
 */
public record Actor(String userId, String role, String requestId) {

    public static final String SYSTEM = "system";
    public static final String CUSTOM = "custom";

    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    /** The actor of the work running, and the customers it changed. */
    private record Scope(Actor actor, Set<String> customers) {
    }

    /** A function acting on its own, for the message or event {@code eventId}. */
    public static Actor system(String function, String eventId) {
        return new Actor(SYSTEM + ":" + (function == null || function.isBlank() ? "unknown" : function), SYSTEM, eventId);
    }

    /** The actor of the request or message being handled on this thread, if any. */
    public static Optional<Actor> current() {
        return Optional.ofNullable(CURRENT.get()).map(Scope::actor);
    }

    /** Notes that the work running changes {@code customerId} (nothing when no actor is current). */
    public static void touch(String customerId) {
        var scope = CURRENT.get();
        if (scope != null && customerId != null) {
            scope.customers().add(customerId);
        }
    }

    /** The customers the work running has changed so far, in the order they were noted. */
    public static Set<String> touched() {
        var scope = CURRENT.get();
        return scope == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(scope.customers()));
    }

    /** Runs {@code work} with {@code actor} current on this thread; the one current before is restored after. */
    public static <T> T as(Actor actor, Supplier<T> work) {
        Scope before = CURRENT.get();
        CURRENT.set(new Scope(actor, new LinkedHashSet<>()));
        try {
            return work.get();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    public static void as(Actor actor, Runnable work) {
        as(actor, () -> {
            work.run();
            return null;
        });
    }
}
