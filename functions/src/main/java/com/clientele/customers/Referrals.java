package com.clientele.customers;

import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rules of referrals at the customers API: who may be referred, by whom, and when. A customer
 * is referred once, by the code of another live customer of the tenant, when created or later by a
 * PATCH, but only while it has no referral and no successful charge yet (the bonus is paid at the
 * first successful charge; {@code currency} is fixed by that charge, in the profile, so a PATCH
 * racing it fails its version check). The referrer's email or phone being the new customer's is
 * a self-referral. A deleted customer's code is no longer valid: it is unknown.
 */
final class Referrals {

    static final String FIELD = "referredBy";

    private Referrals() {
    }

    /** Whether {@code requested} (canonical, or null) makes a new referral of {@code current}; 409 when it would change one. */
    static boolean isNew(Customer current, String requested) {
        if (Objects.equals(current.referredBy(), requested)) {
            return false;
        }
        if (current.referredBy() != null) {
            throw alreadyReferred(current.referredBy());
        }
        if (current.currency() != null) {
            throw new ApiException(409, "referral_too_late", "Too late for a referral",
                    "A referral counts only before the customer's first successful charge, and this customer has made one",
                    List.of(new FieldError(FIELD, "can only be set before the first successful charge")), Map.of(), Map.of());
        }
        return true;
    }

    /** 400 when the referrer is the customer, or shares its email or phone. */
    static void checkNotSelf(String customerId, String email, String phone, Customer referrer) {
        if (referrer.id().equals(customerId) || referrer.email().equals(email) || referrer.phone().equals(phone)) {
            throw new ApiException(400, "self_referral", "Self-referral",
                    "A customer cannot be referred by themselves: the referrer has the same email or phone",
                    List.of(new FieldError(FIELD, "belongs to this customer (same email or phone)")), Map.of(), Map.of());
        }
    }

    static ApiException alreadyReferred(String code) {
        return new ApiException(409, "already_referred", "Already referred",
                "This customer was referred" + (code == null ? "" : " with code " + code)
                        + "; a referral cannot be changed or removed",
                List.of(new FieldError(FIELD, "is already set")), Map.of(), Map.of());
    }

    static ApiException unknownCode(String code) {
        return new ApiException(400, "unknown_referral_code", "Unknown referral code",
                "No customer of this account has the referral code " + code,
                List.of(new FieldError(FIELD, "is not the referral code of a customer of this account")), Map.of(), Map.of());
    }
}
