package com.clientele.campaigns;

import com.clientele.campaigns.Campaign.AmountBonus;
import com.clientele.campaigns.Campaign.Audience;
import com.clientele.campaigns.Campaign.EarningRule;
import com.clientele.campaigns.CampaignRepository.Stale;
import com.clientele.customers.CustomerRules;
import com.clientele.customers.Segments;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.Money;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.http.Listing;
import com.clientele.shared.http.MergePatch;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The rules of a tenant's campaigns: created as drafts, changed by merge patch under {@code If-Match}
 * (an active campaign too: what changes applies to the payments accrued after it), moved between
 * statuses by {@code activate}, {@code pause} and {@code end} only. An ended campaign never changes
 * again. Under the tenant's {@code exclusive} stacking, a campaign is not activated while another
 * active campaign's period overlaps its own.
 */
public final class CampaignService {

    static final int MAX_NAME = 200;
    static final int MAX_DESCRIPTION = 2_000;
    static final int MAX_CUSTOMERS = 100;
    static final int MAX_ID = 100;
    static final BigDecimal MAX_MULTIPLIER = BigDecimal.valueOf(100);
    static final long MAX_BONUS = 1_000_000;
    /** 99,999,999.99 in a currency of two decimals. */
    static final long MAX_AMOUNT = 9_999_999_999L;
    private static final int MAX_WRITE_ATTEMPTS = 3;
    private static final Set<String> STATUSES = Set.of(Campaign.DRAFT, Campaign.ACTIVE, Campaign.PAUSED, Campaign.ENDED);
    private static final Set<String> WRITABLE = Set.of("name", "description", "startsAt", "endsAt", "audience", "earning", "coupon");

    /** How the tenant stacks campaigns ({@code all}, {@code best}, {@code exclusive}): the loyalty settings' {@code campaignStacking}. */
    @FunctionalInterface
    public interface Stacking {
        String of(String tenant);
    }

    private final CampaignRepository repository;
    private final Stacking stacking;
    private final Cursors cursors;
    private final Clock clock;

    public CampaignService(CampaignRepository repository, Stacking stacking, Cursors cursors, Clock clock) {
        this.repository = repository;
        this.stacking = stacking;
        this.cursors = cursors;
        this.clock = clock;
    }

    /** A campaign to create in {@code tenant}. */
    public record NewCampaign(String tenant, Campaign.Input input) {
    }

    public Campaign create(NewCampaign command, IdempotentWrite<Campaign> key) {
        var valid = validate(command.input());
        var claimed = key.claim(() -> Ids.next(Ids.CAMPAIGN));
        var campaign = Campaign.create(claimed.resourceId(), valid, now());
        try {
            repository.insert(command.tenant(), campaign, key.completion(campaign, null));
        } catch (Stale e) {
            throw key.finishedEarlier();
        }
        return campaign;
    }

    /** The campaign, or 404 for an unknown or malformed id and for another tenant's campaign. */
    public Campaign campaign(String tenant, String campaignId) {
        return found(repository, tenant, campaignId);
    }

    /** The campaign {@code repository} has with this id, or 404 (unknown, malformed, another tenant's). */
    static Campaign found(CampaignRepository repository, String tenant, String campaignId) {
        return (Ids.isValid(Ids.CAMPAIGN, campaignId) ? repository.find(tenant, campaignId) : java.util.Optional.<Campaign>empty())
                .orElseThrow(() -> ApiException.notFound("Campaign " + campaignId));
    }

