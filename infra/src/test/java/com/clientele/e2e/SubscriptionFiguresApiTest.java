package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomersWiring;
import com.clientele.customers.SubscriptionFigures.Share;
import com.clientele.shared.Components;
import com.clientele.shared.Money;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A subscription's change as the customers page sees it, on the real table: the profile's figures,
 * the list's filter and sort, the segments and the tenant's recurring-revenue analytics, all from
 * the profile update and counters a subscription write carries in its transaction.
 */
class SubscriptionFiguresApiTest {

    @Test
    void subscriptionChangesShowOnTheProfileTheListAndTheAnalytics() {
        var cloud = TestCloud.embedded();
        String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        var api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
        String subscriber = customer(api, "sub");
        String former = customer(api, "former");
        String older = customer(api, "older");
        var customers = CustomersWiring.repository(Components.from(cloud.environment("CustomersFunction")));
        Instant now = Instant.now();
        var first = new Share(true, new Money(8900, "USD"), new Money(8900, "USD"), 0, now);
        var second = new Share(true, new Money(12900, "USD"), new Money(12900, "USD"), 0, now);
        change(customers, tenant, subscriber, null, first, now);
        change(customers, tenant, subscriber, null, second, now);
        var formerShare = new Share(true, new Money(5000, "USD"), Money.zero("USD"), 0, now);
        change(customers, tenant, former, null, formerShare, now);
        change(customers, tenant, former, formerShare, new Share(false, new Money(5000, "USD"), Money.zero("USD"), 0, now), now);
        // a profile written before subscriptions existed carries no figures at all
        try (var dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            dynamo.updateItem(r -> r.tableName(cloud.resources().get("Table"))
                    .key(Map.of("PK", AttributeValue.fromS("T#" + tenant + "#C#" + older), "SK", AttributeValue.fromS("PROFILE")))
                    .updateExpression("REMOVE subscriptions, GSI6PK, GSI6SK"));
        }

        JsonNode figures = api.get("/customers/" + subscriber).json().path("subscriptions");
        assertThat(figures.path("active").asInt()).isEqualTo(2);
        assertThat(figures.path("total").asInt()).isEqualTo(2);
        assertThat(figures.path("activeMonthlyIncome").path("amount").asLong()).isEqualTo(21800);
        assertThat(figures.path("averageSubscriptionValue").path("amount").asLong()).isEqualTo(10900);
        assertThat(api.get("/customers/" + older).json().path("subscriptions").path("total").asInt()).isZero();

        assertThat(ids(api.get("/customers?hasActiveSubscriptions=true"))).containsExactly(subscriber);
        assertThat(ids(api.get("/customers?hasActiveSubscriptions=false"))).containsExactlyInAnyOrder(former, older);
        assertThat(ids(api.get("/customers?sort=-subscriptions"))).as("most subscriptions first; the unwritten profile is not in GSI6")
                .containsExactly(subscriber, former);
        JsonNode row = api.get("/customers?hasActiveSubscriptions=true").json().path("data").get(0);
        assertThat(row.path("activeSubscriptions").asInt()).isEqualTo(2);
        assertThat(row.path("activeMonthlyIncome").path("amount").asLong()).isEqualTo(21800);
        assertThat(row.path("segments").toString()).contains("loyal").contains("new");
        assertThat(ids(api.get("/customers?segment=loyal"))).containsExactly(subscriber);

        JsonNode analytics = api.get("/analytics/customers").json();
        assertThat(analytics.path("activeCustomers").asLong()).isEqualTo(1);
        assertThat(analytics.path("inactiveCustomers").asLong()).isEqualTo(2);
        assertThat(analytics.path("monthlyRecurringRevenue").get(0).path("amount").asLong()).isEqualTo(21800);
        JsonNode month = analytics.path("months").get(11);
        assertThat(month.path("subscribed").asLong()).isEqualTo(2);
        assertThat(month.path("churned").asLong()).isEqualTo(1);
        assertThat(month.path("newRecurringRevenue").get(0).path("amount").asLong()).isEqualTo(8900 + 12900 + 5000);
        assertThat(month.path("churnedRecurringRevenue").get(0).path("amount").asLong()).isEqualTo(5000);

        // a change computed from a profile that moved since is refused whole: no figures, no counters
        var stale = customers.find(tenant, subscriber).orElseThrow();
        change(customers, tenant, subscriber, null, first, now);
        assertThatThrownBy(() -> customers.write(List.of(), customers.subscriptionChanged(tenant, stale, null, first, now)))
                .isInstanceOf(TransactionCanceledException.class);
        assertThat(api.get("/customers/" + subscriber).json().path("subscriptions").path("total").asInt()).isEqualTo(3);
        assertThat(api.get("/analytics/customers").json().path("monthlyRecurringRevenue").get(0).path("amount").asLong())
                .isEqualTo(21800 + 8900);
    }

    @Test
    void aMergedDuplicatesFiguresJoinThePrimarysAndTheRecurringRevenueStaysWhatItWas() {
        var cloud = TestCloud.embedded();
        String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        var api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
        String primary = customer(api, "primary");
        String duplicate = customer(api, "secondcopy"); // a name no log line holds as a word (the log scan looks for it)
        var customers = CustomersWiring.repository(Components.from(cloud.environment("CustomersFunction")));
        Instant now = Instant.now();
        change(customers, tenant, primary, null, new Share(true, new Money(8900, "USD"), new Money(8900, "USD"), 0, now), now);
        change(customers, tenant, duplicate, null, new Share(true, new Money(12900, "USD"), new Money(12900, "USD"), 1, now), now);

        var merged = api.post("/customers/" + primary + "/merge", "{\"duplicateId\": \"" + duplicate + "\"}");
        assertThat(merged.status()).as(merged.text()).isEqualTo(200);

        JsonNode figures = api.get("/customers/" + primary).json().path("subscriptions");
        assertThat(figures.path("active").asInt()).isEqualTo(2);
        assertThat(figures.path("total").asInt()).isEqualTo(2);
        assertThat(figures.path("extensions").asInt()).isEqualTo(1);
        assertThat(figures.path("activeMonthlyIncome").path("amount").asLong()).isEqualTo(21800);
        JsonNode analytics = api.get("/analytics/customers").json();
        assertThat(analytics.path("activeCustomers").asLong()).isEqualTo(1);
        assertThat(analytics.path("monthlyRecurringRevenue").get(0).path("amount").asLong()).isEqualTo(21800);
        assertThat(ids(api.get("/customers?sort=-subscriptions"))).containsExactly(primary);
    }

    private static void change(CustomerRepository customers, String tenant, String customerId, Share was, Share now, Instant at) {
        var before = customers.find(tenant, customerId).orElseThrow();
        customers.write(List.of(), customers.subscriptionChanged(tenant, before, was, now, at));
    }

    private static String customer(Api api, String name) {
        var created = api.post("/customers", """
                {"firstName": "%s", "lastName": "Figures", "email": "%s@example.com", "phone": "+1415555%04d"}"""
                .formatted(name, name, Math.abs(name.hashCode()) % 10_000));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private static List<String> ids(Api.Reply reply) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        var ids = new java.util.ArrayList<String>();
        reply.json().path("data").forEach(r -> ids.add(r.path("id").asText()));
        return ids;
    }
}
