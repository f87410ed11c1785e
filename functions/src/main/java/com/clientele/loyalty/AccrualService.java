package com.clientele.loyalty;

import com.clientele.campaigns.CampaignCredit;
import com.clientele.shared.events.Redelivery;
import com.clientele.customers.Customer;
import com.clientele.customers.Referral;
import com.clientele.loyalty.PointsStore.LotChange;
import com.clientele.loyalty.PointsStore.PointsWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.events.PaymentEvent;
import com.clientele.shared.events.Refused;
import com.clientele.shared.events.Refused.Refusal;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Points from payment events. A succeeded charge creates a lot; a refund claws back the payment's
 * share of its lot's points (refund amount / charge amount x lot points, rounded down), from what
 * is left of that lot first, then from the customer's other lots (soonest expiring first), never
 * below zero: what could not be clawed back is recorded as {@code unrecoverable}. A failed payment
 * earns nothing. Each ledger entry (payment, refund) is applied exactly once: its marker, the
 * balance, the lots and the statement line are written in one transaction. The balance is added to,
 * not replaced ({@link PointsStore.PointsWrite#commuting}), so events of one customer never conflict
 * with each other: only the marker (once) and the lots a refund takes from (still holding what was
 * read) are conditions.
 *
 * <p>Referrals: once a succeeded charge of a customer with a pending referral is applied (or found
 * applied already, so that a crash between the two steps is repaired when the event comes again),
 * the referral is settled in a second transaction: a REFERRAL lot and statement line for the
 * referred customer ({@code refereeBonus}) and for the referrer ({@code referrerBonus}), each side
 * its own marker, and the referral marked {@code rewarded} on condition that it is still pending —
 * so whatever the duplicates and races, it pays once. A bonus of 0 writes nothing for its side; a
 * referrer deleted by then gets nothing (the referred customer still gets theirs). A charge paid
 * with a card the referrer has saved (same fingerprint) settles the referral as {@code refused}
 * ({@code same_card}) without a bonus. Bonus lots are earned points: they count in {@code lifetime}
 * and expire after the tenant's lot lifetime, counted from the charge.
 *
 * <p>Campaigns: what the tenant's active campaigns add to a charge ({@link CampaignBonuses}) goes into
 * the charge's lot with its own points, in the same transaction (so exactly once, with the charge's
 * marker), each campaign's part on an EARN line of its own naming the campaign. A refund claws back its
 * share of the whole lot: campaign points go back in the same proportion as the charge's own.
 *
 * <p>Tiers: the extra points of the customer's tier ({@link TierEarning}) go into the same lot and transaction,
 * on a TIER line between the charge's EARN line and the campaigns' lines; the tier's multiplier and the
 * campaigns' rules each count on the charge's own points. Once an entry is applied (or found applied), the
 * customer's tier is looked at again.
 */
public final class AccrualService {

    /** Conflicts (a lot a refund takes from changed meanwhile) are retried this many times, then the event is. */
    static final int MAX_ATTEMPTS = 5;
    /** A transaction holds 100 items: marker, balance, profile, activity, statement line, the refunded lot and the others taken from. */
    static final int MAX_OTHER_LOTS = 90;
    static final String CONSUMER = "points";

    private final PointsStore store;
    private final CampaignBonuses campaigns;
    private final TierEarning tiers;

    /**
     * What campaigns add to a charge of {@code customer} (its profile as the accrual read it) that earns
     * {@code basePoints}, stacked as the tenant's {@code stacking} says.
     */
    @FunctionalInterface
    public interface CampaignBonuses {
        CampaignBonuses NONE = (event, customer, basePoints, stacking) -> List.of();

        List<CampaignCredit> credits(PaymentEvent event, Customer customer, long basePoints, String stacking);
    }

    /** Without campaigns. */
    public AccrualService(PointsStore store) {
        this(store, CampaignBonuses.NONE, TierEarning.NONE);
    }

    /**
     * {@code campaigns}: what the tenant's active campaigns add to a charge; {@code tiers}: the extra points of the
     * customer's tier on what a charge earns, and its tier looked at after each entry.
     */
    public AccrualService(PointsStore store, CampaignBonuses campaigns, TierEarning tiers) {
        this.store = store;
        this.campaigns = campaigns;
        this.tiers = tiers;
    }

    /** What became of an event. */
    public enum Outcome { APPLIED, DUPLICATE, NO_CUSTOMER, IGNORED }

    /**
     * A refund whose charge has not been applied yet (SQS delivers in any order). The message
     * fails, so SQS delivers it again after its visibility timeout, by when the charge's event has
     * normally been applied; a refund whose charge never earned a lot (a charge from before the
     * programme existed) ends in the DLQ after the queue's receive limit, where it can be inspected.
     */
    public static final class ChargeNotYetApplied extends RuntimeException implements Redelivery.Soon {
        ChargeNotYetApplied(String paymentId) {
            super("the lot of " + paymentId + " does not exist yet; the refund will be retried", null, false, false);
        }
    }

    public Outcome apply(PaymentEvent event) {
        event.validate();
        if (event.customerId() == null || PaymentEvent.FAILED.equals(event.type())
                || PaymentEvent.DISPUTED.equals(event.type()) || PaymentEvent.DISPUTE_WON.equals(event.type())) {
            // points are taken back for a dispute only once it is lost
            return Outcome.IGNORED;
        }
        var outcome = applyEntry(event);
        if (outcome != Outcome.NO_CUSTOMER && PaymentEvent.SUCCEEDED.equals(event.type())) {
            settleReferral(event);
        }
        if (outcome != Outcome.NO_CUSTOMER) {
            // after the entry's own transaction (found applied too: a crash between the two is repaired when the event comes again)
            tiers.changed(event.tenantId(), event.customerId());
        }
        return outcome;
    }

    private Outcome applyEntry(PaymentEvent event) {
        for (int attempt = 1; ; attempt++) {
            var customer = store.customer(event.tenantId(), event.customerId());
            if (customer.isEmpty()) {
                return Outcome.NO_CUSTOMER;
            }
            try {
                if (PaymentEvent.SUCCEEDED.equals(event.type())) {
                    earn(event, customer.get());
                } else {
                    clawBack(event);
                }
                return Outcome.APPLIED;
            } catch (Refused e) {
                if (e.why == Refusal.DUPLICATE) {
                    return Outcome.DUPLICATE;
                }
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("the points of " + event.customerId() + " kept changing; the event will be retried");
                }
            }
        }
    }

    private void earn(PaymentEvent e, Customer customer) {
        var settings = store.settings(e.tenantId());
        var balance = store.balance(e.tenantId(), e.customerId());
        long base = settings.pointsFor(e.amount(), e.currency());
        // the tier's multiplier and each campaign's rules count on the charge's own points, not on each other's
        var tier = tiers.bonus(e.tenantId(), e.customerId(), base);
        var credits = campaigns.credits(e, customer, base, settings.campaignStacking());
        long points = credits.stream().mapToLong(CampaignCredit::points)
                .reduce(Math.addExact(base, tier.map(TierEarning.Bonus::points).orElse(0L)), Math::addExact);
        var expiresAt = e.occurredAt().atOffset(ZoneOffset.UTC).plusMonths(settings.lotLifetimeMonths()).toInstant();
        var lot = new Lot(Ids.next(Ids.LOT), points, points, e.occurredAt(), expiresAt, e.storeId(), e.terminalId(),
                e.paymentId(), e.receiptId(), e.amount(), e.currency());
        var lines = new ArrayList<StatementLine>();
        lines.add(new StatementLine(StatementLine.EARN, e.occurredAt(), lot.id(), e.storeId(), e.terminalId(), e.paymentId(),
                null, lot.expiryDate(), base, base, null, null, null));
        long credited = base;
        if (tier.isPresent()) {
            var bonus = tier.get();
            credited += bonus.points();
            lines.add(new StatementLine(StatementLine.TIER, e.occurredAt(), lot.id(), e.storeId(), e.terminalId(), e.paymentId(),
                    null, lot.expiryDate(), bonus.points(), credited, null,
                    "Tier " + bonus.tierName() + " (" + bonus.tierKey() + ") x" + bonus.multiplier().toPlainString(), null));
        }
        for (var credit : credits) {
            credited += credit.points();
            lines.add(new StatementLine(StatementLine.EARN, e.occurredAt(), lot.id(), e.storeId(), e.terminalId(), e.paymentId(),
                    null, lot.expiryDate(), credit.points(), credited, null, null, null, credit.campaignId(), credit.description()));
        }
        // a charge that earns nothing still gets its (empty) lot: its refunds then find it and claw back nothing
        store.apply(e.tenantId(), new PointsWrite(e.customerId(), e.paymentId(), e.id(), balance, balance.earn(lot),
                List.of(new LotChange(null, lot)), lines).commuting().crediting(credits));
    }

    private void clawBack(PaymentEvent e) {
        var balance = store.balance(e.tenantId(), e.customerId());
        var lot = store.lot(e.tenantId(), e.customerId(), e.paymentId()).orElseThrow(() -> new ChargeNotYetApplied(e.paymentId()));
        long due = share(e.amount(), lot);
        long fromLot = Math.min(due, lot.pointsLeft());
        var own = lot.withPointsLeft(lot.pointsLeft() - fromLot);
        var spent = new Spending(List.of(new LotChange(lot, own)), Map.of(lot.expiryDate(), fromLot), fromLot);
        if (due > fromLot) {
            var others = store.lots(e.tenantId(), e.customerId()).stream().filter(l -> !l.id().equals(lot.id())).toList();
            spent = spent.plus(Spending.take(others, due - fromLot, e.occurredAt(), MAX_OTHER_LOTS));
        }
        long lost = due - spent.taken();
        boolean dispute = PaymentEvent.DISPUTE_LOST.equals(e.type());
        var line = new StatementLine(StatementLine.CLAWBACK, e.occurredAt(), lot.id(), lot.storeId(), lot.terminalId(),
                e.paymentId(), e.refundId(), lot.expiryDate(), -spent.taken(), own.pointsLeft(), lost, null, null, null,
                dispute ? "Dispute " + e.disputeId() + " lost" : null);
        store.apply(e.tenantId(), new PointsWrite(e.customerId(), e.entryId(), e.id(), balance, balance.clawBack(spent, lost),
                spent.changes(), List.of(line)).commuting());
    }

    /** The entry (marker, statement line) of one side's referral bonus: the referral's id and the side. */
    static String referralEntry(String referralId, String side) {
        return referralId + ":" + side;
    }

    /** Pays (or refuses) the customer's pending referral, if it has one; retried on conflicts like an entry. */
    private void settleReferral(PaymentEvent e) {
        String tenant = e.tenantId();
        for (int attempt = 1; ; attempt++) {
            var pending = store.referral(tenant, e.customerId()).filter(Referral::isPending);
            if (pending.isEmpty()) {
                return;
            }
            var referral = pending.get();
            try {
                if (e.cardFingerprint() != null && store.holdsCard(tenant, referral.referrerId(), e.cardFingerprint())) {
                    store.settleReferral(tenant, List.of(), referral.refused(e.paymentId(), Referral.SAME_CARD, e.occurredAt()));
                    return;
                }
                var settings = store.settings(tenant);
                boolean referrerLive = store.customer(tenant, referral.referrerId()).isPresent();
                long refereePoints = settings.refereeBonus();
                long referrerPoints = referrerLive ? settings.referrerBonus() : 0;
                var writes = new ArrayList<PointsWrite>();
                if (refereePoints > 0) {
                    writes.add(bonus(e, referral, e.customerId(), "referee", refereePoints, settings));
                }
                if (referrerPoints > 0) {
                    writes.add(bonus(e, referral, referral.referrerId(), "referrer", referrerPoints, settings));
                }
                store.settleReferral(tenant, writes, referral.rewarded(e.paymentId(), refereePoints, referrerPoints,
                        referrerLive ? null : Referral.REFERRER_DELETED, e.occurredAt()));
                return;
            } catch (Refused refused) {
                if (refused.why == Refusal.DUPLICATE) {
                    return;
                }
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("the referral of " + e.customerId() + " kept changing; the event will be retried");
                }
            }
        }
    }

    /** One side's bonus: a lot keyed by the referral, earned when the charge was made, and its REFERRAL line. */
    private PointsWrite bonus(PaymentEvent e, Referral referral, String customerId, String side, long points,
                              LoyaltySettings settings) {
        var balance = store.balance(e.tenantId(), customerId);
        var expiresAt = e.occurredAt().atOffset(ZoneOffset.UTC).plusMonths(settings.lotLifetimeMonths()).toInstant();
        var lot = new Lot(Ids.next(Ids.LOT), points, points, e.occurredAt(), expiresAt, null, null, referral.id(), null, 0, null);
        var line = new StatementLine(StatementLine.REFERRAL, e.occurredAt(), lot.id(), null, null, referral.id(), null,
                lot.expiryDate(), points, points, null, null, null);
        return new PointsWrite(customerId, referralEntry(referral.id(), side), e.id(), balance, balance.earn(lot),
                List.of(new LotChange(null, lot)), List.of(line)).commuting();
    }

    /** The refund's share of the lot's points, rounded down; never more than the lot (a refund is at most its charge). */
    static long share(long refundAmount, Lot lot) {
        if (lot.amount() <= 0 || lot.points() == 0) {
            return 0;
        }
        long amount = Math.min(refundAmount, lot.amount());
        return BigInteger.valueOf(amount).multiply(BigInteger.valueOf(lot.points()))
                .divide(BigInteger.valueOf(lot.amount())).longValueExact();
    }
}
