package com.clientele.exports;

import static com.clientele.shared.Keys.tenant;

/** The keys of CSV exports: the tenant's exports partition and each export's S3 object. */
public final class ExportKeys {

    /** The bucket prefix of every export object (the IAM policies grant this prefix only). */
    public static final String EXPORT_PREFIX = "exports/";

    private ExportKeys() {
    }

    /**
     * A tenant's exports: one partition, one item per export with its id (time-ordered) as the
     * sort key, so {@code GET /exports/{id}} is one GetItem and the newest first one Query. A
     * tenant starts few exports, and a running one writes its item once per uploaded part.
     */
    public static String exports(String tenantId) {
        return tenant(tenantId) + "#EXPORTS";
    }

    /**
     * The tenant's exports that are queued or running (one item, sort key {@link #ACTIVE}): the
     * set of their ids, which the per-tenant cap on concurrent exports is checked against.
     */
    public static String activeExports(String tenantId) {
        return tenant(tenantId) + "#EXPORTS#ACTIVE";
    }

    /** Sort key of {@link #activeExports}. */
    public static final String ACTIVE = "ACTIVE";

    /**
     * The S3 object of an export, under the prefix the export functions may write: the tenant in
     * the key, like every key of the table.
     */
    public static String exportObject(String tenantId, String exportId) {
        return EXPORT_PREFIX + tenantId + "/" + exportId + ".csv";
    }
}
