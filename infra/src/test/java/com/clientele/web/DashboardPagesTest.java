package com.clientele.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The tenant-wide pages in a real browser: analytics, settings (by role), at laptop and tablet widths. */
class DashboardPagesTest extends DashboardTest {

    private String customerWhoPaid(String email, long amount) {
        String id = api.post("/customers", """
                {"firstName": "Mae", "lastName": "Jemison", "email": "%s", "phone": "+14155550123"}""".formatted(email))
                .json().path("id").asText();
        saveCard(id, "4242424242424242");
        charge(id, amount);
        return id;
    }

    @Test
    void analyticsDrawsItsChartsWithTheirNumbers() {
        customerWhoPaid("mae@example.com", 12_000);
        customerWhoPaid("sally@example.com", 3_000);
        openBrowser();
        browser.signIn(tenant, "alice", "manager").go("#/analytics");
        assertThat(browser.waitForText(By.id("analytics-total"), "2")).isEqualTo("2");
        browser.waiting(Duration.ofSeconds(20)).until(driver -> Boolean.TRUE.equals(browser.script(
                "return ['chart-ltv','chart-new','chart-revenue','chart-churn','chart-segments','chart-journeys']"
                        + ".every(id => window.Chart && Chart.getChart(document.getElementById(id)))")));
        Object newThisMonth = browser.script("const c = Chart.getChart(document.getElementById('chart-new'));"
                + " return c.data.datasets[0].data[c.data.datasets[0].data.length - 1];");
        assertThat(((Number) newThisMonth).intValue()).isEqualTo(2);
        browser.screenshot("analytics");
    }

    @Test
    void settingsShowProblemsBesideTheirFieldsAndOnlyToRolesThatMayChangeThem() {
        openBrowser();
        browser.signIn(tenant, "alice", "admin").go("#/settings/loyalty");
        browser.fill(By.id("loyalty-settings-lotLifetimeMonths"), "0");
        browser.click(By.cssSelector("#loyalty-settings button[type=submit]"));
        assertThat(browser.find(By.id("loyalty-settings-lotLifetimeMonths-error")).getText()).isNotBlank();
        browser.fill(By.id("loyalty-settings-lotLifetimeMonths"), "18");
        browser.click(By.cssSelector("#loyalty-settings button[type=submit]"));
        browser.waitForPageText("Saved.");
        assertThat(api.get("/loyalty/settings").json().path("lotLifetimeMonths").asInt()).isEqualTo(18);
        browser.go("#/settings/webhooks");
        browser.find(By.id("new-webhook"));
        browser.screenshot("settings");

        browser.signIn(tenant, "victor", "viewer").go("#/settings/loyalty");
        browser.find(By.id("loyalty-settings"));
        assertThat(browser.driver().findElements(By.cssSelector("#loyalty-settings button[type=submit]"))).isEmpty();
        var fieldset = browser.find(By.id("loyalty-settings-lotLifetimeMonths")).findElement(By.xpath("ancestor::fieldset"));
        assertThat(fieldset.getDomProperty("disabled")).isEqualTo("true");
        assertThat(browser.driver().findElements(By.linkText("Webhook endpoints"))).isEmpty();
    }

    @Test
    void anExpiredSessionAsksToSignInAgainAndKeepsTheForm() {
        openBrowser(820, 1100);
        browser.signIn(tenant, "alice", "admin").go("#/customers");
        browser.click(By.xpath("//button[text()='New customer']"));
        browser.fill(By.id("new-customer-firstName"), "Katherine");
        browser.fill(By.id("new-customer-lastName"), "Johnson");
        browser.fill(By.id("new-customer-email"), "katherine@example.com");
        browser.fill(By.id("new-customer-phone"), "+14155550199");
        // the token runs out (here: one the API refuses) while the form is being filled
        browser.script("const s = JSON.parse(sessionStorage.getItem('clientele.session'));"
                + " s.token = s.token.slice(0, -4) + 'AAAA'; sessionStorage.setItem('clientele.session', JSON.stringify(s));");
        browser.click(By.cssSelector("#new-customer-form button[type=submit]"));
        browser.find(By.id("sign-in-form"));
        browser.screenshot("signin-again");
        browser.fill(By.id("sign-in-tenantId"), tenant);
        browser.fill(By.id("sign-in-userId"), "alice");
        browser.click(By.cssSelector("#sign-in-form button[type=submit]"));
        browser.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("#/customers"));
        browser.click(By.xpath("//button[text()='New customer']"));
        assertThat(browser.find(By.id("new-customer-email")).getAttribute("value")).isEqualTo("katherine@example.com");
        browser.click(By.cssSelector("#new-customer-form button[type=submit]"));
        browser.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("#/customers/cus_"));
        browser.waitForText(By.id("profile-name"), "Katherine Johnson");
        browser.screenshot("profile-tablet");
    }

    @Test
    void anOutageShowsARetryNotABlankPage() {
        openBrowser();
        browser.signIn(tenant, "alice", "admin").go("#/customers");
        browser.find(By.cssSelector(".customers-table"));
        // the API goes away: every fetch fails as a lost connection does
        browser.script("window.__fetch = window.fetch; window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));");
        browser.go("#/analytics");
        browser.find(By.xpath("//article[@role='alert']//button[text()='Retry']"));
        browser.script("window.fetch = window.__fetch;");
        browser.click(By.xpath("//article[@role='alert']//button[text()='Retry']"));
        browser.find(By.id("analytics-total"));
    }
}
