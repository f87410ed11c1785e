package com.clientele.e2e;

import static com.clientele.e2e.CustomersApiContract.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Billing groups over HTTP: a group of business customers paid by one of them, in one currency; membership
 * is the customer's {@code billingGroupId}, one group at most, whichever way it is set; bad input and
 * another tenant's ids are refused, naming the field, with nothing written.
 */
class BillingGroupsApiTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "bg" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private String business(String name) {
        return business(api, name);
    }

    /** A business customer on NET_14 terms, made over {@code api}: its id. */
    static String business(Api api, String name) {
        var reply = api.post("/customers", """
                {"type": "business", "firstName": "%s", "lastName": "Buyer", "email": "%s@%s.example", "phone": "+14155550123",
                 "company": {"name": "%s Ltd", "vatNumber": "GB123"}, "paymentTerms": "NET_14"}""".formatted(name, name.toLowerCase(),
                UUID.randomUUID().toString().substring(0, 6), name));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private String individual(String name) {
        var reply = api.post("/customers", """
                {"firstName": "%s", "lastName": "Person", "email": "%s@%s.example", "phone": "+14155550124"}""".formatted(name,
                name.toLowerCase(), UUID.randomUUID().toString().substring(0, 6)));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private JsonNode group(String name, String payerId, String currency) {
        var reply = api.post("/billing-groups", """
                {"name": "%s", "payerId": "%s", "currency": "%s", "paymentTerms": "NET_30"}""".formatted(name, payerId, currency));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.header("location")).isEqualTo("/billing-groups/" + reply.json().path("id").asText());
        assertThat(reply.header("etag")).isEqualTo("\"1\"");
        return reply.json();
    }

    private List<String> members(String groupId) {
        var reply = api.get("/billing-groups/" + groupId + "/members");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        var ids = new ArrayList<String>();
        reply.json().path("data").forEach(m -> ids.add(m.path("customerId").asText()));
        return ids;
    }

    /** Fixes the customer's currency with a first charge in it. */
    private void charged(String customerId, String currency) {
        var card = api.post("/customers/" + customerId + "/payment-methods", PaymentsApiContract.card(PaymentsApiContract.MASTERCARD));
        assertThat(card.status()).as(card.toString()).isEqualTo(201);
        var charge = api.send("POST", "/customers/" + customerId + "/charges",
                PaymentsApiContract.charge(1000, currency, card.json().path("id").asText()), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(charge.status()).as(charge.toString()).isEqualTo(201);
    }

    @Test
    void aGroupIsMadeReadListedAndChangedUnderItsETag() {
        String payer = business("Acme");
        var made = group("East region", payer, "USD");
        String id = made.path("id").asText();
        assertThat(id).startsWith("bg_");
        assertThat(made.path("payerId").asText()).isEqualTo(payer);
        assertThat(made.path("currency").asText()).isEqualTo("USD");
        assertThat(made.path("paymentTerms").asText()).isEqualTo("NET_30");

        assertThat(api.get("/billing-groups/" + id).json()).isEqualTo(made);
        var list = api.get("/billing-groups").json().path("data");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("id").asText()).isEqualTo(id);

        assertThat(api.patch("/billing-groups/" + id, "{\"name\": \"East\"}", null).status()).as("no If-Match").isEqualTo(428);
        var renamed = api.patch("/billing-groups/" + id, "{\"name\": \"East\", \"paymentTerms\": \"NET_7\"}", "\"1\"");
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.header("etag")).isEqualTo("\"2\"");
        assertThat(renamed.json().path("name").asText()).isEqualTo("East");
        assertThat(renamed.json().path("paymentTerms").asText()).isEqualTo("NET_7");
        assertThat(api.patch("/billing-groups/" + id, "{\"name\": \"West\"}", "\"1\"").status()).as("a stale ETag").isEqualTo(412);
        assertProblem(api.patch("/billing-groups/" + id, "{\"currency\": \"EUR\"}", "\"2\""), 400, "currency");
        var sentBack = api.patch("/billing-groups/" + id, renamed.text(), "\"2\"");
        assertThat(sentBack.status()).as("what GET showed, sent back: " + sentBack).isEqualTo(200);
        assertThat(api.get("/billing-groups/" + id).json().path("version").asLong()).isEqualTo(2);

        var stranger = new Api(cloud.apiUrl(), cloud.token(tenant + "x", "mallory"));
        assertThat(stranger.get("/billing-groups/" + id).status()).isEqualTo(404);
        assertThat(stranger.patch("/billing-groups/" + id, "{\"name\": \"Mine\"}", "\"2\"").status()).isEqualTo(404);
        assertThat(stranger.post("/billing-groups/" + id + "/members", "{\"customerId\": \"" + payer + "\"}").status()).isEqualTo(404);
        assertThat(stranger.get("/billing-groups").json().path("data")).isEmpty();
        assertThat(api.get("/billing-groups/bg_nope").status()).isEqualTo(404);
    }

    @Test
    void badGroupsAreRefusedNamingEachField() {
        String person = individual("Ivy");
        var reply = api.post("/billing-groups", """
                {"name": "\\u200b", "payerId": "%s", "currency": "usd", "paymentTerms": "NET_45"}""".formatted(person));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().path("errors")).extracting(e -> e.path("field").asText())
                .containsExactlyInAnyOrder("name", "payerId", "currency", "paymentTerms");

        assertProblem(api.post("/billing-groups", "{\"name\": \"G\", \"currency\": \"USD\", \"paymentTerms\": \"NET_7\"}"), 400, "payerId");
        String foreign = new Api(cloud.apiUrl(), cloud.token(tenant + "x", "mallory")).post("/customers", """
                {"type": "business", "firstName": "F", "lastName": "F", "email": "f@f.example", "phone": "+14155550125",
                 "company": {"name": "F"}}""").json().path("id").asText();
        assertProblem(api.post("/billing-groups", """
                {"name": "G", "payerId": "%s", "currency": "USD", "paymentTerms": "NET_7"}""".formatted(foreign)), 400, "payerId");
        String euroPayer = business("Euro");
        charged(euroPayer, "EUR");
        assertProblem(api.post("/billing-groups", """
                {"name": "G", "payerId": "%s", "currency": "USD", "paymentTerms": "NET_7"}""".formatted(euroPayer)), 400, "payerId");
        assertProblem(api.post("/billing-groups", "[]"), 400, null);
        assertThat(api.get("/billing-groups").json().path("data")).as("nothing written").isEmpty();
    }

    @Test
    void aCustomerBelongsToOneGroupAtMostHoweverItJoins() {
        String payer = business("Payer");
        String east = group("East", payer, "USD").path("id").asText();
        String west = group("West", payer, "USD").path("id").asText();
        String member = business("Member");

        var added = api.post("/billing-groups/" + east + "/members", "{\"customerId\": \"" + member + "\"}");
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(added.json().path("customerId").asText()).isEqualTo(member);
        assertThat(api.post("/billing-groups/" + east + "/members", "{\"customerId\": \"" + member + "\"}").status())
                .as("joining again changes nothing").isEqualTo(200);
        assertThat(api.get("/customers/" + member).json().path("billingGroupId").asText()).isEqualTo(east);
        assertThat(members(east)).containsExactly(member);

        var twice = api.post("/billing-groups/" + west + "/members", "{\"customerId\": \"" + member + "\"}");
        assertProblem(twice, 409, "customerId");
        assertThat(twice.json().path("code").asText()).isEqualTo("member_of_another_group");
        assertThat(members(west)).isEmpty();

        // A new customer naming the group joins it; naming a group that does not exist, or in a malformed id, is refused.
        var joined = api.post("/customers", """
                {"type": "business", "firstName": "New", "lastName": "Member", "email": "new@member.example", "phone": "+14155550126",
                 "company": {"name": "New Ltd"}, "billingGroupId": "%s"}""".formatted(east));
        assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
        assertThat(members(east)).containsExactlyInAnyOrder(member, joined.json().path("id").asText());
        assertProblem(api.post("/customers", """
                {"type": "business", "firstName": "No", "lastName": "Group", "email": "no@group.example", "phone": "+14155550127",
                 "company": {"name": "No Ltd"}, "billingGroupId": "bg_01KB0000000000000000000000"}"""), 400, "billingGroupId");
        assertProblem(api.post("/customers", """
                {"type": "business", "firstName": "No", "lastName": "Group", "email": "no@group.example", "phone": "+14155550127",
                 "company": {"name": "No Ltd"}, "billingGroupId": "east"}"""), 400, "billingGroupId");
        assertThat(api.get("/customers?email=no@group.example").json().path("data")).as("nothing written").isEmpty();

        // Changing the customer's billingGroupId moves it: it leaves the first group's members.
        var profile = api.get("/customers/" + member);
        var moved = api.patch("/customers/" + member, "{\"billingGroupId\": \"" + west + "\"}", profile.header("etag"));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(members(west)).containsExactly(member);
        assertThat(members(east)).doesNotContain(member);

        assertThat(api.delete("/billing-groups/" + west + "/members/" + member).status()).isEqualTo(204);
        assertThat(api.get("/customers/" + member).json().path("billingGroupId").isNull()).isTrue();
        assertThat(members(west)).isEmpty();
        assertThat(api.delete("/billing-groups/" + west + "/members/" + member).status()).as("no longer a member").isEqualTo(404);
        var activity = api.get("/customers/" + member + "/activities").json().path("data").toString();
        assertThat(activity).contains("Joined billing group East").contains("Left billing group West");
    }

    @Test
    void onlyBusinessCustomersInTheGroupsCurrencyJoin() {
        String payer = business("Payer");
        String group = group("USD group", payer, "USD").path("id").asText();
        String person = individual("Ian");
        String euro = business("Euro");
        charged(euro, "EUR");

        assertProblem(api.post("/billing-groups/" + group + "/members", "{\"customerId\": \"" + person + "\"}"), 400, "customerId");
        assertProblem(api.post("/billing-groups/" + group + "/members", "{\"customerId\": \"" + euro + "\"}"), 400, "customerId");
        assertProblem(api.post("/billing-groups/" + group + "/members", "{\"customerId\": \"cus_nope\"}"), 400, "customerId");
        assertProblem(api.post("/billing-groups/" + group + "/members", "{}"), 400, "customerId");
        var profile = api.get("/customers/" + euro);
        assertProblem(api.patch("/customers/" + euro, "{\"billingGroupId\": \"" + group + "\"}", profile.header("etag")), 400, "billingGroupId");
        assertThat(members(group)).isEmpty();

        // A deleted member leaves the group's members.
        String leaving = business("Leaving");
        assertThat(api.post("/billing-groups/" + group + "/members", "{\"customerId\": \"" + leaving + "\"}").status()).isEqualTo(200);
        assertThat(api.delete("/customers/" + leaving).status()).isEqualTo(204);
        assertThat(members(group)).isEmpty();
    }
}
