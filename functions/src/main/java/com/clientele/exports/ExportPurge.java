package com.clientele.exports;

import com.clientele.shared.jobs.JobStatus;
import java.time.Clock;
import java.time.Instant;

/**
 * The erasure's reach into CSV exports: a file made before a customer's personal data was erased
 * may hold it, and which customers a file holds is not recorded, so every file of the tenant that
 * was finished before the erasure is deleted and its export marked {@code purged} (it shows why, and
 * no download link). Exports finished after the erasure read the anonymous profile.
 */
public final class ExportPurge {

    static final String WHY = "the file was deleted: the personal data of a customer in it was erased";

    private final ExportRepository exports;
    private final ExportFiles files;
    private final Clock clock;

    ExportPurge(ExportRepository exports, ExportFiles files, Clock clock) {
        this.exports = exports;
        this.files = files;
        this.clock = clock;
    }

    /** Deletes the files of the tenant's exports that succeeded before {@code at}; how many. Repeating it is harmless. */
    public int finishedBefore(String tenant, Instant at) {
        int purged = 0;
        for (var stored : exports.all(tenant)) {
            var job = stored.job();
            if (job.status() != JobStatus.SUCCEEDED || job.finishedAt() == null || job.finishedAt().isAfter(at)) {
                continue;
            }
            files.delete(ExportKeys.exportObject(tenant, job.id()));
            if (exports.purged(tenant, job.id(), WHY, clock.instant())) {
                purged++;
            }
        }
        return purged;
    }
}
