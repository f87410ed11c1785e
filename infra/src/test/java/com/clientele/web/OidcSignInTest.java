package com.clientele.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.e2e.TestCloud;
import com.clientele.local.LocalCloud;
import com.clientele.local.OidcSignIn;
import com.clientele.shared.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;

/**
 * The dashboard's OpenID Connect sign-in ({@code assets/oidc.js}) in headless Chromium, against a
 * local cloud started with {@code --oidc-issuer} and {@code --oidc-client-id} and a fake provider on
 * another origin: the authorization code comes back, is exchanged with the PKCE verifier, and the
 * token it gives is one the API accepts, so the app shows the signed-in user on the page the user
 * came for; a wrong verifier, a forged answer or a cancelled sign-in is refused and the app says why.
 */
class OidcSignInTest {

    private static final String CLIENT_ID = "clientele-dashboard";
    private static final String USER = "oidc-user";
    private static final By SIGN_IN = By.xpath("//button[text()='Sign in with your identity provider']");
    private static final By FAILURE = By.cssSelector("article.failure[role=alert]");

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FakeOpenIdProvider provider;
    private static LocalCloud cloud;
    private Browser browser;

    @BeforeAll
    static void start() throws Exception {
        String tenant = "oidc" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        provider = new FakeOpenIdProvider(CLIENT_ID, tenant, USER);
        cloud = LocalCloud.start(LocalCloud.Options.inMemory(TestCloud.template())
                .withOidc(new OidcSignIn(provider.issuer(), CLIENT_ID)));
        provider.tokensFrom(cloud.apiUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    @AfterEach
    void close(TestInfo test) {
        if (browser != null) {
            browser.screenshot("oidc-" + test.getTestMethod().orElseThrow().getName());
            browser.close();
        }
    }

    @Test
    void theLocalCloudNamesTheProviderInTheConfigurationAndLetsTheAppFetchFromIt() throws Exception {
        var config = HTTP.send(HttpRequest.newBuilder(cloud.apiUrl().resolve("/config.json")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(Json.MAPPER.readTree(config.body())).isEqualTo(Json.MAPPER.valueToTree(Map.of("signIn", "oidc",
                "issuer", provider.issuer().toString(), "clientId", CLIENT_ID, "scope", "openid", "apiUrl", "")));
        var index = HTTP.send(HttpRequest.newBuilder(cloud.apiUrl().resolve("/")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(index.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("connect-src 'self' " + provider.issuer() + ";");
    }

    @Test
    void theCodeIsExchangedWithTheVerifierAndTheAppShowsTheSignedInUserWhereTheyWereGoing() throws Exception {
        int authorizations = provider.authorizations().size();
        signInAtTheProvider();
        assertThat(browser.waitForText(By.id("signed-in-user"), USER)).isEqualTo(USER);

        assertThat(provider.authorizations()).hasSize(authorizations + 1);
        var authorization = provider.authorizations().getLast();
        assertThat(authorization).containsEntry("response_type", "code").containsEntry("client_id", CLIENT_ID)
                .containsEntry("redirect_uri", cloud.apiUrl() + "/").containsEntry("code_challenge_method", "S256")
                .containsEntry("scope", "openid");
        assertThat(authorization.get("code_challenge")).hasSize(43);
        assertThat(authorization.get("state")).hasSizeGreaterThanOrEqualTo(16);
        assertThat(provider.tokenAnswers()).endsWith(200);

        browser.waiting(Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().endsWith("/#/customers"));
        assertThat(browser.driver().getCurrentUrl()).as("the code and state are gone from the address")
                .isEqualTo(cloud.apiUrl() + "/#/customers");
        var session = Json.MAPPER.readTree(String.valueOf(browser.script("return sessionStorage.getItem('clientele.session');")));
        assertThat(session.path("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis() + 3_000_000);
        assertThat(browser.script("return sessionStorage.getItem('clientele.oidc');")).as("nothing pending is left").isNull();
        var customers = HTTP.send(HttpRequest.newBuilder(cloud.apiUrl().resolve("/customers"))
                .header("Authorization", "Bearer " + session.path("token").asText()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(customers.statusCode()).as(customers.body()).isEqualTo(200);
        browser.find(By.id("kpi-customers"));
    }

    @Test
    void aWrongVerifierIsRefusedByTheTokenEndpointAndTheAppSaysSo() {
        provider.mismatchNextChallenge();
        signInAtTheProvider();
        String shown = browser.waitForText(FAILURE, "invalid_grant");

        assertThat(shown).contains("did not issue a token", "code_verifier does not match");
        assertThat(provider.tokenAnswers()).endsWith(400);
        assertThat(browser.driver().findElements(By.id("signed-in-user"))).isEmpty();
        assertThat(browser.find(SIGN_IN).isDisplayed()).as("the user may sign in again").isTrue();
        assertThat(browser.script("return sessionStorage.getItem('clientele.session');")).isNull();
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("code=");
    }

    @Test
    void anAnswerThisTabDidNotAskForIsRefusedWithoutCallingTheProvider() {
        int exchanges = provider.tokenAnswers().size();
        browser = Browser.open(cloud.apiUrl().toString());
        browser.go("?code=stolen&state=forged#/customers");

        assertThat(browser.waitForText(FAILURE, "state mismatch")).contains("sign in again");
        assertThat(provider.tokenAnswers()).hasSize(exchanges);
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(cloud.apiUrl() + "/#/signin");
    }

    @Test
    void aSignInCancelledAtTheProviderIsShownAsItsRefusal() {
        int exchanges = provider.tokenAnswers().size();
        provider.denyNext();
        signInAtTheProvider();

        assertThat(browser.waitForText(FAILURE, "access_denied")).contains("refused the sign-in", "The user cancelled the sign-in");
        assertThat(provider.tokenAnswers()).hasSize(exchanges);
    }

    /** Opens the customers page signed out, which asks for a sign-in, and starts one at the provider. */
    private void signInAtTheProvider() {
        browser = Browser.open(cloud.apiUrl().toString());
        browser.go("#/customers");
        browser.click(SIGN_IN);
    }
}
