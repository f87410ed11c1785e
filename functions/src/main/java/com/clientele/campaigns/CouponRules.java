package com.clientele.campaigns;

import com.clientele.campaigns.Campaign.CouponOffer;
import com.clientele.shared.Money;
import com.clientele.shared.http.FieldError;
import java.security.SecureRandom;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rules of coupons that need no table: a campaign's coupon offer checked, codes (the shape a
 * client's code must have, and unguessable generated ones), and what a coupon takes off a charge.
 */
final class CouponRules {

    static final long MAX_REDEMPTIONS = 1_000_000_000L;
    static final long MAX_PER_CUSTOMER = 1_000;
    static final int MIN_CODE = 3;
    static final int MAX_CODE = 32;
    /** Generated codes: 16 characters of Crockford's base 32 (no I, L, O, U), 80 random bits. */
    static final int GENERATED_LENGTH = 16;
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    static final String CODE_RULE = MIN_CODE + " to " + MAX_CODE + " letters A-Z, digits, '-' or '_' (case does not matter),"
            + " beginning with a letter or a digit";

    private CouponRules() {
    }

    /** The offer checked (every bad field named under {@code coupon.}), or null when there is none. */
    static CouponOffer offer(List<FieldError> errors, CouponOffer in) {
        if (in == null) {
            return null;
        }
        String type = in.type();
        if (type == null || !List.of(CouponOffer.PERCENT_OFF, CouponOffer.AMOUNT_OFF, CouponOffer.FREE_POINTS).contains(type)) {
            errors.add(new FieldError("coupon.type", "must be one of percent_off, amount_off, free_points"));
            return in;
        }
        only(errors, "coupon.percentOff", in.percentOff(), CouponOffer.PERCENT_OFF, type);
        only(errors, "coupon.amountOff", in.amountOff(), CouponOffer.AMOUNT_OFF, type);
        only(errors, "coupon.points", in.points(), CouponOffer.FREE_POINTS, type);
        switch (type) {
            case CouponOffer.PERCENT_OFF -> {
                if (in.percentOff() == null || in.percentOff() < 1 || in.percentOff() > 100) {
                    errors.add(new FieldError("coupon.percentOff", "must be an integer from 1 to 100"));
                }
            }
            case CouponOffer.AMOUNT_OFF -> money(errors, "coupon.amountOff", in.amountOff(), true);
            default -> {
                if (in.points() == null || in.points() < 1 || in.points() > CampaignService.MAX_BONUS) {
                    errors.add(new FieldError("coupon.points", "must be an integer from 1 to " + CampaignService.MAX_BONUS));
                }
            }
        }
        if (in.validFrom() != null && in.validUntil() != null && !in.validUntil().isAfter(in.validFrom())) {
            errors.add(new FieldError("coupon.validUntil", "must be after validFrom"));
        }
        money(errors, "coupon.minimumAmount", in.minimumAmount(), false);
        if (in.amountOff() != null && in.minimumAmount() != null && in.amountOff().currency() != null
                && !in.amountOff().currency().equals(in.minimumAmount().currency())) {
            errors.add(new FieldError("coupon.minimumAmount.currency", "must be the amountOff's currency, " + in.amountOff().currency()));
        }
        if (in.maxRedemptions() != null && (in.maxRedemptions() < 1 || in.maxRedemptions() > MAX_REDEMPTIONS)) {
            errors.add(new FieldError("coupon.maxRedemptions", "must be an integer from 1 to " + MAX_REDEMPTIONS + ", or null: no limit"));
        }
        long perCustomer = in.maxRedemptionsPerCustomer() == null ? 1 : in.maxRedemptionsPerCustomer();
        if (perCustomer < 1 || perCustomer > MAX_PER_CUSTOMER) {
            errors.add(new FieldError("coupon.maxRedemptionsPerCustomer", "must be an integer from 1 to " + MAX_PER_CUSTOMER));
        }
        return new CouponOffer(type, in.percentOff(), in.amountOff(), in.points(),
                in.validFrom() == null ? null : in.validFrom().truncatedTo(ChronoUnit.MILLIS),
                in.validUntil() == null ? null : in.validUntil().truncatedTo(ChronoUnit.MILLIS),
                in.minimumAmount(), in.maxRedemptions(), perCustomer);
    }

    /** An amount of money a campaign names ({@code required}, or null): 1 to {@link CampaignService#MAX_AMOUNT} minor units of an ISO 4217 currency. */
    static void money(List<FieldError> errors, String field, Money money, boolean required) {
        if (money == null) {
            if (required) {
                errors.add(new FieldError(field, "is required ({\"amount\": minor units, \"currency\": ISO 4217})"));
            }
            return;
        }
        if (money.amount() < 1 || money.amount() > CampaignService.MAX_AMOUNT) {
            errors.add(new FieldError(field + ".amount", "must be an integer from 1 to " + CampaignService.MAX_AMOUNT + " (minor units)"));
        }
        if (!Money.isCurrency(money.currency())) {
            errors.add(new FieldError(field + ".currency", "must be an ISO 4217 code such as USD"));
        }
    }

    private static void only(List<FieldError> errors, String field, Object value, String forType, String type) {
        if (value != null && !forType.equals(type)) {
            errors.add(new FieldError(field, "is only for a coupon of type " + forType));
        }
    }

