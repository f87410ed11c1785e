package com.clientele.ltv;

import com.clientele.shared.Money;
import com.clientele.shared.jobs.JobStatus;
import java.time.Instant;
import java.util.List;

/**
 * A recompute job as the API shows it: one customer ({@code customerId}) or every customer of the
 * tenant (no {@code customerId}). {@code status}: {@code queued}, {@code running}, then
 * {@code succeeded} or {@code failed} (with {@code error}). {@code drifts} is a sample of the
 * customers whose stats had drifted (the first {@value RecomputeJobs#MAX_SAMPLES}).
 */
public record RecomputeJob(String id, JobStatus status, String customerId, String trigger, String requestedBy,
                           long customersChecked, long drifted, List<Drift> drifts, String error,
                           Instant createdAt, Instant startedAt, Instant finishedAt) {

    /** A customer whose stats had drifted: LTV and orders as stored, and as the ledger says. */
    public record Drift(String customerId, Money ltvBefore, Money ltvAfter, long ordersBefore, long ordersAfter) {
    }

    boolean finished() {
        return status.finished();
    }
}
