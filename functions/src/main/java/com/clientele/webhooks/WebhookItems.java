package com.clientele.webhooks;

import com.clientele.shared.Keys;

/**
 * The keys of the webhooks. All are tenant items, outside customers' partitions:
 * <ul>
 *   <li>endpoints: {@code T#<t>#WEBHOOKS} / {@code WHE#<we_id>} (one Query finds a tenant's endpoints for each event);</li>
 *   <li>events: {@code T#<t>#EVENTS} / {@code EVT#<evt_id>}, the envelope as JSON, gone after 30 days (TTL);
 *   newest first by the time-ordered id; beside them {@code ERASED#<cus_id>}, the mark of a customer's erasure
 *   (kept 60 days), so that a personal event about it arriving later is stored redacted;</li>
 *   <li>deliveries: {@code T#<t>#WHE#<we_id>} / {@code DLV#<evt_id>}: one per event and endpoint, gone after 30 days;
 *   while one waits for its next attempt it is in the sparse "due" shards of GSI3 ({@code WEBHOOK_DUE#<n>},
 *   sort key the time the sweep is to wake it), which, like the outbox's shards, have no tenant: the sweep
 *   serves every tenant and reads only what is due.</li>
 * </ul>
 */
public final class WebhookItems {

    static final String ENDPOINT = "WHE#";
    static final String EVENT = "EVT#";
    static final String DELIVERY = "DLV#";
    static final String ERASED = "ERASED#";
    static final String DUE = "WEBHOOK_DUE#";
    static final int DUE_SHARDS = 4;

    private WebhookItems() {
    }

    static String endpoints(String tenant) {
        return Keys.tenant(tenant) + "#WEBHOOKS";
    }

    static String endpoint(String endpointId) {
        return ENDPOINT + endpointId;
    }

    public static String events(String tenant) {
        return Keys.tenant(tenant) + "#EVENTS";
    }

    public static String event(String eventId) {
        return EVENT + eventId;
    }

    /** The marker of a customer's erasure, beside the events (their partition; not an {@code EVT#} key). */
    static String erased(String customerId) {
        return ERASED + customerId;
    }

    static String deliveries(String tenant, String endpointId) {
        return Keys.tenant(tenant) + "#" + ENDPOINT + endpointId;
    }

    static String delivery(String eventId) {
        return DELIVERY + eventId;
    }

    static String dueShard(int shard) {
        return DUE + shard;
    }

    static int dueShardOf(String endpointId, String eventId) {
        return Math.floorMod((endpointId + eventId).hashCode(), DUE_SHARDS);
    }
}
