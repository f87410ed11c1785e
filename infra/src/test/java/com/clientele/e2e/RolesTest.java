package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import com.clientele.local.Roles;
import com.clientele.shared.http.ApiRoutes;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The role presets through {@code POST /_local/tokens}: each role does what it is for and is
 * refused, naming the scope, what it is not.
 */
class RolesTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "ro" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final Api admin = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
    private String customer;
    private String card;

    @BeforeEach
    void customerWithACardAndPoints() {
        customer = created(admin.post("/customers", """
                {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com", "phone": "+14155550101"}"""));
        card = created(admin.post("/customers/" + customer + "/payment-methods", PaymentsApiContract.card(PaymentsApiContract.MASTERCARD)));
        assertThat(admin.send("POST", "/customers/" + customer + "/points/adjustments", "{\"points\": 500, \"reason\": \"welcome\"}",
                "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(201);
        assertThat(admin.send("PUT", "/loyalty/settings", """
                {"pointsPerUnit": 1, "rounding": "DOWN", "lotLifetimeMonths": 12, "referrerBonus": 0,
                 "refereeBonus": 0, "otpRequired": false, "pointValue": {"amount": 5, "currency": "USD"}}""").status()).isEqualTo(200);
    }

    @Test
    void theRolesGrowFromViewerToAdminWhoHasEveryScope() {
        assertThat(Roles.PRESETS.keySet()).containsExactly("viewer", "cashier", "manager", "admin");
        assertThat(Roles.PRESETS.get("viewer")).allMatch(scope -> scope.endsWith(":read")).doesNotContain("exports:read");
        assertThat(Roles.PRESETS.get("cashier")).containsAll(Roles.PRESETS.get("viewer"))
                .contains("payments:charge", "cards:write", "points:redeem", "notes:write");
        assertThat(Roles.PRESETS.get("manager")).containsAll(Roles.PRESETS.get("cashier"))
                .doesNotContain("privacy:export", "privacy:erase", "admin:jobs");
        assertThat(Roles.PRESETS.get("admin")).containsExactlyInAnyOrderElementsOf(ApiRoutes.scopes());
    }

    @Test
    void aCashierChargesSavesCardsRedeemsAndWritesNotesButNoMore() {
        var cashier = as("cashier");
        var charge = cashier.send("POST", "/customers/" + customer + "/charges", PaymentsApiContract.charge(1200, "USD", card),
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(charge.status()).as(charge.toString()).isEqualTo(201);
        String payment = charge.json().path("id").asText();
        assertThat(cashier.post("/customers/" + customer + "/payment-methods", PaymentsApiContract.card("4242424242424242")).status())
                .isIn(200, 201);
        var redeemed = cashier.send("POST", "/customers/" + customer + "/points/redemptions", "{\"points\": 100, \"reason\": \"coffee\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(redeemed.status()).as(redeemed.toString()).isEqualTo(201);
        assertThat(cashier.post("/customers/" + customer + "/notes", "{\"type\": \"phone\", \"summary\": \"Called\"}").status())
                .isEqualTo(201);
        assertThat(cashier.get("/customers/" + customer).status()).isEqualTo(200);
        assertThat(cashier.get("/loyalty/settings").status()).isEqualTo(200);

        refused(cashier.send("POST", "/payments/" + payment + "/refunds", "{\"amount\": {\"amount\": 100, \"currency\": \"USD\"}, \"reason\": \"damaged\"}",
                "Idempotency-Key", UUID.randomUUID().toString()), "payments:refund");
        refused(cashier.send("POST", "/customers/" + customer + "/points/adjustments", "{\"points\": 1000, \"reason\": \"me\"}",
                "Idempotency-Key", UUID.randomUUID().toString()), "points:adjust");
        refused(cashier.send("PUT", "/loyalty/settings", """
                {"pointsPerUnit": 100, "rounding": "DOWN", "lotLifetimeMonths": 12, "referrerBonus": 0,
                 "refereeBonus": 0, "otpRequired": false, "pointValue": {"amount": 500, "currency": "USD"}}"""), "settings:write");
        refused(cashier.post("/admin/ltv-recompute", "{}"), "admin:jobs");
        refused(cashier.post("/exports/customers", "{}"), "exports:create");
        refused(cashier.get("/exports"), "exports:read");
        refused(cashier.get("/customers/" + customer + "/data-export"), "privacy:export");
        refused(cashier.post("/customers/" + customer + "/erase", null), "privacy:erase");
        refused(cashier.post("/customers/" + customer + "/merge", "{\"duplicateId\": \"" + customer + "\"}"), "customers:merge");
        refused(cashier.patch("/customers/" + customer, "{\"firstName\": \"Eve\"}", null), "customers:write");
        refused(cashier.delete("/customers/" + customer), "customers:delete");
        assertThat(admin.get("/customers/" + customer + "/points").json().path("available").asLong())
                .as("500 less the 100 redeemed, with at most the charge's accrual: the refused credit of 1000 is not in it")
                .isBetween(400L, 412L);
    }

    @Test
    void aViewerReadsButChangesNothingAndSeesNoPersonalDataExport() {
        var viewer = as("viewer");
        assertThat(viewer.get("/customers/" + customer).status()).isEqualTo(200);
        assertThat(viewer.get("/customers/" + customer + "/payment-methods").status()).isEqualTo(200);
        assertThat(viewer.get("/customers/" + customer + "/points").status()).isEqualTo(200);
        assertThat(viewer.get("/settings/segments").status()).isEqualTo(200);
        refused(viewer.get("/customers/" + customer + "/data-export"), "privacy:export");
        refused(viewer.send("POST", "/customers/" + customer + "/charges", PaymentsApiContract.charge(1200, "USD", card),
                "Idempotency-Key", UUID.randomUUID().toString()), "payments:charge");
        refused(viewer.post("/customers/" + customer + "/notes", "{\"type\": \"phone\", \"summary\": \"Called\"}"), "notes:write");
    }

    @Test
    void aManagerRefundsAdjustsAndExportsButLeavesPrivacyAndJobsToAdmins() {
        var manager = as("manager");
        String payment = created(manager.send("POST", "/customers/" + customer + "/charges", PaymentsApiContract.charge(1200, "USD", card),
                "Idempotency-Key", UUID.randomUUID().toString()));
        var refund = manager.send("POST", "/payments/" + payment + "/refunds", "{\"amount\": {\"amount\": 100, \"currency\": \"USD\"}, \"reason\": \"damaged\"}",
                "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(refund.status()).as(refund.toString()).isEqualTo(201);
        assertThat(manager.send("POST", "/customers/" + customer + "/points/adjustments", "{\"points\": -10, \"reason\": \"fix\"}",
                "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(201);
        assertThat(manager.post("/exports/customers", "{}").status()).isEqualTo(202);
        String other = created(manager.post("/customers", """
                {"firstName": "Augusta", "lastName": "King", "email": "augusta@example.com", "phone": "+14155550109"}"""));
        assertThat(manager.delete("/customers/" + other).status()).isEqualTo(204);
        refused(manager.get("/customers/" + customer + "/data-export"), "privacy:export");
        refused(manager.post("/customers/" + customer + "/erase", null), "privacy:erase");
        refused(manager.post("/admin/ltv-recompute", "{}"), "admin:jobs");
    }

    @Test
    void aTokenAskedForWithoutRoleOrScopesIsAnAdminsAndAskingWrongIs400() {
        var token = admin.post("/_local/tokens", "{\"tenantId\": \"" + tenant + "\", \"userId\": \"bob\"}");
        assertThat(token.status()).isEqualTo(200);
        var defaulted = new Api(cloud.apiUrl(), token.json().path("token").asText());
        assertThat(defaulted.get("/customers/" + customer + "/data-export").status()).isEqualTo(200);

        var scoped = admin.post("/_local/tokens", "{\"tenantId\": \"" + tenant + "\", \"scopes\": [\"customers:read\"]}");
        var reader = new Api(cloud.apiUrl(), scoped.json().path("token").asText());
        assertThat(reader.get("/customers/" + customer).status()).isEqualTo(200);
        refused(reader.get("/customers/" + customer + "/points"), "points:read");

        for (var body : new String[] {
                "{\"tenantId\": \"" + tenant + "\", \"role\": \"owner\"}",
                "{\"tenantId\": \"" + tenant + "\", \"role\": \"admin\", \"scopes\": [\"customers:read\"]}",
                "{\"tenantId\": \"" + tenant + "\", \"scopes\": [\"customers:everything\"]}",
                "{\"tenantId\": \"" + tenant + "\", \"scopes\": \"customers:read\"}"}) {
            var reply = admin.post("/_local/tokens", body);
            assertThat(reply.status()).as(body + " → " + reply).isEqualTo(400);
            assertThat(reply.json().path("code").asText()).isEqualTo("validation_error");
        }
        assertThat(admin.post("/_local/tokens", "{\"tenantId\": \"" + tenant + "\", \"role\": \"owner\"}").json()
                .path("errors").get(0).path("field").asText()).isEqualTo("role");
    }

    private Api as(String role) {
        var reply = admin.post("/_local/tokens", "{\"tenantId\": \"" + tenant + "\", \"userId\": \"" + role + "-1\", \"role\": \"" + role + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return new Api(cloud.apiUrl(), reply.json().path("token").asText());
    }

    private static void refused(Api.Reply reply, String scope) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
        assertThat(reply.json().path("code").asText()).isEqualTo("insufficient_scope");
        assertThat(reply.json().path("scope").asText()).isEqualTo(scope);
    }

    private static String created(Api.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isIn(200, 201);
        return reply.json().path("id").asText();
    }
}
