package com.clientele.webhooks;

/**
 * The delivery queue's message: attempt {@code attempt} of the delivery of {@code eventId} to
 * {@code endpointId} is due. Only the delivery item decides: a message for an attempt already made (a
 * duplicate, the sweep's safety net arriving after the queue's) is dropped.
 */
public record DeliveryMessage(String tenantId, String endpointId, String eventId, int attempt) {
}
