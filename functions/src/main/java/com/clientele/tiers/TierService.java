package com.clientele.tiers;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerTier;
import com.clientele.customers.ListQuery;
import com.clientele.loyalty.TierEarning;
import com.clientele.shared.Ids;
import com.clientele.shared.Text;
import com.clientele.shared.events.TierEvent;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import com.clientele.tiers.TierRepository.Journey;
import com.clientele.tiers.TierRepository.TierChange;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Tiers and journeys: the tenant's tier settings; a customer's tier (set by hand or automatic), its tier
 * history and journeys; the evaluation of a customer's lifecycle ({@link #evaluate}), when its points or
 * spend change (from the accrual, {@link TierEarning}) and at its review; the stage counts.
 */
public final class TierService implements TierEarning {

    /** A lifecycle write refused because another moved it meanwhile is computed again this many times. */
    static final int MAX_ATTEMPTS = 5;
    static final int HISTORY = 20;
    static final int MAX_REASON = 500;

    private final TierRepository repository;
    private final Clock clock;

    public TierService(TierRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    // ---- settings --------------------------------------------------------------------------------------

    public TierSettings settings(String tenant) {
        return repository.settings(tenant);
    }

    /**
     * Replaces the tenant's tiers. Customers move to the new tiers as their points or spend next change or at
     * their next review; the multipliers apply to what is earned from now on.
     */
    public TierSettings updateSettings(String tenant, TierSettings.Input input) {
        var settings = TierSettings.of(input, clock.instant());
        repository.putSettings(tenant, settings);
        return settings;
    }

    // ---- a customer's tier -----------------------------------------------------------------------------

    /** The tier as {@code GET /customers/{id}/tier} shows it: now, what it is measured on, the next tier, the history. */
    public record TierView(CustomerTier tier, String overrideReason, Progress progress, List<TierChange> history) {
    }

    /** The customer's measure ({@code basis}, {@code currency} for spend) and what the next tier needs. */
    public record Progress(String basis, String currency, Integer windowDays, long value, String nextTier, Long nextThreshold) {
    }

    public record OverrideInput(String key, String reason) {
    }

    public TierView tier(String tenant, String customerId) {
        existing(tenant, customerId);
        var settings = repository.settings(tenant);
        var life = repository.lifecycle(tenant, customerId);
        Progress progress = null;
        if (!settings.tiers().isEmpty()) {
            long value = measure(tenant, customerId, settings, clock.instant()).value();
            var next = settings.tiers().stream().filter(t -> t.threshold() > value).findFirst();
            progress = new Progress(settings.basis(), settings.currency(), settings.windowDays(), value,
                    next.map(TierSettings.Tier::key).orElse(null), next.map(TierSettings.Tier::threshold).orElse(null));
        }
        return new TierView(life.tier(), life.overrideReason(), progress, repository.history(tenant, customerId, HISTORY));
    }

    /** Sets the customer's tier by hand: the automation leaves it there until the override is removed. */
    public TierView override(String tenant, String customerId, OverrideInput input, String userId) {
        var errors = new ArrayList<FieldError>();
        String key = input == null ? null : input.key();
        if (key == null || !ListQuery.TIER_KEY.matcher(key).matches()) {
            errors.add(new FieldError("key", "must be a tier's key: 1 to 32 of a-z, 0-9, _ and -"));
        }
        String reason = input == null ? null : Text.check(errors, "reason", input.reason(), false);
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
            errors.add(new FieldError("reason", "is required: 1 to " + MAX_REASON + " characters"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        existing(tenant, customerId);
        var tier = repository.settings(tenant).tier(key)
                .orElseThrow(() -> ApiException.invalid("key", "is not one of the tenant's tiers (GET /loyalty/tiers)"));
        evaluate(tenant, customerId, false, new Manual(new CustomerTier(tier.key(), tier.name(), clock.instant(), true),
                reason.strip(), userId));
        return tier(tenant, customerId);
    }

    /** Gives the customer's tier back to the automation: it takes the tier its measure qualifies for now, up or down. */
    public TierView removeOverride(String tenant, String customerId, String userId) {
        existing(tenant, customerId);
        var life = repository.lifecycle(tenant, customerId);
        if (life.tier() != null && life.tier().override()) {
            evaluate(tenant, customerId, false, new Manual(null, null, userId));
        }
        return tier(tenant, customerId);
    }

    // ---- journeys ----------------------------------------------------------------------------------------

    public record Journeys(List<Journey> data) {
    }

    /** Every journey the customer entered: the current ones first, then the latest entered first. */
    public Journeys journeys(String tenant, String customerId) {
        existing(tenant, customerId);
        var journeys = new ArrayList<>(repository.journeys(tenant, customerId));
        journeys.sort(Comparator.comparing(Journey::current).reversed()
                .thenComparing(Journey::lastEnteredAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return new Journeys(journeys);
    }

    public record StageCounts(Map<String, Long> stages) {
    }

    /** How many of the tenant's customers are in each lifecycle stage now. */
    public StageCounts stageCounts(String tenant) {
        return new StageCounts(repository.stageCounts(tenant));
    }

    // ---- the accrual's side ------------------------------------------------------------------------------

    @Override
    public Optional<Bonus> bonus(String tenant, String customerId, long base) {
        var settings = repository.settings(tenant);
        if (settings.tiers().isEmpty()) {
            return Optional.empty();
        }
        var current = repository.lifecycle(tenant, customerId).tier();
        return Optional.ofNullable(current).flatMap(t -> settings.tier(t.key()))
                .filter(t -> t.multiplier().compareTo(BigDecimal.ONE) > 0)
                .map(t -> new Bonus(t.key(), t.name(), t.multiplier(), TierRules.bonus(t, base)))
                .filter(b -> b.points() > 0);
    }

    @Override
    public void changed(String tenant, String customerId) {
        evaluate(tenant, customerId, false, null);
    }

    // ---- the evaluation ----------------------------------------------------------------------------------

    /** A change by a user: {@code tier} set by hand, or (null) the override removed. */
    record Manual(CustomerTier tier, String reason, String userId) {
    }

    /** What an evaluation did. */
    enum Outcome { CHANGED, UNCHANGED, GONE }

    /** An automatic evaluation: after a change ({@code review} false: up only) or at the daily review (down too). */
    Outcome evaluate(String tenant, String customerId, boolean review) {
        return evaluate(tenant, customerId, review, null);
    }

    /**
     * Computes the customer's lifecycle now and writes what changed, once: its tier (as the rules or the
     * user say), its stage and journeys, its next review day. Computed again when another write moved it
     * meanwhile. A customer gone (deleted, merged away) leaves its stage, its journeys and the review index.
     */
    Outcome evaluate(String tenant, String customerId, boolean review, Manual manual) {
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            var before = repository.lifecycle(tenant, customerId);
            var customer = repository.customer(tenant, customerId);
            try {
                if (customer.isEmpty()) {
                    if (before.version() == 0 || before.stage() == null && before.journeys().isEmpty() && before.reviewOn() == null) {
                        return Outcome.GONE;
                    }
                    repository.write(tenant, customerId, before, new Lifecycle(before.tier(), before.overrideReason(), null, List.of(),
                            null, before.version() + 1, now), null, false);
                    return Outcome.GONE;
                }
                return decideAndWrite(tenant, customer.get(), before, review, manual, now);
            } catch (TierRepository.Moved moved) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("the lifecycle of " + customerId + " kept changing; it will be evaluated again");
                }
            }
        }
    }

    private Outcome decideAndWrite(String tenant, Customer customer, Lifecycle before, boolean review, Manual manual, Instant now) {
        String customerId = customer.id();
        var settings = repository.settings(tenant);
        var current = before.tier();
        var tier = current;
        String overrideReason = before.overrideReason();
        String reason = null;
        TierRules.Measure measure = null;
        if (!settings.tiers().isEmpty()) {
            measure = measure(tenant, customerId, settings, now);
        }
        if (manual != null && manual.tier() != null) {
            tier = manual.tier();
            overrideReason = manual.reason();
            reason = TierRules.OVERRIDE;
        } else if (manual != null) {
            tier = measure == null ? null : TierRules.qualifying(settings, measure.value()).map(t -> TierRules.tier(t, now)).orElse(null);
            overrideReason = null;
            reason = TierRules.OVERRIDE_REMOVED;
        } else if (measure != null) {
            tier = TierRules.next(settings, current, measure, now, review);
            reason = tier == current ? null : TierRules.reason(settings, current, tier);
        }
        var segments = repository.segmentSettings(tenant);
        String stage = JourneyRules.stage(customer, segments, now);
        var journeys = JourneyRules.journeys(customer, segments, now);
        Instant tierReview = measure == null ? null : TierRules.reviewAt(settings, tier, measure, now);
        Instant journeyReview = JourneyRules.nextChange(customer, segments, now);
        String reviewOn = reviewDay(tierReview, journeyReview, now);
        boolean tierChanged = reason != null;
        if (!tierChanged && Objects.equals(stage, before.stage()) && journeys.equals(before.journeys())
                && Objects.equals(reviewOn, before.reviewOn())) {
            return Outcome.UNCHANGED;
        }
        TierChange change = null;
        if (tierChanged) {
            change = new TierChange(Ids.next(Ids.EVENT), now, named(current), named(tier), reason,
                    manual == null ? null : manual.reason(), manual == null ? null : manual.userId());
        }
        var after = new Lifecycle(tier, overrideReason, stage, journeys, reviewOn, before.version() + 1, now);
        repository.write(tenant, customerId, before, after, change, true);
        return tierChanged || !Objects.equals(stage, before.stage()) ? Outcome.CHANGED : Outcome.UNCHANGED;
    }

    /**
     * The day of the first daily run after the earlier of the two moments (the run reads the days up to
     * its own), never before tomorrow: a review never puts a customer back in the day being read.
     */
    static String reviewDay(Instant tierReview, Instant journeyReview, Instant now) {
        Instant at = tierReview == null ? journeyReview : journeyReview == null || tierReview.isBefore(journeyReview) ? tierReview : journeyReview;
        if (at == null) {
            return null;
        }
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC).plusDays(1);
        LocalDate tomorrow = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1);
        return (day.isBefore(tomorrow) ? tomorrow : day).toString();
    }

    private TierRules.Measure measure(String tenant, String customerId, TierSettings settings, Instant now) {
        if (settings.onSpend()) {
            return repository.spend(tenant, customerId, settings.currency(), now.minus(Duration.ofDays(settings.windowDays())),
                    settings.windowDays());
        }
        return new TierRules.Measure(repository.lifetimePoints(tenant, customerId), null);
    }

    private static TierEvent.Tier named(CustomerTier tier) {
        return tier == null ? null : new TierEvent.Tier(tier.key(), tier.name());
    }

    private Customer existing(String tenant, String customerId) {
        return (Ids.isValid(Ids.CUSTOMER, customerId) ? repository.customer(tenant, customerId) : Optional.<Customer>empty())
                .orElseThrow(() -> ApiException.notFound("Customer " + customerId));
    }
}
