package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.catalogue.Price;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Components;
import com.clientele.shared.Env;
import com.clientele.shared.Table;
import com.clientele.subscriptions.Collection;
import com.clientele.subscriptions.Subscription;
import com.clientele.subscriptions.SubscriptionActivities;
import com.clientele.subscriptions.SubscriptionItems;
import com.clientele.subscriptions.SubscriptionRepository;
import com.clientele.subscriptions.SubscriptionStatus;
import com.clientele.subscriptions.SubscriptionsWiring;
import com.clientele.shared.Ids;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Subscriptions in the table: found by customer and by pointer, listed newest first, written only at the
 * version read, and in the due index (GSI1, sparse) exactly while they have something due, under the
 * day and shard of that time.
 */
class SubscriptionRepositoryTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "sr" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
    private final SubscriptionRepository repository = SubscriptionsWiring.repository(
            Components.from(new Env(cloud.environment("PaymentsFunction"))));
    /** A time no other test's subscriptions are due at: the due index is every tenant's. */
    private final Instant start = Instant.parse("2031-03-31T08:00:00Z").plusMillis(Math.floorMod(tenant.hashCode(), 86_400_000));

    private String customer() {
        String n = String.format("%04d", Math.floorMod(UUID.randomUUID().hashCode(), 10_000));
        var reply = api.post("/customers", """
                {"firstName": "Sam", "lastName": "Sub", "email": "sam%s@example.com", "phone": "+1415550%s"}""".formatted(n, n));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private Subscription subscription(String customerId, int trialDays) {
        var price = new Price(Ids.next(Ids.PRICE), Ids.next(Ids.PRODUCT), null, "USD", 8900, Price.Type.RECURRING,
                new Price.Recurring(Price.Interval.MONTH, 1, 12), 8900L, 90000L, null, Map.of(), true, start, start, 1);
        return Subscription.start(new Subscription.Start(Ids.next(Ids.SUBSCRIPTION), customerId, null, price, 1,
                Collection.SEND_INVOICE, null, null, "SN-9", trialDays), start);
    }

    private boolean indexed(Subscription s, Instant through) {
        var day = LocalDate.ofInstant(s.dueAt() == null ? through : s.dueAt(), ZoneOffset.UTC);
        var page = repository.due(day, SubscriptionItems.shard(s.id()), through, null, 100);
        return page.due().stream().anyMatch(d -> d.subscription().id().equals(s.id()) && d.tenantId().equals(tenant));
    }

    @Test
    void aSubscriptionIsFoundListedAndDueWhileItHasSomethingDue() {
        String customer = customer();
        var first = subscription(customer, 0);
        repository.insert(tenant, first, SubscriptionActivities.started(first), null);
        var trialing = subscription(customer, 14);
        repository.insert(tenant, trialing, SubscriptionActivities.started(trialing), null);

        assertThat(repository.find(tenant, customer, first.id())).contains(first);
        assertThat(repository.find(tenant, first.id())).as("by its pointer").contains(first);
        assertThat(repository.find(tenant, "sub_" + "0".repeat(26))).isEmpty();
        assertThat(repository.find("another" + tenant, first.id())).as("another tenant's").isEmpty();
        var listed = repository.list(tenant, customer, null, 10, null).items().stream().map(SubscriptionRepository::subscription).toList();
        assertThat(listed).extracting(Subscription::id).containsExactly(trialing.id(), first.id());
        assertThat(repository.list(tenant, customer, SubscriptionStatus.TRIALING, 10, null).items()).hasSize(1);

        // due at once: in the index through its time, not before
        assertThat(indexed(first, start)).isTrue();
        assertThat(indexed(first, start.minusMillis(1))).isFalse();
        assertThat(indexed(trialing, start)).as("not due until its trial ends").isFalse();
        assertThat(indexed(trialing, trialing.trialEnd())).isTrue();

        // renewed: due again at the next period's start; paused: out of the index
        var renewed = first.renewedFor(1, start);
        repository.update(tenant, first, renewed, null, null);
        assertThat(indexed(renewed, start)).isFalse();
        assertThat(indexed(renewed, renewed.nextPaymentAt())).isTrue();
        var paused = renewed.paused(start.plus(1, ChronoUnit.DAYS));
        repository.update(tenant, renewed, paused, SubscriptionActivities.started(paused), null);
        assertThat(indexed(paused, renewed.nextPaymentAt().plus(400, ChronoUnit.DAYS))).isFalse();
        try (var dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            var item = dynamo.getItem(r -> r.tableName(cloud.resources().get("Table")).consistentRead(true).key(Map.of(
                    Table.PK, AttributeValue.fromS("T#" + tenant + "#C#" + customer), Table.SK, AttributeValue.fromS("SUB#" + paused.id())))).item();
            assertThat(item).doesNotContainKeys(Table.Index.GSI1.pk(), Table.Index.GSI1.sk(), "costRecovery");
            assertThat(item.get("status").s()).isEqualTo("paused");
        }

        // a write at a version that moved, a second insert of one id: refused
        assertThatThrownBy(() -> repository.update(tenant, renewed, renewed.paused(start), null, null))
                .isInstanceOf(SubscriptionRepository.Stale.class);
        assertThatThrownBy(() -> repository.insert(tenant, first, null, null)).isInstanceOf(SubscriptionRepository.Stale.class);
        assertThat(repository.find(tenant, first.id())).contains(paused);
    }

    @Test
    void aSubscriptionOfACustomerWhoIsNotLiveIsNotWritten() {
        String customer = customer();
        assertThat(api.delete("/customers/" + customer).status()).isEqualTo(204);
        var s = subscription(customer, 0);
        assertThatThrownBy(() -> repository.insert(tenant, s, null, null)).isInstanceOf(SubscriptionRepository.Stale.class);
        assertThat(repository.find(tenant, s.id())).isEmpty();
    }
}
