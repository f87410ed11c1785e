package com.clientele.billinggroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.clientele.customers.Customer;
import com.clientele.shared.Money;
import com.clientele.shared.jobs.Budget;
import com.clientele.shared.metrics.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules of consolidated invoicing: where a member's period goes, and a run that one bad group does not stop. */
class GroupInvoicingTest {

    private static final Instant NOW = Instant.parse("2026-03-31T23:30:00Z");
    private static final BillingGroup GROUP = new BillingGroup("bg_1", "North", "cus_payer", "USD", "NET_30", NOW, NOW, null, 1);

    private final BillingGroupRepository groups = mock(BillingGroupRepository.class);
    private final GroupPeriodRepository periods = mock(GroupPeriodRepository.class);
    private final ConsolidatedInvoice.Invoicing invoices = mock(ConsolidatedInvoice.Invoicing.class);
    private final GroupInvoicing invoicing = new GroupInvoicing(groups, periods, invoices, Clock.fixed(NOW, ZoneOffset.UTC),
            mock(Metrics.class));

    private static Customer member(String groupId) {
        var customer = mock(Customer.class);
        when(customer.id()).thenReturn("cus_m");
        when(customer.billingGroupId()).thenReturn(groupId);
        return customer;
    }

    private Optional<com.clientele.subscriptions.GroupBilling.Pending> pending(Customer customer, String currency) {
        return invoicing.pending("t1", customer, "sub_1", 3, NOW, NOW.plusSeconds(86_400 * 30), new Money(2900, currency), NOW);
    }

    @Test
    void aPeriodGoesToTheGroupsMonthOfItsBillingOrToTheNextWhenThatOneIsClosed() {
        when(groups.find("t1", "bg_1")).thenReturn(Optional.of(GROUP));
        when(periods.open("t1", "bg_1", "2026-03", NOW)).thenReturn(true);
        var line = pending(member("bg_1"), "USD").orElseThrow();
        assertThat(line.groupPeriod()).isEqualTo("2026-03");
        verify(periods).lineWrites(eq("t1"), eq(new GroupLine("bg_1", "2026-03", "cus_m", "sub_1", 3, NOW, NOW.plusSeconds(86_400 * 30),
                new Money(2900, "USD"), NOW)));

        when(periods.open("t1", "bg_1", "2026-03", NOW)).thenReturn(false);
        when(periods.open("t1", "bg_1", "2026-04", NOW)).thenReturn(true);
        assertThat(pending(member("bg_1"), "USD").orElseThrow().groupPeriod()).as("March is being invoiced: April's").isEqualTo("2026-04");
    }

    @Test
    void aCustomerInNoGroupOrAGroupInAnotherCurrencyIsBilledOnItsOwn() {
        assertThat(pending(member(null), "USD")).isEmpty();
        when(groups.find("t1", "bg_1")).thenReturn(Optional.of(GROUP));
        assertThat(pending(member("bg_1"), "EUR")).isEmpty();
        when(groups.find("t1", "bg_gone")).thenReturn(Optional.empty());
        assertThat(pending(member("bg_gone"), "USD")).isEmpty();
        verify(periods, never()).open(anyString(), anyString(), anyString(), any());
    }

    @Test
    void aRunInvoicesEachEndedPeriodOnceAndABadGroupDoesNotStopIt() {
        var bad = new GroupPeriodRepository.Due("t1", "bg_bad", "2026-02");
        var empty = new GroupPeriodRepository.Due("t1", "bg_empty", "2026-02");
        var good = new GroupPeriodRepository.Due("t1", "bg_1", "2026-02");
        var otherTenant = new GroupPeriodRepository.Due("t2", "bg_9", "2026-02");
        when(periods.due("2026-03", null, 100)).thenReturn(new GroupPeriodRepository.DuePage(List.of(bad, empty, good, otherTenant), null));
        when(groups.find("t1", "bg_bad")).thenReturn(Optional.of(new BillingGroup("bg_bad", "Bad", "cus_gone", "USD", "NET_7", NOW, NOW,
                null, 1)));
        when(groups.find("t1", "bg_empty")).thenReturn(Optional.of(GROUP));
        when(groups.find("t1", "bg_1")).thenReturn(Optional.of(GROUP));
        var line = new GroupLine("bg_1", "2026-02", "cus_m", "sub_1", 2, NOW, NOW, new Money(2900, "USD"), NOW);
        when(periods.lines("t1", "bg_bad", "2026-02")).thenReturn(List.of(line));
        when(periods.lines("t1", "bg_empty", "2026-02")).thenReturn(List.of());
        when(periods.lines("t1", "bg_1", "2026-02")).thenReturn(List.of(line));
        when(invoices.invoiceGroupPeriod(eq("t1"), any())).thenAnswer(call -> {
            ConsolidatedInvoice asked = call.getArgument(1);
            if (asked.payerId().equals("cus_gone")) {
                throw new IllegalStateException("payer deleted");
            }
            return "in_1";
        });

        var result = invoicing.close(null, "t1", Budget.unlimited());
        assertThat(result).isEqualTo(new GroupInvoicing.Result(1, 1, 1));
        verify(periods).close("t1", "bg_1", "2026-02", NOW);
        verify(periods).invoiced("t1", "bg_1", "2026-02", "in_1");
        verify(periods).invoiced("t1", "bg_empty", "2026-02", null);
        verify(periods, never()).invoiced(eq("t1"), eq("bg_bad"), anyString(), any());
        verify(periods, never()).close(eq("t2"), anyString(), anyString(), any());
        verify(invoices).invoiceGroupPeriod("t1", new ConsolidatedInvoice("bg_1", "2026-02", "cus_payer", "USD", "NET_30", List.of(line)));
        assertThat(GroupInvoicing.month(Instant.parse("2026-12-31T23:59:59Z"))).isEqualTo("2026-12");
    }
}
