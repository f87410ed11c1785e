package com.clientele.relationship;

import java.time.Instant;

/**
 * A note the merchant's team keeps on a customer (seed: date of interaction, type, summary,
 * follow-up actions). {@code authorId} is the JWT subject that wrote it: only they may change or
 * delete it; everyone in the tenant reads it.
 */
public record Note(String id, String customerId, String type, String summary, String followUp, Instant occurredAt,
                   String authorId, Instant createdAt, Instant updatedAt, long version) {
}
