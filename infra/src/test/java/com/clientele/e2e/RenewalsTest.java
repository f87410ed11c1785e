package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.clientele.payments.SandboxGateway;
import com.clientele.shared.Components;
import com.clientele.shared.Money;
import com.clientele.shared.events.EventQueues;
import com.clientele.shared.jobs.Budget;
import com.clientele.subscriptions.BillingWiring;
import com.clientele.subscriptions.RenewalsWorkerHandler;
import com.clientele.subscriptions.Subscription;
import com.clientele.subscriptions.SubscriptionService.StartCommand;
import com.clientele.subscriptions.SubscriptionStatus;
import com.clientele.subscriptions.SubscriptionsWiring;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Renewals on the local cloud whose clock the tests move ({@link TestCloud#movable()}): the seed's
 * example end to end (12 × $89 + 6 × $129 + a $300 buyout → LTV $2,142.00), dunning on the tenant's
 * days then cancellation, "retry now" and "mark as paid", and each period billed once whatever runs at
 * the same time, crashes between the charge and the record, or delivers a run's message twice.
 */
class RenewalsTest {

    private static final LocalCloud CLOUD = TestCloud.movable();
    private static final String GOOD_CARD = "4242424242424242";
    private static final String DECLINING_CARD = "4000000000000341";

    private final String tenant = "ren" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final Api api = new Api(CLOUD.apiUrl(), CLOUD.token(tenant, "alice"));
    private final CloudClock clock = new CloudClock(CLOUD.apiUrl());
    private final Components components = Components.from(CLOUD.environment("BillingFunction")).with(Clock.class, CLOUD.clock());

    // ---- the seed's example --------------------------------------------------------------------------

    @Test
    void theSeedsExampleTwelveAndSixMonthlyPaymentsAndABuyoutMakeAnLtvOf2142() {
        startOfADay();
        String customer = customer("Mia", "Monthly", GOOD_CARD);
        String product = product("FlexBook 14");
        var twelve = start(customer, price(product, 8900, 12), 0);
        var six = start(customer, price(product, 12900, 6), 0);
        assertThat(twelve.periodsBilled()).as("no trial: its first period is billed at its start").isEqualTo(1);
        assertThat(six.periodsBilled()).isEqualTo(1);
        assertThat(twelve.nextPaymentAt()).isEqualTo(twelve.periodStart(2));

        var billedPerMonth = new ArrayList<Long>();
        var endedPerMonth = new ArrayList<Long>();
        for (int month = 1; month <= 12; month++) {
            // a minute past the start of the next period: the anchor's day each month (a 31st: the month's last day)
            clock.set(twelve.periodStart(month + 1).plusSeconds(60));
            var run = runNow();
            billedPerMonth.add(run.path("billed").asLong());
            endedPerMonth.add(run.path("ended").asLong());
        }
        assertThat(billedPerMonth).containsExactly(2L, 2L, 2L, 2L, 2L, 1L, 1L, 1L, 1L, 1L, 1L, 0L);
        assertThat(endedPerMonth).containsExactly(0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 1L);

        for (var s : List.of(twelve, six)) {
            var now = subscription(customer, s.id());
            assertThat(now.status()).as(s.id()).isEqualTo(SubscriptionStatus.ENDED);
            assertThat(now.dueAt()).as("out of the due index").isNull();
            var payments = payments(customer, "subscriptionId=" + s.id());
            int periods = s.contractMonths();
            assertThat(payments).as("one payment per period").hasSize(periods);
            assertThat(payments).extracting(p -> p.path("period").asInt()).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.rangeClosed(1, periods).boxed().toList());
            assertThat(payments).allSatisfy(p -> {
                assertThat(p.path("status").asText()).isEqualTo("succeeded");
                assertThat(p.path("amount").path("amount").asLong()).isEqualTo(s.amount().amount());
                assertThat(p.path("subscriptionId").asText()).isEqualTo(s.id());
            });
            assertThat(now.collected()).isEqualTo(new Money(periods * s.amount().amount(), "USD"));
        }

        // the buyout: a one-off $300 for a third subscription (in its trial: nothing billed yet), which ends it
        var third = start(customer, price(product, 4900, 24), 30);
        assertThat(third.status()).isEqualTo(SubscriptionStatus.TRIALING);
        var bought = api.send("POST", "/subscriptions/" + third.id() + "/buyout", "{\"amount\": {\"amount\": 30000, \"currency\": \"USD\"}}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(bought.status()).as(bought.text()).isEqualTo(200);
        assertThat(bought.json().path("status").asText()).isEqualTo("ended");
        assertThat(payments(customer, "subscriptionId=" + third.id())).extracting(p -> p.path("amount").path("amount").asLong())
                .containsExactly(30000L);

        var stats = Eventually.get(() -> api.get("/customers/" + customer).json().path("stats"),
                st -> st.path("ltv").path("amount").asLong() == 214_200);
        assertThat(stats.path("ltv").path("currency").asText()).isEqualTo("USD");
        assertThat(stats.path("orders").asLong()).as("12 + 6 + 1 payments").isEqualTo(19);
        var points = Eventually.get(() -> api.get("/customers/" + customer + "/points").json(), p -> p.path("lifetime").asLong() == 2142);
        assertThat(points.path("available").asLong() + points.path("expired").asLong()).as("earned 1 per dollar: 12×89 + 6×129 + 300")
                .isEqualTo(2142);
        // seed 002's figures: three subscriptions, none active, all of it collected through them
        var figures = api.get("/customers/" + customer).json().path("subscriptions");
        assertThat(figures.path("active").asInt()).isZero();
        assertThat(figures.path("total").asInt()).isEqualTo(3);
        assertThat(figures.path("activeMonthlyIncome").path("amount").asLong()).isZero();
        assertThat(figures.path("collected").path("amount").asLong()).isEqualTo(214_200);
        assertThat(figures.path("averageSubscriptionValue").path("amount").asLong()).isEqualTo(71_400);
    }

    // ---- dunning -------------------------------------------------------------------------------------

    @Test
    void aDecliningCardIsRetriedOnDaysOneThreeAndSevenThenTheSubscriptionIsCanceled() {
        startOfADay();
        String customer = customer("Dan", "Declined", DECLINING_CARD);
        var s = start(customer, price(product("FlexPhone"), 5900, 12), 0);
        assertThat(s.status()).isEqualTo(SubscriptionStatus.PAST_DUE);
        assertThat(s.failedAttempts()).isEqualTo(1);
        assertThat(s.periodsBilled()).isZero();
        Instant firstFailure = s.nextRetryAt().minus(Duration.ofDays(1));
        assertThat(s.nextRetryAt()).isEqualTo(s.nextPaymentAt());

        var retries = new ArrayList<Instant>();
        for (int day : List.of(1, 3, 7)) {
            clock.set(firstFailure.plus(Duration.ofDays(day)).plusSeconds(1));
            assertThat(runNow().path("declined").asLong()).as("retry on day %d", day).isEqualTo(1);
            retries.add(firstFailure.plus(Duration.ofDays(day)));
        }
        var canceled = subscription(customer, s.id());
        assertThat(canceled.status()).isEqualTo(SubscriptionStatus.CANCELED);
        assertThat(canceled.failedAttempts()).isEqualTo(4);
        assertThat(canceled.dueAt()).isNull();
        var payments = payments(customer, "subscriptionId=" + s.id());
        assertThat(payments).hasSize(4).allSatisfy(p -> {
            assertThat(p.path("status").asText()).isEqualTo("failed");
            assertThat(p.path("period").asInt()).isEqualTo(1);
        });
        var feed = api.get("/customers/" + customer + "/activities?limit=100").json().path("data");
        assertThat(feed).filteredOn(a -> a.path("kind").asText().equals("subscription.payment_failed")).hasSize(3);
        assertThat(feed).filteredOn(a -> a.path("kind").asText().equals("subscription.canceled"))
                .extracting(a -> a.path("summary").asText()).containsExactly("Payment of period 1 failed (card_declined): canceled after the last retry");
        assertThat(runNow().path("declined").asLong()).as("nothing more").isZero();
    }

    @Test
    void aPastDueSubscriptionIsRetriedNowOrMarkedPaidAndIsActiveAgain() {
        startOfADay();
        assertThat(api.send("PUT", "/settings/billing", """
                {"dunning": {"retryAfterDays": [2], "afterLastRetry": "leave_unpaid"},
                 "reminders": {"renewalDaysAhead": 7, "contractEndDaysAhead": 30}}""").status()).isEqualTo(200);
        String customer = customer("Pat", "Pastdue", DECLINING_CARD);
        var s = start(customer, price(product("FlexWatch"), 2500, null), 0);
        assertThat(s.status()).isEqualTo(SubscriptionStatus.PAST_DUE);

        var retried = api.send("POST", "/subscriptions/" + s.id() + "/retry", null, "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(retried.status()).as(retried.text()).isEqualTo(402);
        assertThat(retried.json().path("code").asText()).isEqualTo("card_declined");
        assertThat(retried.json().path("subscriptionId").asText()).isEqualTo(s.id());
        var afterRetry = subscription(customer, s.id());
        assertThat(afterRetry.status()).isEqualTo(SubscriptionStatus.PAST_DUE);
        assertThat(afterRetry.failedAttempts()).as("a retry by hand changes no schedule").isEqualTo(1);
        assertThat(afterRetry.billing()).isNull();

        // day 2: the last retry fails, and the tenant leaves it unpaid (out of the runs)
        clock.set(s.nextRetryAt().plusSeconds(1));
        assertThat(runNow().path("declined").asLong()).isEqualTo(1);
        var unpaid = subscription(customer, s.id());
        assertThat(unpaid.status()).isEqualTo(SubscriptionStatus.PAST_DUE);
        assertThat(unpaid.dueAt()).isNull();

        var refused = api.send("POST", "/subscriptions/" + s.id() + "/mark-paid", "{\"method\": \"barter\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.json().path("errors")).extracting(e -> e.path("field").asText()).containsExactly("method", "reference");
        assertThat(subscription(customer, s.id()).billing()).as("a refused request leaves no claim").isNull();

        String key = UUID.randomUUID().toString();
        String body = "{\"method\": \"bank_transfer\", \"reference\": \"BT-77-0001\"}";
        var paid = api.send("POST", "/subscriptions/" + s.id() + "/mark-paid", body, "Idempotency-Key", key);
        assertThat(paid.status()).as(paid.text()).isEqualTo(200);
        assertThat(paid.json().path("subscription").path("status").asText()).isEqualTo("active");
        assertThat(paid.json().path("subscription").path("periodsBilled").asInt()).isEqualTo(1);
        assertThat(paid.json().path("payment").path("offline").path("reference").asText()).isEqualTo("BT-77-0001");
        assertThat(paid.json().path("payment").path("period").asInt()).isEqualTo(1);
        var replay = api.send("POST", "/subscriptions/" + s.id() + "/mark-paid", body, "Idempotency-Key", key);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(payments(customer, "status=succeeded")).as("paid once").hasSize(1);

        var active = subscription(customer, s.id());
        assertThat(active.status()).isEqualTo(SubscriptionStatus.ACTIVE);
        assertThat(active.nextPaymentAt()).isEqualTo(active.periodStart(2));
        var notPastDue = api.send("POST", "/subscriptions/" + s.id() + "/retry", null, "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(notPastDue.status()).isEqualTo(409);
        assertThat(notPastDue.json().path("code").asText()).isEqualTo("invalid_state");
        Eventually.get(() -> api.get("/customers/" + customer).json().path("stats"), st -> st.path("ltv").path("amount").asLong() == 2500);
    }

    @Test
    void aPastDueSubscriptionExtendedKeepsItsRetryAndIsRetriedOnItsDay() {
        startOfADay();
        String customer = customer("Ezra", "Extended", DECLINING_CARD);
        var s = start(customer, price(product("FlexArm"), 3300, 6), 0);
        assertThat(s.status()).isEqualTo(SubscriptionStatus.PAST_DUE);
        var otherTenant = new Api(CLOUD.apiUrl(), CLOUD.token("oth" + tenant, "mallory"));
        assertThat(otherTenant.send("POST", "/subscriptions/" + s.id() + "/extend", "{\"months\": 6}",
                "Idempotency-Key", UUID.randomUUID().toString()).status()).as("another tenant's").isEqualTo(404);
        var extended = api.send("POST", "/subscriptions/" + s.id() + "/extend", "{\"months\": 6}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(extended.status()).as(extended.text()).isEqualTo(200);
        var after = subscription(customer, s.id());
        assertThat(after.contractMonths()).isEqualTo(12);
        assertThat(after.nextPaymentAt()).as("its next retry, not its unpaid period's start").isEqualTo(s.nextRetryAt());
        assertThat(after.dueAt()).isAfter(clock.now());
        clock.set(s.nextRetryAt().plusSeconds(1));
        assertThat(runNow().path("declined").asLong()).as("retried on its day").isEqualTo(1);
    }

    // ---- reminders -----------------------------------------------------------------------------------

    @Test
    void remindersComeTheTenantsDaysAheadOfEachRenewalAndOfTheContractsEndOnceEachAsAnActivityAndAnEvent() {
        startOfADay();
        assertThat(api.send("PUT", "/settings/billing", """
                {"dunning": {"retryAfterDays": [1, 3, 7], "afterLastRetry": "cancel"},
                 "reminders": {"renewalDaysAhead": 5, "contractEndDaysAhead": 40}}""").status()).isEqualTo(200);
        String customer = customer("Rita", "Reminded", GOOD_CARD);
        var s = start(customer, price(product("FlexTab"), 8900, 3), 0);
        assertThat(s.periodsBilled()).isEqualTo(1);

        // five days before period 2: the renewal announced, in a run whose events are recorded
        var sent = new java.util.concurrent.CopyOnWriteArrayList<JsonNode>();
        var recording = new EventQueues(null, List.of()) {
            @Override
            public void send(String eventId, String eventType, String json, String correlationId) {
                try {
                    sent.add(com.clientele.shared.Json.MAPPER.readTree(json));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        var renewals = BillingWiring.renewals(Components.from(CLOUD.environment("BillingFunction")).with(Clock.class, CLOUD.clock())
                .with(EventQueues.class, recording));
        clock.set(s.periodStart(2).minus(Duration.ofDays(5)).plusSeconds(60));
        var first = renewals.start(null, tenant, null, Budget.unlimited());
        assertThat(first.reminded()).isEqualTo(1);
        assertThat(first.billed()).isZero();
        assertThat(sent).hasSize(1);
        var event = sent.get(0);
        assertThat(event.path("type").asText()).isEqualTo("subscription.renewal_upcoming");
        assertThat(event.path("id").asText()).startsWith("evt_");
        assertThat(event.path("tenantId").asText()).isEqualTo(tenant);
        assertThat(event.path("customerId").asText()).isEqualTo(customer);
        assertThat(event.path("subscriptionId").asText()).isEqualTo(s.id());
        assertThat(event.path("period").asInt()).isEqualTo(2);
        assertThat(Instant.parse(event.path("renewalAt").asText())).isEqualTo(s.periodStart(2));
        assertThat(event.path("amount").asLong()).isEqualTo(8900);
        assertThat(event.path("currency").asText()).isEqualTo("USD");
        assertThat(event.path("contractEndDate").asText()).isEqualTo(s.contractEndDate().toString());
        assertThat(runNow().path("reminded").asLong()).as("once, whatever runs again").isZero();
        assertThat(renewals.start(null, tenant, null, Budget.unlimited()).reminded()).isZero();
        assertThat(sent).hasSize(1);

        clock.set(s.periodStart(2).plusSeconds(60));
        assertThat(runNow().path("billed").asLong()).isEqualTo(1);
        // forty days before the contract's end (period 4's start), then five before period 3
        clock.set(s.periodStart(4).minus(Duration.ofDays(40)).plusSeconds(60));
        var contract = runNow();
        assertThat(contract.path("reminded").asLong()).isEqualTo(1);
        clock.set(s.periodStart(3).minus(Duration.ofDays(5)).plusSeconds(60));
        assertThat(runNow().path("reminded").asLong()).isEqualTo(1);
        clock.set(s.periodStart(3).plusSeconds(60));
        assertThat(runNow().path("billed").asLong()).isEqualTo(1);
        clock.set(s.periodStart(4).plusSeconds(60));
        assertThat(runNow().path("ended").asLong()).isEqualTo(1);

        var feed = api.get("/customers/" + customer + "/activities?limit=100").json().path("data");
        assertThat(feed).filteredOn(a -> a.path("kind").asText().equals("subscription.renewal_upcoming"))
                .extracting(a -> a.path("summary").asText()).containsExactlyInAnyOrder(
                        "Renewal of period 2 on " + s.periodStart(2).toString().substring(0, 10) + ": 89.00 USD",
                        "Renewal of period 3 on " + s.periodStart(3).toString().substring(0, 10) + ": 89.00 USD");
        assertThat(feed).filteredOn(a -> a.path("kind").asText().equals("subscription.contract_ending"))
                .extracting(a -> a.path("summary").asText()).containsExactly("Contract ends on " + s.contractEndDate());
        var ended = subscription(customer, s.id());
        assertThat(ended.reminded()).isEqualTo(new Subscription.Reminded(3, s.contractEndDate()));
        // the events went to the payment consumers' queues too, which passed them over: the customer's figures are the payments'
        Eventually.get(() -> api.get("/customers/" + customer).json().path("stats"), st -> st.path("ltv").path("amount").asLong() == 3 * 8900);
    }

    @Test
    void fewerDaysAheadTakeEffectAtTheNextRunAndNoneStopsThem() {
        startOfADay();
        String customer = customer("Fay", "Fewer", GOOD_CARD);
        var s = start(customer, price(product("FlexKey"), 1200, null), 0);
        // the defaults placed its reminder 7 days ahead; the tenant now wants 2
        assertThat(api.send("PUT", "/settings/billing", """
                {"dunning": {"retryAfterDays": [1, 3, 7], "afterLastRetry": "cancel"},
                 "reminders": {"renewalDaysAhead": 2, "contractEndDaysAhead": 0}}""").status()).isEqualTo(200);
        clock.set(s.periodStart(2).minus(Duration.ofDays(7)).plusSeconds(60));
        assertThat(runNow().path("reminded").asLong()).as("not yet: 2 days ahead now").isZero();
        clock.set(s.periodStart(2).minus(Duration.ofDays(2)).plusSeconds(60));
        assertThat(runNow().path("reminded").asLong()).as("moved to its new time").isEqualTo(1);

        clock.set(s.periodStart(2).plusSeconds(60));
        assertThat(runNow().path("billed").asLong()).isEqualTo(1);
        assertThat(api.send("PUT", "/settings/billing", """
                {"dunning": {"retryAfterDays": [1, 3, 7], "afterLastRetry": "cancel"},
                 "reminders": {"renewalDaysAhead": 0, "contractEndDaysAhead": 0}}""").status()).isEqualTo(200);
        clock.set(s.periodStart(3).minus(Duration.ofDays(2)).plusSeconds(60));
        assertThat(runNow().path("reminded").asLong()).as("0 days: none").isZero();
        var feed = api.get("/customers/" + customer + "/activities?limit=100").json().path("data");
        assertThat(feed).filteredOn(a -> a.path("kind").asText().equals("subscription.renewal_upcoming")).hasSize(1);
    }

    // ---- exactly once --------------------------------------------------------------------------------

    @Test
    void twoRunsAtOnceBillEachPeriodOnce() throws Exception {
        startOfADay();
        String customer = customer("Tom", "Twice", GOOD_CARD);
        var s = startUnbilled(customer, price(product("FlexDock"), 1500, null));
        var renewals = BillingWiring.renewals(components);
        var runs = new ArrayList<CompletableFuture<com.clientele.subscriptions.RenewalService.Result>>();
        for (int i = 0; i < 4; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> renewals.start(null, tenant, null, Budget.unlimited())));
        }
        long billed = 0;
        for (var run : runs) {
            billed += run.get().billed();
        }
        assertThat(billed).as("one run billed it, the others skipped it").isEqualTo(1);
        assertThat(payments(customer, "subscriptionId=" + s.id())).hasSize(1);
        assertThat(subscription(customer, s.id()).periodsBilled()).isEqualTo(1);
    }

    @Test
    void aRenewalReadsItsCustomersProfileOnceAndDoesNotLookForTheNewPaymentItJustNamed() {
        startOfADay();
        String customer = customer("Rob", "Reads", GOOD_CARD);
        String price = price(product("FlexLens"), 2900, null);
        // a first payment (it fixes the customer's currency on the profile), folded into the stats before the run
        start(customer, price, 0);
        Eventually.get(() -> api.get("/customers/" + customer).json().path("stats"), st -> st.path("ltv").path("amount").asLong() == 2900);
        var s = startUnbilled(customer, price);
        var reads = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        var counting = com.clientele.shared.Aws.build(software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                .overrideConfiguration(o -> o.addExecutionInterceptor(new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                                software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                        if (context.request() instanceof software.amazon.awssdk.services.dynamodb.model.GetItemRequest get) {
                            reads.add(get.key().get("PK").s() + " " + get.key().get("SK").s());
                        }
                    }
                })), new com.clientele.shared.Env(CLOUD.environment("BillingFunction")), "AWS_ENDPOINT_URL_DYNAMODB");
        // its events kept off the queues, so that no fold of the customer's stats moves the profile during the run
        var renewals = BillingWiring.renewals(Components.from(CLOUD.environment("BillingFunction")).with(Clock.class, CLOUD.clock())
                .with(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class, counting)
                .with(EventQueues.class, new EventQueues(null, List.of())));
        assertThat(renewals.start(null, tenant, null, Budget.unlimited()).billed()).isEqualTo(1);
        assertThat(reads).as("the profile: once, for the charge and the figures").filteredOn(k -> k.endsWith(" PROFILE")).hasSize(1);
        assertThat(reads).as("the new payment's pointer: not looked for").filteredOn(k -> k.contains("#PAYMENT#")).isEmpty();
        var billed = subscription(customer, s.id());
        assertThat(billed.periodsBilled()).isEqualTo(1);
        assertThat(api.get("/customers/" + customer).json().path("subscriptions").path("collected").path("amount").asLong())
                .as("the figures exact").isEqualTo(2 * 2900);
    }

    @Test
    void aCrashBetweenTheChargeAndTheRecordIsResumedByTheNextRunChargedOnce() {
        startOfADay();
        String customer = customer("Cy", "Crash", GOOD_CARD);
        var s = startUnbilled(customer, price(product("FlexPad"), 3900, null));
        var crashing = BillingWiring.renewals(components).afterCharge(payment -> {
            throw new IllegalStateException("the function died here");
        });
        var crashed = crashing.start(null, tenant, null, Budget.unlimited());
        assertThat(crashed.failed()).isEqualTo(1);
        var claimed = subscription(customer, s.id());
        assertThat(claimed.billing()).as("the claim stays").isNotNull();
        String paymentId = claimed.billing().paymentId();
        assertThat(claimed.periodsBilled()).isZero();
        assertThat(SandboxGateway.processor().chargesPerformed(paymentId)).isEqualTo(1);

        assertThat(runNow().path("billed").asLong()).isEqualTo(1);
        var billed = subscription(customer, s.id());
        assertThat(billed.periodsBilled()).isEqualTo(1);
        assertThat(billed.billing()).isNull();
        assertThat(SandboxGateway.processor().chargesPerformed(paymentId)).as("charged once").isEqualTo(1);
        assertThat(payments(customer, "subscriptionId=" + s.id())).extracting(p -> p.path("id").asText()).containsExactly(paymentId);
        assertThat(runNow().path("billed").asLong()).isZero();
    }

    @Test
    void aLostProcessorAnswerLeavesTheClaimForTheNextRunWhichSettlesTheSamePayment() {
        startOfADay();
        String customer = customer("Lu", "Lost", SandboxGateway.LOST_RESPONSE_CARD);
        var s = start(customer, price(product("FlexCam"), 4500, null), 0);
        assertThat(s.billing()).as("the processor did not answer at the start: the claim stays").isNotNull();
        var run = runNow();
        assertThat(run.path("billed").asLong()).isEqualTo(1);
        var billed = subscription(customer, s.id());
        assertThat(billed.periodsBilled()).isEqualTo(1);
        assertThat(SandboxGateway.processor().chargesPerformed(s.billing().paymentId())).isEqualTo(1);
        assertThat(payments(customer, "subscriptionId=" + s.id())).hasSize(1);
    }

    @Test
    void aRunsMessageDeliveredTwiceBillsNothingTwiceAndABadSubscriptionDoesNotStopIt() throws Exception {
        startOfADay();
        String customer = customer("Rae", "Redelivered", GOOD_CARD);
        String price = price(product("FlexHub"), 1900, null);
        var good = startUnbilled(customer, price);
        var erased = startUnbilled(customer("Eve", "Erased", GOOD_CARD), price);
        assertThat(api.send("POST", "/customers/" + erased.customerId() + "/erase", null).status()).isEqualTo(200);

        var now = CLOUD.clock().instant();
        String body = com.clientele.shared.Json.write(Map.of("through", now.toString(), "tenant", tenant,
                "day", LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(1).toString(), "shard", 0, "left", 0));
        var worker = new RenewalsWorkerHandler(components);
        for (int delivery = 1; delivery <= 2; delivery++) {
            var message = new com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage();
            message.setMessageId("m" + delivery);
            message.setBody(body);
            message.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(delivery)));
            var event = new com.amazonaws.services.lambda.runtime.events.SQSEvent();
            event.setRecords(List.of(message));
            assertThat(worker.handleRequest(event, null).getBatchItemFailures()).isEmpty();
        }
        assertThat(payments(customer, "subscriptionId=" + good.id())).as("billed once").hasSize(1);
        assertThat(subscription(customer, good.id()).periodsBilled()).isEqualTo(1);
        var unbillable = subscription(erased.customerId(), erased.id());
        assertThat(unbillable.status()).as("its card was removed at the erasure: a decline, dunned")
                .isEqualTo(SubscriptionStatus.PAST_DUE);
    }

    @Test
    void aDeletedCustomersDueSubscriptionsAreCanceledNeverChargedNorDunned() {
        startOfADay();
        String customer = customer("Dora", "Deleted", GOOD_CARD);
        String price = price(product("FlexDesk"), 2900, null);
        var byCard = startUnbilled(customer, price);
        var byInvoice = SubscriptionsWiring.service(components).start(new StartCommand(tenant, customer, price, 1, "send_invoice",
                null, null, null, 0, null, null));
        assertThat(api.send("DELETE", "/customers/" + customer, null).status()).isEqualTo(204);

        var run = runNow();
        assertThat(run.path("ended").asLong()).as(run.toString()).isEqualTo(2);
        assertThat(run.path("declined").asLong()).isZero();
        for (var s : List.of(byCard, byInvoice)) {
            var after = subscription(customer, s.id());
            assertThat(after.status()).as(s.collection().toString()).isEqualTo(SubscriptionStatus.CANCELED);
            assertThat(after.periodsBilled()).isZero();
            assertThat(after.billing()).isNull();
            assertThat(after.dueAt()).isNull();
        }
        assertThat(runNow().path("ended").asLong()).as("nothing more").isZero();
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** Moves the clock to the next day's 00:00:00 UTC: clear of the daily schedules (00:15, 00:30) till the test's runs. */
    private void startOfADay() {
        var next = LocalDate.ofInstant(clock.now(), ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        clock.set(next);
    }

    private JsonNode runNow() {
        var run = api.post("/admin/renewals", "");
        assertThat(run.status()).as(run.text()).isEqualTo(200);
        assertThat(run.json().path("failed").asLong()).as(run.text()).isZero();
        return run.json();
    }

    private String customer(String first, String last, String card) {
        var created = api.post("/customers", CustomersApiContract.person(first, last,
                first.toLowerCase() + "." + UUID.randomUUID().toString().substring(0, 6) + "@example.com",
                "+1415555" + String.format("%04d", new java.util.Random().nextInt(10_000))));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().path("id").asText();
        var saved = api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card(card));
        assertThat(saved.status()).as(saved.text()).isEqualTo(201);
        return id;
    }

    private String product(String name) {
        var created = api.send("POST", "/products", "{\"name\": \"" + name + "\"}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private String price(String product, long unitAmount, Integer contractMonths) {
        var created = api.send("POST", "/prices", """
                {"productId": "%s", "currency": "USD", "unitAmount": %d, "type": "recurring",
                 "recurring": {"interval": "month"%s}}""".formatted(product, unitAmount,
                contractMonths == null ? "" : ", \"contractMonths\": " + contractMonths), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    /** Started over HTTP: a subscription without a trial has its first period billed as it starts. */
    private Subscription start(String customer, String price, int trialDays) {
        var started = api.send("POST", "/customers/" + customer + "/subscriptions", """
                {"priceId": "%s", "trialDays": %d, "assetSerialNumber": "SN-%s"}""".formatted(price, trialDays,
                UUID.randomUUID().toString().substring(0, 6)), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(started.status()).as(started.text()).isEqualTo(201);
        return subscription(customer, started.json().path("id").asText());
    }

    /** Started without its first period billed, as if the start's own billing had not happened: the runs' to bill. */
    private Subscription startUnbilled(String customer, String price) {
        return SubscriptionsWiring.service(components).start(new StartCommand(tenant, customer, price, 1, "charge_automatically",
                null, null, null, 0, null, null));
    }

    private Subscription subscription(String customer, String id) {
        return SubscriptionsWiring.repository(components).find(tenant, customer, id).orElseThrow();
    }

    private List<JsonNode> payments(String customer, String query) {
        var list = new ArrayList<JsonNode>();
        api.get("/customers/" + customer + "/payments?limit=100&" + query).json().path("data").forEach(list::add);
        return list;
    }
}
