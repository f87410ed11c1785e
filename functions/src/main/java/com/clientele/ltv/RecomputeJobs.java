package com.clientele.ltv;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.loyalty.PointsReconciliation;
import com.clientele.ltv.JobRepository.Progress;
import com.clientele.shared.Actor;
import com.clientele.shared.Futures;
import com.clientele.shared.Ids;
import com.clientele.shared.Pages;
import com.clientele.shared.Table.Index;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.jobs.Budget;
import com.clientele.shared.jobs.JobMetrics;
import com.clientele.shared.metrics.Metrics;
import com.clientele.shared.jobs.JobStatus;
import com.clientele.shared.jobs.StepJob;
import com.clientele.shared.jobs.StepRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;

/**
 * Jobs that check customers against the payment ledger and repair what drifted, of two kinds
 * ({@link RecomputeJob#kind}): the LTV recompute ({@link RecomputeService}) and the points
 * reconciliation ({@link PointsReconciliation}). Started by the API (one customer, or the whole
 * tenant) or by the daily schedule (one job of each kind for every tenant), and worked through
 * {@code LtvRecomputeQueue} one step per message.
 *
 * <p>The worker runs them as a step job ({@link StepJob}, {@link com.clientele.shared.jobs.StepRunner}):
 * a step checks customers (oldest first, by the join-date index) until its time budget is spent,
 * then records its counts and the position reached on the job item, conditional on the job still
 * being at that step ({@link StepRecord}), and the runner sends the message for the next step. So
 * no invocation runs past its timeout however large the tenant, and the counts are exact: a
 * message delivered twice works its step twice (rechecking is harmless: a repair is conditional
 * and idempotent) but only one delivery's counts are recorded; the other finds the step taken and
 * stops (a redelivered one re-sends the next step's message, as {@link StepRecord} does).
 */
public final class RecomputeJobs implements StepJob<RecomputeMessage> {

    static final int MAX_SAMPLES = 20;
    /** A queued daily job older than this has most likely lost its first message: it is sent again. */
    static final Duration REQUEUE_AFTER = Duration.ofMinutes(15);
    static final String API = "api";
    static final String SCHEDULE = "schedule";

    private final JobRepository jobs;
    private final RecomputeService recompute;
    private final PointsReconciliation points;
    private final RecomputeQueue queue;
    private final Clock clock;
    private final int pageSize;
    private final int scanSegments;
    private final JobMetrics recomputeMetrics;
    private final JobMetrics reconcileMetrics;

    public RecomputeJobs(JobRepository jobs, RecomputeService recompute, PointsReconciliation points, RecomputeQueue queue,
                         Clock clock, int pageSize, int scanSegments, Metrics metrics) {
        this.jobs = jobs;
        this.recompute = recompute;
        this.points = points;
        this.queue = queue;
        this.clock = clock;
        this.pageSize = pageSize;
        this.scanSegments = scanSegments;
        this.recomputeMetrics = new JobMetrics(metrics, JobMetrics.RECOMPUTE);
        this.reconcileMetrics = new JobMetrics(metrics, JobMetrics.POINTS_RECONCILE);
    }

    // ---- the API -------------------------------------------------------------------------------

    /** What {@link #start} did: queued a new job, or found the tenant's whole-tenant job already queued or running. */
    public record Started(RecomputeJob job, boolean created) {
    }

    /**
     * Queues a job of {@code kind} for one customer, or for all when {@code customerId} is null;
     * with {@code includeRecent}, counting the entries whose events may still be in flight too. A
     * tenant has at most one whole-tenant job of a kind queued or running: while it has one, that
     * one is returned ({@code created} false, whatever its {@code includeRecent}). Jobs for one
     * customer are not limited: each is one step.
     */
    public Started start(String kind, String tenant, String userId, String customerId, boolean includeRecent) {
        if (customerId != null) {
            if (!Ids.isValid(Ids.CUSTOMER, customerId)) {
                throw ApiException.invalid("customerId", "must be a customer id (cus_…)");
            }
            if (!(RecomputeJob.POINTS.equals(kind) ? points.exists(tenant, customerId) : recompute.exists(tenant, customerId))) {
                throw ApiException.notFound("customer " + customerId);
            }
        }
        var job = new RecomputeJob(Ids.next(Ids.JOB), kind, JobStatus.QUEUED, customerId, includeRecent, API, userId, 0, 0, List.of(), null,
                now(), null, null);
        if (customerId != null) {
            jobs.create(tenant, job);
        } else {
            var running = jobs.createUnlessRunning(tenant, job);
            if (running.isPresent()) {
                return new Started(running.get(), false);
            }
        }
        try {
            queue.send(RecomputeMessage.step(tenant, job.id(), 0));
        } catch (RuntimeException e) {
            jobs.fail(tenant, job.id(), "the job could not be queued", now());
            throw new ApiException(503, "queue_unavailable", "Service unavailable",
                    "The job could not be queued; try again in a moment");
        }
        return new Started(job, true);
    }

