package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Privacy requests over HTTP: the data export holds everything about the customer (and nothing
 * internal); the erasure leaves no personal data but keeps the ledger, frees the email, and can be
 * repeated.
 */
class PrivacyApiTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));

    private String customerWithHistory() {
        var created = api.post("/customers", """
                {"firstName": "Ada", "lastName": "Lovelace", "email": "ada.lovelace@example.com", "phone": "+14155550123",
                 "addresses": [{"kind": "billing", "line1": "12 Analytical Row", "city": "London", "country": "GB", "isDefault": true}],
                 "metadata": {"favourite": "engines"}}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(api.post("/customers/" + id + "/payment-methods", PaymentsApiContract.card("4242424242424242")).status()).isEqualTo(201);
        assertThat(api.send("POST", "/customers/" + id + "/charges", "{\"amount\": {\"amount\": 8900, \"currency\": \"USD\"}}",
                "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(201);
        Eventually.get(() -> api.get("/customers/" + id + "/points").json(), p -> p.path("available").asLong() == 89);
        assertThat(api.post("/customers/" + id + "/notes", "{\"type\": \"phone\", \"summary\": \"Ada prefers calls after six\"}")
                .status()).isEqualTo(201);
        assertThat(api.send("POST", "/customers/" + id + "/points/otp", null).status()).isEqualTo(201);
        return id;
    }

    @Test
    void theDataExportHoldsEverythingAboutTheCustomerAndNothingInternal() {
        String id = customerWithHistory();
        var export = api.get("/customers/" + id + "/data-export");
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        var json = export.json();
        assertThat(json.path("customer").path("email").asText()).isEqualTo("ada.lovelace@example.com");
        assertThat(json.path("customer").path("addresses").get(0).path("line1").asText()).isEqualTo("12 Analytical Row");
        assertThat(json.path("paymentMethods").get(0).path("last4").asText()).isEqualTo("4242");
        assertThat(json.path("payments").get(0).path("amount").path("amount").asLong()).isEqualTo(8900);
        assertThat(json.path("points").path("available").asLong()).isEqualTo(89);
        assertThat(json.path("pointLots")).hasSize(1);
        assertThat(json.path("pointsStatement")).hasSize(1);
        assertThat(json.path("pointsOtps").get(0).path("sentTo").asText()).isEqualTo("***0123");
        assertThat(json.path("notes").get(0).path("summary").asText()).isEqualTo("Ada prefers calls after six");
        assertThat(json.path("activities").size()).isGreaterThanOrEqualTo(5);
        assertThat(export.text()).doesNotContain("cardToken", "codeHash", "\"PK\"", "GSI1", "4242424242424242", "APPLIED#");
        assertThat(new Api(cloud.apiUrl(), cloud.token("other" + tenant, "mallory")).get("/customers/" + id + "/data-export").status())
                .isEqualTo(404);
    }

    @Test
    void erasureRemovesPersonalDataKeepsTheLedgerAndFreesTheEmail() {
        String id = customerWithHistory();
        var erased = api.post("/customers/" + id + "/erase", null);
        assertThat(erased.status()).as(erased.toString()).isEqualTo(200);
        assertThat(erased.json().path("itemsScrubbed").asInt()).isGreaterThanOrEqualTo(4); // card, note, OTP, note activity

        var profile = api.get("/customers/" + id).json();
        assertThat(profile.path("firstName").asText()).isEqualTo("Erased");
        assertThat(profile.path("email").asText()).endsWith("@erased.invalid");
        assertThat(profile.path("addresses")).isEmpty();
        assertThat(profile.path("stats").path("ltv").path("amount").asLong()).isEqualTo(8900);
        assertThat(profile.path("pointsAvailable").asLong()).isEqualTo(89);
        var payments = api.get("/customers/" + id + "/payments").json().path("data");
        assertThat(payments.get(0).path("amount").path("amount").asLong()).isEqualTo(8900);

        var export = api.get("/customers/" + id + "/data-export");
        assertThat(export.text()).doesNotContain("Ada", "Lovelace", "ada.lovelace", "14155550123", "***0123", "Analytical",
                "engines", "prefers calls");
        assertThat(export.json().path("erasure").path("erasedBy").asText()).isEqualTo("alice");
        assertThat(export.json().path("activities").findValuesAsText("kind")).contains("customer.erased", "note.added");
        assertThat(api.get("/customers?q=lovelace").json().path("data")).isEmpty();
        assertThat(api.get("/customers?email=ada.lovelace@example.com").json().path("data")).isEmpty();

        // the email is free again, and a repeat finishes nothing new
        assertThat(api.post("/customers", """
                {"firstName": "Ada", "lastName": "King", "email": "ada.lovelace@example.com", "phone": "+14155550124"}""")
                .status()).isEqualTo(201);
        var again = api.post("/customers/" + id + "/erase", null);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("erasedAt").asText()).isEqualTo(erased.json().path("erasedAt").asText());
        assertThat(again.json().path("itemsScrubbed").asInt()).isZero();
        assertThat(api.post("/customers/cus_01KB0000000000000000000000/erase", null).status()).isEqualTo(404);
    }
}
