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
     * Guard item: the tenant's whole-tenant recompute job started over the API; it holds while the
     * job it names is queued or running.
     */
    public static String runningRecompute(String tenantId) {
        return tenant(tenantId) + "#JOB#RUNNING";
    }

    /** Guard item: the one scheduled recompute job of a tenant for a day (UTC, {@code yyyy-MM-dd}). */
    public static String dailyRecompute(String tenantId, String day) {
        return tenant(tenantId) + "#JOB#DAILY#" + day;
    }
}
