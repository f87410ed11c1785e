package com.clientele.shared.audit;

import com.clientele.shared.Actor;
import java.time.Instant;
import java.util.Map;

/**
 * One line of a tenant's audit log: a change made through the API, who made it and when. It holds
 * ids only (of the user, the request, the customer and the resources), never a request or response
 * body, so it keeps nothing personal about a customer.
 *
 * @param action      the route, {@code POST /customers/{id}/charges}
 * @param status      the HTTP status the change was answered with
 * @param customerId  the customer the change was about, when there is one
 * @param resourceIds the ids in the path ({@code id}, {@code noteId}, …) and, as {@code created}, the id of what it created
 */
public record AuditEntry(Instant at, Actor actor, String action, int status, String customerId, Map<String, String> resourceIds) {
}
