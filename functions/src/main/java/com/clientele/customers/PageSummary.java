package com.clientele.customers;

import com.clientele.shared.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The four indicators of a customers page, over the rows of that page: how many customers, the
 * share of them with two orders or more, and per currency the average spent (gross, before
 * refunds) and the average LTV (net), each divided by all the customers on the page. Amounts are
 * rounded half-even to minor units.
 */
public record PageSummary(int customers, BigDecimal returningCustomersPct, List<Money> averageSpent,
                          List<Money> averageLtv) {

    static PageSummary of(List<Customer> rows) {
        int n = rows.size();
        long returning = rows.stream().filter(c -> c.stats().orders() >= 2).count();
        var spent = new TreeMap<String, Long>();
        var ltv = new TreeMap<String, Long>();
        for (var c : rows) {
            var stats = c.stats();
            String currency = stats.ltv().currency();
            if (currency != null) {
                long refunded = stats.refunded() == null ? 0 : stats.refunded().amount();
                spent.merge(currency, stats.ltv().amount() + refunded, Long::sum);
                ltv.merge(currency, stats.ltv().amount(), Long::sum);
            }
        }
        BigDecimal pct = n == 0 ? BigDecimal.ZERO.setScale(1)
                : BigDecimal.valueOf(returning * 100).divide(BigDecimal.valueOf(n), 1, RoundingMode.HALF_EVEN);
        return new PageSummary(n, pct, averages(spent, n), averages(ltv, n));
    }

    private static List<Money> averages(Map<String, Long> totals, int n) {
        var result = new ArrayList<Money>();
        totals.forEach((currency, total) -> result.add(new Money(BigDecimal.valueOf(total)
                .divide(BigDecimal.valueOf(n), 0, RoundingMode.HALF_EVEN).longValueExact(), currency)));
        return result;
    }
}
