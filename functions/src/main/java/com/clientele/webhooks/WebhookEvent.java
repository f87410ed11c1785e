package com.clientele.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.Keys;
import java.time.Instant;
import java.util.List;

/**
 * The one envelope of every event a receiver gets, and {@code GET /events} lists:
 * {@code {id, type, createdAt, tenantId, data: {object, previous?}, apiVersion}}. {@code createdAt} is when
 * what it reports happened (a receiver orders by it); {@code id} is the event's, the same on every
 * delivery and retry (a receiver dedupes by it).
 */
public record WebhookEvent(String id, String type, Instant createdAt, String tenantId, Data data, String apiVersion) {

    /** The envelope's version: a change that could break a receiver comes with a new one. */
    public static final String API_VERSION = "2026-12-01";
    /** An endpoint was disabled after failing every delivery for 5 days (sent to the tenant's other endpoints). */
    public static final String ENDPOINT_DISABLED = "webhook_endpoint.disabled";
    /** An event type: the kind of its object, a dot, what happened ({@code payment.succeeded}, {@code credit_note.created}). */
    private static final java.util.regex.Pattern TYPE = java.util.regex.Pattern.compile("([a-z][a-z_]*)\\.[a-z][a-z_.]*");
    /** Fields of the events on the queues that are the envelope's (or internal: the card's keyed fingerprint), not the object's. */
    private static final List<String> ENVELOPE_FIELDS = List.of("id", "type", "schemaVersion", "tenantId", "occurredAt", "cardFingerprint");

    /** The object the event is about ({@code object} names its kind), and what changed of it when known. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Data(JsonNode object, JsonNode previous) {
    }

    /** A message that is no event the webhooks understand: parked in the DLQ. */
    static final class NotAnEvent extends RuntimeException {
        NotAnEvent(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The envelope of an event as the outbox sends it to the event queues: its own fields make the envelope,
     * the others the object; or, for an event that carries its object whole, that object and its previous values.
     */
    static WebhookEvent fromQueued(String body) {
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new NotAnEvent("not JSON");
        }
        String id = event.path("id").asText(null);
        String type = event.path("type").asText(null);
        String tenant = event.path("tenantId").asText(null);
        String occurredAt = event.path("occurredAt").asText(null);
        if (!Ids.isValid(Ids.EVENT, id) || !Keys.isTenantId(tenant) || type == null || kind(type) == null || occurredAt == null) {
            throw new NotAnEvent("missing or malformed id, type, tenantId or occurredAt");
        }
        ObjectNode object = Json.MAPPER.createObjectNode().put("object", kind(type));
        JsonNode previous = null;
        if (event.get("object") instanceof ObjectNode whole) {
            // an event that carries its object whole (ObjectEvent), and what changed of it
            object.setAll(whole);
            previous = event.get("previous") instanceof ObjectNode changed ? changed : null;
        } else {
            event.properties().forEach(field -> {
                if (!ENVELOPE_FIELDS.contains(field.getKey()) && !field.getValue().isNull()) {
                    object.set(field.getKey(), field.getValue());
                }
            });
        }
        return new WebhookEvent(id, type, Instant.parse(occurredAt), tenant, new Data(object, previous), API_VERSION);
    }

    /**
     * The kind of object events of {@code type} are about (the part before the dot), or null for what is no
     * event type. Any kind the outbox carries is stored and sent (to the endpoints that take every type) as
     * soon as it exists; {@link WebhookService#EVENT_TYPES} lists those an endpoint may name.
     */
    static String kind(String type) {
        var match = TYPE.matcher(type);
        return match.matches() ? match.group(1) : null;
    }

    /**
     * The id of the object: its kind's id field ({@code paymentId} of a payment, {@code creditNoteId} of a
     * credit note, {@code customerId} of a customer's tier change, {@code exportId} of an export), else its
     * {@code id} (an endpoint, a customer), else its {@code customerId} (points).
     */
    String objectId() {
        String kind = kind(type);
        var field = new StringBuilder();
        for (String part : kind.split("_")) {
            field.append(field.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        for (String name : List.of(field + "Id", "id", "customerId")) {
            if (data.object().path(name).isTextual()) {
                return data.object().path(name).asText();
            }
        }
        return null;
    }

    /**
     * The same event without its object's data: the object's kind and id only, no previous values (a customer's
     * whose personal data was erased).
     */
    WebhookEvent redacted() {
        ObjectNode object = Json.MAPPER.createObjectNode().put("object", kind(type)).put("id", objectId());
        return new WebhookEvent(id, type, createdAt, tenantId, new Data(object, null), apiVersion);
    }

    String json() {
        return Json.write(this);
    }
}
