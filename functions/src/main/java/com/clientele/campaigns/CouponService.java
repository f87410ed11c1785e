package com.clientele.campaigns;

import com.clientele.campaigns.CouponRepository.CodeTaken;
import com.clientele.campaigns.CouponRepository.NotLive;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Money;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.http.Listing;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of coupon codes: made from a campaign that has a coupon offer (not an ended one), for one
 * customer with a code from a SecureRandom ("Generate Coupon"), or as a shared code the merchant
 * chooses; unique per tenant. A customer's coupons, and a preview of whether a code applies.
 */
public final class CouponService {

    private final CampaignRepository campaigns;
    private final CouponRepository repository;
    private final Cursors cursors;
    private final Clock clock;
    private final SecureRandom random;

    public CouponService(CampaignRepository campaigns, CouponRepository repository, Cursors cursors, Clock clock, SecureRandom random) {
        this.campaigns = campaigns;
        this.repository = repository;
        this.cursors = cursors;
        this.clock = clock;
        this.random = random;
    }

    /** The body of {@code POST /campaigns/{id}/coupons}: a {@code customerId} (a code is generated for them) or a shared {@code code}. */
    public record CouponInput(String customerId, String code) {
    }

    public record NewCoupon(String tenant, String campaignId, CouponInput input) {
    }

    /** What {@code GET /coupons/{code}} says: the coupon, whether it applies (to a customer and an amount when given) and what it takes off. */
    public record Preview(Coupon coupon, boolean applies, String reason, String detail, Money discount, Money amountAfter) {
    }

    public Coupon create(NewCoupon command, IdempotentWrite<Coupon> key) {
        String tenant = command.tenant();
        var in = command.input();
        var errors = new ArrayList<FieldError>();
        if ((in.customerId() == null) == (in.code() == null)) {
            errors.add(new FieldError("customerId", "give either customerId (a code is generated for that customer) or code (a shared code), not both"));
        }
        String code = null;
        if (in.code() != null) {
            code = CouponRules.code(in.code());
            if (code == null) {
                errors.add(new FieldError("code", "must be " + CouponRules.CODE_RULE));
            }
        }
        if (in.customerId() != null && !Ids.isValid(Ids.CUSTOMER, in.customerId())) {
            errors.add(new FieldError("customerId", "must be a customer id (cus_…)"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        var campaign = CampaignService.found(campaigns, tenant, command.campaignId());
        givesCoupons(campaign);
        String customerId = in.customerId();
        if (customerId != null && !campaigns.customerExists(tenant, customerId)) {
            throw ApiException.notFound("Customer " + customerId);
        }
        String shared = code;
        var claimed = key.claim(() -> shared != null ? shared : CouponRules.generate(random));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        var coupon = new Coupon(claimed.resourceId(), campaign.id(), customerId, campaign.coupon(), 0, now);
        var given = customerId == null ? null : new CustomerCoupon(coupon.code(), campaign.id(), campaign.coupon(), true, now, 0,
                null, null, null, null, null);
        try {
            repository.insert(tenant, coupon, given, key.completion(coupon, customerId));
        } catch (CodeTaken e) {
            if (claimed.resumed()) {
                throw key.finishedEarlier();
            }
            throw new ApiException(409, "coupon_code_taken", "Code taken", "This account has a coupon with code " + coupon.code()
                    + " already; choose another", java.util.List.of(new FieldError("code", "is taken")), Map.of(), Map.of());
        } catch (NotLive e) {
            throw ApiException.notFound("Customer " + customerId);
        }
        return coupon;
    }

    /** 409 unless {@code campaign} makes coupons: {@code campaign_has_no_coupon} without an offer, {@code invalid_state} once ended. */
    static void givesCoupons(Campaign campaign) {
        if (campaign.coupon() == null) {
            throw new ApiException(409, "campaign_has_no_coupon", "Campaign gives no coupons",
                    "Campaign " + campaign.id() + " has no coupon offer: give it one (PATCH its coupon) first");
        }
        if (Campaign.ENDED.equals(campaign.status())) {
            throw new ApiException(409, "invalid_state", "Invalid state", "Campaign " + campaign.id() + " has ended: it makes no more coupons");
        }
    }

    /** The coupons given to the customer or used by them, by code, each with its status now. */
    public Listing<CustomerCoupon> customerCoupons(String tenant, String customerId, Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, Set.of(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        if (!Ids.isValid(Ids.CUSTOMER, customerId) || !campaigns.customerExists(tenant, customerId)) {
            throw ApiException.notFound("Customer " + customerId);
        }
        String scope = "coupons:" + customerId;
        var slice = repository.customerCoupons(tenant, customerId, paging.limit(), cursors.after(tenant, scope, paging));
        Instant now = clock.instant();
        return new Listing<>(slice.items().stream().map(i -> CouponRepository.customerCoupon(i).at(now)).toList(),
                cursors.next(tenant, scope, slice));
    }

    /**
     * The coupon with this code and whether it applies now: for {@code customerId} when given, to a charge of
     * {@code amount} {@code currency} when given. 404 for a code of no coupon of the tenant (or not a code's shape).
     */
    public Preview preview(String tenant, String rawCode, Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        for (String name : query.keySet()) {
            if (!Set.of("customerId", "amount", "currency").contains(name)) {
                errors.add(new FieldError(name, "is not a parameter of this route (customerId, amount, currency)"));
            }
        }
        String customerId = ListParams.blank(query.get("customerId"));
        if (customerId != null && !Ids.isValid(Ids.CUSTOMER, customerId)) {
            errors.add(new FieldError("customerId", "must be a customer id (cus_…)"));
        }
        Money amount = amount(errors, query.get("amount"), query.get("currency"));
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        String code = CouponRules.code(rawCode);
        if (code == null) {
            throw ApiException.notFound("Coupon " + rawCode);
        }
        Optional<Coupon> coupon;
        Optional<CustomerCoupon> mine = Optional.empty();
        if (customerId == null) {
            coupon = repository.find(tenant, code);
        } else {
            var read = repository.findFor(tenant, code, customerId);
            coupon = read.coupon();
            mine = read.customerCoupon();
        }
        var found = coupon.orElseThrow(() -> ApiException.notFound("Coupon " + code));
        var verdict = CouponRules.judge(found, mine.orElse(null), customerId, amount, clock.instant());
        boolean priced = verdict.applies() && amount != null;
        return new Preview(found, verdict.applies(), verdict.refusal(), verdict.detail(),
                priced ? new Money(verdict.discount(), amount.currency()) : null,
                priced ? new Money(amount.amount() - verdict.discount(), amount.currency()) : null);
    }

    private static Money amount(java.util.List<FieldError> errors, String amount, String currency) {
        if (amount == null && currency == null) {
            return null;
        }
        long minor = 0;
        try {
            minor = Long.parseLong(amount == null ? "" : amount);
        } catch (NumberFormatException e) {
            minor = -1;
        }
        if (minor < 1 || minor > CampaignService.MAX_AMOUNT) {
            errors.add(new FieldError("amount", "must be an integer from 1 to " + CampaignService.MAX_AMOUNT + " (minor units), with currency"));
        }
        if (!Money.isCurrency(currency)) {
            errors.add(new FieldError("currency", "must be an ISO 4217 code such as USD, with amount"));
        }
        return new Money(minor, currency);
    }
}
