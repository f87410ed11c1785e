package com.clientele.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomerRulesTest {

    private static CustomerInput input(String type, String email, String phone, Company company, List<Address> addresses) {
        return new CustomerInput(type, " Ada ", "Lovelace", email, phone, company, null, null, addresses, null, null, null);
    }

    private static List<String> fields(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            return e.errors().stream().map(FieldError::field).toList();
        }
        throw new AssertionError("expected a validation error");
    }

    @Test
    void normalisesTextEmailPhoneAndCountry() {
        var address = new Address("billing", "1 Main St", null, "London", null, "SW1", "gb", true);
        var result = CustomerRules.normalize(input(null, " Ada@Example.COM ", "020 7123 4567", null, List.of(address)));
        assertThat(result.type()).isEqualTo("individual");
        assertThat(result.firstName()).isEqualTo("Ada");
        assertThat(result.email()).isEqualTo("ada@example.com");
        assertThat(result.phone()).as("national number read in the default billing country").isEqualTo("+442071234567");
        assertThat(result.addresses().get(0).country()).isEqualTo("GB");
        assertThat(result.metadata()).isEqualTo(Map.of());
    }

    @Test
    void reportsEveryOffendingFieldAtOnce() {
        var bad = new Address("home", null, null, null, null, null, "ZZ", null);
        assertThat(fields(() -> CustomerRules.normalize(new CustomerInput("robot", null, "", "x@", "12", null, null, null,
                List.of(bad), null, null, null))))
                .contains("type", "firstName", "lastName", "email", "phone", "addresses[0].kind", "addresses[0].line1",
                        "addresses[0].city", "addresses[0].country");
    }

    @Test
    void companyAndTermsBelongToBusinessCustomersOnly() {
        assertThat(fields(() -> CustomerRules.normalize(input("business", "a@b.example", "+14155550100", null, null))))
                .containsExactly("company");
        assertThat(fields(() -> CustomerRules.normalize(input("individual", "a@b.example", "+14155550100",
                new Company("X", null, null), null)))).containsExactly("company");
        var business = CustomerRules.normalize(input("business", "a@b.example", "+14155550100", new Company(" X Ltd ", null, null), null));
        assertThat(business.company().name()).isEqualTo("X Ltd");
    }

    @Test
    void atMostOneDefaultBillingAddress() {
        var a = new Address("billing", "1", null, "X", null, null, "US", true);
        var b = new Address("billing", "2", null, "Y", null, null, "US", true);
        assertThat(fields(() -> CustomerRules.normalize(input(null, "a@b.example", "+14155550100", null, List.of(a, b)))))
                .containsExactly("addresses");
    }

    @Test
    void metadataIsBounded() {
        var many = new java.util.HashMap<String, String>();
        for (int i = 0; i < 51; i++) {
            many.put("k" + i, "v");
        }
        assertThatThrownBy(() -> CustomerRules.normalize(new CustomerInput(null, "A", "B", "a@b.example", "+14155550100",
                null, null, null, null, many, null, null))).isInstanceOf(ApiException.class);
        assertThat(fields(() -> CustomerRules.normalize(new CustomerInput(null, "A", "B", "a@b.example", "+14155550100",
                null, null, null, null, Map.of("k", "x".repeat(501)), null, null)))).containsExactly("metadata.k");
    }
}
