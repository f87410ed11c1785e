package com.clientele.campaigns;

import com.clientele.campaigns.Campaign.Audience;
import com.clientele.campaigns.CouponRepository.CodeTaken;
import com.clientele.campaigns.CouponRepository.Gift;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerService.CustomerPage;
import com.clientele.customers.ListQuery;
import com.clientele.shared.Futures;
import com.clientele.shared.Ids;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.jobs.Budget;
import com.clientele.shared.jobs.JobMetrics;
import com.clientele.shared.jobs.StepJob;
import com.clientele.shared.jobs.StepRecord;
import com.clientele.shared.logs.Log;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiFunction;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A coupon run as a step job ({@link StepJob}, run by the coupon run worker's
 * {@link com.clientele.shared.jobs.StepRunner}): reads the campaign's audience page by page — the
 * customers list's own reads and order, filtered by the audience's segment or tier (everyone: the whole
 * list), or the listed customers — and gives each customer of a page one coupon of the campaign, a few at
 * once. Memory holds one page, whatever the number of customers.
 *
 * <p>After each page it records on the run, conditional on the step and on the version it read, the
 * counters through that page and the audience's cursor after it. A run that dies mid-page is taken up by
 * the next delivery of its message from the last record: the page is read again and its customers given
 * their coupons again, which makes none twice: each gift is one transaction with the campaign's marker on
 * the customer, put on condition that it is new ({@link CouponRepository#give}); a marker of this very run
 * counts as made, so the counters stay exact.
 *
 * <p>A run stops at a page boundary when its time budget is spent and hands the run to the next step,
 * whose message the runner sends. After the last page the run is {@code succeeded}. A customer whose record
 * cannot be given a coupon (a damaged item) is counted in {@code failed} and logged by id; the run goes on.
 * A campaign that ended (or lost its offer) while the run went on fails the run at its next step.
 */
public final class CouponRunner implements StepJob<CouponRunMessage> {

    /** How many customers of a page are given their coupons at once. */
    static final int CONCURRENT_GIFTS = 8;
    /** Codes drawn for one customer before giving up on them (a collision of 80 random bits is not expected once). */
    private static final int CODE_ATTEMPTS = 3;

    private final CouponRunRepository runs;
    private final CampaignRepository campaigns;
    private final CouponRepository coupons;
    private final BiFunction<String, ListQuery, CustomerPage> customers;
    private final Clock clock;
    private final SecureRandom random;
    private final int pageSize;
    private final JobMetrics metrics;

    /**
     * @param customers a page of the customers list ({@code CustomerService::customers})
     * @param pageSize  customers read per page of the audience
     */
    public CouponRunner(CouponRunRepository runs, CampaignRepository campaigns, CouponRepository coupons,
                        BiFunction<String, ListQuery, CustomerPage> customers, Clock clock, SecureRandom random, int pageSize,
                        JobMetrics metrics) {
        this.runs = runs;
        this.campaigns = campaigns;
        this.coupons = coupons;
        this.customers = customers;
        this.clock = clock;
        this.random = random;
        this.pageSize = pageSize;
        this.metrics = metrics;
    }

    @Override
    public Optional<CouponRunMessage> work(CouponRunMessage message, boolean redelivered, Budget budget) {
        return StepRecord.work(message, redelivered, runs.find(message.tenantId(), message.campaignId(), message.runId()),
                (step, stored) -> step(step, stored, budget));
    }

    @Override
    public Map<String, Object> describe(CouponRunMessage message) {
        return Map.of("job", JobMetrics.COUPON_RUN, "tenant", message.tenantId(), "campaign_id", message.campaignId(),
                "job_id", message.runId(), "step", message.step());
    }

    /** The run failed on every delivery of a step: marked failed, saying why. */
    @Override
    public void giveUp(CouponRunMessage message, String reason) {
        runs.fail(message.tenantId(), message.campaignId(), message.runId(), "the coupon run " + reason, now());
    }

    /** Works the run from where {@code stored} stands; true if it handed the run to the next step. */
    private boolean step(CouponRunMessage message, CouponRunRepository.Stored stored, Budget budget) {
        String tenant = message.tenantId();
        var campaign = campaigns.find(tenant, message.campaignId()).orElse(null);
        if (campaign == null || campaign.coupon() == null || Campaign.ENDED.equals(campaign.status())) {
            fail(message, "campaign " + message.campaignId() + (campaign == null ? " is gone"
                    : campaign.coupon() == null ? " no longer has a coupon offer" : " has ended") + ": the run stopped");
            return false;
        }
        if (!runs.begin(tenant, message.campaignId(), message.runId(), message.step(), now())) {
            return false;
        }
        var run = stored.run();
        long version = stored.version();
        String cursor = stored.cursor();
        while (budget.another()) {
            Page page;
            try {
                page = page(tenant, campaign.audience(), cursor);
            } catch (ApiException e) {
                // the list refused its own cursor: the segment's thresholds changed while the run went on
                fail(message, "the campaign's audience changed while the run went on (" + e.getMessage() + "); start another run");
                return false;
            }
            var counts = give(tenant, campaign, message.runId(), page);
            run = run.plus(counts);
            if (!runs.record(tenant, run, message.step(), version, page.next(), now())) {
                return false; // another delivery of this message recorded first: it carries on
            }
            version++;
            cursor = page.next();
            budget.worked(counts.seen());
            metrics.step(tenant, counts.seen());
            if (cursor == null) {
                metrics.succeeded(tenant, run.createdAt(), now());
                return false;
            }
        }
        return runs.advance(tenant, message.campaignId(), message.runId(), message.step(), version, now());
    }

    /** A page of the audience: the customers read, the listed ones not found (not live), the cursor after it (null: the last). */
    record Page(List<Customer> customers, long missing, String next) {
    }

    private Page page(String tenant, Audience audience, String cursor) {
        if (Audience.CUSTOMERS.equals(audience.type())) {
            var ids = audience.customerIds();
            int from = cursor == null ? 0 : Integer.parseInt(cursor);
            int to = Math.min(ids.size(), from + pageSize);
            var found = new ArrayList<Customer>();
            for (String id : ids.subList(from, to)) {
                campaigns.customer(tenant, id).ifPresent(found::add);
            }
            return new Page(found, (to - from) - found.size(), to < ids.size() ? Integer.toString(to) : null);
        }
        var filter = switch (audience.type()) {
            case Audience.SEGMENT -> Map.of("segment", audience.segment());
            case Audience.TIER -> Map.of("tier", audience.tierId());
            default -> Map.<String, String>of();
        };
        var read = customers.apply(tenant, ListQuery.parse(filter).page(pageSize, cursor));
        return new Page(read.customers(), 0, read.nextCursor());
    }

    /** Gives each customer of {@code page} the campaign's coupon, {@value #CONCURRENT_GIFTS} at once; what it came to. */
    private CouponRun.Counts give(String tenant, Campaign campaign, String runId, Page page) {
        var tally = new AtomicLongArray(3); // made, skipped, failed
        Futures.each(page.customers(), CONCURRENT_GIFTS, customer -> tally.incrementAndGet(switch (give(tenant, campaign, runId, customer)) {
            case MADE -> 0;
            case SKIPPED -> 1;
            case FAILED -> 2;
        }));
        long seen = page.customers().size() + page.missing();
        return new CouponRun.Counts(seen, tally.get(0), tally.get(1) + page.missing(), tally.get(2));
    }

    enum Outcome { MADE, SKIPPED, FAILED }

    /**
     * One customer's coupon: made, skipped (a coupon of the campaign already, not live, erased) or failed (a
     * record that cannot be given one: logged by id, no personal value). A fault of the table is thrown: the
     * step is retried from its last record.
     */
    private Outcome give(String tenant, Campaign campaign, String runId, Customer customer) {
        try {
            if (!Ids.isValid(Ids.CUSTOMER, customer.id())) {
                throw new IllegalStateException("a customer item without a customer id");
            }
            if (!customer.claimsEmail()) {
                return Outcome.SKIPPED; // erased: no coupons for an anonymous profile
            }
            for (int attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
                Instant now = now();
                var coupon = new Coupon(CouponRules.generate(random), campaign.id(), customer.id(), campaign.coupon(), 0, now);
                var given = new CustomerCoupon(coupon.code(), campaign.id(), campaign.coupon(), true, now, 0, null, null, null, null, null);
                try {
                    return coupons.give(tenant, coupon, given, runId) == Gift.MADE ? Outcome.MADE : Outcome.SKIPPED;
                } catch (CodeTaken taken) {
                    // draw another
                }
            }
            throw new IllegalStateException(CODE_ATTEMPTS + " codes drawn were all taken");
        } catch (SdkException fault) {
            throw fault;
        } catch (RuntimeException bad) {
            Log.warn("a customer could not be given the coupon run's coupon", Map.of("tenant", tenant, "job_id", runId,
                    "customer_id", String.valueOf(customer.id()), "error_type", bad.getClass().getName()));
            return Outcome.FAILED;
        }
    }

    private void fail(CouponRunMessage message, String why) {
        runs.fail(message.tenantId(), message.campaignId(), message.runId(), why, now());
        metrics.failed(message.tenantId());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
