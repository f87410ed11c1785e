package com.clientele.exports;

import com.clientele.analytics.TenantCounters;
import com.clientele.customers.CustomerService.CustomerPage;
import com.clientele.customers.ListQuery;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.jobs.Budget;
import com.clientele.shared.jobs.JobMetrics;
import com.clientele.shared.jobs.StepJob;
import com.clientele.shared.jobs.StepRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The export as a step job ({@link StepJob}, run by the export worker's
 * {@link com.clientele.shared.jobs.StepRunner}): reads the customers list page by page (the list's own reads and order, from
 * the customers capability), writes the rows as CSV into a part-sized buffer and uploads each full
 * part to S3, one multipart upload per export. Memory holds one part and one page, whatever the
 * number of rows.
 *
 * <p>After each part it records on the export, conditional on the step and on the version it read:
 * the part's number and ETag, the rows written so far, and the list's cursor after the page that
 * filled the part. Rows after the last recorded part live only in the buffer. So a run that dies
 * (before or after an upload, before its record) is taken up by the next delivery of its message
 * from the last record: it reads again from the recorded cursor and writes the next part again under
 * the same number, which replaces whatever the dead run uploaded: no row twice, none missing.
 *
 * <p>A run stops at a part boundary (nothing in the buffer) when its time budget is spent and hands
 * the export to the next step, whose message the runner sends, so no invocation nears its timeout
 * however many rows there are. At least one part is written per run. After the last page, the last
 * part (it may be small) is uploaded and recorded with {@code completing}, the upload completed and
 * the export marked succeeded; a run that dies in between completes it on the next delivery.
 */
public final class ExportRunner implements StepJob<ExportMessage> {

    /** S3's smallest part (but the last). */
    public static final int MIN_PART_BYTES = 5 * 1024 * 1024;
    /** Room in the part buffer for the page that fills it (it grows if a page of huge rows needs more). */
    static final int PAGE_ROOM = 1024 * 1024;
    /** Search pages resolve their profiles in one BatchGetItem: at most 100 keys. */
    static final int MAX_SEARCH_PAGE = 100;

    private final ExportRepository exports;
    private final ExportFiles files;
    private final BiFunction<String, ListQuery, CustomerPage> customers;
    private final Function<String, Map<String, Long>> counters;
    private final Clock clock;
    private final int partBytes;
    private final int pageSize;
    private final JobMetrics metrics;

    /**
     * @param customers a page of the customers list ({@code CustomerService::customers})
     * @param counters  the tenant's analytics counters ({@code TenantCounters::read}), for the total
     * @param partBytes the size at which a part is uploaded: at least {@value #MIN_PART_BYTES}
     * @param pageSize  rows read per page of the list
     */
    public ExportRunner(ExportRepository exports, ExportFiles files,
                        BiFunction<String, ListQuery, CustomerPage> customers, Function<String, Map<String, Long>> counters,
                        Clock clock, int partBytes, int pageSize, JobMetrics metrics) {
        if (partBytes < MIN_PART_BYTES) {
            throw new IllegalArgumentException("parts must be at least " + MIN_PART_BYTES + " bytes (S3's smallest), not " + partBytes);
        }
        this.exports = exports;
        this.files = files;
        this.customers = customers;
        this.counters = counters;
        this.clock = clock;
        this.partBytes = partBytes;
        this.pageSize = pageSize;
        this.metrics = metrics;
    }

    @Override
    public Optional<ExportMessage> work(ExportMessage message, boolean redelivered, Budget budget) {
        return StepRecord.work(message, redelivered, exports.find(message.tenantId(), message.exportId()),
                (step, stored) -> step(step, stored, budget));
    }

    @Override
    public Map<String, Object> describe(ExportMessage message) {
        return Map.of("job", "export", "tenant", message.tenantId(), "job_id", message.exportId(), "step", message.step());
    }

    /** The export failed on every delivery of a step: marked failed, saying why. */
    @Override
    public void giveUp(ExportMessage message, String reason) {
        exports.fail(message.tenantId(), message.exportId(), "the export " + reason, now());
    }

