package com.clientele.invoices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.billinggroups.ConsolidatedInvoice;
import com.clientele.billinggroups.GroupLine;
import com.clientele.shared.Json;
import com.clientele.shared.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A billing group's consolidated invoice: a line per member subscription period by member, members' totals, bounds. */
class ConsolidatedInvoiceTest {

    private static final Instant START = Instant.parse("2026-03-10T00:00:00Z");
    private static final Instant END = Instant.parse("2026-04-10T00:00:00Z");

    private static GroupLine line(String customer, String subscription, int period, long amount) {
        return new GroupLine("bg_1", "2026-03", customer, subscription, period, START, END, new Money(amount, "USD"), START);
    }

    private static ConsolidatedInvoice group(List<GroupLine> lines) {
        return new ConsolidatedInvoice("bg_1", "2026-03", "cus_payer", "USD", "NET_30", lines);
    }

    @Test
    void linesGoByMemberThenSubscriptionAndEachMemberHasItsTotal() {
        var group = group(List.of(line("cus_b", "sub_2", 1, 1900), line("cus_a", "sub_9", 4, 500), line("cus_a", "sub_1", 2, 2900)));
        var totals = InvoiceService.consolidatedTotals(group);
        assertThat(totals.lines()).extracting(InvoiceLine::description).containsExactly(
                "Member cus_a: subscription sub_1, period 2 (2026-03-10 to 2026-04-10)",
                "Member cus_a: subscription sub_9, period 4 (2026-03-10 to 2026-04-10)",
                "Member cus_b: subscription sub_2, period 1 (2026-03-10 to 2026-04-10)");
        assertThat(totals.total()).isEqualTo(2900 + 500 + 1900);
        assertThat(totals.tax()).isZero();
        var consolidation = InvoiceService.consolidation(group);
        assertThat(consolidation.members()).containsExactly(new Invoice.MemberTotal("cus_a", 2, new Money(3400, "USD")),
                new Invoice.MemberTotal("cus_b", 1, new Money(1900, "USD")));
        var invoice = Invoice.consolidated("in_1", "cus_payer", "USD", totals, consolidation, START);
        assertThat(invoice.source().key()).as("one invoice per group period").isEqualTo("BG#bg_1#2026-03");
        assertThat(invoice.amountDue().amount()).isEqualTo(5300);
        assertThat(invoice.finalized("INV-2026-000001", null, "NET_30", null, END).billingGroup()).isEqualTo(consolidation);
    }

    @Test
    void aGroupOf500MembersFitsInOneItemAndTooManyLinesOrTooMuchIsRefused() throws Exception {
        var lines = new ArrayList<GroupLine>();
        for (int i = 0; i < 500; i++) {
            lines.add(line("cus_01KB%022d".formatted(i), "sub_01KB%022d".formatted(i), 12, 123_456));
        }
        var group = group(lines);
        var invoice = Invoice.consolidated("in_1", "cus_payer", "USD", InvoiceService.consolidatedTotals(group),
                InvoiceService.consolidation(group), START);
        int bytes = Json.MAPPER.writeValueAsBytes(invoice).length;
        assertThat(bytes).as("well under DynamoDB's 400 KB item").isLessThan(200_000);

        var tooMany = new ArrayList<GroupLine>();
        for (int i = 0; i <= InvoiceService.MAX_CONSOLIDATED_LINES; i++) {
            tooMany.add(line("cus_" + i, "sub_" + i, 1, 100));
        }
        assertThatThrownBy(() -> InvoiceService.consolidatedTotals(group(tooMany))).hasMessageContaining("more than 1000");
        assertThatThrownBy(() -> InvoiceService.consolidatedTotals(group(List.of(line("cus_a", "sub_1", 1, InvoiceTotals.MAX_TOTAL),
                line("cus_b", "sub_2", 1, 1))))).hasMessageContaining("the largest invoice");
    }
}
