package com.clientele.webhooks;

import com.clientele.shared.events.ObjectEvent;
import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;

/**
 * The erasure's reach into the webhooks' stored events: those about the customer that hold its personal data
 * ({@link ObjectEvent#PERSONAL}: the profile, and its previous values) are rewritten to the customer's kind
 * and id, and the erasure is marked, so that one relayed after it (events are not ordered) is stored so too
 * ({@link WebhookDeliveries#accept}). Deliveries store no body: a pending one sends the redacted event.
 */
public final class StoredEvents {

    private final WebhookRepository repository;

    /** Built apart from {@link WebhookWiring}, so that the erasure's function carries no more of the webhooks than this. */
    public StoredEvents(DynamoDbEnhancedClient client, String tableName) {
        this.repository = new WebhookRepository(client, tableName);
    }

    /** Forgets the customer's personal data in the tenant's stored events. Repeating it is harmless. */
    public void forgetCustomer(String tenant, String customerId, Instant erasedAt) {
        repository.forgetCustomer(tenant, customerId, erasedAt, ObjectEvent.PERSONAL);
    }
}
