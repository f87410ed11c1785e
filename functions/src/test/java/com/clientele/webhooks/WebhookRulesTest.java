package com.clientele.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The pure rules of the webhooks: where they may go, how they are signed, when they are retried, how secrets are sealed. */
class WebhookRulesTest {

    private final Destinations aws = new Destinations(false);
    private final Destinations local = new Destinations(true);

    @Test
    void onlyHttpsUrlsWithAHostAreTakenAndHttpOnlyWithTheLocalFlag() {
        assertThat(aws.refusal("https://hooks.example.com/clientele")).isNull();
        assertThat(aws.refusal("http://hooks.example.com/clientele")).contains("https");
        assertThat(aws.refusal("https://user:pw@hooks.example.com/")).contains("user info");
        assertThat(aws.refusal("https:///nohost")).isNotNull();
        assertThat(aws.refusal("not a url")).isNotNull();
        assertThat(local.refusal("http://127.0.0.1:8080/hooks")).isNull();
    }

    @Test
    void privateLoopbackLinkLocalAndMetadataAddressesAreRefusedAfterResolution() throws Exception {
        for (String address : new String[] {"10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                "224.0.0.1", "fd00:ec2::254", "fe80::1", "::ffff:10.0.0.1", "::"}) {
            assertThat(aws.allowed(InetAddress.getByName(address))).as(address).isFalse();
            assertThat(local.allowed(InetAddress.getByName(address))).as(address).isFalse();
        }
        assertThat(aws.allowed(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(aws.allowed(InetAddress.getByName("::1"))).isFalse();
        assertThat(local.allowed(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(aws.allowed(InetAddress.getByName("93.184.216.34"))).isTrue();
        assertThat(aws.allowed(InetAddress.getByName("2606:2800:220:1::1"))).isTrue();
        // a name that resolves to loopback is refused when the request is made, not only a literal address
        assertThatThrownBy(() -> aws.check(URI.create("https://localhost/hooks"))).hasMessage("address_refused");
        assertThatThrownBy(() -> aws.check(URI.create("https://169.254.169.254/latest/meta-data/"))).hasMessage("address_refused");
    }

    @Test
    void theSignatureIsTheHmacOfTimeAndBodyUnderEachSecret() {
        String body = "{\"id\":\"evt_1\"}";
        String header = Signatures.header(1_796_119_200L, body, "whsec_new", null, "whsec_old");
        assertThat(header).isEqualTo("t=1796119200,v1=" + Signatures.hmac("whsec_new", "1796119200." + body)
                + ",v1=" + Signatures.hmac("whsec_old", "1796119200." + body));
        // RFC 4231 test case 2, as a check of the HMAC itself
        assertThat(Signatures.hmac("Jefe", "what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertThat(Signatures.newSecret()).matches("whsec_[0-9a-f]{64}").isNotEqualTo(Signatures.newSecret());
    }

    @Test
    void retriesBackOffExponentiallyWithJitterAndOnlyShortWaitsGoOnTheQueue() {
        var low = new RetrySchedule(Duration.ofMinutes(1), Duration.ofHours(12), Duration.ofDays(3), Duration.ofMinutes(15), () -> 0.0);
        var high = new RetrySchedule(Duration.ofMinutes(1), Duration.ofHours(12), Duration.ofDays(3), Duration.ofMinutes(15), () -> 1.0);
        assertThat(low.waitAfter(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(high.waitAfter(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(high.waitAfter(2)).isEqualTo(Duration.ofMinutes(3));
        assertThat(high.waitAfter(5)).isEqualTo(Duration.ofMinutes(81));
        assertThat(high.waitAfter(9)).isEqualTo(Duration.ofHours(12));
        assertThat(low.waitAfter(30)).isEqualTo(Duration.ofHours(6));
        assertThat(high.onQueue(Duration.ofMinutes(9))).isTrue();
        assertThat(high.onQueue(Duration.ofMinutes(27))).isFalse();
        var sweepOnly = new RetrySchedule(Duration.ofMinutes(1), Duration.ofHours(12), Duration.ofDays(3), Duration.ZERO, () -> 0.5);
        assertThat(sweepOnly.onQueue(Duration.ofSeconds(30))).isFalse();
    }

    @Test
    void aSealedSecretOpensForItsOwnEndpointOnly() {
        var sealer = new LocalSealer();
        String sealed = sealer.seal("whsec_abc", "acme", "we_1");
        assertThat(sealed).startsWith("local:").doesNotContain("whsec_abc");
        assertThat(sealer.open(sealed, "acme", "we_1")).isEqualTo("whsec_abc");
        assertThat(sealer.seal("whsec_abc", "acme", "we_1")).isNotEqualTo(sealed);
        assertThatThrownBy(() -> sealer.open(sealed, "acme", "we_2")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sealer.open(sealed, "other", "we_1")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aQueuedEventBecomesTheEnvelopeWithoutItsInternalFields() {
        var event = WebhookEvent.fromQueued("""
                {"id": "evt_01KAZ64P6C8B0N2M4V6C8X0Z2A", "type": "payment.refunded", "schemaVersion": 1, "tenantId": "acme",
                 "customerId": "cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF", "paymentId": "pay_01KAZ63N5B7V9C1X3Z5A7S9D1F",
                 "refundId": "re_01KAZ63N5B7V9C1X3Z5A7S9D1G", "amount": 500, "currency": "USD", "occurredAt": "2026-11-23T09:30:00Z",
                 "storeId": null, "cardFingerprint": "Xb3vN8qLr2TtY6mE0wKc9aHs"}""");
        assertThat(event.createdAt()).isEqualTo(Instant.parse("2026-11-23T09:30:00Z"));
        assertThat(event.apiVersion()).isEqualTo(WebhookEvent.API_VERSION);
        assertThat(event.objectId()).isEqualTo("pay_01KAZ63N5B7V9C1X3Z5A7S9D1F");
        var object = event.data().object();
        assertThat(object.path("object").asText()).isEqualTo("payment");
        assertThat(object.path("refundId").asText()).isEqualTo("re_01KAZ63N5B7V9C1X3Z5A7S9D1G");
        assertThat(object.has("cardFingerprint")).isFalse();
        assertThat(object.has("storeId")).isFalse();
        assertThat(object.has("tenantId")).isFalse();
        assertThat(event.json()).doesNotContain("previous");
        assertThatThrownBy(() -> WebhookEvent.fromQueued("{\"id\": \"evt_1\", \"type\": \"payment.succeeded\"}"))
                .isInstanceOf(WebhookEvent.NotAnEvent.class);
        assertThatThrownBy(() -> WebhookEvent.fromQueued("""
                {"id": "evt_01KAZ64P6C8B0N2M4V6C8X0Z2A", "type": "no-dot", "tenantId": "acme", "occurredAt": "2026-11-23T09:30:00Z"}"""))
                .isInstanceOf(WebhookEvent.NotAnEvent.class);
    }

    @Test
    void anyKindOfEventOnTheOutboxIsAnEnvelopeAboutItsObject() {
        var tier = WebhookEvent.fromQueued("""
                {"id": "evt_01KAZ64P6C8B0N2M4V6C8X0Z2B", "type": "customer.tier_changed", "schemaVersion": 1, "tenantId": "acme",
                 "customerId": "cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF", "occurredAt": "2026-11-23T09:30:00Z",
                 "from": null, "to": {"key": "gold", "name": "Gold"}, "reason": "upgrade"}""");
        assertThat(tier.data().object().path("object").asText()).isEqualTo("customer");
        assertThat(tier.objectId()).isEqualTo("cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF");
        assertThat(tier.data().object().path("to").path("key").asText()).isEqualTo("gold");
        assertThat(WebhookService.EVENT_TYPES).contains("customer.tier_changed", "payment.succeeded", "webhook_endpoint.disabled");
        var note = WebhookEvent.fromQueued("""
                {"id": "evt_01KAZ64P6C8B0N2M4V6C8X0Z2C", "type": "credit_note.created", "tenantId": "acme", "occurredAt": "2026-11-23T09:30:00Z",
                 "invoiceId": "in_01KB4E6G8J0L2N4Q6S8U0W2Y4A", "creditNoteId": "cn_01KB4E6G8J0L2N4Q6S8U0W2Y4B"}""");
        assertThat(note.objectId()).isEqualTo("cn_01KB4E6G8J0L2N4Q6S8U0W2Y4B");
    }

    @Test
    void anEventThatCarriesItsObjectWholeIsThatObjectWithItsPreviousValuesAndRedactsToItsId() throws Exception {
        var before = java.util.Map.of("id", "cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF", "firstName", "Ada", "lastName", "Byron");
        var after = java.util.Map.of("id", "cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF", "firstName", "Ada", "lastName", "King");
        var updated = WebhookEvent.fromQueued(com.clientele.shared.Json.write(com.clientele.shared.events.ObjectEvent.updated("acme",
                Instant.parse("2026-11-23T09:30:00Z"), before, after, java.util.List.of("lastName"))));
        assertThat(updated.type()).isEqualTo("customer.updated");
        assertThat(updated.objectId()).isEqualTo("cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF");
        assertThat(updated.data().object()).isEqualTo(com.clientele.shared.Json.MAPPER.readTree(
                "{\"object\": \"customer\", \"id\": \"cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF\", \"firstName\": \"Ada\", \"lastName\": \"King\"}"));
        assertThat(updated.data().previous()).isEqualTo(com.clientele.shared.Json.MAPPER.readTree("{\"lastName\": \"Byron\"}"));
        var redacted = updated.redacted();
        assertThat(redacted.json()).doesNotContain("Ada", "King", "Byron", "previous").contains(updated.id(), "cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF");
        var points = WebhookEvent.fromQueued(com.clientele.shared.Json.write(com.clientele.shared.events.ObjectEvent.of("points.earned", "acme",
                Instant.parse("2026-11-23T09:30:00Z"), java.util.Map.of("customerId", "cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF", "points", 100))));
        assertThat(points.objectId()).isEqualTo("cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF");
        assertThat(points.data().previous()).isNull();
        assertThat(WebhookService.EVENT_TYPES).contains("customer.created", "points.expired", "export.ready");
    }
}
