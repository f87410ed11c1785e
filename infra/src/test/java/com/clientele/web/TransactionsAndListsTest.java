package com.clientele.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Transactions (every payment of the tenant, filtered, each opening its view) and smart lists, in a real browser. */
class TransactionsAndListsTest extends DashboardTest {

    private String customer(String email, String type) {
        var reply = api.post("/customers", """
                {"type": "%s", "firstName": "Dorothy", "lastName": "Vaughan", "email": "%s", "phone": "+14155550100"%s}"""
                .formatted(type, email, type.equals("business") ? ", \"company\": {\"name\": \"Vaughan Computing\"}" : ""));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private String charge(String customer, String card, long amount) {
        saveCard(customer, card);
        return charge(customer, amount);
    }

    private int rows(String table) {
        return browser.driver().findElements(By.cssSelector(table + " tbody tr[data-payment-id], " + table + " tbody tr[data-customer-id]")).size();
    }

    @Test
    void transactionsListEveryPaymentFilteredAndOpenEach() {
        String big = charge(customer("dorothy@example.com", "individual"), "4242424242424242", 12_000);
        charge(customer("mary@example.com", "individual"), "5555555555554444", 3_000);
        openBrowser();
        browser.signIn(tenant, "victor", "viewer").go("#/transactions");
        browser.waiting(Duration.ofSeconds(20)).until(d -> rows("#transactions-table") == 2);
        assertThat(browser.find(By.cssSelector("#transactions-table tbody tr:first-child")).getText()).contains("30.00");

        browser.fill(By.id("transaction-filters-amountMin"), "50");
        browser.click(By.xpath("//form[@id='transaction-filters']//button[text()='Apply']"));
        browser.waiting(Duration.ofSeconds(20)).until(d -> rows("#transactions-table") == 1);
        assertThat(browser.find(By.cssSelector("#transactions-table tbody")).getText()).contains("120.00").doesNotContain("30.00");

        browser.go("#/transactions?last4=12a4");
        assertThat(browser.find(By.id("transaction-filters-last4-error")).getText()).isNotBlank();

        browser.go("#/transactions?last4=4242");
        browser.waiting(Duration.ofSeconds(20)).until(d -> rows("#transactions-table") == 1);
        browser.click(By.linkText("View transaction"));
        browser.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("#/transactions/" + big));
        assertThat(browser.waitForText(By.id("transaction-view"), "120.00")).contains("4242", "Order 12000");
        browser.screenshot("transaction");
    }

    @Test
    void aSavedSmartListReopensItsFiltersForTheTeam() {
        customer("dorothy@example.com", "business");
        customer("mary@example.com", "individual");
        openBrowser();
        browser.signIn(tenant, "alice", "manager").go("#/customers?type=business");
        browser.waiting(Duration.ofSeconds(20)).until(d -> rows(".customers-table") == 1);
        browser.click(By.xpath("//button[text()='Save as smart list']"));
        browser.fill(By.id("save-list-name"), "Businesses");
        browser.click(By.xpath("//button[text()='Save list']"));
        browser.waitForText(By.id("smart-lists"), "Businesses");

        // a second list of the same name, whatever its case, is refused beside the name
        browser.go("#/customers?type=individual");
        browser.waiting(Duration.ofSeconds(20)).until(d -> rows(".customers-table") == 1);
        browser.click(By.xpath("//button[text()='Save as smart list']"));
        browser.fill(By.id("save-list-name"), "BUSINESSES");
        browser.click(By.xpath("//button[text()='Save list']"));
        browser.find(By.cssSelector("[role=alert]"));

        browser.signIn(tenant, "bob", "cashier").go("#/lists");
        browser.click(By.linkText("Businesses"));
        browser.waiting(Duration.ofSeconds(20)).until(d -> rows(".customers-table") == 1);
        assertThat(browser.find(By.cssSelector(".customers-table tbody")).getText()).contains("dorothy@example.com");
        assertThat(browser.driver().getCurrentUrl()).contains("type=business");

        browser.signIn(tenant, "alice", "manager").go("#/lists");
        browser.click(By.xpath("//tr[td/a[text()='Businesses']]//button[text()='Rename']"));
        browser.fill(By.cssSelector("form[aria-label='Rename list'] input[name=name]"), "Business customers");
        browser.click(By.xpath("//button[text()='Save name']"));
        browser.waitForText(By.id("smart-lists"), "Business customers");
        browser.screenshot("smart-lists");
        browser.click(By.xpath("//tr[td/a[text()='Business customers']]//button[text()='Delete']"));
        browser.click(By.xpath("//dialog//button[text()='Delete']"));
        browser.waitForPageText("No smart lists yet.");
    }
}
