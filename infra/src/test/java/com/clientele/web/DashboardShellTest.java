package com.clientele.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** The dashboard's shell in a real browser: served by the local cloud, signed in, its customers page. */
class DashboardShellTest extends DashboardTest {

    @Test
    void theLocalCloudServesTheSiteWithItsLibrariesAndAStrictPolicy() throws Exception {
        var http = HttpClient.newHttpClient();
        var index = http.send(HttpRequest.newBuilder(URI.create(cloud.apiUrl() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("/assets/app.js");
        assertThat(index.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'");
        for (String asset : new String[] {"/assets/vendor/lit-html/lit-html.js", "/assets/vendor/picocss__pico/css/pico.min.css",
                "/assets/vendor/chart.js/dist/chart.umd.min.js", "/config.json"}) {
            var answer = http.send(HttpRequest.newBuilder(URI.create(cloud.apiUrl() + asset)).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(answer.statusCode()).as(asset).isEqualTo(200);
        }
        var escape = http.send(HttpRequest.newBuilder(URI.create(cloud.apiUrl() + "/assets/..%2f..%2fMETA-INF/MANIFEST.MF")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(escape.statusCode()).isEqualTo(404);
    }

    @Test
    void aSignedInUserSeesTheCustomersTableAndAViewerIsNotOfferedChanges() {
        openBrowser();
        browser.go("#/customers");
        browser.find(By.id("sign-in-form"));
        browser.signIn(tenant, "alice", "admin");
        browser.click(By.xpath("//button[text()='New customer']"));
        browser.fill(By.id("new-customer-firstName"), "Grace");
        browser.fill(By.id("new-customer-lastName"), "Hopper");
        browser.fill(By.id("new-customer-email"), "not an email");
        browser.fill(By.id("new-customer-phone"), "+12025550123");
        browser.click(By.cssSelector("#new-customer-form button[type=submit]"));
        assertThat(browser.find(By.id("new-customer-email-error")).getText()).isNotBlank();
        browser.fill(By.id("new-customer-email"), "grace@hopper.example");
        browser.click(By.cssSelector("#new-customer-form button[type=submit]"));
        browser.waiting(java.time.Duration.ofSeconds(20)).until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("#/customers/cus_"));
        browser.go("#/customers");
        browser.waitForText(By.cssSelector(".customers-table tbody"), "grace@hopper.example");
        assertThat(browser.find(By.id("kpi-customers")).getText()).isEqualTo("1");
        browser.screenshot("customers");

        browser.signIn(tenant, "victor", "viewer");
        browser.go("#/customers");
        browser.waitForText(By.cssSelector(".customers-table tbody"), "grace@hopper.example");
        assertThat(browser.driver().findElements(By.xpath("//button[text()='New customer']"))).isEmpty();
        assertThat(browser.driver().findElements(By.xpath("//a[text()='Settings']"))).isNotEmpty();
        assertThat(browser.driver().findElements(By.cssSelector(".customers-table input[type=checkbox]"))).isEmpty();
    }
}
