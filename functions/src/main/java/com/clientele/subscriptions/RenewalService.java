package com.clientele.subscriptions;

import com.clientele.customers.Customer;
import com.clientele.payments.Payment;
import com.clientele.payments.PaymentFor;
import com.clientele.payments.PaymentInputs.Charge;
import com.clientele.payments.PaymentInputs.ChargeCommand;
import com.clientele.payments.PaymentInputs.OfflinePayment;
import com.clientele.payments.PaymentInputs.OfflinePaymentCommand;
import com.clientele.payments.PaymentService;
import com.clientele.payments.PaymentStatus;
import com.clientele.shared.Activity;
import com.clientele.shared.Futures;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Keys;
import com.clientele.shared.Money;
import com.clientele.shared.TransactPut;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.jobs.Budget;
import com.clientele.shared.jobs.JobMetrics;
import com.clientele.shared.jobs.StepJob;
import com.clientele.shared.logs.Log;
import com.clientele.shared.metrics.MetricRecord;
import com.clientele.shared.metrics.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Renewals: each subscription's periods billed exactly once, on time, whatever the redelivery, overlap
 * or crash; and dunning when a payment is declined.
 *
 * <p>A run reads only what is due: the due index ({@link SubscriptionRepository#due}), day by day from
 * the day of the last run that finished ({@link BillingRepository#doneThrough}, {@value #GRACE_DAYS} day
 * earlier) to the run's own day, each day's {@value SubscriptionItems#DUE_SHARDS} shards one after the
 * other, each a Query of what is due by the run's time, a page at a time. The index's items are the
 * subscriptions themselves: no second read. Per due subscription ({@link #renew}), {@code parallelism}
 * at once:
 * <ol>
 *   <li>the next period is claimed on the subscription ({@code billing = {period, paymentId}}), written at
 *   the version read: of two runs at once one wins, the other skips it;</li>
 *   <li>the saved card is charged through {@link PaymentService#charge} (its events, LTV and points as for
 *   any charge), naming the subscription and period ({@link PaymentFor#period}), under the claimed id
 *   ({@link IdempotentWrite#owned}: the processor is asked with the payment id as its idempotency key);</li>
 *   <li>the outcome is written at the claim's version ({@link RenewalRules#paid}, {@link RenewalRules#declined}).</li>
 * </ol>
 * A run that dies between the charge and the record leaves the claim: the next run finds it and resumes
 * the same payment id, so the period is charged once and recorded once. A subscription collected by
 * invoice has its period's invoice made and finalised ({@link PeriodInvoices}, once per period) and the
 * period recorded as due (an activity), and moves on. A subscription whose customer is a member of a
 * billing group when its period is billed has the period written as a pending line of the group's month
 * ({@link GroupBilling}), in the transaction that moves the subscription on: no charge, no invoice of
 * its own (the group's payer gets the month's invoice). A
 * subscription whose last period is over ends (or is canceled at its period's end); one whose customer is
 * deleted is canceled. A subscription that
 * cannot be billed (its card removed at its customer's erasure, its item malformed) never stops the
 * run: it is logged by id and counted ({@code failed}); one the processor did not answer keeps its
 * claim for the next run.
 *
 * <p>A run stops when its time budget is spent and sends the rest of itself ({@link RenewalRun}) to
 * {@link Continuation}; its worker runs that rest as a step job ({@link StepJob}). A run that left
 * nothing records its time as done (only a run over every tenant).
 *
 * <p>By hand ({@link #retry}, {@link #markPaid}): a {@code past_due} subscription's open period billed
 * now, charging the card again or recording a payment made outside the processor.
 */
public final class RenewalService implements StepJob<RenewalRun> {

    /** Days before the last finished run's day that a run reads again. */
    static final int GRACE_DAYS = 1;
    private static final int MAX_WRITE_ATTEMPTS = 3;

    /** Where the rest of a run goes when its budget is spent ({@link RenewalQueue}). */
    public interface Continuation {
        void send(RenewalRun rest);
    }

    /** What billing one due subscription came to. */
    public enum Outcome {
        /** A period paid. */
        BILLED,
        /** A payment declined: dunning. */
        DECLINED,
        /** A period recorded as due, for an invoice. */
        INVOICED,
        /** A period billed to the customer's billing group: a pending line of the group's period. */
        GROUPED,
        /** Its last period is over (ended, or canceled at its period's end), or its customer is deleted (canceled). */
        ENDED,
        /** Nothing to do: another run has it, or it is not due (any more). */
        SKIPPED,
        /** The processor did not answer: the claim stays for the next run. */
        PENDING,
        /** It could not be billed: logged and counted, the run goes on. */
        FAILED
    }

    /**
     * What a run (or the part of it one invocation worked) did: periods billed, declined, invoiced,
     * subscriptions ended, reminders produced, failed (logged by id), skipped (another run had them), and due subscriptions
     * left for the next run ({@code left}: not answered by the processor, or failed).
     */
    public record Result(Instant through, long billed, long declined, long invoiced, long grouped, long ended, long reminded, long failed,
                         long skipped, long left, boolean continued) {

        public Map<String, Object> asMap() {
            var map = new LinkedHashMap<String, Object>();
            map.put("through", through.toString());
            map.put("billed", billed);
            map.put("declined", declined);
            map.put("invoiced", invoiced);
            map.put("grouped", grouped);
            map.put("ended", ended);
            map.put("reminded", reminded);
            map.put("failed", failed);
            map.put("skipped", skipped);
            map.put("left", left);
            map.put("continued", continued);
            return map;
        }
    }

    /** A subscription billed by hand: its state after, and the payment made for its open period. */
    public record Billed(Subscription subscription, Payment payment) {
    }

    /** The body of {@code POST /subscriptions/{id}/mark-paid}. */
    public record MarkPaid(String method, String reference) {
    }

    private final SubscriptionRepository subscriptions;
    private final BillingRepository billing;
    private final PaymentService payments;
    private final Continuation continuation;
    private final Clock clock;
    private final int pageSize;
    private final int lookbackDays;
    private final int parallelism;
    private final JobMetrics jobs;
    private final Metrics metrics;
    private final Consumer<Payment> afterCharge;
    private final Outbox outbox;
    private final PeriodInvoices invoices;
    private final GroupBilling groups;

    /**
     * @param pageSize     due subscriptions read per Query
     * @param lookbackDays days before the run's day that a first run reads too
     * @param parallelism  due subscriptions of a page billed at once
     */
    public RenewalService(SubscriptionRepository subscriptions, BillingRepository billing, PaymentService payments, Outbox outbox,
                          Continuation continuation, Clock clock, int pageSize, int lookbackDays, int parallelism, JobMetrics jobs,
                          Metrics metrics) {
        this(subscriptions, billing, payments, outbox, continuation, clock, pageSize, lookbackDays, parallelism, jobs, metrics, p -> {
        }, NO_INVOICES, GroupBilling.NONE);
    }

    /** Until {@link #invoicing} names where invoices are made: a period collected by invoice is recorded as due, with none. */
    private static final PeriodInvoices NO_INVOICES = (tenant, customerId, subscriptionId, period, amount, description) -> null;

    private RenewalService(SubscriptionRepository subscriptions, BillingRepository billing, PaymentService payments, Outbox outbox,
                           Continuation continuation, Clock clock, int pageSize, int lookbackDays, int parallelism, JobMetrics jobs,
                           Metrics metrics, Consumer<Payment> afterCharge, PeriodInvoices invoices, GroupBilling groups) {
        this.subscriptions = subscriptions;
        this.billing = billing;
        this.payments = payments;
        this.continuation = continuation;
        this.clock = clock;
        this.pageSize = pageSize;
        this.lookbackDays = lookbackDays;
        this.parallelism = Math.max(1, parallelism);
        this.jobs = jobs;
        this.metrics = metrics;
        this.afterCharge = afterCharge;
        this.outbox = outbox;
        this.invoices = invoices;
        this.groups = groups;
    }

    /** The same service, calling {@code afterCharge} between a charge and its record (tests: a crash there). */
    public RenewalService afterCharge(Consumer<Payment> afterCharge) {
        return new RenewalService(subscriptions, billing, payments, outbox, continuation, clock, pageSize, lookbackDays, parallelism, jobs,
                metrics, afterCharge, invoices, groups);
    }

    /** The same service, making each invoiced period's invoice with {@code periodInvoices}. */
    public RenewalService invoicing(PeriodInvoices periodInvoices) {
        return new RenewalService(subscriptions, billing, payments, outbox, continuation, clock, pageSize, lookbackDays, parallelism, jobs,
                metrics, afterCharge, periodInvoices, groups);
    }

    /** The same service, sending the periods of billing groups' members to their groups with {@code groupBilling}. */
    public RenewalService grouping(GroupBilling groupBilling) {
        return new RenewalService(subscriptions, billing, payments, outbox, continuation, clock, pageSize, lookbackDays, parallelism, jobs,
                metrics, afterCharge, invoices, groupBilling);
    }

    // ---- runs ----------------------------------------------------------------------------------------

    /**
     * A scheduled or on-demand run: the subscriptions due by {@code at} (the schedule's time; now when
     * null, and never later than now), of {@code tenant} only when it is set, from the last finished
     * run's day (less {@value #GRACE_DAYS}), or {@code lookbackDays} back when it is set (a backfill).
     */
    public Result start(Instant at, String tenant, Integer lookbackDays, Budget budget) {
        Instant now = now();
        Instant through = at == null || at.isAfter(now) ? now : at;
        LocalDate day = RenewalRun.day(through);
        var done = lookbackDays != null ? Optional.<Instant>empty() : billing.doneThrough();
        LocalDate from = done.map(d -> (d.isBefore(through) ? RenewalRun.day(d) : day).minusDays(GRACE_DAYS))
                .orElse(day.minusDays(lookbackDays != null ? lookbackDays : this.lookbackDays));
        return run(RenewalRun.start(through, tenant, from), budget);
    }

    /** Works {@code run} from where it stands until it is done or the budget is spent (and sends the rest on). */
    public Result run(RenewalRun run, Budget budget) {
        var step = step(run, budget);
        if (step.rest() != null) {
            continuation.send(step.rest());
        }
        return step.result();
    }

    /** The worker's step: the rest of a run; what is left of it goes on. */
    @Override
    public Optional<RenewalRun> work(RenewalRun run, boolean redelivered, Budget budget) {
        return Optional.ofNullable(step(run, budget).rest());
    }

    @Override
    public Map<String, Object> describe(RenewalRun run) {
        var described = new LinkedHashMap<String, Object>();
        described.put("job", JobMetrics.RENEWALS);
        described.put("job_id", run.through().toString());
        if (run.tenant() != null) {
            described.put("tenant", run.tenant());
        }
        described.put("day", run.day());
        described.put("shard", run.shard());
        return described;
    }

    private record Step(Result result, RenewalRun rest) {
    }

    private Step step(RenewalRun run, Budget budget) {
        var tally = new Tally(run.left());
        var settings = new ConcurrentHashMap<String, BillingSettings>();
        LocalDate last = run.lastDay();
        LocalDate day = LocalDate.parse(run.day());
        int shard = run.shard();
        boolean reminding = run.reminding();
        Map<String, String> after = run.after();
        while (!day.isAfter(last)) {
            do {
                if (!budget.another()) {
                    finishStep(tally, budget);
                    return new Step(tally.result(run.through(), true),
                            new RenewalRun(run.through(), run.tenant(), day.toString(), shard, after, tally.left.get(), reminding));
                }
                var page = reminding ? subscriptions.reminders(day, shard, run.through(), after, pageSize)
                        : subscriptions.due(day, shard, run.through(), after, pageSize);
                for (String unreadable : page.unreadable()) {
                    Log.warn("a due subscription item could not be read: left in the index", Map.of("item", unreadable));
                    tally.count(Outcome.FAILED);
                }
                if (reminding) {
                    remind(page.due(), run, settings, tally);
                } else {
                    renew(page.due(), run, settings, tally);
                }
                after = page.next();
            } while (after != null);
            reminding = !reminding;
            if (reminding) {
                continue;
            }
            if (++shard == SubscriptionItems.DUE_SHARDS) {
                shard = 0;
                day = day.plusDays(1);
            }
        }
        if (tally.left.get() == 0 && run.tenant() == null) {
            billing.done(run.through());
        }
        finishStep(tally, budget);
        jobs.succeeded(run.tenant(), run.through(), clock.instant());
        return new Step(tally.result(run.through(), false), null);
    }

    private void finishStep(Tally tally, Budget budget) {
        long handled = tally.handled();
        jobs.step(null, handled);
        budget.worked(handled);
        var record = MetricRecord.of();
        record.add("RenewalsBilled", tally.billed.get(), MetricRecord.Unit.COUNT);
        record.add("RenewalsDeclined", tally.declined.get(), MetricRecord.Unit.COUNT);
        record.add("RenewalsFailed", tally.failed.get(), MetricRecord.Unit.COUNT);
        metrics.record(record);
    }

    /** A page's due subscriptions, {@code parallelism} at once; another tenant's are passed over when the run is one tenant's. */
    private void renew(List<SubscriptionRepository.Due> page, RenewalRun run, Map<String, BillingSettings> settings, Tally tally) {
        var mine = page.stream().filter(d -> run.tenant() == null || run.tenant().equals(d.tenantId())).toList();
        Futures.each(mine, parallelism, due -> tally.count(renewSafely(due, run.through(), settings)));
    }

    // ---- reminders ------------------------------------------------------------------------------------

    /** A page of the reminder index, {@code parallelism} at once; another tenant's are passed over when the run is one tenant's. */
    private void remind(List<SubscriptionRepository.Due> page, RenewalRun run, Map<String, BillingSettings> settings, Tally tally) {
        var mine = page.stream().filter(d -> run.tenant() == null || run.tenant().equals(d.tenantId())).toList();
        Futures.each(mine, parallelism, due -> {
            try {
                tally.reminded.addAndGet(remind(due.tenantId(), due.subscription(), run.through(),
                        settings.computeIfAbsent(due.tenantId(), billing::settings).reminders()));
            } catch (RuntimeException e) {
                tally.count(failed(due, e));
            }
        });
    }

    /**
     * The reminders of one subscription in the reminder index ({@code s}, perhaps a version behind) that are
     * due at {@code now} by the tenant's settings as they are now, each produced once: recorded on the
     * subscription at the version read, with its activity and its event's outbox item in the same
     * transaction, then the event published (or, if that fails, relayed). Of two runs at once, one
     * records it; the other finds it recorded. One whose reminder the settings now put later (fewer days
     * ahead) is written again, so that the index holds it at its new time. Answers how many were produced.
     */
    int remind(String tenant, Subscription s, Instant now, BillingSettings.Reminders reminders) {
        int produced = 0;
        int stale = 0;
        while (true) {
            var due = SubscriptionReminders.due(s, reminders, now);
            if (due.isEmpty()) {
                Instant next = SubscriptionReminders.nextAt(s, reminders);
                if (produced == 0 && stale == 0 && next != null && next.isAfter(now)) {
                    try {
                        subscriptions.update(tenant, s, s.toBuilder().changed(now).build(), null, null);
                    } catch (SubscriptionRepository.Stale changed) {
                        // written since the index showed it: that write placed it by the settings
                    }
                }
                return produced;
            }
            var kind = due.get(0);
            var event = SubscriptionReminders.event(Ids.next(Ids.EVENT), tenant, s, kind, now);
            var after = SubscriptionReminders.reminded(s, kind, now);
            String home = Keys.customer(tenant, s.customerId());
            try {
                subscriptions.remind(tenant, s, after, SubscriptionReminders.activity(s, kind, now),
                        new TransactPut(outbox.item(home, event), null));
            } catch (SubscriptionRepository.Stale changed) {
                // the index showed an older version, or another run recorded it first: as it is now
                if (++stale == MAX_WRITE_ATTEMPTS) {
                    return produced;
                }
                var current = subscriptions.find(tenant, s.customerId(), s.id());
                if (current.isEmpty()) {
                    return produced;
                }
                s = current.get();
                continue;
            }
            outbox.publish(home, event, e -> Log.warn("event left in the outbox for the relay",
                    Map.of("tenant", tenant, "event_id", event.id(), "event_type", event.type())));
            produced++;
            s = after;
        }
    }

    private Outcome renewSafely(SubscriptionRepository.Due due, Instant through, Map<String, BillingSettings> settings) {
        try {
            return renew(due.tenantId(), due.subscription(), through,
                    settings.computeIfAbsent(due.tenantId(), billing::settings));
        } catch (ApiException e) {
            if (e.status() < 500 && !"concurrent_update".equals(e.code())) {
                return failed(due, e);
            }
            Log.warn("the processor did not answer a renewal, or its payment kept changing: its claim is resumed by the next run",
                    Map.of("tenant", due.tenantId(), "subscription_id", due.subscription().id(), "code", e.code()));
            return Outcome.PENDING;
        } catch (RuntimeException e) {
            return failed(due, e);
        }
    }

    private static Outcome failed(SubscriptionRepository.Due due, RuntimeException e) {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("tenant", due.tenantId());
        fields.put("subscription_id", due.subscription().id());
        fields.put("customer_id", due.subscription().customerId());
        fields.put("error_type", e.getClass().getName());
        if (e instanceof ApiException problem) {
            fields.put("code", problem.code());
        }
        Log.warn("a due subscription could not be renewed: left for the next run", fields);
        return Outcome.FAILED;
    }

    /**
     * One due subscription, as the index showed it ({@code s}, perhaps a version behind): its claim
     * resumed, or its next period claimed and billed, or its end recorded.
     */
    Outcome renew(String tenant, Subscription s, Instant now, BillingSettings settings) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (s.billing() != null) {
                    // a run died after claiming (perhaps after charging): the same payment id again
                    return charge(tenant, reclaim(tenant, s, now), settings, now, true, true, null, null).outcome();
                }
                if (RenewalRules.periodOver(s, now)) {
                    var ended = s.periodEnded(now);
                    subscriptions.update(tenant, s, ended, SubscriptionRenewalActivities.ended(ended), null);
                    return Outcome.ENDED;
                }
                if (!RenewalRules.paymentDue(s, now)) {
                    return Outcome.SKIPPED;
                }
                // read once: where the period goes (its billing group, as the customer is now), and the charge's payer
                var customer = subscriptions.customer(tenant, s.customerId()).orElse(null);
                if (customer == null) {
                    return customerGone(tenant, s, now);
                }
                if (customer.billingGroupId() != null) {
                    var renewed = s.renewedFor(s.nextPeriod(), now);
                    var line = groups.pending(tenant, customer, s.id(), s.nextPeriod(), renewed.currentPeriodStart(),
                            renewed.currentPeriodEnd(), s.nextAmount(), now);
                    if (line.isPresent()) {
                        // the line commits with the advance: a period is one line, however often it is billed again
                        subscriptions.update(tenant, s, renewed, SubscriptionRenewalActivities.grouped(renewed, s.nextAmount(), line.get(), now),
                                null, customer, line.get().writes());
                        return Outcome.GROUPED;
                    }
                }
                if (s.collection() == Collection.SEND_INVOICE) {
                    var due = s.renewedFor(s.nextPeriod(), now);
                    // the period's invoice, made and finalised once per period (again here after a crash: the same one)
                    invoices.invoicePeriod(tenant, s.customerId(), s.id(), s.nextPeriod(), s.nextAmount(), "Subscription " + s.id()
                            + ", period " + s.nextPeriod() + " (" + due.currentPeriodStart().toString().substring(0, 10) + " to "
                            + due.currentPeriodEnd().toString().substring(0, 10) + ")");
                    subscriptions.update(tenant, s, due, SubscriptionRenewalActivities.paymentDue(due, s.nextAmount(), now), null);
                    return Outcome.INVOICED;
                }
                var claimed = RenewalRules.claimed(s, Ids.next(Ids.PAYMENT), now);
                subscriptions.update(tenant, s, claimed, null, null);
                // a new payment id, just recorded: nothing can have been made under it yet
                return charge(tenant, claimed, settings, now, true, false, null, customer).outcome();
            } catch (SubscriptionRepository.Stale stale) {
                // the index showed an older version, or another run got there first: as it is now
                if (attempt == MAX_WRITE_ATTEMPTS) {
                    return Outcome.SKIPPED;
                }
                var current = subscriptions.find(tenant, s.customerId(), s.id());
                if (current.isEmpty() || (s.billing() == null && current.get().billing() != null)) {
                    return Outcome.SKIPPED;
                }
                s = current.get();
            }
        }
    }

    /**
     * A subscription billed now if its next period is due (a new one without a trial: its first period,
     * so that its first payment shows at once); the renewal run is the backstop when this fails. The
     * subscription as it is after.
     */
    public Subscription billNow(String tenant, Subscription s) {
        Instant now = now();
        if (!RenewalRules.paymentDue(s, now)) {
            return s;
        }
        try {
            renew(tenant, s, now, billing.settings(tenant));
        } catch (RuntimeException e) {
            failed(new SubscriptionRepository.Due(tenant, s), e);
        }
        return subscriptions.find(tenant, s.customerId(), s.id()).orElse(s);
    }

    /** A claim found on the subscription, taken over at its version: of two runs resuming it at once, one goes on. */
    private Subscription reclaim(String tenant, Subscription s, Instant now) {
        var taken = s.toBuilder().billing(new Subscription.Billing(s.billing().period(), s.billing().paymentId(), now))
                .changed(now).build();
        subscriptions.update(tenant, s, taken, null, null);
        return taken;
    }

    /** What charging a claimed period came to, and the payment (null when none was made). */
    private record Charged(Outcome outcome, Subscription after, Payment payment) {
    }

    /**
     * Charges the claimed period of {@code claimed} and records the outcome at the claim's version.
     * {@code scheduled}: a renewal or a scheduled retry (a decline is dunned); false for a retry by hand
     * (a decline releases the claim and leaves the dunning as it was). {@code resumed}: the claim was found
     * (its payment may exist), not just made. {@code key}: the request's, whose completion is written with
     * the outcome (null for a run). The customer is read once, for the charge and for the outcome's figures
     * ({@code read}: as the caller read it just before; null: read here).
     */
    private Charged charge(String tenant, Subscription claimed, BillingSettings settings, Instant now, boolean scheduled,
                           boolean resumed, IdempotentWrite<Billed> key, Customer read) {
        var claim = claimed.billing();
        Money amount = claimed.nextAmount();
        Payment payment;
        String refusal = null;
        Customer payer = null;
        try {
            var command = new ChargeCommand(tenant, claimed.customerId(), new Charge(amount,
                    "Subscription " + claimed.id() + ", period " + claim.period(), claimed.paymentMethodId(), null, null, null, null),
                    PaymentFor.period(claimed.id(), claim.period()));
            IdempotentWrite<Payment> owned = IdempotentWrite.owned(claim.paymentId(), resumed);
            payer = read != null ? read : subscriptions.customer(tenant, claimed.customerId()).orElse(null);
            payment = payer == null ? payments.charge(command, owned) : payments.charge(command, owned, payer);
        } catch (ApiException e) {
            if (!refusedBeforeCharging(e)) {
                // the processor did not answer (the payment stays pending under the claim), or the payment kept
                // changing (another run settling it): resumed next time
                throw e;
            }
            // refused before any money moved (card removed at the erasure, customer gone, another currency): a decline
            Log.warn("a renewal was refused before charging", Map.of("tenant", tenant, "subscription_id", claimed.id(),
                    "code", e.code()));
            payment = null;
            refusal = e.code();
        }
        afterCharge.accept(payment);
        String declineCode = payment != null ? payment.failureCode() : refusal;
        boolean succeeded = payment != null && payment.status() == PaymentStatus.SUCCEEDED;
        var current = claimed;
        for (int attempt = 1; ; attempt++) {
            Subscription after;
            Activity activity = null;
            if (succeeded) {
                after = RenewalRules.paid(current, amount, now);
            } else if (scheduled) {
                after = RenewalRules.declined(current, settings.dunning(), now);
                activity = SubscriptionRenewalActivities.declined(after, claim, declineCode, now);
            } else {
                after = RenewalRules.released(current, now);
                activity = SubscriptionRenewalActivities.retryDeclined(after, claim, declineCode, now);
            }
            try {
                subscriptions.update(tenant, current, after, activity,
                        key == null ? null : key.completion(new Billed(after, payment), after.customerId()), payer);
                return new Charged(succeeded ? Outcome.BILLED : Outcome.DECLINED, after, payment);
            } catch (SubscriptionRepository.Stale stale) {
                // changed since the claim (an extension, a pending change): record against what it is now, if the claim is still ours
                var now2 = subscriptions.find(tenant, current.customerId(), current.id());
                if (now2.isEmpty() || now2.get().billing() == null || !now2.get().billing().paymentId().equals(claim.paymentId())
                        || attempt == MAX_WRITE_ATTEMPTS) {
                    return new Charged(Outcome.SKIPPED, now2.orElse(current), payment);
                }
                current = now2.get();
            }
        }
    }

    /**
     * A due subscription whose customer is deleted: canceled now, with its activity, never charged nor
     * dunned (as a customer's deletion cancels its subscriptions at Stripe). A claim a run left on it, which
     * may hold a payment, is settled first (the claim's resume comes before this).
     */
    private Outcome customerGone(String tenant, Subscription s, Instant now) {
        var canceled = s.canceled(false, now);
        subscriptions.update(tenant, s, canceled, SubscriptionRenewalActivities.customerGone(canceled), null);
        return Outcome.ENDED;
    }

    /**
     * Whether the charge was refused before any money could move, for good: the card removed at the
     * erasure (409 {@code payment_method_removed}), the customer or the card gone (404), an amount the
     * customer cannot be charged (400: another currency). Those are declines; anything else is retried.
     */
    private static boolean refusedBeforeCharging(ApiException e) {
        return e.status() == 400 || e.status() == 404 || "payment_method_removed".equals(e.code());
    }

    // ---- by hand -------------------------------------------------------------------------------------

    /**
     * "Retry failed payment now": a {@code past_due} subscription's open period charged again at once.
     * Paid, it is {@code active} again; declined, it stays as it was (its scheduled retries too). Under
     * the request's {@code Idempotency-Key}, whose claim is the payment's id.
     */
    public Billed retry(String tenant, String subscriptionId, IdempotentWrite<Billed> key) {
        var s = pastDue(tenant, subscriptionId, "retried");
        var claimed = claimFor(tenant, s, key);
        var charged = charge(tenant, claimed, billing.settings(tenant), now(), false, true, key, null);
        if (charged.outcome() == Outcome.SKIPPED) {
            throw new ApiException(409, "concurrent_update", "Conflict",
                    "Subscription " + subscriptionId + " was billed by another request or run while this one ran");
        }
        return new Billed(charged.after(), charged.payment());
    }

    /**
     * "Mark as paid": a {@code past_due} subscription's open period paid outside the processor (a bank
     * transfer, cash, a cheque: {@code method} and {@code reference}), recorded as a payment
     * ({@link PaymentService#recordOffline}), so it is {@code active} again.
     */
    public Billed markPaid(String tenant, String subscriptionId, MarkPaid input, IdempotentWrite<Billed> key) {
        if (input == null) {
            throw ApiException.invalid("method", "is required: {\"method\": \"bank_transfer\", \"reference\": \"…\"}");
        }
        var s = pastDue(tenant, subscriptionId, "marked paid");
        var claimed = claimFor(tenant, s, key);
        var claim = claimed.billing();
        Money amount = claimed.nextAmount();
        Payment payment;
        try {
            payment = payments.recordOffline(new OfflinePaymentCommand(tenant, claimed.customerId(), new OfflinePayment(amount,
                    "Subscription " + claimed.id() + ", period " + claim.period(), input.method(), input.reference()),
                    PaymentFor.period(claimed.id(), claim.period())), IdempotentWrite.owned(claim.paymentId()));
        } catch (ApiException refused) {
            if (refused.status() < 500) {
                subscriptions.update(tenant, claimed, RenewalRules.released(claimed, now()), null, null);
            }
            throw refused;
        }
        afterCharge.accept(payment);
        var after = RenewalRules.paid(claimed, amount, now());
        subscriptions.update(tenant, claimed, after, null, key.completion(new Billed(after, payment), after.customerId()));
        return new Billed(after, payment);
    }

    private Subscription pastDue(String tenant, String subscriptionId, String action) {
        if (!Ids.isValid(Ids.SUBSCRIPTION, subscriptionId)) {
            throw ApiException.notFound("Subscription " + subscriptionId);
        }
        var s = subscriptions.find(tenant, subscriptionId).orElseThrow(() -> ApiException.notFound("Subscription " + subscriptionId));
        if (s.status() != SubscriptionStatus.PAST_DUE) {
            throw new ApiException(409, "invalid_state", "Subscription not past due",
                    "Subscription " + s.id() + " is " + s.status() + " and cannot be " + action
                            + ": only a past_due subscription has a failed payment to settle");
        }
        return s;
    }

    /** The open period claimed under the request's key (its resource id is the payment's), or the claim it made before it died. */
    private Subscription claimFor(String tenant, Subscription s, IdempotentWrite<Billed> key) {
        var claimed = key.claim(() -> Ids.next(Ids.PAYMENT));
        if (s.billing() != null) {
            if (!s.billing().paymentId().equals(claimed.resourceId())) {
                throw new ApiException(409, "billing_in_progress", "Billing in progress",
                        "Subscription " + s.id() + " is being billed for period " + s.billing().period() + " right now; retry in a moment");
            }
            key.started();
            return s;
        }
        var after = RenewalRules.claimed(s, claimed.resourceId(), now());
        try {
            subscriptions.update(tenant, s, after, null, null);
        } catch (SubscriptionRepository.Stale e) {
            throw new ApiException(409, "concurrent_update", "Conflict", "Subscription " + s.id() + " changed while this request ran; try again");
        }
        key.started();
        return after;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Counts, from a page's subscriptions at once. */
    private static final class Tally {
        final AtomicLong billed = new AtomicLong();
        final AtomicLong declined = new AtomicLong();
        final AtomicLong invoiced = new AtomicLong();
        final AtomicLong grouped = new AtomicLong();
        final AtomicLong ended = new AtomicLong();
        final AtomicLong reminded = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong left = new AtomicLong();

        Tally(long left) {
            this.left.set(left);
        }

        void count(Outcome outcome) {
            switch (outcome) {
                case BILLED -> billed.incrementAndGet();
                case DECLINED -> declined.incrementAndGet();
                case INVOICED -> invoiced.incrementAndGet();
                case GROUPED -> grouped.incrementAndGet();
                case ENDED -> ended.incrementAndGet();
                case SKIPPED -> skipped.incrementAndGet();
                case PENDING -> left.incrementAndGet();
                case FAILED -> {
                    failed.incrementAndGet();
                    left.incrementAndGet();
                }
            }
        }

        long handled() {
            return billed.get() + declined.get() + invoiced.get() + grouped.get() + ended.get() + reminded.get();
        }

        Result result(Instant through, boolean continued) {
            return new Result(through, billed.get(), declined.get(), invoiced.get(), grouped.get(), ended.get(), reminded.get(), failed.get(),
                    skipped.get(), left.get(), continued);
        }
    }
}