    /** Works the export from where {@code stored} stands; true if it handed the export to the next step. */
    private boolean step(ExportMessage message, ExportRepository.Stored stored, Budget budget) {
        String tenant = message.tenantId();
        String key = ExportKeys.exportObject(tenant, message.exportId());
        if (stored.completing()) {
            finish(tenant, message, stored.job(), key, stored.uploadId(), stored.parts());
            return false;
        }
        ListQuery query;
        try {
            query = ListQuery.parse(stored.job().parameters());
        } catch (ApiException e) {
            exports.fail(tenant, message.exportId(), "the export's parameters are no longer valid: " + e.getMessage(), now());
            metrics.failed(tenant);
            return false;
        }
        String uploadId = stored.uploadId();
        if (uploadId == null) {
            uploadId = files.start(key, ExportService.fileName(stored.job()));
            if (!exports.begin(tenant, message.exportId(), message.step(), uploadId, total(tenant, stored.job()), now())) {
                // Another delivery of this message began first and writes its own upload. This one is
                // left to the bucket's rule for abandoned uploads (a day): aborting it now would race
                // with the other's parts on servers that keep one upload state per key (the local one).
                return false;
            }
        }
        try {
            return write(message, stored, key, uploadId, query, budget);
        } catch (ApiException e) {
            // The list refused a page: its cursor is no longer valid (the segment thresholds changed mid-way).
            exports.fail(tenant, message.exportId(), "the customers list changed while it was exported ("
                    + e.getMessage() + "); retry the export", now());
            metrics.failed(tenant);
            return false;
        }
    }

    /** Writes parts while the budget allows another (at least one); true if it handed the export to the next step. */
    private boolean write(ExportMessage message, ExportRepository.Stored stored, String key, String uploadId, ListQuery query,
                          Budget budget) {
        String tenant = message.tenantId();
        String exportId = message.exportId();
        var buffer = new PartBuffer(partBytes + PAGE_ROOM);
        var csv = new CustomerCsv(stored.job().columns(), buffer);
        var parts = new ArrayList<>(stored.parts());
        if (parts.isEmpty()) {
            csv.header();
        }
        long version = stored.version();
        long rows = stored.job().rowsWritten();
        String cursor = stored.cursor();
        int limit = query.q() != null ? Math.min(pageSize, MAX_SEARCH_PAGE) : pageSize;
        while (budget.another()) {
            long pending = 0;
            boolean last;
            do {
                var page = customers.apply(tenant, query.page(limit, cursor));
                for (var customer : page.customers()) {
                    csv.row(customer);
                }
                pending += page.customers().size();
                csv.flush();
                cursor = page.nextCursor();
                last = cursor == null;
            } while (!last && buffer.size() < partBytes);
            Part part = null;
            if (buffer.size() > 0 || parts.isEmpty()) {
                int number = parts.size() + 1;
                part = new Part(number, files.upload(key, uploadId, number, buffer), buffer.size());
            }
            var counts = new ExportRepository.Rows(rows + pending, stored.job().rowsRepaired() + csv.repaired(),
                    stored.job().rowsSkipped() + csv.skipped());
            if (!exports.record(tenant, exportId, message.step(), version, part, counts, cursor, last, now())) {
                return false; // another delivery of this message recorded first: it carries on
            }
            metrics.step(tenant, pending);
            version++;
            rows += pending;
            budget.worked(pending);
            buffer.reset();
            if (part != null) {
                parts.add(part);
            }
            if (last) {
                finish(tenant, message, stored.job(), key, uploadId, parts);
                return false;
            }
        }
        return exports.advance(tenant, exportId, message.step(), version, now());
    }

    private void finish(String tenant, ExportMessage message, ExportJob job, String key, String uploadId, List<Part> parts) {
        files.complete(key, uploadId, parts);
        exports.succeed(tenant, message.exportId(), message.step(), now());
        metrics.succeeded(tenant, job.createdAt(), now());
    }

    /**
     * The number of rows to expect, where the tenant's counters know it: every customer (no
     * filter), or those with or without a purchase ({@code hasPurchases} alone). Null otherwise.
     */
    private Long total(String tenant, ExportJob job) {
        var filters = new java.util.HashMap<>(job.parameters());
        filters.remove("sort");
        if (filters.size() > 1 || filters.size() == 1 && !filters.containsKey("hasPurchases")) {
            return null;
        }
        var counts = counters.apply(tenant);
        long all = counts.getOrDefault(TenantCounters.CUSTOMERS, 0L);
        long withPurchases = counts.getOrDefault(TenantCounters.WITH_PURCHASES, 0L);
        if (filters.isEmpty()) {
            return all;
        }
        return Boolean.parseBoolean(filters.get("hasPurchases")) ? withPurchases : Math.max(0, all - withPurchases);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
