package com.clientele.subscriptions;

import java.time.Clock;

/** A tenant's recurring billing settings: read (the defaults until saved) and replaced. */
public final class BillingService {

    private final BillingRepository repository;
    private final Clock clock;

    public BillingService(BillingRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public BillingSettings settings(String tenant) {
        return repository.settings(tenant);
    }

    /** Replaces the tenant's settings; every field is required and checked. Applies to renewals from now on. */
    public BillingSettings updateSettings(String tenant, BillingSettings.Input input) {
        var settings = BillingSettings.of(input, clock.instant());
        repository.putSettings(tenant, settings);
        return settings;
    }
}
