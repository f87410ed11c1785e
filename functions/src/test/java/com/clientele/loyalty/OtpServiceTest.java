package com.clientele.loyalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerStats;
import com.clientele.customers.CustomerType;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OTP rules on their own, with the repository mocked and the clock moved by hand. */
class OtpServiceTest {

    static final String TENANT = "t1";
    static final String CUSTOMER = "cus_01KB0000000000000000000001";
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private final LoyaltyRepository repository = mock(LoyaltyRepository.class);
    private final List<Otp> stored = new ArrayList<>();
    private Instant now = T0;

    private OtpService service() {
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        return new OtpService(repository, OtpService.SANDBOX, "test-secret", new Cursors("c"), clock);
    }

    @BeforeEach
    void customerWithAPhone() {
        var customer = Customer.builder().id(CUSTOMER).type(CustomerType.INDIVIDUAL).firstName("Lin").lastName("Chen").email("lin@example.com")
                .phone("+14155550177").stats(CustomerStats.zero(null)).createdAt(T0).updatedAt(T0).build();
        when(repository.customer(TENANT, CUSTOMER)).thenReturn(Optional.of(customer));
        org.mockito.Mockito.doAnswer(call -> {
            stored.add(0, call.getArgument(2));
            return null;
        }).when(repository).putOtp(eq(TENANT), eq(CUSTOMER), any());
        when(repository.recentOtps(eq(TENANT), eq(CUSTOMER), anyInt())).thenAnswer(call -> List.copyOf(stored));
    }

    @Test
    void aCodeIsSixDigitsStoredOnlyAsAKeyedHash() {
        var issued = service().issue(TENANT, CUSTOMER, null);
        assertThat(issued.code()).matches("\\d{6}");
        assertThat(issued.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(issued.sentTo()).isEqualTo("***0177");
        var otp = stored.get(0);
        assertThat(otp.codeHash()).hasSize(64).doesNotContain(issued.code());
        assertThat(otp.toString()).doesNotContain("\"" + issued.code());
    }

    @Test
    void theRightCodeApprovesWithinFiveMinutesOnly() {
        var service = service();
        var issued = service.issue(TENANT, CUSTOMER, null);
        now = T0.plus(Duration.ofMinutes(4));
        assertThat(service.verify(TENANT, CUSTOMER, issued.code(), true).id()).isEqualTo(issued.id());
        now = T0.plus(Duration.ofMinutes(5));
        assertThatThrownBy(() -> service.verify(TENANT, CUSTOMER, issued.code(), true))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.code()).isEqualTo("otp_expired");
                });
    }

    @Test
    void aUsedCodeIsRefusedAndAWrongOneCountsAgainstTheLiveCode() {
        var service = service();
        var issued = service.issue(TENANT, CUSTOMER, null);
        String wrong = issued.code().equals("000000") ? "000001" : "000000";
        assertThatThrownBy(() -> service.verify(TENANT, CUSTOMER, wrong, true))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("otp_invalid"));
        verify(repository).failedAttempt(TENANT, CUSTOMER, issued.id());

        stored.set(0, stored.get(0).used(T0, "rdm_01KB0000000000000000000001"));
        assertThatThrownBy(() -> service.verify(TENANT, CUSTOMER, issued.code(), true))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("otp_used"));
    }

    @Test
    void fiveWrongGuessesBurnTheCode() {
        var service = service();
        var issued = service.issue(TENANT, CUSTOMER, null);
        var otp = stored.get(0);
        stored.set(0, new Otp(otp.id(), otp.codeHash(), otp.issuedAt(), otp.expiresAt(), null, null,
                OtpService.MAX_FAILED_ATTEMPTS, otp.channel(), otp.sentTo()));
        assertThatThrownBy(() -> service.verify(TENANT, CUSTOMER, issued.code(), true))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("otp_invalid"));
    }

    @Test
    void fiveWrongGuessesInAllLockEveryLiveCodeWhicheverItAimsAt() {
        var service = service();
        var older = service.issue(TENANT, CUSTOMER, null);
        now = T0.plus(Duration.ofMinutes(1));
        var newer = service.issue(TENANT, CUSTOMER, null);
        org.mockito.Mockito.doAnswer(call -> {
            stored.replaceAll(o -> !o.id().equals(call.getArgument(2)) ? o : new Otp(o.id(), o.codeHash(), o.issuedAt(),
                    o.expiresAt(), o.usedAt(), o.redemptionId(), o.failedAttempts() + 1, o.channel(), o.sentTo()));
            return null;
        }).when(repository).failedAttempt(eq(TENANT), eq(CUSTOMER), any());
        String wrong = older.code().equals("000000") || newer.code().equals("000000") ? "999999" : "000000";
        for (int i = 0; i < OtpService.MAX_FAILED_ATTEMPTS; i++) {
            assertThatThrownBy(() -> service.verify(TENANT, CUSTOMER, wrong, true))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("otp_invalid"));
        }
        verify(repository, org.mockito.Mockito.times(OtpService.MAX_FAILED_ATTEMPTS)).failedAttempt(TENANT, CUSTOMER, older.id());
        verify(repository, org.mockito.Mockito.times(OtpService.MAX_FAILED_ATTEMPTS)).failedAttempt(TENANT, CUSTOMER, newer.id());
        for (var code : List.of(older.code(), newer.code())) {
            assertThatThrownBy(() -> service.verify(TENANT, CUSTOMER, code, true))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo("otp_invalid");
                        assertThat(e.getMessage()).contains("locked");
                    });
        }
        // Once the locked codes expire, a new code works.
        now = T0.plus(Duration.ofMinutes(7));
        var fresh = service.issue(TENANT, CUSTOMER, null);
        assertThat(service.verify(TENANT, CUSTOMER, fresh.code(), true).id()).isEqualTo(fresh.id());
    }

    @Test
    void aWrongGuessDoesNotCountOnAnExpiredOrUsedCode() {
        var service = service();
        var expired = service.issue(TENANT, CUSTOMER, null);
        now = T0.plus(Duration.ofMinutes(6));
        var live = service.issue(TENANT, CUSTOMER, null);
        String wrong = expired.code().equals("000000") || live.code().equals("000000") ? "999999" : "000000";
        assertThatThrownBy(() -> service.verify(TENANT, CUSTOMER, wrong, true)).isInstanceOf(ApiException.class);
        verify(repository).failedAttempt(TENANT, CUSTOMER, live.id());
        verify(repository, never()).failedAttempt(TENANT, CUSTOMER, expired.id());
    }

    @Test
    void noCodeIsFineUnlessRequired() {
        var service = service();
        assertThat(service.verify(TENANT, CUSTOMER, null, false)).isNull();
        assertThatThrownBy(() -> service.verify(TENANT, CUSTOMER, null, true))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("otp_required"));
        verify(repository, never()).failedAttempt(any(), any(), any());
    }
}