    /** The tenant's job of {@code kind}: another kind's is not found, as another tenant's. */
    public RecomputeJob get(String kind, String tenant, String jobId) {
        if (!Ids.isValid(Ids.JOB, jobId)) {
            throw ApiException.notFound("job " + jobId);
        }
        return jobs.find(tenant, jobId).map(JobRepository.Stored::job).filter(job -> job.points() == RecomputeJob.POINTS.equals(kind))
                .orElseThrow(() -> ApiException.notFound("job " + jobId));
    }

    // ---- the schedule --------------------------------------------------------------------------

    /** Starts the day's discovery of tenants: one message per Scan segment. Returns how many. */
    public int startDaily() {
        String day = LocalDate.ofInstant(now(), ZoneOffset.UTC).toString();
        for (int segment = 0; segment < scanSegments; segment++) {
            queue.send(RecomputeMessage.tenants(day, segment, scanSegments, null, null));
        }
        return scanSegments;
    }

    // ---- the worker ----------------------------------------------------------------------------

    /** Works one message: a step of a job, or a slice of the daily discovery of tenants. */
    @Override
    public Optional<RecomputeMessage> work(RecomputeMessage message, boolean redelivered, Budget budget) {
        return switch (message.kind()) {
            case RecomputeMessage.CUSTOMERS -> StepRecord.work(message, redelivered,
                    jobs.find(message.tenantId(), message.jobId()), (step, stored) -> step(step, stored, budget));
            case RecomputeMessage.TENANTS -> discover(message, budget);
            default -> throw new IllegalArgumentException("unknown message kind " + message.kind());
        };
    }

    /** A step of a job (its tenant, id and step), or a slice of the daily discovery (its day and segment). */
    @Override
    public Map<String, Object> describe(RecomputeMessage message) {
        var fields = new java.util.LinkedHashMap<String, Object>();
        fields.put("job", "ltv-recompute");
        fields.put("kind", message.kind());
        if (RecomputeMessage.CUSTOMERS.equals(message.kind())) {
            fields.put("tenant", message.tenantId());
            fields.put("job_id", message.jobId());
            fields.put("step", message.step());
        } else {
            fields.put("day", message.day());
            fields.put("segment", message.segment());
        }
        return fields;
    }

    /** After the last delivery of a step failed: the job is marked failed, the message goes to the DLQ. */
    @Override
    public void giveUp(RecomputeMessage message, String reason) {
        if (RecomputeMessage.CUSTOMERS.equals(message.kind())) {
            jobs.fail(message.tenantId(), message.jobId(), "a step " + reason, now());
        }
    }

    /** Checks customers while the budget allows and records the step; true if the job goes on. */
    private boolean step(RecomputeMessage message, JobRepository.Stored stored, Budget budget) {
        String tenant = message.tenantId();
        var job = stored.job();
        var progress = job.customerId() != null ? one(tenant, job.customerId(), job)
                : some(tenant, stored.position(), job, budget);
        budget.worked(progress.checked());
        if (!jobs.commit(tenant, job.id(), message.step(), progress, now())) {
            return false;
        }
        var metrics = job.points() ? reconcileMetrics : recomputeMetrics;
        metrics.step(tenant, progress.checked());
        if (progress.done()) {
            metrics.succeeded(tenant, job.createdAt(), now());
        }
        return !progress.done();
    }

    private Progress one(String tenant, String customerId, RecomputeJob job) {
        var tally = new Tally(job);
        check(tenant, customerId, null, job).ifPresent(tally::add);
        return tally.progress(null, true);
    }

    /** What checking one customer found: whether it had drifted, and how. */
    private record Checked(boolean drifted, RecomputeJob.Drift drift) {
    }

    /**
     * Checks (and repairs) one customer as the job's kind says; empty if it is gone. {@code seen}: its
     * profile as the walk of the customers index read it, if it did (an LTV recompute starts from
     * it). A points
     * reconciliation reports a customer it cannot read instead of failing the step, so that one bad
     * record never holds up the rest of the tenant (an LTV recompute's failing step is retried).
     */
    private Optional<Checked> check(String tenant, String customerId, Customer seen, RecomputeJob job) {
        if (!job.points()) {
            return recompute.recompute(tenant, customerId, job.includeRecent(), seen).map(r -> new Checked(r.drifted(), RecomputeJob.Drift.of(r)));
        }
        try {
            return points.reconcile(tenant, customerId, job.includeRecent()).map(r -> new Checked(r.drifted(), RecomputeJob.Drift.of(r)));
        } catch (RuntimeException e) {
            return Optional.of(new Checked(true, RecomputeJob.Drift.unreadable(customerId)));
        }
    }

