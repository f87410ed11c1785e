package com.clientele.ltv;

import static com.clientele.shared.Keys.tenant;

/** The keys of LTV recompute jobs. */
public final class JobKeys {

    /** Sort key of a job item (its partition is {@link #recomputeJob}). */
    public static final String JOB = "JOB";

    private JobKeys() {
    }

    public static String recomputeJob(String tenantId, String jobId) {
        return tenant(tenantId) + "#JOB#" + jobId;
    }

    /**
     * Guard item: the tenant's whole-tenant job of a kind ({@link RecomputeJob#kind}) started over
     * the API; it holds while the job it names is queued or running. An LTV recompute's key has no
     * kind (it was the only kind).
     */
    public static String runningJob(String tenantId, String kind) {
        return tenant(tenantId) + "#JOB#RUNNING" + suffix(kind);
    }

    /** Guard item: the one scheduled job of a kind of a tenant for a day (UTC, {@code yyyy-MM-dd}). */
    public static String dailyJob(String tenantId, String kind, String day) {
        return tenant(tenantId) + "#JOB#DAILY#" + (RecomputeJob.POINTS.equals(kind) ? kind + "#" : "") + day;
    }

    private static String suffix(String kind) {
        return RecomputeJob.POINTS.equals(kind) ? "#" + kind : "";
    }
}
