package com.clientele.analytics;

import static com.clientele.shared.Keys.tenant;

/** A tenant's analytics counters, sharded by customer; the sort key of every shard item. */
public final class AnalyticsKeys {

    public static final String COUNTERS = "COUNTERS";
    public static final int ANALYTICS_SHARDS = 4;

    private AnalyticsKeys() {
    }

    public static String analytics(String tenantId, int shard) {
        return tenant(tenantId) + "#ANALYTICS#" + shard;
    }

    public static int analyticsShard(String customerId) {
        return Math.floorMod(customerId.hashCode(), ANALYTICS_SHARDS);
    }
}
