package com.clientele.tiers;

import com.clientele.customers.Customer;
import com.clientele.customers.SegmentSettings;
import com.clientele.customers.Segments;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A customer's lifecycle stage, from what the profile already holds (its stats, kept from payment
 * events, and the tenant's segment settings), one at a time, the first that applies:
 * <ul>
 * <li>{@code lapsed}: its last purchase is older than twice the at-risk window;</li>
 * <li>{@code at_risk}: it purchased, and its last purchase is older than the at-risk window
 *     ({@code atRiskDays}) or a payment of it failed within it (the {@code at_risk} segment);</li>
 * <li>{@code loyal}: the {@code loyal} segment (enough orders or subscriptions);</li>
 * <li>{@code new}: created, or first purchase, within {@code newDays};</li>
 * <li>{@code active}: any other customer who purchased.</li>
 * </ul>
 * A customer who never purchased and is older than {@code newDays} is in no stage. Journeys are the
 * stages and the segments ({@code segment:<name>}) a customer enters and leaves.
 */
final class JourneyRules {

    static final String NEW = "new";
    static final String ACTIVE = "active";
    static final String LOYAL = "loyal";
    static final String AT_RISK = "at_risk";
    static final String LAPSED = "lapsed";
    static final List<String> STAGES = List.of(NEW, ACTIVE, LOYAL, AT_RISK, LAPSED);
    static final String SEGMENT = "segment:";

    private JourneyRules() {
    }

    static String stage(Customer c, SegmentSettings settings, Instant now) {
        var stats = c.stats();
        Duration atRisk = Duration.ofDays(settings.atRiskDays());
        Duration fresh = Duration.ofDays(settings.newDays());
        Instant last = stats == null ? null : stats.lastPurchaseAt();
        var segments = Segments.of(c, settings, now);
        if (last != null && last.plus(atRisk.multipliedBy(2)).isBefore(now)) {
            return LAPSED;
        }
        if (last != null && (last.plus(atRisk).isBefore(now) || segments.contains(AT_RISK))) {
            return AT_RISK;
        }
        if (segments.contains(LOYAL)) {
            return LOYAL;
        }
        if (!c.createdAt().plus(fresh).isBefore(now) || segments.contains(NEW)) {
            return NEW;
        }
        return last == null ? null : ACTIVE;
    }

    /** The journeys a customer is in now: its stage (if any) and its segments. */
    static List<String> journeys(Customer c, SegmentSettings settings, Instant now) {
        var journeys = new ArrayList<String>();
        String stage = stage(c, settings, now);
        if (stage != null) {
            journeys.add(stage);
        }
        Segments.of(c, settings, now).forEach(s -> journeys.add(SEGMENT + s));
        return journeys;
    }

    /** The next moment the passing of time alone can move the customer's journeys, or null when none is ahead. */
    static Instant nextChange(Customer c, SegmentSettings settings, Instant now) {
        var stats = c.stats();
        Duration atRisk = Duration.ofDays(settings.atRiskDays());
        Duration fresh = Duration.ofDays(settings.newDays());
        return Stream.of(c.createdAt().plus(fresh),
                        stats == null || stats.firstPurchaseAt() == null ? null : stats.firstPurchaseAt().plus(fresh),
                        stats == null || stats.lastPurchaseAt() == null ? null : stats.lastPurchaseAt().plus(atRisk),
                        stats == null || stats.lastPurchaseAt() == null ? null : stats.lastPurchaseAt().plus(atRisk.multipliedBy(2)),
                        stats == null || stats.lastFailedAt() == null ? null : stats.lastFailedAt().plus(atRisk),
                        c.subscriptions() == null || c.subscriptions().firstStartedAt() == null ? null
                                : c.subscriptions().firstStartedAt().plus(fresh))
                .filter(at -> at != null && at.isAfter(now)).min(Instant::compareTo).orElse(null);
    }
}
