package com.clientele.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.e2e.Api;
import java.time.Duration;
import java.time.Year;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The profile's money and privacy tabs in a real browser: save a card, charge it and watch the
 * lifetime value move, a decline that offers another card, a partial refund, an edit that meets
 * someone else's change, a merge after its preview, the data export and the erasure.
 */
class ProfileMoneyTest extends DashboardTest {

    private String customer(String first, String last, String email) {
        var created = api.post("/customers", """
                {"firstName": "%s", "lastName": "%s", "email": "%s", "phone": "+12025550123"}""".formatted(first, last, email));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private Api.Reply idempotent(String path, String body) {
        var reply = api.send("POST", path, body, "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(reply.status()).as(path + " " + reply).isBetween(200, 201);
        return reply;
    }

    private void addCardInTheBrowser(String number) {
        browser.click(By.id("add-card"));
        browser.fill(By.id("add-card-number"), number);
        new Select(browser.find(By.id("add-card-expMonth"))).selectByValue("12");
        new Select(browser.find(By.id("add-card-expYear"))).selectByValue(String.valueOf(Year.now().getValue() + 3));
        browser.fill(By.id("add-card-cvc"), "123");
        browser.fill(By.id("add-card-holderName"), "Grace Hopper");
        browser.click(By.cssSelector("#add-card-form button[type=submit]"));
        browser.waitForText(By.id("cards-table"), number.substring(12));
    }

    private void chargeWith(String last4, String amount) {
        var cards = new Select(browser.find(By.id("charge-paymentMethodId")));
        cards.getOptions().stream().filter(o -> o.getText().contains(last4)).findFirst().orElseThrow().click();
        browser.fill(By.id("charge-amount"), amount);
        browser.fill(By.id("charge-description"), "Phone order");
        browser.click(By.cssSelector("#charge-form button[type=submit]"));
    }

    private void confirm() {
        browser.click(By.cssSelector("dialog[open] button[value=ok]"));
    }

    @Test
    void aCashierSavesACardAndChargesItTheLifetimeValueMovesADeclineOffersAnotherCardAndAManagerRefunds() {
        String id = customer("Grace", "Hopper", "grace@cards.example");
        openBrowser();
        browser.signIn(tenant, "carol", "cashier");
        browser.go("#/customers/" + id + "/cards");
        browser.find(By.id("no-cards"));
        addCardInTheBrowser("4242424242424242");
        addCardInTheBrowser("4000000000000341");
        String stored = String.valueOf(browser.script("return JSON.stringify(sessionStorage) + JSON.stringify(localStorage)"));
        assertThat(stored).doesNotContain("4242424242424242").doesNotContain("4000000000000341");

        chargeWith("4242", "12.50");
        assertThat(browser.waitForText(By.id("charge-result"), "Charged")).contains("$12.50").contains("Visa •••• 4242");
        browser.waitForText(By.id("profile-ltv"), "$12.50");
        browser.screenshot("profile-cards");

        chargeWith("0341", "5.00");
        assertThat(browser.waitForText(By.id("charge-declined"), "Try another card")).contains("card_declined");
        browser.screenshot("profile-cards-declined");
        browser.click(By.id("try-another-card"));
        assertThat(browser.script("return document.activeElement.id")).isEqualTo("charge-paymentMethodId");
        assertThat(browser.driver().findElements(By.id("charge-declined"))).isEmpty();

        idempotent("/guest-payments", """
                {"email": "someone@guest.example", "phone": "+14155550123", "amount": {"amount": 1500, "currency": "USD"},
                 "card": {"number": "4242424242424242", "expMonth": 12, "expYear": 2034, "cvc": "123"}}""");
        browser.signIn(tenant, "mia", "manager");
        browser.go("#/customers/" + id + "/payments");
        assertThat(browser.waitForText(By.id("guest-payments-table"), "someone@guest.example")).contains("$15.00").contains("card");
        browser.waitForText(By.id("payments-table"), "card declined");
        browser.click(By.xpath("//table[@id='payments-table']//button[starts-with(normalize-space(.), 'Refund')]"));
        browser.fill(By.id("refund-amount"), "2.50");
        browser.fill(By.id("refund-reason"), "Damaged box");
        browser.click(By.cssSelector("#refund-form button[type=submit]"));
        assertThat(browser.find(By.cssSelector("dialog[open] h2")).getText()).isEqualTo("Refund $2.50?");
        confirm();
        browser.waitForText(By.id("refund-result"), "Refunded $2.50");
        browser.waitForText(By.id("payments-table"), "partially refunded");
        browser.waitForText(By.id("profile-ltv"), "$10.00");

        new Select(browser.find(By.id("payment-filter-status"))).selectByValue("failed");
        browser.waitForText(By.id("payments-table"), "card declined");
        browser.waiting(Duration.ofSeconds(20)).until(d -> !d.findElement(By.id("payments-table")).getText().contains("partially"));
        assertThat(browser.driver().findElements(By.cssSelector("#payments-table tbody tr"))).hasSize(1);
        browser.screenshot("profile-payments");
    }

    @Test
    void anEditThatMeetsSomeoneElsesChangeIsShownKindlyAndWhatWasTypedIsKept() {
        String id = customer("Ada", "Lovelace", "ada@details.example");
        openBrowser();
        browser.signIn(tenant, "mia", "manager");
        browser.go("#/customers/" + id + "/details");
        browser.fill(By.id("customer-details-email"), "ada.new@details.example");

        var read = api.get("/customers/" + id);
        var changed = api.patch("/customers/" + id, "{\"phone\": \"+12025550199\"}", read.header("ETag"));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);

        browser.click(By.cssSelector("#customer-details-form button[type=submit]"));
        assertThat(browser.waitForText(By.id("details-conflict"), "Changed by someone else since you opened it")).contains("Phone");
        assertThat(browser.find(By.id("customer-details-phone")).getDomProperty("value")).isEqualTo("+12025550199");
        assertThat(browser.find(By.id("customer-details-email")).getDomProperty("value")).isEqualTo("ada.new@details.example");
        browser.screenshot("profile-details-conflict");

        browser.click(By.cssSelector("#customer-details-form button[type=submit]"));
        browser.waitForText(By.id("details-saved"), "Saved");
        var now = api.get("/customers/" + id).json();
        assertThat(now.path("email").asText()).isEqualTo("ada.new@details.example");
        assertThat(now.path("phone").asText()).isEqualTo("+12025550199");

        browser.click(By.xpath("//button[text()='Add address']"));
        browser.fill(By.id("customer-details-a0-line1"), "12 Analytical Row");
        browser.fill(By.id("customer-details-a0-city"), "London");
        browser.fill(By.id("customer-details-a0-country"), "gb");
        browser.click(By.cssSelector("#customer-details-form button[type=submit]"));
        browser.waitForText(By.id("details-saved"), "Saved");
        assertThat(api.get("/customers/" + id).json().path("addresses").path(0).path("country").asText()).isEqualTo("GB");
        browser.screenshot("profile-details");
    }

    @Test
    void aDuplicateIsMergedAfterItsPreviewTheDataIsExportedAndTheCustomerErased() {
        String primary = customer("Grace", "Hopper", "grace@merge.example");
        String duplicate = customer("Grace", "Hopper", "g.hopper@merge.example");
        saveCard(duplicate, "4242424242424242");
        idempotent("/customers/" + duplicate + "/charges", "{\"amount\": {\"amount\": 4200, \"currency\": \"USD\"}}");
        openBrowser();
        browser.signIn(tenant, "root", "admin");
        browser.go("#/customers/" + primary + "/privacy");

        browser.fill(By.id("merge-duplicateId"), duplicate);
        browser.click(By.cssSelector("#merge-form button[type=submit]"));
        browser.find(By.id("merge-preview"));
        assertThat(browser.find(By.cssSelector("#merge-preview [data-move=payments]")).getText()).isEqualTo("1");
        assertThat(api.get("/customers/" + duplicate).status()).as("the preview writes nothing").isEqualTo(200);
        browser.screenshot("profile-privacy-merge-preview");
        browser.click(By.id("confirm-merge"));
        assertThat(browser.find(By.cssSelector("dialog[open] h2")).getText()).contains(duplicate).contains("Grace Hopper");
        confirm();
        browser.waitForText(By.id("merge-result"), "Merged " + duplicate);
        assertThat(api.get("/customers/" + duplicate).json().path("code").asText()).isEqualTo("customer_merged");
        browser.waitForText(By.id("profile-ltv"), "$42.00");

        browser.click(By.id("data-export"));
        assertThat(browser.find(By.id("data-export-download")).getDomAttribute("href")).startsWith("blob:");

        browser.click(By.id("erase"));
        assertThat(browser.find(By.cssSelector("dialog[open] h2")).getText()).isEqualTo("Erase the personal data of Grace Hopper?");
        browser.screenshot("profile-privacy-erase-confirmation");
        confirm();
        browser.waitForText(By.id("erase-result"), "Erased");
        browser.waitForText(By.id("profile-name"), "Erased Customer");
        assertThat(api.get("/customers/" + primary).json().path("email").asText()).startsWith("erased+");
        browser.screenshot("profile-privacy");
    }

    @Test
    void theOrdersSubscriptionsAndInvoicesTabsShowTheRecordsWithWhatTheRoleMayDo() {
        String id = customer("Linus", "Torvalds", "linus@records.example");
        var addressed = api.patch("/customers/" + id, """
                {"addresses": [{"kind": "billing", "line1": "1 Kernel Way", "city": "Portland", "country": "US", "isDefault": true}]}""",
                api.get("/customers/" + id).header("ETag"));
        assertThat(addressed.status()).as(addressed.toString()).isEqualTo(200);
        saveCard(id, "4242424242424242");
        String product = idempotent("/products", "{\"name\": \"FlexBook 14\"}").json().path("id").asText();
        String monthly = idempotent("/prices", """
                {"productId": "%s", "currency": "USD", "unitAmount": 8900, "type": "recurring", "assetCost": 90000,
                 "recurring": {"interval": "month", "intervalCount": 1, "contractMonths": 12}}""".formatted(product)).json().path("id").asText();
        String once = idempotent("/prices", """
                {"productId": "%s", "currency": "USD", "unitAmount": 2500, "type": "one_time"}""".formatted(product)).json().path("id").asText();
        idempotent("/customers/" + id + "/subscriptions", "{\"priceId\": \"%s\", \"assetSerialNumber\": \"FB14-000123\"}".formatted(monthly));
        idempotent("/orders", "{\"customerId\": \"%s\", \"items\": [{\"priceId\": \"%s\", \"quantity\": 2}], \"pay\": true}".formatted(id, once));
        String invoice = idempotent("/invoices", """
                {"customerId": "%s", "currency": "USD", "lines": [{"description": "Setup", "quantity": 1, "unitAmount": 15000}]}"""
                .formatted(id)).json().path("id").asText();

        openBrowser(820, 1000);
        browser.signIn(tenant, "carol", "cashier");
        browser.go("#/customers/" + id + "/orders");
        assertThat(browser.waitForText(By.id("orders-table"), "FlexBook 14")).contains("2 × FlexBook 14").contains("$50.00");
        browser.screenshot("profile-orders");

        browser.go("#/customers/" + id + "/subscriptions");
        browser.waitForText(By.id("subscriptions-table"), "FlexBook 14");
        browser.click(By.xpath("//table[@id='subscriptions-table']//button[starts-with(normalize-space(.), 'Pause')]"));
        browser.waitForText(By.id("subscription-result"), "Paused");
        browser.waitForText(By.id("subscriptions-table"), "paused");
        browser.find(By.xpath("//table[@id='subscriptions-table']//button[starts-with(normalize-space(.), 'Resume')]"));
        browser.screenshot("profile-subscriptions");

        browser.go("#/customers/" + id + "/invoices");
        browser.waitForText(By.id("invoices-table"), "draft");
        browser.click(By.xpath("//table[@id='invoices-table']//button[starts-with(normalize-space(.), 'Finalise and email')]"));
        confirm();
        browser.waitForText(By.id("invoice-result"), "finalised");
        browser.waitForText(By.id("invoices-table"), "INV-");
        browser.click(By.xpath("//table[@id='invoices-table']//button[starts-with(normalize-space(.), 'Download PDF')]"));
        browser.waiting(Duration.ofSeconds(60)).until(d -> !d.findElements(By.cssSelector("#invoice-pdf a")).isEmpty());
        String link = browser.find(By.cssSelector("#invoice-pdf a")).getDomAttribute("href");
        assertThat(link).contains(invoice);
        browser.screenshot("profile-invoices");

        browser.signIn(tenant, "victor", "viewer");
        browser.go("#/customers/" + id + "/subscriptions");
        browser.waitForText(By.id("subscriptions-table"), "FlexBook 14");
        assertThat(browser.driver().findElements(By.cssSelector("#subscriptions-table button"))).isEmpty();
        browser.go("#/customers/" + id + "/privacy");
        browser.waitForPageText("Your role may not merge, export or erase customers.");
    }
}
