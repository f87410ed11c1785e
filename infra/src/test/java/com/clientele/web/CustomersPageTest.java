package com.clientele.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The customers page in a real browser: search and filters, export and its download, bulk delete. */
class CustomersPageTest extends DashboardTest {

    private String customer(String first, String last, String email, String type) {
        var reply = api.post("/customers", """
                {"type": "%s", "firstName": "%s", "lastName": "%s", "email": "%s", "phone": "+14155550100"%s}"""
                .formatted(type, first, last, email, type.equals("business") ? ", \"company\": {\"name\": \"" + last + " Ltd\"}" : ""));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("id").asText();
    }

    private int rows() {
        return browser.driver().findElements(By.cssSelector(".customers-table tbody tr[data-customer-id]")).size();
    }

    @Test
    void searchAndFiltersNarrowTheTableAndABadValueIsNamedBesideItsField() {
        customer("Ada", "Lovelace", "ada@example.com", "individual");
        customer("Grace", "Hopper", "grace@example.com", "business");
        customer("Alan", "Turing", "alan@example.com", "individual");
        openBrowser();
        browser.signIn(tenant, "alice", "manager").go("#/customers");
        browser.waitForText(By.cssSelector(".customers-table tbody"), "ada@example.com");
        assertThat(rows()).isEqualTo(3);

        browser.fill(By.id("customer-filters-q"), "grace@");
        browser.click(By.xpath("//form[@aria-label='Search and filter customers']//button[text()='Apply']"));
        browser.waiting(Duration.ofSeconds(20)).until(d -> rows() == 1);
        assertThat(browser.find(By.cssSelector(".customers-table tbody")).getText()).contains("Grace Hopper", "Hopper Ltd");
        assertThat(browser.find(By.id("kpi-customers")).getText()).isEqualTo("1");

        browser.go("#/customers?type=individual&sort=name");
        browser.waiting(Duration.ofSeconds(20)).until(d -> rows() == 2);
        assertThat(browser.find(By.cssSelector(".customers-table tbody tr:first-child")).getText()).contains("Ada Lovelace");

        // a range the API refuses: its problem shows beside the field it names, not a blank page
        browser.go("#/customers?ltvMin=5&ltvMax=1");
        assertThat(browser.find(By.id("customer-filters-ltvMax-error")).getText()).isNotBlank();
    }

    @Test
    void anExportShowsItsProgressAndOffersItsFile() throws Exception {
        customer("Ada", "Lovelace", "ada@example.com", "individual");
        customer("Grace", "Hopper", "grace@example.com", "business");
        openBrowser();
        browser.signIn(tenant, "alice", "manager").go("#/customers?type=business");
        browser.waiting(Duration.ofSeconds(20)).until(d -> rows() == 1);
        browser.click(By.xpath("//button[text()='Export CSV']"));
        browser.find(By.id("export-progress"));
        var download = new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), Duration.ofSeconds(90))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("export-download")));
        assertThat(browser.find(By.id("export-progress")).getDomProperty("value")).isEqualTo("100");
        browser.screenshot("customers-export");
        var csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(download.getAttribute("href"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).contains("grace@example.com").doesNotContain("ada@example.com");
    }

    @Test
    void selectedCustomersAreDeletedAfterAConfirmationAndACashierIsNotOfferedIt() {
        String ada = customer("Ada", "Lovelace", "ada@example.com", "individual");
        String grace = customer("Grace", "Hopper", "grace@example.com", "individual");
        customer("Alan", "Turing", "alan@example.com", "individual");
        openBrowser();
        browser.signIn(tenant, "alice", "manager").go("#/customers");
        browser.waiting(Duration.ofSeconds(20)).until(d -> rows() == 3);
        browser.click(By.cssSelector("tr[data-customer-id='" + ada + "'] input[type=checkbox]"));
        browser.click(By.cssSelector("tr[data-customer-id='" + grace + "'] input[type=checkbox]"));
        browser.click(By.id("bulk-delete"));
        browser.find(By.cssSelector("dialog[open]"));
        browser.screenshot("customers-bulk-delete");
        browser.click(By.xpath("//dialog//button[text()='Cancel']"));
        assertThat(api.get("/customers/" + ada).status()).isEqualTo(200);
        browser.click(By.id("bulk-delete"));
        browser.click(By.xpath("//dialog//button[text()='Delete']"));
        assertThat(browser.waitForText(By.id("bulk-result"), "2 deleted")).contains("2 deleted");
        browser.waiting(Duration.ofSeconds(20)).until(d -> rows() == 1);
        assertThat(api.get("/customers/" + ada).status()).isEqualTo(404);
        assertThat(api.get("/customers/" + grace).status()).isEqualTo(404);

        browser.signIn(tenant, "carl", "cashier").go("#/customers");
        browser.waiting(Duration.ofSeconds(20)).until(d -> rows() == 1);
        assertThat(browser.driver().findElements(By.cssSelector(".customers-table input[type=checkbox]"))).isEmpty();
        assertThat(browser.driver().findElements(By.xpath("//button[text()='Export CSV']"))).isEmpty();
    }
}
