package com.clientele.ltv;

import com.clientele.shared.events.Refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerType;
import com.clientele.customers.CustomerStats;
import com.clientele.payments.Payment;
import com.clientele.payments.PaymentStatus;
import com.clientele.shared.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class RecomputeServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final LtvRepository repository = mock(LtvRepository.class);
    private final RecomputeService service = new RecomputeService(repository, Clock.fixed(NOW, ZoneOffset.UTC));

    private static Payment paid(String id, long amount, Instant at) {
        return Payment.builder().id(id).customerId("cus_1").status(PaymentStatus.SUCCEEDED).amount(new Money(amount, "USD"))
                .createdAt(at).updatedAt(at).version(2).build();
    }

    private static Customer customer(CustomerStats stats, long version) {
        return Customer.builder().id("cus_1").type(CustomerType.INDIVIDUAL).firstName("Ada").lastName("Byron").email("ada@example.com")
                .phone("+14155550100").currency("USD").stats(stats).createdAt(NOW.minus(Duration.ofDays(90)))
                .updatedAt(NOW.minus(Duration.ofDays(90))).version(version).build();
    }

    private void given(Customer customer, List<Payment> payments, Set<String> applied) {
        when(repository.customer("t", "cus_1")).thenReturn(Optional.of(customer));
        when(repository.ledgerAndMarkers("t", "cus_1")).thenReturn(new LtvRepository.Ledger(payments, applied));
    }

    @Test
    void statsThatMatchTheLedgerAreLeftAlone() {
        var old = paid("pay_1", 5_000, NOW.minus(Duration.ofDays(60)));
        var recent = paid("pay_2", 2_000, NOW.minus(Duration.ofDays(2)));
        given(customer(StatsFold.fromLedger(List.of(old, recent)), 3), List.of(old, recent), Set.of("pay_2"));

        var result = service.recompute("t", "cus_1").orElseThrow();

        assertThat(result.drifted()).isFalse();
        verify(repository, never()).replaceStats(any(), any(), any(), anyList(), any());
    }

    @Test
    void driftIsRepairedFromTheWholeLedgerAndUnmarkedRecentEntriesAreMarked() {
        var a = paid("pay_1", 5_000, NOW.minus(Duration.ofDays(60)));   // old: no event can still come
        var b = paid("pay_2", 2_000, NOW.minus(Duration.ofDays(2)));    // marked
        var c = paid("pay_3", 1_000, NOW.minus(Duration.ofDays(1)));    // lost event: never marked
        var stored = StatsFold.fromLedger(List.of(a, b));
        given(customer(stored, 3), List.of(a, b, c), Set.of("pay_2"));

        var result = service.recompute("t", "cus_1").orElseThrow();

        var whole = StatsFold.fromLedger(List.of(a, b, c));
        assertThat(result.drifted()).isTrue();
        assertThat(result.before()).isEqualTo(stored);
        assertThat(result.after()).isEqualTo(whole);
        var written = ArgumentCaptor.forClass(Customer.class);
        verify(repository).replaceStats(eq("t"), any(), written.capture(), eq(List.of("pay_3")), eq(NOW));
        assertThat(written.getValue().stats()).isEqualTo(whole);
        assertThat(written.getValue().version()).isEqualTo(4);
    }

    @Test
    void anEventStillInFlightIsNotDrift() {
        var a = paid("pay_1", 5_000, NOW.minus(Duration.ofDays(2)));
        var justNow = paid("pay_2", 2_000, NOW.minus(Duration.ofSeconds(3)));
        given(customer(StatsFold.fromLedger(List.of(a)), 2), List.of(a, justNow), Set.of("pay_1"));

        assertThat(service.recompute("t", "cus_1").orElseThrow().drifted()).isFalse();
        verify(repository, never()).replaceStats(any(), any(), any(), anyList(), any());
    }

    @Test
    void includingRecentEntriesCountsAnEventStillInFlightAndMarksItSoThatItsEventIsADuplicate() {
        var a = paid("pay_1", 5_000, NOW.minus(Duration.ofDays(2)));
        var justNow = paid("pay_2", 2_000, NOW.minus(Duration.ofSeconds(3)));
        var stored = StatsFold.fromLedger(List.of(a));
        given(customer(stored, 2), List.of(a, justNow), Set.of("pay_1"));
        doNothing().when(repository).replaceStats(any(), any(), any(), anyList(), any());

        var result = service.recompute("t", "cus_1", true).orElseThrow();

        var whole = StatsFold.fromLedger(List.of(a, justNow));
        assertThat(result.drifted()).isTrue();
        assertThat(result.before()).isEqualTo(stored);
        assertThat(result.after()).isEqualTo(whole);
        var written = ArgumentCaptor.forClass(Customer.class);
        verify(repository).replaceStats(eq("t"), any(), written.capture(), eq(List.of("pay_2")), eq(NOW));
        assertThat(written.getValue().stats()).isEqualTo(whole);
    }

    @Test
    void includingRecentEntriesAfterTheAggregatorAppliedThemFindsNothingToDo() {
        var a = paid("pay_1", 5_000, NOW.minus(Duration.ofDays(2)));
        var justNow = paid("pay_2", 2_000, NOW.minus(Duration.ofSeconds(3)));
        given(customer(StatsFold.fromLedger(List.of(a, justNow)), 3), List.of(a, justNow), Set.of("pay_1", "pay_2"));

        assertThat(service.recompute("t", "cus_1", true).orElseThrow().drifted()).isFalse();
        verify(repository, never()).replaceStats(any(), any(), any(), anyList(), any());
    }

    @Test
    void aCopyFromTheIndexThatAgreesWithTheLedgerSparesTheProfileRead() {
        var a = paid("pay_1", 5_000, NOW.minus(Duration.ofDays(2)));
        var seen = customer(StatsFold.fromLedger(List.of(a)), 2);
        when(repository.ledgerAndMarkers("t", "cus_1")).thenReturn(new LtvRepository.Ledger(List.of(a), Set.of("pay_1")));

        assertThat(service.recompute("t", "cus_1", false, seen).orElseThrow().drifted()).isFalse();
        verify(repository, never()).customer(any(), any());
        verify(repository, never()).replaceStats(any(), any(), any(), anyList(), any());
    }

    @Test
    void aStaleCopyFromTheIndexIsCheckedAgainstTheTableBeforeAnythingIsWritten() {
        var a = paid("pay_1", 5_000, NOW.minus(Duration.ofDays(2)));
        var stale = customer(CustomerStats.zero("USD"), 1);
        given(customer(StatsFold.fromLedger(List.of(a)), 2), List.of(a), Set.of("pay_1"));

        assertThat(service.recompute("t", "cus_1", false, stale).orElseThrow().drifted()).isFalse();
        verify(repository).customer("t", "cus_1");
        verify(repository, never()).replaceStats(any(), any(), any(), anyList(), any());
    }

    @Test
    void aConflictWithTheAggregatorIsReadAgain() {
        var a = paid("pay_1", 5_000, NOW.minus(Duration.ofDays(2)));
        var corrupt = CustomerStats.zero("USD");
        given(customer(corrupt, 2), List.of(a), Set.of("pay_1"));
        doThrow(new Refused(Refused.Refusal.CONFLICT)).doNothing()
                .when(repository).replaceStats(any(), any(), any(), anyList(), any());

        assertThat(service.recompute("t", "cus_1").orElseThrow().drifted()).isTrue();
        verify(repository, times(2)).customer("t", "cus_1");
        verify(repository, times(2)).replaceStats(any(), any(), any(), anyList(), any());
    }

    @Test
    void countedButUnmarkedEntriesAreMarkedWithoutCallingItDrift() {
        var a = paid("pay_1", 5_000, NOW.minus(Duration.ofDays(2)));
        given(customer(StatsFold.fromLedger(List.of(a)), 2), List.of(a), Set.of());
        doNothing().when(repository).replaceStats(any(), any(), any(), anyList(), any());

        assertThat(service.recompute("t", "cus_1").orElseThrow().drifted()).isFalse();
        verify(repository).replaceStats(eq("t"), any(), any(), eq(List.of("pay_1")), eq(NOW));
    }

    @Test
    void aCustomerThatIsGoneIsNotChecked() {
        when(repository.customer("t", "cus_1")).thenReturn(Optional.empty());
        assertThat(service.recompute("t", "cus_1")).isEmpty();
    }
}
