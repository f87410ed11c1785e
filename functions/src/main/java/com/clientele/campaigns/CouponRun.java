package com.clientele.campaigns;

import com.clientele.shared.jobs.JobStatus;
import java.time.Instant;

/**
 * A run that gives every customer of a campaign's audience one coupon of the campaign (the "Generate
 * Coupon" of every one of them at once), as the API shows it. {@code status}: {@code queued},
 * {@code running}, then {@code succeeded} or {@code failed} (with {@code error}). Its counters, as of the
 * last page recorded: {@code customersSeen} (the audience's customers looked at), {@code couponsMade},
 * {@code skipped} (the customer had a coupon of this campaign already, or is not live, or had their
 * personal data erased) and {@code failed} (a customer whose record could not be given one: logged by id,
 * the run goes on). Ids, counters and dates only: no personal data.
 */
public record CouponRun(String id, String object, String campaignId, JobStatus status, long customersSeen, long couponsMade,
                        long skipped, long failed, String error, String requestedBy, Instant createdAt, Instant startedAt,
                        Instant finishedAt) {

    public static final String OBJECT = "coupon_run";

    boolean finished() {
        return status.finished();
    }

    /** The counters after one more page. */
    CouponRun plus(Counts page) {
        return new CouponRun(id, object, campaignId, status, customersSeen + page.seen(), couponsMade + page.made(),
                skipped + page.skipped(), failed + page.failed(), error, requestedBy, createdAt, startedAt, finishedAt);
    }

    /** What a page of customers came to. */
    record Counts(long seen, long made, long skipped, long failed) {
    }
}
