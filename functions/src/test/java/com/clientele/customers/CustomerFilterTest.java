package com.clientele.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.shared.Money;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.ApiRequest;
import com.clientele.shared.http.FieldError;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The list filters and segment rules: parsing, combining, and the same rule in Java and in DynamoDB terms. */
class CustomerFilterTest {

    private static final Instant NOW = Instant.parse("2026-03-31T12:00:00.250Z");
    private static final SegmentSettings SETTINGS = SegmentSettings.DEFAULTS;

    private static ListQuery query(String... pairs) {
        var query = new HashMap<String, String>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.put(pairs[i], pairs[i + 1]);
        }
        return ListQuery.from(new ApiRequest("GET /customers", "GET", "/customers", Map.of(), query, Map.of(), null,
                "t", "u", "r", Set.of()));
    }

    private static List<String> fieldsOf(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            return e.errors().stream().map(FieldError::field).toList();
        }
        throw new AssertionError("no 400");
    }

    private static Customer customer(String type, long ltv, String currency, long orders, Instant first, Instant failed,
                                     String billingGroupId) {
        var stats = new CustomerStats(new Money(ltv, currency), orders, Money.zero(currency), first, first, null,
                Money.zero(currency), failed == null ? 0 : 1, failed, orders >= 2);
        return Customer.builder().id("cus_X").type(CustomerType.of(type)).firstName("A").lastName("B").email("a@b.example").phone("+14155550100")
                .billingGroupId(billingGroupId).currency(currency).stats(stats).createdAt(Instant.EPOCH).updatedAt(Instant.EPOCH).build();
    }

    @Test
    void everyBadParameterIsA400NamingIt() {
        assertThat(fieldsOf(() -> query("ltvMin", "-1"))).containsExactly("ltvMin");
        assertThat(fieldsOf(() -> query("ltvMax", "1.5"))).containsExactly("ltvMax");
        assertThat(fieldsOf(() -> query("ltvMin", "99999999999999999999"))).containsExactly("ltvMin");
        assertThat(fieldsOf(() -> query("ltvMin", "500", "ltvMax", "100"))).containsExactly("ltvMax");
        assertThat(fieldsOf(() -> query("segment", "vip"))).containsExactly("segment");
        assertThat(fieldsOf(() -> query("hasPurchases", "yes"))).containsExactly("hasPurchases");
        assertThat(fieldsOf(() -> query("billingGroupId", " "))).containsExactly("billingGroupId");
        assertThat(fieldsOf(() -> query("currency", "XYZ"))).containsExactly("currency");
        assertThat(query("currency", "eur").currency()).isEqualTo("EUR");
        var request = new ApiRequest("GET /customers/top", "GET", "/customers/top", Map.of(), Map.of("cursor", "x"),
                Map.of(), null, "t", "u", "r", Set.of());
        assertThat(fieldsOf(() -> ListQuery.topLimit(request))).containsExactly("cursor");
    }

    @Test
    void cursorsAreBoundToEveryFilter() {
        assertThat(query("ltvMin", "1").scope()).isNotEqualTo(query("ltvMin", "2").scope());
        assertThat(query("segment", "loyal").scope()).isNotEqualTo(query("segment", "new").scope());
        assertThat(query("hasPurchases", "true").scope()).isNotEqualTo(query("hasPurchases", "false").scope());
        assertThat(query("billingGroupId", "a").scope()).isNotEqualTo(query().scope());
    }

    @Test
    void segmentsFollowTheSettingsAndTheClock() {
        Instant recent = NOW.minusSeconds(86_400);
        Instant old = NOW.minusSeconds(40L * 86_400);
        var whale = customer("business", 150_000, "USD", 5, old, recent, null);
        var newcomer = customer("individual", 900, "USD", 1, recent, old, null);
        var euro = customer("individual", 150_000, "EUR", 2, old, null, null);
        assertThat(CustomerFilter.segmentsOf(whale, SETTINGS, NOW)).containsExactly("high_value", "at_risk", "loyal", "business");
        assertThat(CustomerFilter.segmentsOf(newcomer, SETTINGS, NOW)).containsExactly("new");
        assertThat(CustomerFilter.segmentsOf(euro, SETTINGS, NOW)).as("the threshold is in USD").isEmpty();
        var euros = new SegmentSettings(new Money(100_000, "EUR"), 30, 2, 30, null);
        assertThat(CustomerFilter.segmentsOf(euro, euros, NOW)).containsExactly("high_value", "loyal");
    }

    @Test
    void windowsStartAtTheWholeSecondThirtyDaysAgo() {
        Instant cutoff = Instant.parse("2026-03-01T12:00:00Z");
        var inside = customer("individual", 0, null, 0, null, cutoff.plusMillis(999), null);
        var sameSecond = customer("individual", 0, null, 0, null, cutoff.plusMillis(10), null);
        var before = customer("individual", 0, null, 0, null, cutoff.minusMillis(1), null);
        var filter = CustomerFilter.segment("at_risk", SETTINGS, NOW);
        assertThat(filter.lastFailedSince()).isEqualTo(cutoff);
        assertThat(filter.matches(inside)).isTrue();
        assertThat(filter.matches(sameSecond)).isTrue();
        assertThat(filter.matches(before)).isFalse();
        var expression = CustomerRepository.filterExpression(filter, false);
        assertThat(expression.expression()).isEqualTo("#stats.#lastFailedAt >= :lastFailedSince");
        assertThat(expression.expressionValues().get(":lastFailedSince").s()).isEqualTo("2026-03-01T12:00:00");
        // the same order on the stored strings
        assertThat("2026-03-01T12:00:00.010Z").isGreaterThan("2026-03-01T12:00:00");
        assertThat("2026-03-01T11:59:59.999Z").isLessThan("2026-03-01T12:00:00");
    }

    @Test
    void aTenantMayCountDisputesInTheAtRiskSegment() {
        var quiet = customer("individual", 5_000, "USD", 1, NOW.minus(400, ChronoUnit.DAYS), null, null);
        var s = quiet.stats();
        var disputed = quiet.toBuilder().stats(new CustomerStats(s.ltv(), s.orders(), s.averageOrderValue(), s.firstPurchaseAt(),
                s.lastPurchaseAt(), s.lastOrderValue(), s.refunded(), s.failedPayments(), s.lastFailedAt(), s.returning(), 2L,
                new Money(1_000, "USD"))).build();
        assertThat(CustomerFilter.segmentsOf(disputed, SETTINGS, NOW)).as("off by default").doesNotContain("at_risk");
        var counting = new SegmentSettings(SETTINGS.highValueLtv(), SETTINGS.atRiskDays(), 2, SETTINGS.loyalOrders(), SETTINGS.newDays(),
                null, null);
        assertThat(CustomerFilter.segmentsOf(disputed, counting, NOW)).contains("at_risk");
        assertThat(CustomerFilter.segmentsOf(quiet, counting, NOW)).doesNotContain("at_risk");
        var stricter = new SegmentSettings(SETTINGS.highValueLtv(), SETTINGS.atRiskDays(), 3, SETTINGS.loyalOrders(), SETTINGS.newDays(),
                null, null);
        assertThat(CustomerFilter.segmentsOf(disputed, stricter, NOW)).doesNotContain("at_risk");
        var expression = CustomerRepository.filterExpression(CustomerFilter.segment("at_risk", counting, NOW), false);
        assertThat(expression.expression()).contains("#lastFailedAt >= :lastFailedSince").contains(" OR ")
                .contains("#disputeCount >= :atRiskDisputes");
        assertThat(expression.expressionValues().get(":atRiskDisputes").n()).isEqualTo("2");
    }

    @Test
    void filtersCombineAndContradictionsMatchNothing() {
        var filter = CustomerFilter.of(query("ltvMin", "500", "segment", "high_value", "hasPurchases", "true",
                "billingGroupId", "bg_1"), SETTINGS, NOW);
        assertThat(filter.ltvMin()).isEqualTo(100_000);
        assertThat(filter.currency()).isEqualTo("USD");
        assertThat(filter.ordersMin()).isEqualTo(1);
        assertThat(filter.none()).isFalse();
        var onLtvIndex = CustomerRepository.filterExpression(filter, true).expression();
        assertThat(onLtvIndex).doesNotContain("#amount").contains("#currency = :currency").contains("#billingGroupId = :billingGroupId");
        assertThat(CustomerRepository.filterExpression(filter, false).expression()).contains("#stats.#ltv.#amount >= :ltvMin");

        assertThat(CustomerFilter.of(query("type", "individual", "segment", "business"), SETTINGS, NOW).none()).isTrue();
        assertThat(CustomerFilter.of(query("ltvMax", "10", "segment", "high_value"), SETTINGS, NOW).none()).isTrue();
        assertThat(CustomerFilter.of(query("hasPurchases", "false", "segment", "loyal"), SETTINGS, NOW).none())
                .as("loyal is also several subscriptions, without a purchase").isFalse();
        assertThat(CustomerFilter.of(query("hasActiveSubscriptions", "false"), SETTINGS, NOW)
                .and(CustomerFilter.of(query("hasActiveSubscriptions", "true"), SETTINGS, NOW)).none()).isTrue();
        assertThat(CustomerFilter.of(query("currency", "EUR", "segment", "high_value"), SETTINGS, NOW).none()).isTrue();
        assertThat(CustomerFilter.of(query(), SETTINGS, NOW).isAll()).isTrue();
        assertThat(CustomerRepository.filterExpression(CustomerFilter.ALL, false)).isNull();
    }

    @Test
    void subscriptionsMakeCustomersLoyalNewAndActive() {
        var noPurchases = customer("individual", 0, "USD", 0, null, null, null);
        var share = new SubscriptionFigures.Share(true, new Money(8900, "USD"), Money.zero("USD"), 0, NOW.minusSeconds(86_400));
        var subscriber = noPurchases.toBuilder().subscriptions(SubscriptionFigures.NONE.change(null, share)).build();
        var twoEnded = noPurchases.toBuilder().subscriptions(SubscriptionFigures.NONE
                .change(null, new SubscriptionFigures.Share(false, new Money(8900, "USD"), Money.zero("USD"), 0, Instant.EPOCH))
                .change(null, new SubscriptionFigures.Share(false, new Money(100, "USD"), Money.zero("USD"), 0, Instant.EPOCH))).build();
        var extended = noPurchases.toBuilder().subscriptions(SubscriptionFigures.NONE
                .change(null, new SubscriptionFigures.Share(true, new Money(8900, "USD"), Money.zero("USD"), 1, Instant.EPOCH))).build();

        assertThat(CustomerFilter.segmentsOf(noPurchases, SETTINGS, NOW)).isEmpty();
        assertThat(CustomerFilter.segmentsOf(subscriber, SETTINGS, NOW)).as("first subscription a day ago").containsExactly("new");
        assertThat(CustomerFilter.segmentsOf(twoEnded, SETTINGS, NOW)).as("two subscriptions, long ago").containsExactly("loyal");
        assertThat(CustomerFilter.segmentsOf(extended, SETTINGS, NOW)).as("a contract extended").containsExactly("loyal");

        var active = CustomerFilter.of(query("hasActiveSubscriptions", "true"), SETTINGS, NOW);
        assertThat(active.matches(subscriber)).isTrue();
        assertThat(active.matches(twoEnded)).isFalse();
        var inactive = CustomerFilter.of(query("hasActiveSubscriptions", "false"), SETTINGS, NOW);
        assertThat(inactive.matches(noPurchases)).isTrue();
        assertThat(CustomerRepository.filterExpression(inactive, false).expression())
                .as("a profile written before subscriptions existed has none active")
                .isEqualTo("(#subscriptions.#active = :noneActive OR attribute_not_exists(#subscriptions))");
        assertThat(CustomerRepository.filterExpression(CustomerFilter.of(query("segment", "loyal"), SETTINGS, NOW), false).expression())
                .isEqualTo("(#stats.#orders >= :loyalOrders OR #subscriptions.#total >= :loyalSubscriptions"
                        + " OR #subscriptions.#extensions > :noExtension)");
        assertThat(fieldsOf(() -> query("hasActiveSubscriptions", "yes"))).containsExactly("hasActiveSubscriptions");
        assertThat(query("sort", "-subscriptions").sort()).isEqualTo("-subscriptions");
    }

    @Test
    void segmentSettingsAreCheckedFieldByField() {
        var good = new SegmentSettings.Input(new SegmentSettings.AmountInput(50_000L, "EUR"), 14, null, 5, 7);
        assertThat(SegmentSettings.of(good, NOW).highValueLtv()).isEqualTo(new Money(50_000, "EUR"));
        assertThat(SegmentSettings.of(good, NOW).atRiskDisputes()).isNull();
        assertThatThrownBy(() -> SegmentSettings.of(new SegmentSettings.Input(
                new SegmentSettings.AmountInput(0L, "usd"), 0, 1_001, null, 366), NOW))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("highValueLtv.amount", "highValueLtv.currency", "atRiskDays", "atRiskDisputes", "loyalOrders",
                                "newDays"));
        assertThatThrownBy(() -> SegmentSettings.of(new SegmentSettings.Input(null, 1, 0, 1, 1), NOW))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("highValueLtv", "atRiskDisputes"));
    }
}
