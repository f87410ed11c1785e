package com.clientele.analytics;

import com.clientele.shared.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The tenant-wide figures of a customers page, read from the counters the writes keep (one
 * BatchGetItem of the shards), never by scanning customers.
 */
public final class AnalyticsService {

    private final TenantCounters counters;
    private final Clock clock;

    public AnalyticsService(TenantCounters counters, Clock clock) {
        this.counters = counters;
        this.clock = clock;
    }

    /**
     * @param returningCustomersPct customers with 2 orders or more, of those with a purchase
     * @param averageLtv            per currency, over the customers with purchases in it
     * @param averageOrderValue     per currency: gross collected over orders
     * @param paymentFailureRatePct failed charges of all charges attempted
     * @param disputeRatePct        chargebacks of all succeeded charges (warnings not counted)
     * @param activeCustomers       customers with an active subscription (trialing, active or past due);
     *                              {@code inactiveCustomers} the others
     * @param monthlyRecurringRevenue per currency: the active subscriptions' monthly payments
     * @param months                the last 12 months' acquisition, recurring revenue and churn
     */
    public record CustomerAnalytics(long totalCustomers, long newCustomersLast30Days, long customersWithPurchases,
                                    BigDecimal returningCustomersPct, List<Money> averageLtv, List<Money> averageOrderValue,
                                    BigDecimal paymentFailureRatePct, BigDecimal disputeRatePct, List<Distribution> ltvDistribution,
                                    List<MonthCount> newCustomersPerMonth, long activeCustomers, long inactiveCustomers,
                                    List<Money> monthlyRecurringRevenue, List<Month> months) {
    }

    /**
     * One calendar month (UTC).
     *
     * @param acquisitionRatePct      customers created in the month over the customers there were when it began
     * @param subscribed              customers whose first active subscription began (none active before)
     * @param churned                 customers left without an active subscription
     * @param churnRatePct            {@code churned} over the customers with an active subscription when it began
     * @param newRecurringRevenue     per currency: monthly payments added (started, resumed, grown)
     * @param churnedRecurringRevenue per currency: monthly payments lost (ended, canceled, paused, shrunk)
     */
    public record Month(String month, long newCustomers, BigDecimal acquisitionRatePct, long subscribed, long churned,
                        BigDecimal churnRatePct, List<Money> newRecurringRevenue, List<Money> churnedRecurringRevenue) {
    }

    /** Customers with purchases in one currency by LTV; {@code to} is exclusive, null for the last bucket. */
    public record Distribution(String currency, List<Bucket> buckets) {
    }

    public record Bucket(Money from, Money to, long customers) {
    }

    public record MonthCount(String month, long customers) {
    }

    public CustomerAnalytics customers(String tenant) {
        Map<String, Long> c = counters.read(tenant);
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        long newLast30 = 0;
        for (int d = 0; d < 30; d++) {
            newLast30 += c.getOrDefault(TenantCounters.NEW + today.minusDays(d), 0L);
        }
        var months = new ArrayList<MonthCount>();
        YearMonth thisMonth = YearMonth.from(today);
        for (int m = 11; m >= 0; m--) {
            YearMonth month = thisMonth.minusMonths(m);
            String prefix = TenantCounters.NEW + month + "-";
            long created = c.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
            months.add(new MonthCount(month.toString(), created));
        }
        var currencies = new TreeSet<String>();
        c.keySet().stream().filter(k -> k.startsWith(TenantCounters.ORDERS)).forEach(k -> currencies.add(k.substring(TenantCounters.ORDERS.length())));
        var averageLtv = new ArrayList<Money>();
        var averageOrder = new ArrayList<Money>();
        var distributions = new ArrayList<Distribution>();
        long orders = 0;
        for (String currency : currencies) {
            var buckets = new ArrayList<Bucket>();
            long customers = 0;
            for (int b = 0; b < TenantCounters.BUCKETS.length; b++) {
                long n = c.getOrDefault(TenantCounters.BUCKET + currency + "." + b, 0L);
                customers += n;
                buckets.add(new Bucket(new Money(TenantCounters.BUCKETS[b], currency),
                        b + 1 < TenantCounters.BUCKETS.length ? new Money(TenantCounters.BUCKETS[b + 1], currency) : null, n));
            }
            long currencyOrders = c.getOrDefault(TenantCounters.ORDERS + currency, 0L);
            orders += currencyOrders;
            averageLtv.add(new Money(divide(c.getOrDefault(TenantCounters.LTV + currency, 0L), customers), currency));
            averageOrder.add(new Money(divide(c.getOrDefault(TenantCounters.GROSS + currency, 0L), currencyOrders), currency));
            distributions.add(new Distribution(currency, buckets));
        }
        long withPurchases = c.getOrDefault(TenantCounters.WITH_PURCHASES, 0L);
        long failed = c.getOrDefault(TenantCounters.FAILED_PAYMENTS, 0L);
        long total = c.getOrDefault(TenantCounters.CUSTOMERS, 0L);
        long subscribers = c.getOrDefault(TenantCounters.SUBSCRIBERS, 0L);
        return new CustomerAnalytics(total, newLast30, withPurchases,
                percent(c.getOrDefault(TenantCounters.RETURNING, 0L), withPurchases), averageLtv, averageOrder,
                percent(failed, failed + orders), percent(c.getOrDefault(TenantCounters.DISPUTES, 0L), orders), distributions, months, subscribers, total - subscribers,
                perCurrency(c, TenantCounters.MRR), recurring(c, months, total, subscribers));
    }

    /**
     * The months, newest last. What a month began with is worked back from now: the customers and
     * subscribers there are, less what each later month added (deleted customers are not worked back).
     */
    private static List<Month> recurring(Map<String, Long> c, List<MonthCount> created, long customersNow, long subscribersNow) {
        var months = new ArrayList<Month>();
        long customersAfter = customersNow;
        long subscribersAfter = subscribersNow;
        for (int m = created.size() - 1; m >= 0; m--) {
            String month = created.get(m).month();
            long newCustomers = created.get(m).customers();
            long subscribed = c.getOrDefault(TenantCounters.SUBSCRIBED + month, 0L);
            long churned = c.getOrDefault(TenantCounters.CHURNED + month, 0L);
            long customersAtStart = Math.max(0, customersAfter - newCustomers);
            long subscribersAtStart = Math.max(0, subscribersAfter - subscribed + churned);
            months.add(0, new Month(month, newCustomers, percent(newCustomers, customersAtStart), subscribed, churned,
                    percent(churned, subscribersAtStart), perCurrency(c, TenantCounters.MRR_NEW + month + "."),
                    perCurrency(c, TenantCounters.MRR_CHURNED + month + ".")));
            customersAfter = customersAtStart;
            subscribersAfter = subscribersAtStart;
        }
        return months;
    }

    /** The counters named {@code <prefix><currency>}, as amounts, by currency. */
    private static List<Money> perCurrency(Map<String, Long> c, String prefix) {
        return c.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && Money.isCurrency(e.getKey().substring(prefix.length())))
                .map(e -> new Money(e.getValue(), e.getKey().substring(prefix.length())))
                .sorted(java.util.Comparator.comparing(Money::currency)).toList();
    }

    private static long divide(long total, long count) {
        return count == 0 ? 0 : BigDecimal.valueOf(total).divide(BigDecimal.valueOf(count), 0, RoundingMode.HALF_EVEN).longValueExact();
    }

    private static BigDecimal percent(long part, long whole) {
        return whole == 0 ? BigDecimal.ZERO.setScale(1)
                : BigDecimal.valueOf(part * 100).divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_EVEN);
    }
}
