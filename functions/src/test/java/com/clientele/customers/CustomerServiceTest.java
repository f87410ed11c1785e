package com.clientele.customers;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.shared.Json;
import com.clientele.shared.Money;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerServiceTest {

    @Test
    void mergePatchFollowsRfc7396() throws Exception {
        var target = Json.MAPPER.readTree("{\"a\": \"b\", \"c\": {\"d\": \"e\", \"f\": \"g\"}, \"list\": [1, 2]}");
        var patch = Json.MAPPER.readTree("{\"a\": \"z\", \"c\": {\"f\": null}, \"list\": [3], \"n\": {\"x\": 1}}");
        assertThat(com.clientele.shared.http.MergePatch.apply(target, patch))
                .isEqualTo(Json.MAPPER.readTree("{\"a\": \"z\", \"c\": {\"d\": \"e\"}, \"list\": [3], \"n\": {\"x\": 1}}"));
        assertThat(target.path("c").has("f")).as("the target is not modified").isTrue();
    }

    @Test
    void searchPrefixesAreLowerCaseAndPhoneSearchesAreDigits() {
        assertThat(CustomerService.searchPrefix("  Ada LOVE ")).isEqualTo("ada love");
        assertThat(CustomerService.searchPrefix("+44 (20) 7123")).isEqualTo("44207123");
        assertThat(CustomerService.searchPrefix("...")).isEqualTo("...");
        assertThat(CustomerService.searchPrefix(" - ")).isEqualTo("-");
    }

    @Test
    void pageSummaryAveragesOverTheCustomersOfThePage() {
        var rows = List.of(
                customer(new Money(214_200, "USD"), 19, new Money(0, "USD")),
                customer(new Money(10_000, "USD"), 1, new Money(5_000, "USD")),
                customer(new Money(0, null), 0, new Money(0, null)));
        var summary = PageSummary.of(rows);
        assertThat(summary.customers()).isEqualTo(3);
        assertThat(summary.returningCustomersPct()).isEqualByComparingTo("33.3");
        assertThat(summary.averageLtv()).containsExactly(new Money(74_733, "USD"));
        assertThat(summary.averageSpent()).containsExactly(new Money(76_400, "USD"));
        assertThat(PageSummary.of(List.of()).customers()).isZero();
    }

    private static Customer customer(Money ltv, long orders, Money refunded) {
        var stats = new CustomerStats(ltv, orders, Money.zero(ltv.currency()), null, null, null, refunded, 0, null, orders >= 2);
        return Customer.builder().id("cus_X").type(CustomerType.INDIVIDUAL).firstName("A").lastName("B").email("a@b.example")
                .phone("+14155550100").currency(ltv.currency()).stats(stats).createdAt(Instant.EPOCH).updatedAt(Instant.EPOCH).build();
    }
}
