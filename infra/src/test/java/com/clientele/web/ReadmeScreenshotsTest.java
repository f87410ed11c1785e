package com.clientele.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.e2e.Api;
import com.clientele.e2e.TestCloud;
import com.clientele.local.LocalCloud;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The README's two pictures, of a tenant with a few paying customers: the customers page and a
 * profile. They land in target/screenshots/readme-*.png (docs/images holds the committed copies);
 * the test also checks what they show.
 */
class ReadmeScreenshotsTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "acme" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private String customerWhoPaid(String first, String last, String email, String company, long... amounts) {
        String body = """
                {"type": "%s", "firstName": "%s", "lastName": "%s", "email": "%s", "phone": "+14155550100"%s}"""
                .formatted(company == null ? "individual" : "business", first, last, email,
                        company == null ? "" : ", \"company\": {\"name\": \"" + company + "\"}");
        String id = api.post("/customers", body).json().path("id").asText();
        assertThat(api.post("/customers/" + id + "/payment-methods", """
                {"card": {"number": "4242424242424242", "expMonth": 12, "expYear": 2034, "cvc": "123"}}""").status()).isEqualTo(201);
        for (long amount : amounts) {
            assertThat(api.send("POST", "/customers/" + id + "/charges", "{\"amount\": {\"amount\": " + amount + ", \"currency\": \"USD\"}}",
                    "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(201);
        }
        return id;
    }

    @Test
    void theCustomersPageAndAProfile() {
        customerWhoPaid("Ada", "Lovelace", "ada@example.com", null, 4_900);
        customerWhoPaid("Alan", "Turing", "alan@example.com", null, 12_000, 8_900);
        customerWhoPaid("Katherine", "Johnson", "katherine@example.com", null, 2_500);
        String grace = customerWhoPaid("Grace", "Hopper", "grace@hopper.example", "Hopper Analytics", 8_900, 25_000, 14_900);
        com.clientele.e2e.Eventually.get(() -> api.get("/customers/" + grace).json(),
                c -> c.path("stats").path("ltv").path("amount").asLong() == 48_800 && c.path("pointsAvailable").asInt() == 488);
        try (var browser = Browser.open(cloud.apiUrl().toString(), 1366, 820)) {
            browser.signIn(tenant, "alice", "manager").go("#/customers?sort=-ltv");
            browser.waitForText(By.cssSelector(".customers-table tbody tr:first-child"), "Grace Hopper");
            assertThat(browser.find(By.id("kpi-customers")).getText()).isEqualTo("4");
            browser.screenshot("readme-customers");
            browser.go("#/customers/" + grace);
            assertThat(browser.waitForText(By.id("profile-ltv"), "488.00")).contains("$488.00");
            browser.waiting(Duration.ofSeconds(20)).until(d -> !d.findElements(By.id("last-activities")).isEmpty());
            browser.screenshot("readme-profile");
        }
    }
}
