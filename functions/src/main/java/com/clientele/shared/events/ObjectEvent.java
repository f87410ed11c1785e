package com.clientele.shared.events;

import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;

/**
 * An event that carries its object whole, as a receiver gets it ({@code object}), and for an update the
 * changed fields' previous values ({@code previous}): the customers' lifecycle, points earned, redeemed and
 * expired, an export ready. Written to the {@link Outbox} in the transaction of the change it reports, and
 * relayed to every event queue like the others; the consumers of payment events pass it over ({@link Batches}),
 * the webhooks store and send it.
 */
public record ObjectEvent(String id, String type, int schemaVersion, String tenantId, Instant occurredAt, JsonNode object,
                          @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode previous) implements OutboxEvent {

    public static final int SCHEMA_VERSION = 1;
    /** A customer was created: the customer as {@code GET /customers/{id}} shows it. */
    public static final String CUSTOMER_CREATED = "customer.created";
    /** A customer's profile changed: the customer after, and the changed fields' values before. */
    public static final String CUSTOMER_UPDATED = "customer.updated";
    /** A customer was (soft) deleted: its id only. */
    public static final String CUSTOMER_DELETED = "customer.deleted";
    /** A customer was merged into another: its id and the survivor's ({@code mergedInto}). */
    public static final String CUSTOMER_MERGED = "customer.merged";
    /** A customer's personal data was erased: its id only. */
    public static final String CUSTOMER_ERASED = "customer.erased";
    public static final String POINTS_EARNED = "points.earned";
    public static final String POINTS_REDEEMED = "points.redeemed";
    public static final String POINTS_EXPIRED = "points.expired";
    /** An export's file is ready: its id and status (never the download link). */
    public static final String EXPORT_READY = "export.ready";
    /** A payment was disputed (a chargeback or a warning): the dispute as {@code GET /disputes/{id}} shows it, but its evidence. */
    public static final String DISPUTE_CREATED = "dispute.created";
    /** A dispute moved (escalated, evidence given: under review), as {@value #DISPUTE_CREATED}. */
    public static final String DISPUTE_UPDATED = "dispute.updated";
    /** A dispute became final (won, lost, warning closed), as {@value #DISPUTE_CREATED}. */
    public static final String DISPUTE_CLOSED = "dispute.closed";
    /** Every type of this kind of event (what a webhook endpoint may subscribe to). */
    public static final Set<String> TYPES = Set.of(CUSTOMER_CREATED, CUSTOMER_UPDATED, CUSTOMER_DELETED, CUSTOMER_MERGED,
            CUSTOMER_ERASED, POINTS_EARNED, POINTS_REDEEMED, POINTS_EXPIRED, EXPORT_READY, DISPUTE_CREATED, DISPUTE_UPDATED,
            DISPUTE_CLOSED);
    /** The types whose object holds a customer's personal data (their stored copies are redacted by an erasure). */
    public static final Set<String> PERSONAL = Set.of(CUSTOMER_CREATED, CUSTOMER_UPDATED);

    /** A new event of {@code type} about {@code object} (any value that serialises to a JSON object). */
    public static ObjectEvent of(String type, String tenantId, Instant at, Object object) {
        return new ObjectEvent(Ids.next(Ids.EVENT), type, SCHEMA_VERSION, tenantId, at, Json.MAPPER.valueToTree(object), null);
    }

    /** {@value #CUSTOMER_UPDATED}: {@code after} whole, and of {@code before} the fields named in {@code changed}. */
    public static ObjectEvent updated(String tenantId, Instant at, Object before, Object after, Collection<String> changed) {
        ObjectNode was = Json.MAPPER.valueToTree(before);
        ObjectNode previous = Json.MAPPER.createObjectNode();
        changed.forEach(field -> previous.set(field, was.get(field)));
        return new ObjectEvent(Ids.next(Ids.EVENT), CUSTOMER_UPDATED, SCHEMA_VERSION, tenantId, at, Json.MAPPER.valueToTree(after), previous);
    }
}
