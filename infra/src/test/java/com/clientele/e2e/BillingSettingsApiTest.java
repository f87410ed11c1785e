package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A tenant's billing settings over HTTP: the defaults until saved, a PUT of what GET returned, bad input named, tenants apart. */
class BillingSettingsApiTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "bill" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    @Test
    void theDefaultsUntilSavedThenTheTenantsOwn() {
        var defaults = api.get("/settings/billing");
        assertThat(defaults.status()).as(defaults.toString()).isEqualTo(200);
        assertThat(defaults.json().path("dunning").path("retryAfterDays").toString()).isEqualTo("[1,3,7]");
        assertThat(defaults.json().path("dunning").path("afterLastRetry").asText()).isEqualTo("cancel");
        assertThat(defaults.json().path("reminders").path("renewalDaysAhead").asInt()).isEqualTo(7);
        assertThat(defaults.json().path("reminders").path("contractEndDaysAhead").asInt()).isEqualTo(30);

        // what GET returned goes back as it is
        assertThat(api.send("PUT", "/settings/billing", defaults.text()).status()).isEqualTo(200);
        var saved = api.send("PUT", "/settings/billing", """
                {"dunning": {"retryAfterDays": [2, 5], "afterLastRetry": "leave_unpaid"},
                 "reminders": {"renewalDaysAhead": 3, "contractEndDaysAhead": 0}}""");
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(saved.json().path("updatedAt").asText()).isNotEmpty();
        var read = api.get("/settings/billing").json();
        assertThat(read.path("dunning").path("retryAfterDays").toString()).isEqualTo("[2,5]");
        assertThat(read.path("dunning").path("afterLastRetry").asText()).isEqualTo("leave_unpaid");
        assertThat(read.path("reminders").path("contractEndDaysAhead").asInt()).isZero();

        var other = new Api(cloud.apiUrl(), cloud.token(tenant + "x", "alice")).get("/settings/billing").json();
        assertThat(other.path("dunning").path("retryAfterDays").toString()).as("another tenant keeps the defaults").isEqualTo("[1,3,7]");
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        var reply = api.send("PUT", "/settings/billing", """
                {"dunning": {"retryAfterDays": [3, 1], "afterLastRetry": "forgive"}, "reminders": {"renewalDaysAhead": 7}}""");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().path("errors")).extracting(e -> e.path("field").asText())
                .containsExactly("dunning.retryAfterDays[1]", "dunning.afterLastRetry", "reminders.contractEndDaysAhead");
        assertThat(api.get("/settings/billing").json().path("dunning").path("retryAfterDays").toString())
                .as("nothing saved").isEqualTo("[1,3,7]");
    }
}
