package com.clientele.exports;

import com.clientele.shared.jobs.JobStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A CSV export of a tenant's customers, as stored: what was asked ({@code parameters}: the
 * customers list's sort and filters, as {@code GET /customers} takes them; {@code columns}) and
 * how far it got. {@code status}: {@code queued}, {@code running}, then {@code succeeded} or
 * {@code failed} (with {@code error}; a retry queues it again as the next {@code attempt}); a succeeded
 * one becomes {@code purged} when its file is deleted (a customer in it had their personal data erased).
 * {@code totalRows} is known when the list is not filtered (from the tenant's counters).
 * {@code rowsRepaired} of the rows written had a cell that was not well-formed text (stored before
 * the input rules) written with U+FFFD; {@code rowsSkipped} customers could not be read into a row.
 */
public record ExportJob(String id, JobStatus status, Map<String, String> parameters, List<String> columns,
                        String requestedBy, long rowsWritten, long rowsRepaired, long rowsSkipped, long bytesWritten,
                        Long totalRows, String error,
                        int attempt, Instant createdAt, Instant startedAt, Instant finishedAt) {

    boolean finished() {
        return status.finished();
    }
}
