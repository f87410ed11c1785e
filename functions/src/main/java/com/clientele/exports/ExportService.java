package com.clientele.exports;

import com.clientele.shared.Ids;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.jobs.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The exports API's rules: an export is asked for (checked as the customers list checks its
 * query, then queued), shown with its progress and, once done, a fresh download link, listed,
 * and retried after a failure. A tenant has at most {@code maxActive} exports queued or running at
 * once: one more is 429 until one of them is over. The work itself is {@link ExportRunner}'s.
 */
public final class ExportService {

    /** How long a download link works. */
    static final Duration LINK_VALIDITY = Duration.ofMinutes(15);
    /** How long an export and its file are kept (the bucket's lifecycle rule says the same for the file). */
    static final Duration RETENTION = Duration.ofDays(7);

    /** How many exports a tenant may have queued or running at once, unless configured ({@code MAX_ACTIVE_EXPORTS}). */
    public static final int DEFAULT_MAX_ACTIVE = 3;
    /** What a caller over the cap is told to wait before asking again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    private final ExportRepository exports;
    private final ExportFiles files;
    private final ExportQueue queue;
    private final Cursors cursors;
    private final Clock clock;
    private final int maxActive;

    public ExportService(ExportRepository exports, ExportFiles files, ExportQueue queue, Cursors cursors, Clock clock,
                         int maxActive) {
        if (maxActive < 1) {
            throw new IllegalArgumentException("at least one export must be allowed at a time, not " + maxActive);
        }
        this.maxActive = maxActive;
        this.exports = exports;
        this.files = files;
        this.queue = queue;
        this.cursors = cursors;
        this.clock = clock;
    }

    public record Page(List<ExportView> data, String nextCursor) {
    }

    /** Queues the export {@code userId} asked for. */
    public ExportView start(String tenant, String userId, ExportRequest request) {
        Instant now = now();
        var job = new ExportJob(Ids.next(Ids.EXPORT), JobStatus.QUEUED, request.parameters(), request.columns(), userId,
                0, 0, 0, 0, null, null, 1, now, null, null);
        // The item first, then the slot: the cap's sweep releases the slot of an export it cannot
        // find, so an id must never be in the active set before its export exists.
        exports.create(tenant, job, now.plus(RETENTION));
        try {
            slot(tenant, job.id());
        } catch (ApiException refused) {
            exports.forget(tenant, job.id());
            throw refused;
        }
        send(tenant, job.id(), 0);
        return view(tenant, job);
    }

    public ExportView get(String tenant, String exportId) {
        return view(tenant, find(tenant, exportId).job());
    }

    /** The tenant's exports, newest first: {@code limit} (1–100, 20) and {@code cursor}. */
    public Page list(String tenant, Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, Set.of(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        var after = paging.cursor() == null ? null : cursors.decode(tenant, "exports", paging.cursor());
        var page = exports.list(tenant, paging.limit(), after, now());
        return new Page(page.jobs().stream().map(job -> view(tenant, job)).toList(),
                page.resumeAfter() == null ? null : cursors.encode(tenant, "exports", page.resumeAfter()));
    }

    /**
     * Runs a failed export again from the start, as its next attempt: its unfinished upload is
     * dropped (best effort: the bucket also drops uploads left a day). 409 unless it failed.
     */
    public ExportView retry(String tenant, String exportId) {
        var stored = find(tenant, exportId);
        if (!JobStatus.FAILED.equals(stored.job().status())) {
            throw new ApiException(409, "export_not_failed", "Conflict",
                    "Export " + exportId + " is " + stored.job().status() + ": only a failed export can be retried");
        }
        // Queued again first, then the slot: the cap's sweep releases the slot of a failed export,
        // so a slot must never be taken for an export that still reads as failed.
        if (!exports.retry(tenant, exportId, stored.step(), now())) {
            throw new ApiException(409, "export_changed", "Conflict", "Export " + exportId + " changed meanwhile; read it again");
        }
        try {
            slot(tenant, exportId);
        } catch (ApiException refused) {
            exports.fail(tenant, exportId, "not retried: " + maxActive + " other exports were queued or running; retry it later", now());
            throw refused;
        }
        if (stored.uploadId() != null) {
            try {
                files.abort(ExportKeys.exportObject(tenant, exportId), stored.uploadId());
            } catch (RuntimeException e) {
                // The lifecycle rule removes it within a day.
            }
        }
        send(tenant, exportId, stored.step() + 1);
        return get(tenant, exportId);
    }

    /** One of the tenant's slots for concurrent exports, or 429 {@code too_many_exports} with Retry-After. */
    private void slot(String tenant, String exportId) {
        if (!exports.acquire(tenant, exportId, maxActive)) {
            throw new ApiException(429, "too_many_exports", "Too many exports",
                    "At most " + maxActive + " exports of a tenant are queued or running at once; "
                            + "ask again when one of them is over",
                    List.of(), Map.of("maxActive", maxActive), Map.of("Retry-After", Long.toString(RETRY_AFTER.toSeconds())));
        }
    }

    private void send(String tenant, String exportId, long step) {
        try {
            queue.send(new ExportMessage(tenant, exportId, step));
        } catch (RuntimeException e) {
            exports.fail(tenant, exportId, "the export could not be queued", now());
            throw new ApiException(503, "queue_unavailable", "Service unavailable",
                    "The export could not be queued; retry it in a moment");
        }
    }

    private ExportRepository.Stored find(String tenant, String exportId) {
        if (!Ids.isValid(Ids.EXPORT, exportId)) {
            throw ApiException.notFound("Export " + exportId);
        }
        return exports.find(tenant, exportId)
                .filter(s -> s.job().createdAt().plus(RETENTION).isAfter(now()))
                .orElseThrow(() -> ApiException.notFound("Export " + exportId));
    }

    private ExportView view(String tenant, ExportJob job) {
        boolean done = JobStatus.SUCCEEDED.equals(job.status());
        Integer progress = done ? Integer.valueOf(100) : progress(job);
        String url = null;
        Instant urlExpires = null;
        if (done) {
            urlExpires = now().plus(LINK_VALIDITY);
            url = files.link(ExportKeys.exportObject(tenant, job.id()), LINK_VALIDITY).toString();
        }
        return new ExportView(job.id(), "export", job.status(), job.parameters(), job.columns(), job.rowsWritten(),
                job.rowsRepaired(), job.rowsSkipped(), job.totalRows(), progress, done ? Long.valueOf(job.bytesWritten()) : null, fileName(job), url, urlExpires,
                job.error(), job.attempt(), job.requestedBy(), job.createdAt(), job.startedAt(), job.finishedAt(),
                job.createdAt().plus(RETENTION));
    }

    /** Percent of the known total, below 100 until done (the count may move while the export runs). */
    private static Integer progress(ExportJob job) {
        if (job.totalRows() == null) {
            return null;
        }
        if (job.totalRows() == 0) {
            return 0;
        }
        return (int) Math.min(99, job.rowsWritten() * 100 / job.totalRows());
    }

    /** {@code customers-2026-03-01.csv}: the day it was asked for (UTC). */
    static String fileName(ExportJob job) {
        return "customers-" + LocalDate.ofInstant(job.createdAt(), ZoneOffset.UTC) + ".csv";
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
