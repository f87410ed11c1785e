package com.clientele.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.shared.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.Select;

/**
 * The profile's points, notes and activity tabs in a real browser against the local cloud: a charge
 * made over HTTP earns points that the loyalty tab shows, a redemption needs the code the customer
 * was mailed, a note is changed by its author only, and the activity tab shows the charge and its receipt.
 */
class ProfileLoyaltyTest extends DashboardTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A customer with a saved card, charged {@code cents} USD once; its id. */
    private String chargedCustomer(String email, long cents) {
        String id = api.post("/customers", """
                {"firstName": "Lin", "lastName": "Chen", "email": "%s", "phone": "+14155550177"}""".formatted(email))
                .json().path("id").asText();
        var card = api.post("/customers/" + id + "/payment-methods", """
                {"card": {"number": "4242424242424242", "expMonth": 12, "expYear": 2034, "cvc": "123", "holderName": "Lin Chen"},
                 "billingAddress": {"line1": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"}}""");
        assertThat(card.status()).as(card.toString()).isEqualTo(201);
        var charge = api.send("POST", "/customers/" + id + "/charges", "{\"amount\": {\"amount\": " + cents + ", \"currency\": \"USD\"}}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(charge.status()).as(charge.toString()).isEqualTo(201);
        return id;
    }

    /** A screenshot of the whole page at {@code width} pixels (the window made as tall as the page). */
    private void screenshot(String name, int width) {
        var window = browser.driver().manage().window();
        var before = window.getSize();
        window.setSize(new Dimension(width, before.getHeight()));
        long height = (Long) browser.script("window.scrollTo(0, 0); return document.documentElement.scrollHeight;");
        window.setSize(new Dimension(width, (int) Math.min(height + 140, 6000)));
        browser.screenshot(name);
        window.setSize(before);
    }

    private String text(By by) {
        return browser.find(by).getText();
    }

    /** Clicks {@code refresh} until {@code by} shows {@code expected} (what a queue brings a moment later). */
    private void refreshUntil(By refresh, By by, String expected) {
        browser.waiting(Duration.ofSeconds(40)).pollingEvery(Duration.ofSeconds(1)).until(driver -> {
            if (driver.findElements(by).stream().anyMatch(e -> e.getText().contains(expected))) {
                return true;
            }
            driver.findElements(refresh).forEach(button -> button.click());
            return false;
        });
    }

    /** The one-time code in the newest "redeem points" email the local mail server received for {@code to}. */
    private String mailedCode(String to) throws Exception {
        var deadline = Instant.now().plusSeconds(30);
        var code = Pattern.compile("code is (\\d{6})");
        while (Instant.now().isBefore(deadline)) {
            var reply = HTTP.send(HttpRequest.newBuilder(cloud.apiUrl().resolve("/_local/mail?to=" + to)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (var mail : Json.MAPPER.readTree(reply.body()).path("data")) {
                var found = code.matcher(mail.path("text").asText());
                if (mail.path("subject").asText().contains("redeem points") && found.find()) {
                    return found.group(1);
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no code was mailed to " + to);
    }

    @Test
    void pointsEarnedByAChargeAreRedeemedWithTheCodeMailedToTheCustomer() throws Exception {
        assertThat(api.send("PUT", "/loyalty/settings", """
                {"pointsPerUnit": 1, "rounding": "DOWN", "lotLifetimeMonths": 12, "referrerBonus": 0,
                 "refereeBonus": 0, "otpRequired": true, "pointValue": {"amount": 5, "currency": "USD"}}""").status()).isEqualTo(200);
        assertThat(api.send("PUT", "/loyalty/tiers", """
                {"basis": "lifetime_points", "tiers": [{"key": "member", "name": "Member", "threshold": 0},
                 {"key": "silver", "name": "Silver", "threshold": 100}], "downgrade": {"policy": "none"}}""").status()).isEqualTo(200);
        var campaign = api.send("POST", "/campaigns", """
                {"name": "Ten off", "startsAt": "2020-01-01T00:00:00Z",
                 "coupon": {"type": "amount_off", "amountOff": {"amount": 1000, "currency": "USD"}}}""",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(campaign.status()).as(campaign.toString()).isEqualTo(201);
        String email = "lin@" + tenant + ".example";
        String id = chargedCustomer(email, 12_000);
        openBrowser();
        browser.signIn(tenant, "alice", "manager");
        browser.go("#/customers/" + id + "/loyalty");
        refreshUntil(By.id("points-refresh"), By.id("points-available"), "120");
        refreshUntil(By.id("points-refresh"), By.id("tier-name"), "Silver");
        assertThat(text(By.id("points-lifetime"))).isEqualTo("120");
        assertThat(text(By.id("points-expired"))).isEqualTo("0");
        browser.waitForText(By.cssSelector("#points-statement tbody tr:first-child"), "EARN");
        assertThat(text(By.cssSelector("#points-statement tbody tr:first-child .points-left"))).isEqualTo("120");
        assertThat(text(By.id("referral-code"))).matches("[0-9A-Z]{8}");

        new Select(browser.find(By.id("otp-send-channel"))).selectByValue("email");
        browser.click(By.cssSelector("#otp-form button[type=submit]"));
        browser.waitForText(By.id("otp-sent"), "by email");
        String code = mailedCode(email);
        browser.waitForText(By.id("customer-otps"), "valid until");

        browser.fill(By.id("redeem-points"), "50").fill(By.id("redeem-reason"), "Coffee");
        browser.fill(By.id("redeem-code"), code.equals("000000") ? "111111" : "000000");
        browser.click(By.cssSelector("#redeem-form button[type=submit]"));
        assertThat(browser.waitForText(By.id("redeem-code-error"), "not the one sent")).isNotBlank();

        browser.fill(By.id("redeem-points"), "5000").fill(By.id("redeem-code"), code);
        browser.click(By.cssSelector("#redeem-form button[type=submit]"));
        assertThat(browser.waitForText(By.id("redeem-points-error"), "120 points available")).isNotBlank();
        screenshot("profile-loyalty-problems", 1366);

        browser.fill(By.id("redeem-points"), "50").fill(By.id("redeem-code"), code);
        browser.click(By.cssSelector("#redeem-form button[type=submit]"));
        browser.waitForText(By.id("points-result"), "Redeemed 50 points");
        browser.waitForText(By.id("points-available"), "70");
        browser.waitForText(By.cssSelector("#points-statement tbody tr:first-child"), "REDEEM");
        assertThat(text(By.cssSelector("#points-statement tbody tr:first-child .points-left"))).isEqualTo("70");
        assertThat(text(By.cssSelector("#points-statement tbody tr:last-child .points-left"))).isEqualTo("120");
        assertThat(browser.driver().findElements(By.id("redeem-points-error"))).isEmpty();
        browser.waitForText(By.id("customer-otps"), "used");
        assertThat(text(By.id("profile-points"))).isEqualTo("70");

        browser.fill(By.id("adjust-points"), "-5").fill(By.id("adjust-reason"), "Goodwill error");
        browser.click(By.cssSelector("#adjust-form button[type=submit]"));
        browser.waitForText(By.id("points-available"), "65");

        new Select(browser.find(By.id("tier-key"))).selectByValue("member");
        browser.fill(By.id("tier-reason"), "Kept at member while the account is reviewed");
        browser.click(By.cssSelector("#tier-form button[type=submit]"));
        assertThat(browser.waitForText(By.id("tier-name"), "set by hand")).contains("Member", "while the account is reviewed");
        browser.click(By.id("tier-automatic"));
        browser.click(By.cssSelector("dialog button[value=ok]"));
        browser.waitForText(By.id("tier-name"), "Silver");
        assertThat(text(By.id("tier-name"))).doesNotContain("set by hand");

        browser.waitForText(By.id("coupon-form"), "Ten off");
        browser.click(By.cssSelector("#coupon-form button[type=submit]"));
        browser.waitForText(By.id("coupon-result"), "given");
        assertThat(browser.waitForText(By.id("customer-coupons"), "available")).contains("$10.00 off");
        screenshot("profile-loyalty", 1366);
        screenshot("profile-loyalty-tablet", 820);

        browser.signIn(tenant, "carol", "cashier");
        browser.go("#/customers/" + id + "/loyalty");
        browser.find(By.id("redeem-form"));
        browser.waitForText(By.id("points-available"), "65");
        assertThat(browser.driver().findElements(By.id("adjust-form"))).isEmpty();
        assertThat(browser.driver().findElements(By.id("tier-form"))).isEmpty();
        assertThat(browser.driver().findElements(By.id("coupon-form"))).isEmpty();
        assertThat(text(By.id("customer-coupons"))).contains("available");
    }

    @Test
    void onlyTheAuthorOfANoteIsOfferedItsEditAndDeleteAndTheActivityTabShowsTheChargeAndItsReceipt() {
        String id = chargedCustomer("ada@" + tenant + ".example", 2_500);
        openBrowser();
        browser.signIn(tenant, "alice", "cashier");
        browser.go("#/customers/" + id + "/notes");
        browser.waitForText(By.id("notes-list"), "No notes yet");
        new Select(browser.find(By.id("note-new-type"))).selectByValue("meeting");
        browser.fill(By.id("note-new-summary"), "Asked about the gold tier");
        browser.fill(By.id("note-new-followUp"), "Call back on Friday");
        browser.click(By.cssSelector("#note-new-form button[type=submit]"));
        browser.waitForText(By.id("notes-list"), "Asked about the gold tier");
        assertThat(text(By.id("notes-list"))).contains("Meeting", "by alice", "Call back on Friday");

        browser.click(By.cssSelector("#notes-list .note-edit"));
        browser.fill(By.id("note-edit-summary"), "Asked about the gold tier and its multiplier");
        browser.click(By.cssSelector("#note-edit-form button[type=submit]"));
        browser.waitForText(By.id("notes-result"), "Note saved");
        browser.waitForText(By.id("notes-list"), "Asked about the gold tier and its multiplier");
        assertThat(text(By.id("notes-list"))).contains("edited");
        screenshot("profile-notes", 1366);

        browser.signIn(tenant, "bob", "cashier");
        browser.go("#/customers/" + id + "/notes");
        browser.waitForText(By.id("notes-list"), "and its multiplier");
        browser.find(By.id("note-new-form"));
        assertThat(browser.driver().findElements(By.cssSelector("#notes-list .note-edit"))).isEmpty();
        assertThat(browser.driver().findElements(By.cssSelector("#notes-list .note-delete"))).isEmpty();

        // A page opened by alice, then used by bob (another sign-in in the same tab): the API refuses, kindly said.
        browser.signIn(tenant, "alice", "cashier");
        browser.go("#/customers/" + id + "/notes");
        browser.click(By.cssSelector("#notes-list .note-edit"));
        browser.script("sessionStorage.setItem('clientele.session', JSON.stringify({token: arguments[0], expiresAt: null}))",
                cloud.tokenOfRole(tenant, "bob", "cashier"));
        browser.fill(By.id("note-edit-summary"), "Bob was here");
        browser.click(By.cssSelector("#note-edit-form button[type=submit]"));
        browser.waitForText(By.id("notes-result"), "Only the author of a note may change or delete it");
        assertThat(text(By.id("notes-list"))).contains("and its multiplier").doesNotContain("Bob was here");
        assertThat(browser.driver().findElements(By.id("note-edit-form"))).isEmpty();

        browser.go("#/customers/" + id + "/activity");
        browser.waitForText(By.id("activity-feed"), "payment.succeeded");
        assertThat(text(By.id("activity-feed"))).contains("note.added");
        refreshUntil(By.id("activity-refresh"), By.id("communications"), "Your receipt for");
        assertThat(text(By.id("communications"))).contains("email", "ada@");
        refreshUntil(By.id("activity-refresh"), By.id("journeys"), "New");
        screenshot("profile-activity", 1366);
    }
}
