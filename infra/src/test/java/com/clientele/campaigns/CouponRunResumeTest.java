package com.clientele.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.customers.CustomersWiring;
import com.clientele.e2e.Api;
import com.clientele.e2e.TestCloud;
import com.clientele.local.LocalCloud;
import com.clientele.shared.Components;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Keys;
import com.clientele.shared.Table;
import com.clientele.shared.jobs.JobMetrics;
import com.clientele.shared.jobs.JobStatus;
import com.clientele.shared.jobs.StepRunner;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A coupon run worked by the worker's runner in this JVM against the local cloud's table, with the messages
 * it sends captured, so that the test decides when each step runs: a budget so small that each step works one
 * page (five customers) and hands over, a step delivered twice, customers given their coupon by a delivery
 * that died before recording its page, one given one by hand, and a damaged customer record. Every customer
 * ends with exactly one coupon of the campaign, the counters are exact, and the run holds its campaign's
 * lock until it is over. (Same package as the runner, for its seams.)
 */
class CouponRunResumeTest {

    private static final int CUSTOMERS = 12;
    private final LocalCloud cloud = TestCloud.embedded();
    private final Components components = Components.from(cloud.environment("CouponRunWorkerFunction"));
    private final String tenant = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
    private final List<CouponRunMessage> sent = Collections.synchronizedList(new ArrayList<>());
    private final CouponRunQueue queue = new CouponRunQueue(null, null) {
        @Override
        public void send(CouponRunMessage message) {
            sent.add(message);
        }
    };

    @Test
    void aRunOfManyStepsRedeliveredAndDyingMidPageGivesEveryCustomerOneCoupon() {
        var ids = new ArrayList<String>();
        for (int i = 0; i < CUSTOMERS; i++) {
            var made = api.post("/customers", """
                    {"firstName": "Ana", "lastName": "Ruiz", "email": "ana%d-%s@example.com", "phone": "+14155550%03d"}"""
                    .formatted(i, tenant, i));
            assertThat(made.status()).as(made.toString()).isEqualTo(201);
            ids.add(made.json().path("id").asText());
        }
        damagedRecord(ids.get(0));
        var created = api.send("POST", "/campaigns", """
                {"name": "Everyone", "startsAt": "2020-01-01T00:00:00Z", "coupon": {"type": "free_points", "points": 50}}""",
                "Idempotency-Key", UUID.randomUUID().toString());
        String campaignId = created.json().path("id").asText();
        String byHand = ids.get(1);
        assertThat(api.send("POST", "/campaigns/" + campaignId + "/coupons", "{\"customerId\": \"" + byHand + "\"}",
                "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(201);

        var campaigns = CampaignWiring.repository(components);
        var runs = CampaignWiring.couponRunRepository(components);
        var coupons = CampaignWiring.coupons(components);
        var service = new CouponRunService(campaigns, runs, queue, components.cursors(), components.clock());
        var run = service.start(new CouponRunService.NewRun(tenant, campaignId, "alice"), IdempotentWrite.owned(Ids.next(Ids.COUPON_RUN), false));
        assertThat(sent).hasSize(1);

        // one run of a campaign at a time: the API names the unfinished one
        var second = api.send("POST", "/campaigns/" + campaignId + "/coupon-runs", null, "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(second.status()).as(second.toString()).isEqualTo(409);
        assertThat(second.json().path("code").asText()).isEqualTo("coupon_run_in_progress");
        assertThat(second.json().path("runId").asText()).isEqualTo(run.id());

        // a delivery of this run that died before recording its page had given two customers their coupons
        var campaign = campaigns.find(tenant, campaignId).orElseThrow();
        for (String id : List.of(ids.get(5), ids.get(9))) {
            Instant now = Instant.now();
            var coupon = new Coupon(CouponRules.generate(new SecureRandom()), campaignId, id, campaign.coupon(), 0, now);
            assertThat(coupons.give(tenant, coupon, new CustomerCoupon(coupon.code(), campaignId, campaign.coupon(), true, now, 0,
                    null, null, null, null, null), run.id())).isEqualTo(CouponRepository.Gift.MADE);
        }

        var metrics = new JobMetrics(components.metrics(), JobMetrics.COUPON_RUN);
        var runner = new StepRunner<>(CouponRunMessage.class, new CouponRunner(runs, campaigns, coupons,
                CustomersWiring.service(components)::customers, components.clock(), new SecureRandom(), 5, metrics),
                queue, new StepRunner.Settings(1, 0, 5), metrics);
        int deliveries = 0;
        long steps = 0;
        while (!sent.isEmpty()) {
            var message = sent.remove(0);
            runner.run(message, 1, () -> false);
            deliveries++;
            steps = Math.max(steps, message.step());
            if (message.step() == 1 && deliveries < 10) {
                runner.run(message, 2, () -> false); // delivered again: finds its step taken, sends the next again
                deliveries++;
            }
            var now = runs.find(tenant, campaignId, run.id()).orElseThrow();
            if (!now.finished()) {
                assertThat(runs.holder(tenant, campaignId)).as("the lock, while it runs").contains(run.id());
            }
            assertThat(deliveries).as("the run ends").isLessThan(40);
        }
        assertThat(steps).as("a page per step: 13 customers, 5 a page").isEqualTo(2);

        var done = runs.find(tenant, campaignId, run.id()).orElseThrow().run();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.customersSeen()).isEqualTo(CUSTOMERS + 1);
        assertThat(done.couponsMade()).isEqualTo(CUSTOMERS - 1);
        assertThat(done.skipped()).isEqualTo(1);
        assertThat(done.failed()).as("the damaged record").isEqualTo(1);
        assertThat(runs.holder(tenant, campaignId)).as("the lock, once it is over").isEmpty();
        for (String id : ids) {
            var mine = api.get("/customers/" + id + "/coupons").json().path("data");
            assertThat(mine).as(id).hasSize(1);
            assertThat(mine.get(0).path("campaignId").asText()).isEqualTo(campaignId);
            assertThat(mine.get(0).path("terms").path("points").asLong()).isEqualTo(50);
        }
        var shown = api.get("/campaigns/" + campaignId + "/coupon-runs/" + run.id()).json();
        assertThat(shown.path("couponsMade").asLong()).isEqualTo(CUSTOMERS - 1);

        // over: another run may start (and makes no coupon: everyone has one)
        var third = api.send("POST", "/campaigns/" + campaignId + "/coupon-runs", null, "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(third.status()).as(third.toString()).isEqualTo(202);
    }

    /**
     * A copy of a customer's profile in the customers list whose id is not an id (a damaged item): the list
     * reads it, the run counts it as failed and goes on.
     */
    private void damagedRecord(String customerId) {
        var dynamo = components.dynamoDb();
        String table = components.table();
        var item = dynamo.getItem(r -> r.tableName(table).key(Map.of(Table.PK, AttributeValue.fromS(Keys.customer(tenant, customerId)),
                Table.SK, AttributeValue.fromS("PROFILE")))).item();
        var damaged = new HashMap<String, AttributeValue>();
        item.forEach((name, value) -> {
            if (!name.startsWith("GSI") || name.startsWith("GSI3")) {
                damaged.put(name, value);
            }
        });
        damaged.put(Table.PK, AttributeValue.fromS(Keys.tenant(tenant) + "#DAMAGED"));
        damaged.put("id", AttributeValue.fromS("damaged"));
        damaged.put("GSI3SK", AttributeValue.fromS("cus_damaged"));
        dynamo.putItem(r -> r.tableName(table).item(damaged));
    }
}
