package com.clientele.exports;

import com.clientele.shared.jobs.JobStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An export as the API shows it. {@code progress} is a percentage where the total is known (an
 * unfiltered list), null otherwise until the export is done; {@code downloadUrl} is a presigned
 * link, valid until {@code downloadUrlExpiresAt} (15 minutes: read the export again for a new one),
 * once {@code succeeded}. The file itself is kept until {@code expiresAt}, 7 days after the export
 * was asked for, and so is the export. {@code rowsRepaired} and {@code rowsSkipped} count the rows
 * of damaged records (see {@link ExportJob}) the export wrote repaired or left out.
 */
public record ExportView(String id, String object, JobStatus status, Map<String, String> parameters, List<String> columns,
                         long rowsWritten, long rowsRepaired, long rowsSkipped, Long totalRows, Integer progress, Long bytes, String fileName,
                         String downloadUrl, Instant downloadUrlExpiresAt, String error, int attempt, String requestedBy,
                         Instant createdAt, Instant startedAt, Instant finishedAt, Instant expiresAt) {
}
