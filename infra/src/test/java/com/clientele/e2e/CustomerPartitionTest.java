package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.local.LocalCloud;
import com.clientele.relationship.CustomerPartition;
import com.clientele.relationship.MergeService;
import com.clientele.relationship.RelationshipWiring;
import com.clientele.shared.Components;
import com.clientele.shared.Env;
import com.clientele.shared.Keys;
import com.clientele.shared.Table;
import com.clientele.shared.items.ItemType;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every item the app writes in a customer's partition is of exactly one declared item type
 * ({@link CustomerPartition}), and carries no index key its type does not declare: a customer with
 * every kind of item (profile, referral, cards and their guards, charges and a refund, points lots,
 * lines and an OTP, notes, activities, consumers' markers, a merge's record and lock, an erasure's
 * marker) is built over HTTP, and its partitions read from the table. A writer that adds an item
 * no type declares fails here.
 */
class CustomerPartitionTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
    private final TreeSet<String> seen = new TreeSet<>();

    private JsonNode customer(String name, String phone, String referredBy) {
        var reply = api.post("/customers", """
                {"firstName": "%s", "lastName": "Partition", "email": "%s.%s@example.com", "phone": "%s"%s}""".formatted(name,
                name.toLowerCase(), tenant, phone, referredBy == null ? "" : ", \"referredBy\": \"" + referredBy + "\""));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    private String charge(String customer, long amount) {
        var reply = api.send("POST", "/customers/" + customer + "/charges", """
                {"amount": {"amount": %d, "currency": "USD"}, "receiptId": "R-%s"}""".formatted(amount,
                UUID.randomUUID().toString().substring(0, 8)), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private void card(String customer, String number) {
        var reply = api.post("/customers/" + customer + "/payment-methods", PaymentsApiContract.card(number));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    }

    private void settled(String customer, long ltv, long points) {
        Eventually.get(() -> api.get("/customers/" + customer).json(), c -> c.path("stats").path("ltv").path("amount").asLong() == ltv);
        Eventually.get(() -> api.get("/customers/" + customer + "/points").json(), p -> p.path("available").asLong() == points);
    }

    /** A recurring price of a new product. */
    private String recurringPrice() {
        var product = api.send("POST", "/products", "{\"name\": \"FlexBook\"}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(product.status()).as(product.toString()).isEqualTo(201);
        var price = api.send("POST", "/prices", """
                {"productId": "%s", "currency": "USD", "unitAmount": 8900, "type": "recurring",
                 "recurring": {"interval": "month", "contractMonths": 12}, "assetCost": 90000}""".formatted(product.json().path("id").asText()),
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(price.status()).as(price.toString()).isEqualTo(201);
        return price.json().path("id").asText();
    }

    private String subscription(String customer, String price) {
        var reply = api.send("POST", "/customers/" + customer + "/subscriptions", """
                {"priceId": "%s", "assetSerialNumber": "SN-%s",
                 "shippingAddress": {"line1": "9 Dock Rd", "city": "Shelbyville", "postalCode": "54321", "country": "US"}}"""
                .formatted(price, customer), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    /** Checks every item of the customer's partition against the registry; returns how many it holds. */
    private int everyItemDeclared(String customer) {
        int count = 0;
        try (var dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            var pages = dynamo.queryPaginator(r -> r.tableName(cloud.resources().get("Table")).consistentRead(true)
                    .keyConditionExpression("PK = :pk").expressionAttributeValues(Map.of(":pk",
                            AttributeValue.fromS(Keys.customer(tenant, customer)))));
            for (var item : pages.items()) {
                String sk = item.get(Table.SK).s();
                var types = CustomerPartition.TYPES.types().stream().filter(type -> type.matches(sk)).toList();
                assertThat(types).as("the item types of " + sk).hasSize(1);
                ItemType type = types.get(0);
                assertThat(item.keySet().stream().filter(name -> name.startsWith("GSI")))
                        .as("index keys of " + sk).isSubsetOf(type.indexKeys());
                seen.add(type.name());
                count++;
            }
        }
        return count;
    }

    @Test
    void everyItemOfACustomerWithEveryKindOfItemIsOfExactlyOneDeclaredType() {
        assertThat(api.send("PUT", "/loyalty/settings", ReferralsApiTest.SETTINGS).status()).isEqualTo(200);
        var referrer = customer("Ada", "+14155550101", null);
        String id = customer("Grace", "+14155550102", referrer.path("referralCode").asText()).path("id").asText();
        card(id, "4242424242424242");
        card(id, "5555555555554444");
        String paid = charge(id, 8900);
        charge(id, 2500);
        settled(id, 11400, 11400 / 100 + 50);
        var refund = api.send("POST", "/payments/" + paid + "/refunds", "{\"amount\": {\"amount\": 900, \"currency\": \"USD\"}}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(refund.status()).as(refund.toString()).isEqualTo(201);
        settled(id, 10500, 105 + 50);
        assertThat(api.send("POST", "/customers/" + id + "/points/otp", null).status()).isEqualTo(201);
        // a tier set by hand: its lifecycle, tier history and journeys
        assertThat(api.send("PUT", "/loyalty/tiers", "{\"basis\": \"lifetime_points\", \"tiers\": [{\"key\": \"gold\", \"name\": \"Gold\", "
                + "\"threshold\": 1000000}]}").status()).isEqualTo(200);
        assertThat(api.send("PUT", "/customers/" + id + "/tier", "{\"key\": \"gold\", \"reason\": \"VIP\"}").status()).isEqualTo(200);
        assertThat(api.send("POST", "/customers/" + id + "/points/redemptions", "{\"points\": 5, \"reason\": \"coffee\"}",
                "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(201);
        assertThat(api.post("/customers/" + id + "/notes", "{\"type\": \"phone\", \"summary\": \"Calls after six\"}").status())
                .isEqualTo(201);
        String offer = CouponsApiTest.campaign(api, CouponsApiTest.TEN_OFF);
        assertThat(CouponsApiTest.coupon(api, offer, "{\"customerId\": \"" + id + "\"}").status()).isEqualTo(201);
        // the referrer uses a coupon: their coupon and its redemption
        String ada = referrer.path("id").asText();
        card(ada, "4242424242424242");
        String code = CouponsApiTest.coupon(api, offer, "{\"customerId\": \"" + ada + "\"}").json().path("code").asText();
        assertThat(api.send("POST", "/customers/" + ada + "/charges", "{\"amount\": {\"amount\": 4000, \"currency\": \"USD\"}, "
                + "\"couponCode\": \"" + code + "\"}", "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(201);
        String price = recurringPrice();
        String own = subscription(id, price);
        String product = api.send("POST", "/products", "{\"name\": \"Dock\"}", "Idempotency-Key", UUID.randomUUID().toString())
                .json().path("id").asText();
        String dock = api.send("POST", "/prices", "{\"productId\": \"" + product + "\", \"currency\": \"USD\", \"unitAmount\": 1500, "
                + "\"type\": \"one_time\"}", "Idempotency-Key", UUID.randomUUID().toString()).json().path("id").asText();
        String order = "\"billingAddress\": {\"line1\": \"1 Main St\", \"city\": \"Reno\", \"country\": \"US\"}, \"items\": [{\"priceId\": \""
                + dock + "\", \"quantity\": 1}]}";
        assertThat(api.send("POST", "/orders", "{\"customerId\": \"" + id + "\", " + order, "Idempotency-Key", UUID.randomUUID().toString())
                .status()).isEqualTo(201);
        assertThat(api.send("POST", "/invoices", "{\"customerId\": \"" + id + "\", \"lines\": [{\"description\": \"Setup\", "
                + "\"quantity\": 1, \"unitAmount\": 5000}]}", "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(201);
        // a campaign for the customer: a charge credits their participation
        String campaign = api.send("POST", "/campaigns", """
                {"name": "Welcome back", "startsAt": "2020-01-01T00:00:00Z", "audience": {"type": "customers", "customerIds": ["%s"]},
                 "earning": {"amountBonus": {"minimum": {"amount": 100, "currency": "USD"}, "points": 7}}}""".formatted(id),
                "Idempotency-Key", UUID.randomUUID().toString()).json().path("id").asText();
        assertThat(api.post("/campaigns/" + campaign + "/activate", null).status()).isEqualTo(200);
        charge(id, 700);
        settled(id, 11200, 150 + 7 + 7);

        // a duplicate merged into the customer: stopped half-way first, so the primary holds the merge's lock
        String duplicate = customer("Gracie", "+14155550103", null).path("id").asText();
        card(duplicate, "4242424242424242");
        String disputedPayment = charge(duplicate, 1000);
        assertThat(api.send("POST", "/orders", "{\"customerId\": \"" + duplicate + "\", " + order, "Idempotency-Key",
                UUID.randomUUID().toString()).status()).isEqualTo(201);
        settled(duplicate, 1000, 10);
        // its payment disputed (the processor's notice, as the local cloud plays it), with evidence: the dispute moves with it
        assertThat(DisputesApiTest.processor(cloud, "{\"paymentId\": \"" + disputedPayment + "\", \"amount\": 400}").status())
                .isEqualTo(202);
        String disputeId = Eventually.get(() -> api.get("/customers/" + duplicate + "/disputes").json().path("data"), d -> d.size() == 1)
                .get(0).path("id").asText();
        assertThat(api.post("/disputes/" + disputeId + "/evidence", "{\"customerCommunication\": \"Gracie said thanks\"}").status())
                .isEqualTo(200);
        String moved = subscription(duplicate, price);
        var env = new Env(cloud.environment("RelationshipFunction"));
        var halfWay = RelationshipWiring.merges(Components.from(env), CustomerPartition.TYPES, step -> {
            if (step.equals("points")) {
                throw new IllegalStateException("stopped at " + step);
            }
        });
        assertThatThrownBy(() -> halfWay.merge(new MergeService.MergeCommand(tenant, id, duplicate, false, "alice")))
                .hasMessageContaining("stopped");
        assertThat(everyItemDeclared(id)).isPositive();
        assertThat(seen).contains("mergeLock");
        assertThat(api.post("/customers/" + id + "/merge", "{\"duplicateId\": \"" + duplicate + "\"}").status()).isEqualTo(200);
        assertThat(api.get("/subscriptions/" + moved).json().path("customerId").asText()).as("moved, its pointer with it").isEqualTo(id);
        assertThat(api.get("/disputes/" + disputeId).json().path("customerId").asText()).as("moved, its pointers with it").isEqualTo(id);
        assertThat(api.get("/customers/" + id + "/disputes").json().path("data").findValuesAsText("id")).containsExactly(disputeId);

        assertThat(everyItemDeclared(id)).isPositive();
        assertThat(everyItemDeclared(duplicate)).isPositive();
        assertThat(everyItemDeclared(referrer.path("id").asText())).isPositive();
        assertThat(api.post("/customers/" + id + "/erase", null).status()).isEqualTo(200);
        var erased = api.get("/subscriptions/" + own).json();
        assertThat(erased.path("shippingAddress").isNull()).isTrue();
        assertThat(erased.path("assetSerialNumber").asText()).as("an asset's serial is kept").isEqualTo("SN-" + id);
        var dispute = api.get("/disputes/" + disputeId).json();
        assertThat(dispute.path("evidence").path("customerCommunication").asText()).as("typed about the customer").isEqualTo("[erased]");
        assertThat(dispute.path("amount").path("amount").asLong()).as("the amounts stay").isEqualTo(400);
        assertThat(everyItemDeclared(id)).isPositive();

        // every type but the outbox (an event waits there only until it is sent) was written and read back
        var declared = new TreeSet<String>();
        CustomerPartition.TYPES.types().forEach(type -> declared.add(type.name()));
        declared.remove("outbox");
        assertThat(seen).containsAll(declared);
    }
}
