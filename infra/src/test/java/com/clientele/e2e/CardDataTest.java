package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Card numbers and CVCs go to the gateway and nowhere else: after saving cards, charging them and
 * taking guest payments (including refused ones), neither is in the table, the logs, the events or
 * any response.
 */
class CardDataTest {

    private static final String SAVED = "5555555555554444";
    private static final String GUEST = "378282246310005";
    private static final String DECLINED = "4000000000009995";
    private static final String CVC = "8427";

    @Test
    void numbersAndCvcsAreNowhereButTheGateway() {
        var cloud = TestCloud.embedded();
        String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        var api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
        var captured = new CapturedOutput();
        var replies = new StringBuilder();
        try {
            String customerId = api.post("/customers", """
                    {"firstName": "Grace", "lastName": "Hopper", "email": "grace@example.com", "phone": "+14155550112"}""")
                    .json().path("id").asText();
            for (String number : new String[] {SAVED, DECLINED, "4242424242424241"}) {
                replies.append(api.post("/customers/" + customerId + "/payment-methods", """
                        {"card": {"number": "%s", "expMonth": 3, "expYear": 2035, "cvc": "%s"}}"""
                        .formatted(number, number.startsWith("3") ? CVC : CVC.substring(1))).text());
            }
            for (int i = 0; i < 2; i++) {
                replies.append(api.send("POST", "/customers/" + customerId + "/charges",
                        "{\"amount\": {\"amount\": 1000, \"currency\": \"USD\"}}", "Idempotency-Key", UUID.randomUUID().toString()).text());
            }
            replies.append(api.send("POST", "/guest-payments", """
                    {"email": "guest@example.com", "phone": "+14155550113", "amount": {"amount": 500, "currency": "USD"},
                     "card": {"number": "%s", "expMonth": 3, "expYear": 2035, "cvc": "%s"}}""".formatted(GUEST, CVC),
                    "Idempotency-Key", UUID.randomUUID().toString()).text());
            replies.append(api.send("POST", "/guest-payments", """
                    {"email": "guest@example.com", "phone": "+14155550113", "amount": {"amount": 500, "currency": "USD"},
                     "card": {"number": "%s", "expMonth": 3, "expYear": 2035, "cvc": "%s"}}""".formatted(DECLINED, CVC.substring(1)),
                    "Idempotency-Key", UUID.randomUUID().toString()).text());
        } finally {
            captured.close();
        }
        var events = new StringBuilder();
        for (String queue : EventInbox.QUEUES) {
            events.append(EventInbox.events(cloud, queue, tenant));
        }
        assertThat(events.toString()).contains("payment.succeeded");
        String table = tableDump(cloud);
        assertThat(table).contains(tenant);
        for (String text : new String[] {table, captured.text(), events.toString(), replies.toString()}) {
            assertThat(text).doesNotContain(SAVED).doesNotContain(GUEST).doesNotContain(DECLINED)
                    .doesNotContain("\"" + CVC + "\"").doesNotContain("\"" + CVC.substring(1) + "\"")
                    // no field of that name anywhere (ids, being random base32, may well spell "CVC")
                    .doesNotContainPattern("(?i)[\"\\s{,(]cvc[\"=:]");
        }
    }

    /** Every attribute of every item, one item per line. */
    private static String tableDump(com.clientele.local.LocalCloud cloud) {
        var dump = new StringBuilder();
        try (var dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            dynamo.scanPaginator(r -> r.tableName(cloud.resources().get("Table"))).items()
                    .forEach(item -> dump.append(item).append('\n'));
        }
        return dump.toString();
    }
}
