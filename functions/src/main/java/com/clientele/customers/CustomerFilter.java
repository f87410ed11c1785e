package com.clientele.customers;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What a customers list keeps, as a conjunction of simple conditions on the profile: from the
 * query's filters and its segment, resolved against the tenant's settings and the time now. The
 * repository turns it into a DynamoDB FilterExpression (and, on the LTV index, a key range);
 * {@link #matches} is the same rule in Java, for lists that filter in memory and for each row's
 * {@code segments}. Null means "no condition".
 *
 * <p>Times compare to the second: a window starts at {@code since} truncated to whole seconds,
 * and a stored time counts from its own second. (Stored times are ISO-8601 strings, whose
 * fractions do not sort as strings; comparing to the second is what DynamoDB can do exactly.)
 *
 * @param lastFailedSince  the "at risk" segment: a payment failed since then, or ({@code atRiskDisputes} set) that many
 *                         disputes or more
 * @param atRiskDisputes   with {@code lastFailedSince}: a customer with this many disputes is at risk too
 * @param loyalOrders      the "loyal" segment: at least this many orders, or {@value #LOYAL_SUBSCRIPTIONS}
 *                         subscriptions or more, or a contract extended
 * @param newSince         the "new" segment: a first purchase or a first subscription since then
 * @param activeSubscriptions an active subscription (true) or none (false)
 * @param balanceMin       an outstanding balance of at least this much (minor units)
 * @param balanceMax       an outstanding balance of at most this much (0: none outstanding)
 * @param overdue          some of it overdue (true) or none (false)
 * @param tier             the key of the loyalty tier the customer is in
 * @param none true when the conditions contradict each other: nothing can match
 */
record CustomerFilter(String type, Long ltvMin, Long ltvMax, String currency, Long ordersMin, Long ordersMax,
                      String billingGroupId, Instant lastFailedSince, Long atRiskDisputes, Long loyalOrders, Instant newSince,
                      Boolean activeSubscriptions, Long balanceMin, Long balanceMax, Boolean overdue, String tier, boolean none) {

    static final CustomerFilter ALL = new CustomerFilter(null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, false);
    /** "Several subscriptions" (seed 002's loyal customers). */
    static final int LOYAL_SUBSCRIPTIONS = 2;

    static final String HIGH_VALUE = "high_value";
    static final String AT_RISK = "at_risk";
    static final String LOYAL = "loyal";
    static final String NEW = "new";
    static final String BUSINESS = "business";
    /** In the order rows list them. */
    static final List<String> SEGMENTS = List.of(HIGH_VALUE, AT_RISK, LOYAL, NEW, BUSINESS);

    /** The filter of a list: its own filters and its segment's conditions, all of them. */
    static CustomerFilter of(ListQuery query, SegmentSettings settings, Instant now) {
        var filter = new CustomerFilter(query.type(), query.ltvMin(), query.ltvMax(), query.currency(),
                query.hasPurchases() == null ? null : query.hasPurchases() ? 1L : null,
                query.hasPurchases() == null ? null : query.hasPurchases() ? null : 0L,
                query.billingGroupId(), null, null, null, null, query.hasActiveSubscriptions(),
                max(query.balanceMin(), Boolean.TRUE.equals(query.hasOutstandingBalance()) ? 1L : null),
                Boolean.FALSE.equals(query.hasOutstandingBalance()) ? 0L : null, query.overdue(), query.tier(), false);
        if (filter.balanceMin != null && filter.balanceMax != null && filter.balanceMin > filter.balanceMax) {
            filter = filter.and(new CustomerFilter(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, true));
        }
        return query.segment() == null ? filter : filter.and(segment(query.segment(), settings, now));
    }

    /** The conditions of one segment. */
    static CustomerFilter segment(String segment, SegmentSettings settings, Instant now) {
        return switch (segment) {
            case HIGH_VALUE -> ALL.with(null, settings.highValueLtv().amount(), settings.highValueLtv().currency(), null, null, null);
            case AT_RISK -> atRisk(since(now, settings.atRiskDays()), settings.atRiskDisputes());
            case LOYAL -> ALL.with(null, null, null, null, (long) settings.loyalOrders(), null);
            case NEW -> ALL.with(null, null, null, null, null, since(now, settings.newDays()));
            case BUSINESS -> ALL.with(CustomerType.BUSINESS.value(), null, null, null, null, null);
            default -> throw new IllegalArgumentException("unknown segment " + segment);
        };
    }

    /** The segments a customer is in, in {@link #SEGMENTS} order: the very rules the segment filters apply. */
    static List<String> segmentsOf(Customer customer, SegmentSettings settings, Instant now) {
        return SEGMENTS.stream().filter(s -> segment(s, settings, now).matches(customer)).toList();
    }

    private static Instant since(Instant now, int days) {
        return now.minus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    }

    private CustomerFilter with(String type, Long ltvMin, String currency, Instant lastFailedSince, Long loyalOrders,
                                Instant newSince) {
        return new CustomerFilter(type, ltvMin, null, currency, null, null, null, lastFailedSince, null, loyalOrders, newSince,
                null, null, null, null, null, false);
    }

    private static CustomerFilter atRisk(Instant lastFailedSince, Integer disputes) {
        return new CustomerFilter(null, null, null, null, null, null, null, lastFailedSince, disputes == null ? null : (long) disputes,
                null, null, null, null, null, null, null, false);
    }

    /** Both filters' conditions. */
    CustomerFilter and(CustomerFilter other) {
        boolean contradiction = none || other.none
                || conflict(type, other.type) || conflict(currency, other.currency) || conflict(billingGroupId, other.billingGroupId)
                || conflict(tier, other.tier);
        Long min = max(ltvMin, other.ltvMin);
        Long max = min(ltvMax, other.ltvMax);
        Long ordMin = max(ordersMin, other.ordersMin);
        Long ordMax = min(ordersMax, other.ordersMax);
        Long balMin = max(balanceMin, other.balanceMin);
        Long balMax = min(balanceMax, other.balanceMax);
        contradiction |= min != null && max != null && min > max || ordMin != null && ordMax != null && ordMin > ordMax
                || activeSubscriptions != null && other.activeSubscriptions != null && !activeSubscriptions.equals(other.activeSubscriptions)
                || balMin != null && balMax != null && balMin > balMax
                || overdue != null && other.overdue != null && !overdue.equals(other.overdue);
        return new CustomerFilter(first(type, other.type), min, max, first(currency, other.currency), ordMin, ordMax,
                first(billingGroupId, other.billingGroupId), later(lastFailedSince, other.lastFailedSince),
                atRiskDisputes != null ? atRiskDisputes : other.atRiskDisputes,
                max(loyalOrders, other.loyalOrders), later(newSince, other.newSince),
                activeSubscriptions != null ? activeSubscriptions : other.activeSubscriptions, balMin, balMax,
                overdue != null ? overdue : other.overdue, first(tier, other.tier), contradiction);
    }

    boolean isAll() {
        return equals(ALL);
    }

    boolean matches(Customer c) {
        if (none) {
            return false;
        }
        var stats = c.stats();
        var subscriptions = c.subscriptions();
        long ltv = stats.ltv().amount();
        return (type == null || type.equals(c.type().value()))
                && (ltvMin == null || ltv >= ltvMin)
                && (ltvMax == null || ltv <= ltvMax)
                && (currency == null || currency.equals(stats.ltv().currency()))
                && (ordersMin == null || stats.orders() >= ordersMin)
                && (ordersMax == null || stats.orders() <= ordersMax)
                && (billingGroupId == null || billingGroupId.equals(c.billingGroupId()))
                && (since(stats.lastFailedAt(), lastFailedSince) || atRiskDisputes != null && stats.disputeCount() >= atRiskDisputes)
                && (loyalOrders == null || stats.orders() >= loyalOrders || subscriptions.total() >= LOYAL_SUBSCRIPTIONS
                    || subscriptions.extensions() > 0)
                && (newSince == null || since(stats.firstPurchaseAt(), newSince) || since(subscriptions.firstStartedAt(), newSince))
                && (activeSubscriptions == null || activeSubscriptions == subscriptions.active() > 0)
                && (balanceMin == null || c.balance().outstanding() >= balanceMin)
                && (balanceMax == null || c.balance().outstanding() <= balanceMax)
                && (overdue == null || overdue == c.balance().overdue() > 0)
                && (tier == null || c.tier() != null && tier.equals(c.tier().key()));
    }

    private static boolean since(Instant at, Instant since) {
        return since == null || at != null && !at.truncatedTo(ChronoUnit.SECONDS).isBefore(since);
    }

    private static boolean conflict(String a, String b) {
        return a != null && b != null && !a.equals(b);
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static Long max(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
    }

    private static Long min(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
