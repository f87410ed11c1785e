package com.clientele.ltv;

import com.clientele.loyalty.PointsReconciliation;
import com.clientele.shared.Money;
import com.clientele.shared.jobs.JobStatus;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A job that checks customers against the payment ledger and repairs what drifted, as the API
 * shows it. {@code kind}: {@code ltv} (the stats, {@code /admin/ltv-recompute}) or {@code points} (the points' lots and clawbacks,
 * {@code /admin/points-reconcile}). One customer ({@code customerId}) or every customer of the
 * tenant (no {@code customerId}); {@code includeRecent}: the ledger's entries of the last minutes,
 * whose events may still be in flight, are counted too. {@code status}: {@code queued},
 * {@code running}, then {@code succeeded} or {@code failed} (with {@code error}). {@code drifts} is
 * a sample of the customers that had drifted (the first {@value RecomputeJobs#MAX_SAMPLES}).
 */
public record RecomputeJob(String id, String kind, JobStatus status, String customerId, Boolean includeRecent, String trigger,
                           String requestedBy, long customersChecked, long drifted, List<Drift> drifts, String error,
                           Instant createdAt, Instant startedAt, Instant finishedAt) {

    public static final String LTV = "ltv";
    public static final String POINTS = "points";

    /** A job written before there were kinds and options is an LTV recompute of settled entries. */
    public RecomputeJob {
        kind = kind == null ? LTV : kind;
        includeRecent = Boolean.TRUE.equals(includeRecent);
    }

    /**
     * A customer that had drifted. An LTV job's: LTV and orders as stored, and as the ledger says. A
     * points job's: the payments that had no lot and the refunds that had no clawback (applied now),
     * the points that added and clawed back, and the entries that could not be applied (the customer
     * itself when its ledger could not be read). Each shows its own fields only.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Drift(String customerId, Money ltvBefore, Money ltvAfter, Long ordersBefore, Long ordersAfter,
                        List<String> missingLots, List<String> missingClawbacks, Long pointsAdded, Long pointsClawedBack,
                        List<String> unrepaired) {

        static Drift of(RecomputeService.Result r) {
            return new Drift(r.customerId(), r.before().ltv(), r.after().ltv(), r.before().orders(), r.after().orders(),
                    null, null, null, null, null);
        }

        static Drift of(PointsReconciliation.Result r) {
            return new Drift(r.customerId(), null, null, null, null, r.missingLots(), r.missingClawbacks(), r.pointsAdded(),
                    r.pointsClawedBack(), r.unrepaired());
        }

        /** A customer whose ledger or points could not be read: reported, so that the job goes on. */
        static Drift unreadable(String customerId) {
            return new Drift(customerId, null, null, null, null, List.of(), List.of(), 0L, 0L, List.of(customerId));
        }
    }

    boolean finished() {
        return status.finished();
    }

    /** A points reconciliation (else an LTV recompute: the jobs written before there were kinds have none). */
    boolean points() {
        return POINTS.equals(kind);
    }
}