    /** The tenant's campaigns, newest first; {@code ?status=} keeps those of one status. */
    public Listing<Campaign> campaigns(String tenant, Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, Set.of("status"), errors);
        String status = query.get("status");
        if (status != null && !STATUSES.contains(status)) {
            errors.add(new FieldError("status", "must be one of draft, active, paused, ended"));
        }
        failOn(errors);
        String scope = "campaigns:" + status;
        var slice = repository.page(tenant, status, paging.limit(), cursors.after(tenant, scope, paging));
        return new Listing<>(slice.items().stream().map(CampaignRepository::campaign).toList(), cursors.next(tenant, scope, slice));
    }

    /** Applies a merge patch to what may change, if {@code ifMatch} is the campaign's ETag. */
    public Campaign update(String tenant, String campaignId, JsonNode patch, String ifMatch) {
        var current = campaign(tenant, campaignId);
        var changes = writable(current, patch);
        if (ifMatch == null) {
            throw new ApiException(428, "precondition_required", "Precondition required",
                    "Send If-Match with the ETag of the campaign you are changing");
        }
        if (!MergePatch.matches(ifMatch, current.etag())) {
            throw stale();
        }
        if (Campaign.ENDED.equals(current.status())) {
            throw ended(current);
        }
        var valid = validate(Bodies.convert(MergePatch.apply(Json.MAPPER.valueToTree(current.input()), changes), Campaign.Input.class));
        if (valid.equals(current.input())) {
            return current;
        }
        var updated = current.edited(valid, now());
        if (Campaign.ACTIVE.equals(current.status())) {
            exclusive(tenant, updated);
        }
        try {
            repository.replace(tenant, current, updated);
        } catch (Stale e) {
            throw stale();
        }
        return updated;
    }

    /** {@code activate}, {@code pause} or {@code end}: the campaign in its new status (as it is, if it is in it already). */
    public Campaign transition(String tenant, String campaignId, String action) {
        return retried(() -> {
            var current = campaign(tenant, campaignId);
            String next = Campaign.transition(current.status(), action);
            if (next == null) {
                if (current.status().equals(Campaign.target(action))) {
                    return current;
                }
                throw new ApiException(409, "invalid_state", "Invalid state",
                        "Campaign " + campaignId + " is " + current.status() + ": it cannot " + action);
            }
            if (Campaign.ACTIVE.equals(next)) {
                if (current.endsAt() != null && !current.endsAt().isAfter(now())) {
                    throw new ApiException(409, "campaign_over", "Campaign over",
                            "Campaign " + campaignId + " ended on " + current.endsAt() + ": change its endsAt to activate it");
                }
                exclusive(tenant, current);
            }
            var updated = current.withStatus(next, now());
            repository.replace(tenant, current, updated);
            return updated;
        });
    }

    /** Under {@code exclusive} stacking: 409 if another active campaign's period overlaps {@code campaign}'s. */
    private void exclusive(String tenant, Campaign campaign) {
        if (!CampaignRules.STACK_EXCLUSIVE.equals(stacking.of(tenant))) {
            return;
        }
        repository.active(tenant).stream().filter(other -> !other.id().equals(campaign.id()) && other.overlaps(campaign)).findFirst()
                .ifPresent(other -> {
                    throw new ApiException(409, "campaign_stacking_forbidden", "Campaigns may not stack",
                            "This account runs one campaign at a time (campaignStacking exclusive) and campaign " + other.id()
                                    + " is active over an overlapping period", List.of(), Map.of("activeCampaignId", other.id()), Map.of());
                });
    }

    // ---- validation ------------------------------------------------------------------------------

    /** Checked input (text normalised, the customer list without repeats); every offending field named at once. */
    static Campaign.Input validate(Campaign.Input in) {
        var errors = new ArrayList<FieldError>();
        String name = CustomerRules.line(errors, "name", in.name(), MAX_NAME, true);
        String description = CustomerRules.text(errors, "description", in.description(), MAX_DESCRIPTION, false);
        if (in.startsAt() == null) {
            errors.add(new FieldError("startsAt", "is required (an ISO-8601 instant)"));
        }
        if (in.startsAt() != null && in.endsAt() != null && !in.endsAt().isAfter(in.startsAt())) {
            errors.add(new FieldError("endsAt", "must be after startsAt"));
        }
        var audience = audience(errors, in.audience());
        var earning = earning(errors, in.earning());
        var coupon = CouponRules.offer(errors, in.coupon());
        failOn(errors);
        return new Campaign.Input(name, description, in.startsAt().truncatedTo(ChronoUnit.MILLIS),
                in.endsAt() == null ? null : in.endsAt().truncatedTo(ChronoUnit.MILLIS), audience, earning, coupon);
    }

    private static Audience audience(List<FieldError> errors, Audience in) {
        if (in == null || in.type() == null) {
            return new Audience(Audience.ALL, null, null, null);
        }
        switch (in.type()) {
            case Audience.ALL -> {
                unused(errors, "audience.segment", in.segment());
                unused(errors, "audience.tierId", in.tierId());
                unused(errors, "audience.customerIds", in.customerIds());
                return new Audience(Audience.ALL, null, null, null);
            }
            case Audience.SEGMENT -> {
                if (in.segment() == null || !Segments.NAMES.contains(in.segment())) {
                    errors.add(new FieldError("audience.segment", "must be one of " + String.join(", ", Segments.NAMES)));
                }
                return new Audience(Audience.SEGMENT, in.segment(), null, null);
            }
            case Audience.TIER -> {
                String tier = CustomerRules.line(errors, "audience.tierId", in.tierId(), MAX_ID, true);
                return new Audience(Audience.TIER, null, tier, null);
            }
            case Audience.CUSTOMERS -> {
                var ids = in.customerIds() == null ? List.<String>of() : in.customerIds();
                if (ids.isEmpty() || ids.size() > MAX_CUSTOMERS) {
                    errors.add(new FieldError("audience.customerIds", "must list from 1 to " + MAX_CUSTOMERS + " customer ids"));
                }
                for (int i = 0; i < ids.size(); i++) {
                    if (!Ids.isValid(Ids.CUSTOMER, ids.get(i))) {
                        errors.add(new FieldError("audience.customerIds[" + i + "]", "must be a customer id (cus_…)"));
                    }
                }
                return new Audience(Audience.CUSTOMERS, null, null, List.copyOf(new LinkedHashSet<>(ids)));
            }
            default -> {
                errors.add(new FieldError("audience.type", "must be one of all, segment, tier, customers"));
                return in;
            }
        }
    }

    private static EarningRule earning(List<FieldError> errors, EarningRule in) {
        if (in == null) {
            return null;
        }
        var multiplier = in.multiplier();
        if (multiplier != null && (multiplier.compareTo(BigDecimal.ONE) <= 0 || multiplier.compareTo(MAX_MULTIPLIER) > 0
                || multiplier.stripTrailingZeros().scale() > 2)) {
            errors.add(new FieldError("earning.multiplier", "must be a number above 1 and at most " + MAX_MULTIPLIER + " with at most 2 decimals"));
        }
        if (in.firstPurchaseBonus() != null && (in.firstPurchaseBonus() < 1 || in.firstPurchaseBonus() > MAX_BONUS)) {
            errors.add(new FieldError("earning.firstPurchaseBonus", "must be an integer from 1 to " + MAX_BONUS + " (points)"));
        }
        AmountBonus bonus = in.amountBonus();
        if (bonus != null) {
            if (bonus.points() < 1 || bonus.points() > MAX_BONUS) {
                errors.add(new FieldError("earning.amountBonus.points", "must be an integer from 1 to " + MAX_BONUS + " (points)"));
            }
            CouponRules.money(errors, "earning.amountBonus.minimum", bonus.minimum(), true);
        }
        String store = CustomerRules.line(errors, "earning.storeId", in.storeId(), MAX_ID, false);
        if (multiplier == null && in.firstPurchaseBonus() == null && bonus == null) {
            errors.add(new FieldError("earning", "must give something: multiplier, firstPurchaseBonus or amountBonus"));
        }
        return new EarningRule(multiplier == null ? null : plain(multiplier), in.firstPurchaseBonus(), bonus, store);
    }

    private static BigDecimal plain(BigDecimal number) {
        var stripped = number.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static void unused(List<FieldError> errors, String field, Object value) {
        if (value != null) {
            errors.add(new FieldError(field, "is only for another audience type"));
        }
    }

    /** The members of a merge patch that change something; a read-only member must hold its current value. */
    private static JsonNode writable(Campaign current, JsonNode patch) {
        return MergePatch.writable(current, patch, WRITABLE, "a campaign",
                name -> "status".equals(name) ? "changes with POST /campaigns/{id}/activate, pause or end" : "is read-only");
    }

    private static ApiException stale() {
        return new ApiException(412, "precondition_failed", "Precondition failed",
                "The campaign changed since you read it; read it again and reapply your change");
    }

    private static ApiException ended(Campaign campaign) {
        return new ApiException(409, "invalid_state", "Invalid state", "Campaign " + campaign.id() + " has ended: it no longer changes");
    }

    /** Runs a read-then-write until it commits; after {@value #MAX_WRITE_ATTEMPTS} conflicts, 409. */
    private static <T> T retried(Supplier<T> attempt) {
        for (int i = 0; i < MAX_WRITE_ATTEMPTS; i++) {
            try {
                return attempt.get();
            } catch (Stale e) {
                // read again
            }
        }
        throw new ApiException(409, "concurrent_update", "Concurrent update", "The campaign kept changing while this request ran; retry");
    }

    private static void failOn(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
