package com.clientele.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/** Every page and profile tab, as an admin sees it (the most controls): labels, names, one h1; the keyboard's way in. */
class AccessibilityTest extends DashboardTest {

    private static final List<String> PAGES = List.of("#/customers", "#/customers?top=100", "#/transactions", "#/lists", "#/analytics",
            "#/settings/loyalty", "#/settings/segments", "#/settings/dunning", "#/settings/campaigns", "#/settings/billing-groups",
            "#/settings/webhooks");
    private static final List<String> TABS = List.of("", "/details", "/cards", "/payments", "/orders", "/subscriptions", "/invoices",
            "/loyalty", "/notes", "/activity", "/privacy");


    @Test
    void everyPageLabelsItsControlsAndNamesItsButtons() {
        String id = api.post("/customers", """
                {"firstName": "Hedy", "lastName": "Lamarr", "email": "hedy@example.com", "phone": "+14155550142"}""").json().path("id").asText();
        openBrowser();
        browser.signIn(tenant, "alice", "admin");
        var faults = new ArrayList<String>();
        var routes = new ArrayList<>(PAGES);
        TABS.forEach(tab -> routes.add("#/customers/" + id + tab));
        for (String route : routes) {
            browser.go(route);
            browser.find(By.cssSelector("main h1"));
            browser.waiting(java.time.Duration.ofSeconds(20)).until(d -> d.findElements(By.cssSelector("[aria-busy=true]")).isEmpty());
            browser.accessibilityFaults().forEach(fault -> faults.add(route + " → " + fault));
        }
        assertThat(faults).isEmpty();
    }

    @Test
    void theKeyboardReachesTheContentFirstAndMovesFocusToEachNewPage() {
        openBrowser();
        browser.signIn(tenant, "alice", "admin").go("#/customers");
        browser.find(By.cssSelector(".customers-table"));
        assertThat(browser.script("return document.querySelector('a[href], button, input, select, textarea').textContent"))
                .isEqualTo("Skip to content");
        browser.script("document.querySelector('.skip-link').focus()");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        assertThat(browser.script("return document.activeElement.id")).isEqualTo("main");
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/customers");
        browser.click(By.linkText("Analytics"));
        browser.find(By.cssSelector("main h1"));
        assertThat(browser.script("return document.activeElement.id")).isEqualTo("main");
    }
}
