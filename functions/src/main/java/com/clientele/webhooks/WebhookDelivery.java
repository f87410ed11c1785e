package com.clientele.webhooks;

import java.time.Instant;

/**
 * One event's delivery to one endpoint: {@code pending} while attempts go on, then {@code delivered} (a 2xx)
 * or {@code failed} (none in 3 days, or the endpoint disabled). What the last attempt got is kept.
 *
 * @param responseCode  the last attempt's HTTP status, null when it got none (timeout, refused, unreachable)
 * @param latencyMs     how long the last attempt took
 * @param error         why the last attempt failed without a status ({@code timeout}, {@code connection_refused}, …)
 * @param nextAttemptAt when the next attempt is due (null once delivered or failed)
 * @param retryUntil    the end of its 3 days of attempts (counted again from a resend)
 */
public record WebhookDelivery(String endpointId, String eventId, String eventType, String status, int attempts,
                              Integer responseCode, Long latencyMs, String error, Instant nextAttemptAt, Instant retryUntil,
                              Instant createdAt, Instant updatedAt, Instant deliveredAt) {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
}
