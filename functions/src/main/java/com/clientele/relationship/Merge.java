package com.clientele.relationship;

import com.clientele.customers.Customer;
import java.time.Instant;

/**
 * A merge as the API shows it: the preview ({@code dryRun}, {@code status} {@code preview}: what would
 * move and the primary's figures after it, nothing written) or the merge done ({@code status}
 * {@code merged}, with the primary's profile as it is now).
 */
public record Merge(String primaryId, String duplicateId, boolean dryRun, String status, MergeRecord.Moves moves,
                    MergeRecord.Outcome result, Customer customer, Instant startedAt, Instant finishedAt) {
}
