package com.clientele.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.e2e.Api;
import com.clientele.e2e.TestCloud;
import com.clientele.local.LocalCloud;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What the dashboard's browser tests share: the suite's local cloud, a tenant of the test's own,
 * an admin's API client to seed it, and the browser, closed after each test with a screenshot.
 */
abstract class DashboardTest {

    protected final LocalCloud cloud = TestCloud.embedded();
    protected final String tenant = "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    protected final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
    protected Browser browser;

    /** Opens the browser on the local cloud's dashboard, {@code width}×{@code height}. */
    protected Browser openBrowser(int width, int height) {
        browser = Browser.open(cloud.apiUrl().toString(), width, height);
        return browser;
    }

    protected Browser openBrowser() {
        return openBrowser(1366, 900);
    }

    @AfterEach
    void closeBrowser(TestInfo test) {
        if (browser != null) {
            browser.closeAfter(test);
        }
    }

    /** Saves the sandbox card {@code number} on the customer. */
    protected void saveCard(String customerId, String number) {
        var reply = api.post("/customers/" + customerId + "/payment-methods", """
                {"card": {"number": "%s", "expMonth": 12, "expYear": 2034, "cvc": "123"}}""".formatted(number));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    }

    /** Charges the customer's default card {@code cents} USD; the payment's id. */
    protected String charge(String customerId, long cents) {
        var reply = api.send("POST", "/customers/" + customerId + "/charges",
                "{\"amount\": {\"amount\": " + cents + ", \"currency\": \"USD\"}, \"description\": \"Order " + cents + "\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }
}
