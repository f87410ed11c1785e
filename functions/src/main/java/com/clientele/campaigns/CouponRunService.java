package com.clientele.campaigns;

import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.http.Listing;
import com.clientele.shared.jobs.JobStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of coupon runs: a run gives every customer of a campaign's audience one coupon of the
 * campaign (the campaign must have a coupon offer and not have ended), one run of a campaign at a time
 * (a second while one is unfinished is 409 {@code coupon_run_in_progress}, naming it); shown with its
 * counters, listed newest first. The work is {@link CouponRunner}'s, on the coupon runs queue.
 */
public final class CouponRunService {

    private final CampaignRepository campaigns;
    private final CouponRunRepository runs;
    private final CouponRunQueue queue;
    private final Cursors cursors;
    private final Clock clock;

    public CouponRunService(CampaignRepository campaigns, CouponRunRepository runs, CouponRunQueue queue, Cursors cursors, Clock clock) {
        this.campaigns = campaigns;
        this.runs = runs;
        this.queue = queue;
        this.cursors = cursors;
        this.clock = clock;
    }

    /** {@code userId} asks for a run of campaign {@code campaignId} of {@code tenant}. */
    public record NewRun(String tenant, String campaignId, String userId) {
    }

    /** Queues a run of the campaign (202): its coupon offer for every customer of its audience. */
    public CouponRun start(NewRun command, IdempotentWrite<CouponRun> key) {
        String tenant = command.tenant();
        var campaign = CampaignService.found(campaigns, tenant, command.campaignId());
        CouponService.givesCoupons(campaign);
        // the lock's holder: unfinished, the answer is 409; finished (its release was lost), the new run takes the lock over
        String holder = runs.holder(tenant, campaign.id()).orElse(null);
        if (holder != null && runs.find(tenant, campaign.id(), holder).filter(s -> !s.finished()).isPresent()) {
            throw inProgress(campaign.id(), holder);
        }
        var claimed = key.claim(() -> Ids.next(Ids.COUPON_RUN));
        var run = new CouponRun(claimed.resourceId(), CouponRun.OBJECT, campaign.id(), JobStatus.QUEUED, 0, 0, 0, 0, null,
                command.userId(), now(), null, null);
        try {
            runs.create(tenant, run, holder, key.completion(run, null));
        } catch (CouponRunRepository.Taken e) {
            if (e.runExists) {
                throw key.finishedEarlier();
            }
            throw inProgress(campaign.id(), runs.holder(tenant, campaign.id()).orElse(null));
        }
        try {
            queue.send(new CouponRunMessage(tenant, campaign.id(), run.id(), 0));
        } catch (RuntimeException e) {
            runs.fail(tenant, campaign.id(), run.id(), "the run could not be queued", now());
            throw new ApiException(503, "queue_unavailable", "Service unavailable", "The coupon run could not be queued; retry it in a moment");
        }
        return run;
    }

    /** The run, or 404 (unknown, malformed, another campaign's or another tenant's). */
    public CouponRun get(String tenant, String campaignId, String runId) {
        var campaign = CampaignService.found(campaigns, tenant, campaignId);
        return (Ids.isValid(Ids.COUPON_RUN, runId) ? runs.find(tenant, campaign.id(), runId) : java.util.Optional.<CouponRunRepository.Stored>empty())
                .map(CouponRunRepository.Stored::run)
                .orElseThrow(() -> ApiException.notFound("Coupon run " + runId));
    }

    /** The campaign's runs, newest first: {@code limit} (1–100, 20) and {@code cursor}. */
    public Listing<CouponRun> list(String tenant, String campaignId, Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, Set.of(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        var campaign = CampaignService.found(campaigns, tenant, campaignId);
        String scope = "coupon-runs:" + campaign.id();
        var slice = runs.page(tenant, campaign.id(), paging.limit(), cursors.after(tenant, scope, paging));
        return new Listing<>(slice.items().stream().map(CouponRunRepository::run).toList(), cursors.next(tenant, scope, slice));
    }

    private static ApiException inProgress(String campaignId, String runId) {
        return new ApiException(409, "coupon_run_in_progress", "A coupon run is in progress",
                "Campaign " + campaignId + " has an unfinished coupon run" + (runId == null ? "" : " (" + runId + ")")
                        + ": one run of a campaign at a time; follow it, and start another when it is over",
                List.of(), runId == null ? Map.of() : Map.of("runId", runId), Map.of());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
