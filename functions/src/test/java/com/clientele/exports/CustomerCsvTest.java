package com.clientele.exports;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.customers.CardSummary;
import com.clientele.customers.Company;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerStats;
import com.clientele.customers.CustomerType;
import com.clientele.shared.Money;
import com.clientele.shared.http.FieldError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerCsvTest {

    static Customer customer(String id, String first, String last, String company) {
        var stats = new CustomerStats(new Money(21_800, "USD"), 2, new Money(10_900, "USD"), Instant.parse("2026-01-02T03:04:05.006Z"),
                Instant.parse("2026-02-03T04:05:06.007Z"), new Money(12_900, "USD"), new Money(0, "USD"), 0, null, true);
        return Customer.builder().id(id).type(company == null ? CustomerType.INDIVIDUAL : CustomerType.BUSINESS).firstName(first).lastName(last)
                .email("ada@example.com").phone("+14155550100").company(company == null ? null : new Company(company, null, "VAT-1"))
                .currency("USD").paymentMethod(new CardSummary("pm_1", "visa", "4242")).defaultPaymentMethodId("pm_1")
                .stats(stats).pointsAvailable(120).createdAt(Instant.parse("2025-12-01T00:00:00Z"))
                .updatedAt(Instant.parse("2025-12-01T00:00:00Z")).version(3).build();
    }

    private static String csv(List<String> columns, Customer... customers) {
        var out = new ByteArrayOutputStream();
        var csv = new CustomerCsv(columns, out);
        csv.header();
        for (var c : customers) {
            csv.row(c);
        }
        csv.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theDefaultColumnsWithAHeaderCrlfLinesAndMajorUnits() {
        String text = csv(CustomerCsv.DEFAULT_COLUMNS, customer("cus_1", "Ada", "Lovelace", null));
        assertThat(text).isEqualTo("id,type,firstName,lastName,email,phone,company,ltv,currency,orders,averageOrderValue,"
                + "lastPurchaseAt,lastOrderValue,paymentMethod,pointsAvailable,createdAt\r\n"
                + "cus_1,individual,Ada,Lovelace,ada@example.com,'+14155550100,,218.00,USD,2,109.00,"
                + "2026-02-03T04:05:06.007Z,129.00,visa 4242,120,2025-12-01T00:00:00Z\r\n");
    }

    @Test
    void commasQuotesAndLineBreaksAreQuotedAsRfc4180Says() {
        String text = csv(List.of("id", "firstName", "lastName", "company"),
                customer("cus_1", "Ada, \"the first\"", "Love\r\nlace", "Acme\nLtd"));
        assertThat(text).isEqualTo("id,firstName,lastName,company\r\n"
                + "cus_1,\"Ada, \"\"the first\"\"\",\"Love\r\nlace\",\"Acme\nLtd\"\r\n");
    }

    @Test
    void textThatASpreadsheetWouldRunIsNeutralised() {
        for (String risky : List.of("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn")) {
            assertThat(CustomerCsv.text(risky)).isEqualTo("'" + risky);
        }
        assertThat(CustomerCsv.text("Ada=1")).isEqualTo("Ada=1");
        assertThat(CustomerCsv.text("")).isEmpty();
        assertThat(CustomerCsv.text(null)).isNull();
        String text = csv(List.of("firstName", "company"), customer("cus_1", "=cmd|' /C calc'!A0", "Ltd", "@Acme"));
        assertThat(text.split("\r\n")[1]).isEqualTo("'=cmd|' /C calc'!A0,'@Acme");
    }

    @Test
    void utf8Throughout() {
        String text = csv(List.of("firstName", "lastName"), customer("cus_1", "Zoë", "Łódź 北京 😀", null));
        byte[] bytes = (text).getBytes(StandardCharsets.UTF_8);
        assertThat(new String(bytes, StandardCharsets.UTF_8).split("\r\n")[1]).isEqualTo("Zoë,Łódź 北京 😀");
        var out = new ByteArrayOutputStream();
        var csv = new CustomerCsv(List.of("firstName"), out);
        csv.row(customer("cus_1", "Zoë", "B", null));
        csv.flush();
        assertThat(out.toByteArray()).containsExactly('Z', 'o', 0xC3, 0xAB, '\r', '\n');
    }

    @Test
    void amountsInTheCurrencysMajorUnit() {
        assertThat(CustomerCsv.amount(new Money(8_900, "USD"))).isEqualTo("89.00");
        assertThat(CustomerCsv.amount(new Money(1_200, "JPY"))).isEqualTo("1200");
        assertThat(CustomerCsv.amount(new Money(5, "BHD"))).isEqualTo("0.005");
        assertThat(CustomerCsv.amount(new Money(0, null))).isEqualTo("0");
        assertThat(CustomerCsv.amount(null)).isNull();
    }

    @Test
    void columnsAreCheckedAndEachBadOneNamed() {
        var errors = new ArrayList<FieldError>();
        assertThat(CustomerCsv.check(null, errors)).isEqualTo(CustomerCsv.DEFAULT_COLUMNS);
        assertThat(errors).isEmpty();
        CustomerCsv.check(List.of("id", "shoeSize", "email", "id"), errors);
        assertThat(errors).extracting(FieldError::field).containsExactly("columns[1]", "columns[3]");
        assertThat(errors.get(0).message()).contains("shoeSize").contains("firstName");
        errors.clear();
        CustomerCsv.check(List.of(), errors);
        assertThat(errors).extracting(FieldError::field).containsExactly("columns");
        assertThat(CustomerCsv.COLUMNS.keySet()).containsAll(CustomerCsv.DEFAULT_COLUMNS);
    }

    @Test
    void aCellThatIsNotWellFormedUnicodeIsRepairedAndTheRowCounted() {
        var out = new ByteArrayOutputStream();
        var csv = new CustomerCsv(List.of("id", "firstName", "lastName"), out);
        csv.row(customer("cus_1", "Ada\ud800", "Love\udc00lace", null));
        csv.row(customer("cus_2", "Grace \ud83d\ude00", "Hopper", null));
        csv.flush();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("cus_1,Ada\ufffd,Love\ufffdlace\r\ncus_2,Grace \ud83d\ude00,Hopper\r\n");
        assertThat(csv.repaired()).isEqualTo(1);
        assertThat(csv.skipped()).isZero();
    }

    @Test
    void aRowThatCannotBeReadIsLeftOutAndCounted() {
        var out = new ByteArrayOutputStream();
        var csv = new CustomerCsv(List.of("id", "ltv"), out);
        var damaged = customer("cus_1", "Ada", "Lovelace", null);
        csv.row(Customer.builder().id(damaged.id()).type(damaged.type()).firstName(damaged.firstName()).lastName(damaged.lastName())
                .email(damaged.email()).phone(damaged.phone()).currency("USD").createdAt(damaged.createdAt())
                .updatedAt(damaged.updatedAt()).build());
        csv.row(customer("cus_2", "Grace", "Hopper", null));
        csv.flush();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("cus_2,218.00\r\n");
        assertThat(csv.skipped()).isEqualTo(1);
    }
}