    /**
     * Customers a step checks at once: each check is a few calls that wait on the table, so several
     * overlap (each customer's own reads and writes stay in order, and the repairs are conditional
     * writes that do not depend on each other).
     */
    public static final int CONCURRENT_CHECKS = 8;

    /** {@link #check} of each customer the walk of the customers index read, at once; the results in order. */
    private List<Optional<Checked>> checkAtOnce(String tenant, List<EnhancedDocument> items, RecomputeJob job) {
        var actor = Actor.current().orElse(null);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var checks = items.stream().map(item -> threads.submit(() -> Actor.as(actor,
                    () -> check(tenant, JobRepository.customerId(item), CustomerRepository.live(item).orElse(null), job)))).toList();
            return checks.stream().map(Futures::join).toList();
        }
    }

    private Progress some(String tenant, Map<String, String> position, RecomputeJob job, Budget budget) {
        var tally = new Tally(job);
        while (true) {
            Pages.Slice page = jobs.customers(tenant, position, pageSize);
            var items = page.items();
            for (int from = 0; from < items.size(); from += CONCURRENT_CHECKS) {
                if (!budget.another()) {
                    return tally.progress(position, false);
                }
                var some = items.subList(from, Math.min(items.size(), from + CONCURRENT_CHECKS));
                checkAtOnce(tenant, some, job).forEach(checked -> checked.ifPresent(tally::add));
                position = Pages.keyOf(some.get(some.size() - 1), Index.GSI3);
            }
            if (page.resumeAfter() == null) {
                return tally.progress(null, true);
            }
            position = page.resumeAfter();
            if (!budget.another()) {
                return tally.progress(position, false);
            }
        }
    }

    /**
     * One page of one Scan segment at a time: each tenant seen gets its job for the day (a guard
     * item makes that once per tenant and day, whatever is delivered twice). A tenant's customers
     * are contiguous in the Scan, so {@code lastTenant} spares the guard's write on every page of a
     * large tenant.
     */
    private Optional<RecomputeMessage> discover(RecomputeMessage message, Budget budget) {
        var start = message.startKey();
        String last = message.lastTenant();
        while (budget.another()) {
            var page = jobs.tenants(message.segment(), message.segments(), start, 1_000);
            budget.worked(page.tenants().size());
            for (String tenant : page.tenants()) {
                if (!tenant.equals(last)) {
                    startDaily(tenant, message.day());
                    last = tenant;
                }
            }
            start = page.next();
            if (start == null) {
                return Optional.empty();
            }
        }
        return Optional.of(RecomputeMessage.tenants(message.day(), message.segment(), message.segments(), start, last));
    }

    /** The tenant's jobs of the day: an LTV recompute and a points reconciliation. */
    private void startDaily(String tenant, String day) {
        startDaily(tenant, day, RecomputeJob.LTV);
        startDaily(tenant, day, RecomputeJob.POINTS);
    }

    private void startDaily(String tenant, String day, String kind) {
        var job = new RecomputeJob(Ids.next(Ids.JOB), kind, JobStatus.QUEUED, null, false, SCHEDULE, null, 0, 0, List.of(), null,
                now(), null, null);
        var existing = jobs.createDaily(tenant, day, job, now());
        if (existing.isEmpty()) {
            queue.send(RecomputeMessage.step(tenant, job.id(), 0));
            return;
        }
        // Created before, by an earlier delivery of this slice: if its first message was lost, send it again.
        jobs.find(tenant, existing.get()).filter(s -> s.step() == 0 && JobStatus.QUEUED.equals(s.job().status())
                        && s.job().createdAt().isBefore(now().minus(REQUEUE_AFTER)))
                .ifPresent(s -> queue.send(RecomputeMessage.step(tenant, s.job().id(), 0)));
    }

    /** A step's counts, and the drift samples it may still add to the job's. */
    private static final class Tally {
        private final int room;
        private long checked;
        private long drifted;
        private final List<RecomputeJob.Drift> samples = new ArrayList<>();

        Tally(RecomputeJob job) {
            this.room = Math.max(0, MAX_SAMPLES - job.drifts().size());
        }

        void add(Checked result) {
            checked++;
            if (result.drifted()) {
                drifted++;
                if (samples.size() < room) {
                    samples.add(result.drift());
                }
            }
        }

        Progress progress(Map<String, String> position, boolean done) {
            return new Progress(checked, drifted, List.copyOf(samples), position, done);
        }
    }

    /** Times in job records, to the millisecond like every other time the API shows. */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }
}