    /**
     * A code as a client gives it, in the one form it is stored and compared in (upper case), or null when it
     * does not have a code's shape ({@link #CODE_RULE}): nothing else ever reaches a key.
     */
    static String code(String raw) {
        if (raw == null || raw.length() < MIN_CODE || raw.length() > MAX_CODE) {
            return null;
        }
        String code = raw.toUpperCase(Locale.ROOT);
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            boolean alphanumeric = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (i == 0 || (c != '-' && c != '_'))) {
                return null;
            }
        }
        return code;
    }

    /** A new code no one can guess: {@value #GENERATED_LENGTH} characters from {@code random} (a SecureRandom). */
    static String generate(SecureRandom random) {
        var code = new char[GENERATED_LENGTH];
        for (int i = 0; i < code.length; i++) {
            code[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(code);
    }

    /**
     * What {@code offer} takes off a charge of {@code amount} (of its currency): a percentage rounded down to
     * the minor unit, or the amount off; nothing for free points.
     */
    static long discount(CouponOffer offer, long amount) {
        return switch (offer.type()) {
            // floor(amount x percent / 100) without overflow for any long amount
            case CouponOffer.PERCENT_OFF -> amount / 100 * offer.percentOff() + amount % 100 * offer.percentOff() / 100;
            case CouponOffer.AMOUNT_OFF -> offer.amountOff().amount();
            default -> 0;
        };
    }

    /**
     * Whether {@code coupon} applies to a charge of {@code amount} by {@code customerId} at {@code at}, and what it
     * takes off: the first reason it does not, in this order — unknown, another customer's, not yet valid,
     * expired, exhausted (its total limit), used up by this customer, another currency, below its minimum,
     * as large as the charge (nothing would be left to charge: refused, not clamped). A null {@code customerId}
     * or {@code amount} skips the checks that need it (a preview).
     */
    static Verdict judge(Coupon coupon, CustomerCoupon mine, String customerId, Money amount, java.time.Instant at) {
        if (coupon == null) {
            return Verdict.refused("coupon_not_found", "No coupon has this code");
        }
        var terms = coupon.terms();
        if (customerId != null && coupon.customerId() != null && (mine == null || !mine.given())) {
            return Verdict.refused("coupon_not_for_customer", "This coupon was given to another customer");
        }
        if (terms.validFrom() != null && at.isBefore(terms.validFrom())) {
            return Verdict.refused("coupon_not_yet_valid", "This coupon is valid from " + terms.validFrom());
        }
        if (terms.validUntil() != null && !at.isBefore(terms.validUntil())) {
            return Verdict.refused("coupon_expired", "This coupon expired on " + terms.validUntil());
        }
        if (terms.maxRedemptions() != null && coupon.redemptions() >= terms.maxRedemptions()) {
            return Verdict.refused("coupon_exhausted", "This coupon has been redeemed " + terms.maxRedemptions() + " times: its limit");
        }
        if (mine != null && mine.uses() >= terms.maxRedemptionsPerCustomer()) {
            return Verdict.refused("coupon_limit_reached", "This customer has used this coupon " + mine.uses() + " times: its limit per customer");
        }
        if (amount == null) {
            return new Verdict(0, null, null);
        }
        String currency = terms.amountOff() != null ? terms.amountOff().currency()
                : terms.minimumAmount() != null ? terms.minimumAmount().currency() : amount.currency();
        if (!currency.equals(amount.currency())) {
            return Verdict.refused("coupon_currency_mismatch", "This coupon is for charges in " + currency);
        }
        if (terms.minimumAmount() != null && amount.amount() < terms.minimumAmount().amount()) {
            return Verdict.refused("coupon_below_minimum", "This coupon is for charges of at least " + terms.minimumAmount().amount()
                    + " " + currency + " (minor units)");
        }
        long discount = discount(terms, amount.amount());
        if (discount >= amount.amount()) {
            return Verdict.refused("coupon_exceeds_amount", "This coupon takes off " + discount + " " + currency
                    + ", as much as the charge or more: a charge must leave something to pay");
        }
        return new Verdict(discount, null, null);
    }

    /**
     * {@link #judge} for a charge without a customer (a guest payment): only a shared code applies (a code
     * given to a customer is {@code coupon_not_for_customer}), and a coupon of points is {@code coupon_needs_customer} (a guest earns
     * none), and only its total limit counts — a guest has
     * no identity to count a per-customer limit by (an email given at the till proves nothing), as a Stripe
     * promotion code's customer restrictions bind only a known customer.
     */
    static Verdict judgeGuest(Coupon coupon, Money amount, java.time.Instant at) {
        if (coupon != null && coupon.customerId() != null) {
            return Verdict.refused("coupon_not_for_customer", "This coupon was given to a customer: a guest can use only a shared code");
        }
        if (coupon != null && CouponOffer.FREE_POINTS.equals(coupon.terms().type())) {
            return Verdict.refused("coupon_needs_customer", "This coupon gives points, and a guest has no points to credit: charge a customer");
        }
        return judge(coupon, null, null, amount, at);
    }

    /** What {@link #judge} found: the discount (minor units), or the problem code and why it does not apply. */
    record Verdict(long discount, String refusal, String detail) {

        static Verdict refused(String code, String detail) {
            return new Verdict(0, code, detail);
        }

        boolean applies() {
            return refusal == null;
        }

        /** The refusal as the API answers it: 422 with the code, {@code couponCode} named. */
        com.clientele.shared.http.ApiException problem(String field) {
            return new com.clientele.shared.http.ApiException(422, refusal, "Coupon does not apply", detail,
                    List.of(new FieldError(field, detail)), Map.of(), Map.of());
        }
    }
}
