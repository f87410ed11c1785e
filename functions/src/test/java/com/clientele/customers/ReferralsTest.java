package com.clientele.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Referral codes and who may be referred, by whom and when. */
class ReferralsTest {

    @Test
    void codesAreEightCharactersOfCrockfordsAlphabetFromASecureSource() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            String code = ReferralCodes.next();
            assertThat(code).hasSize(8).matches("[0-9A-HJKMNP-TV-Z]{8}");
            seen.add(code);
        }
        assertThat(seen).as("40 bits: no repeats in 10,000").hasSize(10_000);
        assertThat(ReferralCodes.ALPHABET).hasSize(32).doesNotContain("I", "L", "O", "U");
        // every character of the alphabet is drawn
        var drawn = new HashSet<Character>();
        var random = new Random(1);
        for (int i = 0; i < 1_000; i++) {
            ReferralCodes.next(random).chars().forEach(c -> drawn.add((char) c));
        }
        assertThat(drawn).hasSize(32);
    }

    @Test
    void codesAreReadAsCrockfordReadsThem() {
        assertThat(ReferralCodes.canonical("7k3m9qxr")).contains("7K3M9QXR");
        assertThat(ReferralCodes.canonical(" 7K3M-9QXR ")).contains("7K3M9QXR");
        assertThat(ReferralCodes.canonical("oIl0 ab cd")).contains("0110ABCD");
        assertThat(ReferralCodes.canonical("7K3M9QXU")).as("U is not in the alphabet").isEmpty();
        assertThat(ReferralCodes.canonical("7K3M9QX")).isEmpty();
        assertThat(ReferralCodes.canonical("7K3M9QXRR")).isEmpty();
        assertThat(ReferralCodes.canonical("7K3M9QX!")).isEmpty();
        assertThat(ReferralCodes.canonical("7K3M9QXÉ")).isEmpty();
        assertThat(ReferralCodes.canonical(null)).isEmpty();
        assertThat(ReferralCodes.canonical("not a code")).as("read as Crockford reads it").contains("N0TAC0DE");
    }

    @Test
    void aMalformedCodeIsA400NamingReferredByAndABlankOneIsNone() {
        var input = new CustomerInput(null, "Ada", "Byron", "ada@example.com", "+14155550100", null, null, null, null, null,
                "hello", null);
        assertThatThrownBy(() -> CustomerRules.normalize(input)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("referredBy"));
        var blank = new CustomerInput(null, "Ada", "Byron", "ada@example.com", "+14155550100", null, null, null, null, null, " ", null);
        assertThat(CustomerRules.normalize(blank).referredBy()).isNull();
        var lower = new CustomerInput(null, "Ada", "Byron", "ada@example.com", "+14155550100", null, null, null, null, null,
                "7k3m-9qxr", null);
        assertThat(CustomerRules.normalize(lower).referredBy()).isEqualTo("7K3M9QXR");
    }

    @Test
    void aReferralIsStoredAndReadBackAsItWas() {
        var pending = Referral.pending("ref_1", "cus_1", "cus_2", "7K3M9QXR", Instant.parse("2026-01-01T00:00:00Z"));
        var rewarded = pending.rewarded("pay_1", 50, 0, Referral.REFERRER_DELETED, Instant.parse("2026-01-02T00:00:00Z"));
        for (var referral : List.of(pending, rewarded, pending.refused("pay_1", Referral.SAME_CARD, Instant.EPOCH))) {
            var item = com.clientele.shared.Items.document(com.clientele.shared.Items.attributes(referral));
            assertThat(com.clientele.shared.Items.read(item, Referral.class, java.util.Set.of())).isEqualTo(referral);
        }
        assertThat(pending.isPending()).isTrue();
        assertThat(rewarded.isPending()).isFalse();
    }

    private static Customer customer(String id, String email, String phone, String currency, String referredBy) {
        return Customer.builder().id(id).type(CustomerType.INDIVIDUAL).firstName("A").lastName("B").email(email).phone(phone).currency(currency)
                .stats(CustomerStats.zero(currency)).referralCode("AAAAAAAA").referredBy(referredBy)
                .createdAt(Instant.EPOCH).updatedAt(Instant.EPOCH).build();
    }

    private static String code(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            assertThat(e.errors()).extracting(FieldError::field).containsExactly("referredBy");
            return e.status() + " " + e.code();
        }
        return "accepted";
    }

    @Test
    void aCustomerIsReferredOnceAndOnlyBeforeItsFirstSuccessfulCharge() {
        var fresh = customer("cus_1", "a@x.example", "+14155550100", null, null);
        assertThat(Referrals.isNew(fresh, "7K3M9QXR")).isTrue();
        assertThat(Referrals.isNew(fresh, null)).isFalse();

        var referred = customer("cus_1", "a@x.example", "+14155550100", null, "7K3M9QXR");
        assertThat(Referrals.isNew(referred, "7K3M9QXR")).as("the same code again changes nothing").isFalse();
        assertThat(code(() -> Referrals.isNew(referred, "ZZZZZZZZ"))).isEqualTo("409 already_referred");
        assertThat(code(() -> Referrals.isNew(referred, null))).as("nor can it be removed").isEqualTo("409 already_referred");

        var paying = customer("cus_1", "a@x.example", "+14155550100", "USD", null);
        assertThat(code(() -> Referrals.isNew(paying, "7K3M9QXR"))).isEqualTo("409 referral_too_late");
        assertThat(Referrals.isNew(paying, null)).isFalse();
    }

    @Test
    void theReferrersEmailPhoneOrSelfIsASelfReferral() {
        var referrer = customer("cus_R", "r@x.example", "+14155550199", null, null);
        assertThat(code(() -> Referrals.checkNotSelf("cus_N", "n@x.example", "+14155550100", referrer))).isEqualTo("accepted");
        assertThat(code(() -> Referrals.checkNotSelf("cus_N", "r@x.example", "+14155550100", referrer))).isEqualTo("400 self_referral");
        assertThat(code(() -> Referrals.checkNotSelf("cus_N", "n@x.example", "+14155550199", referrer))).isEqualTo("400 self_referral");
        assertThat(code(() -> Referrals.checkNotSelf("cus_R", "n@x.example", "+14155550100", referrer))).isEqualTo("400 self_referral");
        assertThat(code(() -> {
            throw Referrals.unknownCode("7K3M9QXR");
        })).isEqualTo("400 unknown_referral_code");
    }
}
