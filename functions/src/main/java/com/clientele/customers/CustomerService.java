package com.clientele.customers;

import com.clientele.customers.CustomerRepository.AlreadyReferred;
import com.clientele.customers.CustomerRepository.CodeTaken;
import com.clientele.customers.CustomerRepository.EmailTaken;
import com.clientele.customers.CustomerRepository.NoBillingGroup;
import com.clientele.customers.CustomerRepository.ReferrerGone;
import com.clientele.customers.CustomerRepository.Slice;
import com.clientele.customers.CustomerRepository.StaleVersion;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.MergePatch;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The rules of customers: creation, reads, merge-patch updates, soft deletes and the customers page. */
public final class CustomerService {

    /** Fields a client may read but never write. */
    static final Set<String> READ_ONLY = Set.of("id", "createdAt", "updatedAt", "version", "stats", "currency",
            "paymentMethod", "defaultPaymentMethodId", "referralCode", "balance", "tier");
    static final int MAX_BATCH_DELETE = 100;
    private static final int MAX_WRITE_ATTEMPTS = 3;
    /** Draws of a referral code before giving up: a collision is about one in a million at a million customers. */
    private static final int MAX_CODE_DRAWS = 5;

    private final CustomerRepository repository;
    private final Cursors cursors;
    private final Clock clock;

    public CustomerService(CustomerRepository repository, Cursors cursors, Clock clock) {
        this.repository = repository;
        this.cursors = cursors;
        this.clock = clock;
    }

    public record Page(List<CustomerRow> data, String nextCursor, PageSummary summary) {
    }

    public record BatchDeleteResult(List<String> deleted, List<String> notFound) {
    }

    /**
     * A new customer with a referral code of its own; with {@code referredBy}, referred by the live
     * customer whose code that is (see {@link Referrals}), the referral written with the customer.
     */
    public Customer create(String tenant, CustomerInput input) {
        return create(tenant, CustomerRules.normalize(input), insertion -> insertion.write(List.of()));
    }

    /**
     * A new customer exactly as {@link #create(String, CustomerInput)} makes one, from {@code valid}
     * ({@link #validate}d) input, written by {@code write} with whatever else belongs in its
     * transaction (an order's items): the customer exists if and only if that does.
     */
    public Customer create(String tenant, CustomerInput valid, java.util.function.Consumer<CustomerRepository.Insertion> write) {
        String id = Ids.next(Ids.CUSTOMER);
        Instant now = now();
        var referral = valid.referredBy() == null ? null : newReferral(tenant, id, valid, now);
        for (int draw = 1; ; draw++) {
            var customer = Customer.builder().id(id).type(CustomerType.of(valid.type())).firstName(valid.firstName()).lastName(valid.lastName())
                    .email(valid.email()).phone(valid.phone()).company(valid.company()).paymentTerms(valid.paymentTerms())
                    .billingGroupId(valid.billingGroupId()).addresses(valid.addresses()).metadata(valid.metadata())
                    .stats(CustomerStats.zero(null)).referralCode(ReferralCodes.next()).referredBy(valid.referredBy())
                    .communicationPreferences(valid.communicationPreferences()).createdAt(now).updatedAt(now).build();
            try {
                write.accept(repository.insertion(tenant, customer, referral));
                return customer;
            } catch (EmailTaken e) {
                throw emailTaken(e);
            } catch (ReferrerGone e) {
                throw Referrals.unknownCode(valid.referredBy());
            } catch (NoBillingGroup e) {
                throw noBillingGroup();
            } catch (CodeTaken e) {
                if (draw == MAX_CODE_DRAWS) {
                    throw new IllegalStateException(MAX_CODE_DRAWS + " referral codes drawn in a row were taken");
                }
            }
        }
    }

    /** The input of a new customer in its canonical form, or a 400 naming each offending field. */
    public static CustomerInput validate(CustomerInput input) {
        return CustomerRules.normalize(input);
    }

    /** The tenant's live customer with this email (normalised first), if any. */
    public java.util.Optional<Customer> byEmail(String tenant, String email) {
        return repository.byEmail(tenant, CustomerRules.normalizeEmail(email));
    }

    /** The referral of customer {@code id} (with the fields {@code valid}) by the owner of its {@code referredBy}. */
    private Referral newReferral(String tenant, String id, CustomerInput valid, Instant now) {
        String code = valid.referredBy();
        var referrer = repository.byReferralCode(tenant, code).orElseThrow(() -> Referrals.unknownCode(code));
        Referrals.checkNotSelf(id, valid.email(), valid.phone(), referrer);
        return Referral.pending(Ids.next(Ids.REFERRAL), id, referrer.id(), code, now);
    }

    public Customer get(String tenant, String id) {
        if (!Ids.isValid(Ids.CUSTOMER, id)) {
            throw ApiException.notFound("Customer " + id);
        }
        return repository.find(tenant, id).orElseThrow(() -> repository.mergedInto(tenant, id)
                .map(primary -> merged(id, primary)).orElseGet(() -> ApiException.notFound("Customer " + id)));
    }

    /**
     * The tenant's live customer, or 404 (an unknown or malformed id, another tenant's, a deleted
     * or merged customer): what another capability's routes under {@code /customers/{id}} answer.
     */
    public static Customer existing(CustomerRepository repository, String tenant, String id) {
        return (Ids.isValid(Ids.CUSTOMER, id) ? repository.find(tenant, id) : java.util.Optional.<Customer>empty())
                .orElseThrow(() -> ApiException.notFound("Customer " + id));
    }

    private static ApiException noBillingGroup() {
        return ApiException.invalid("billingGroupId", "names no billing group of yours in the customer's currency");
    }

    /** The 404 of a customer merged into another: the problem names where it went ({@code mergedInto}, {@code location}). */
    public static ApiException merged(String id, String primaryId) {
        return new ApiException(404, "customer_merged", "Customer merged", "Customer " + id + " was merged into " + primaryId,
                List.of(), Map.of("mergedInto", primaryId, "location", "/customers/" + primaryId), Map.of());
    }

    /**
     * Applies a JSON merge patch (RFC 7396) to the writable fields, re-validates the result as a
     * whole and stores it if {@code ifMatch} is still the current ETag.
     */
    public Customer update(String tenant, String id, JsonNode patch, String ifMatch) {
        var errors = new ArrayList<FieldError>();
        patch.fieldNames().forEachRemaining(name -> {
            if (READ_ONLY.contains(name)) {
                errors.add(new FieldError(name, "is read-only"));
            }
        });
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        if (ifMatch == null) {
            throw new ApiException(428, "precondition_required", "Precondition required",
                    "Send If-Match with the ETag of the customer you are changing");
        }
        var current = get(tenant, id);
        if (!MergePatch.matches(ifMatch, current.etag())) {
            throw stale(current);
        }
        JsonNode merged = MergePatch.apply(Json.MAPPER.valueToTree(CustomerInput.of(current)), patch);
        var valid = CustomerRules.normalize(Bodies.convert(merged, CustomerInput.class));
        Instant now = now();
        var referral = Referrals.isNew(current, valid.referredBy()) ? newReferral(tenant, id, valid, now) : null;
        var updated = current.edit(valid, now);
        if (CustomerInput.of(updated).equals(CustomerInput.of(current))) {
            return current;
        }
        try {
            repository.replace(tenant, current, updated, referral);
        } catch (EmailTaken e) {
            throw emailTaken(e);
        } catch (StaleVersion e) {
            throw stale(null);
        } catch (ReferrerGone e) {
            throw Referrals.unknownCode(valid.referredBy());
        } catch (NoBillingGroup e) {
            throw noBillingGroup();
        } catch (AlreadyReferred e) {
            // the profile's version check normally fails first; this is a referral item the profile does not show
            throw Referrals.alreadyReferred(null);
        }
        return updated;
    }

    /** Soft-deletes a customer; retries when a concurrent update moved the version underneath. */
    public void delete(String tenant, String id) {
        for (int attempt = 1; ; attempt++) {
            var current = get(tenant, id);
            try {
                repository.softDelete(tenant, current, now());
                return;
            } catch (StaleVersion e) {
                if (attempt == MAX_WRITE_ATTEMPTS) {
                    throw new ApiException(409, "concurrent_update", "Conflict",
                            "The customer kept changing while it was being deleted; try again");
                }
            }
        }
    }

    public BatchDeleteResult batchDelete(String tenant, List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw ApiException.invalid("ids", "must hold 1 to " + MAX_BATCH_DELETE + " customer ids");
        }
        if (ids.size() > MAX_BATCH_DELETE) {
            throw ApiException.invalid("ids", "must hold at most " + MAX_BATCH_DELETE + " customer ids");
        }
        var deleted = new ArrayList<String>();
        var notFound = new ArrayList<String>();
        for (String id : new LinkedHashSet<>(ids)) {
            try {
                delete(tenant, id);
                deleted.add(id);
            } catch (ApiException e) {
                if (e.status() != 404) {
                    throw e;
                }
                notFound.add(id);
            }
        }
        return new BatchDeleteResult(deleted, notFound);
    }

    /**
     * A page of the customers list: the list's own reads, with the tenant's segment settings (for
     * the segment filter and each row's {@code segments}) from {@link #settings}.
     */
    public Page list(String tenant, ListQuery query) {
        var settings = settings(tenant);
        Instant now = now();
        var found = find(tenant, query, settings, now);
        return new Page(rows(found.customers(), settings, now), found.nextCursor(), PageSummary.of(found.customers()));
    }

    /**
     * The customers of a page of the list, whole, in the list's order, and the cursor of the next
     * page (null after the last): what {@link #list} shows as rows, for readers of the whole list
     * (the CSV export). Its cursors are the list's own.
     */
    public CustomerPage customers(String tenant, ListQuery query) {
        return find(tenant, query, settings(tenant), now());
    }

    public record CustomerPage(List<Customer> customers, String nextCursor) {
    }

    private CustomerPage find(String tenant, ListQuery query, SegmentSettings settings, Instant now) {
        // A cursor belongs to the list as its settings defined it: a segment's thresholds are part of its scope.
        String scope = query.scope() + "|" + segmentScope(query.segment(), settings);
        Map<String, String> after = query.cursor() == null ? null : cursors.decode(tenant, scope, query.cursor());
        var filter = CustomerFilter.of(query, settings, now);
        Slice slice;
        if (filter.none()) {
            slice = new Slice(List.of(), null);
        } else if (query.email() != null) {
            slice = repository.byEmail(tenant, CustomerRules.normalizeEmail(query.email()), query.limit(), after, filter);
        } else if (query.phone() != null) {
            var errors = new ArrayList<FieldError>();
            String phone = CustomerRules.phone(errors, "phone", query.phone(), null)
                    .orElseThrow(() -> ApiException.invalid(errors));
            slice = repository.byPhone(tenant, phone, query.limit(), after, filter);
        } else if (query.q() != null && looksLikeId(query.q())) {
            String prefix = Ids.CUSTOMER + query.q().substring(Ids.CUSTOMER.length()).toUpperCase(java.util.Locale.ROOT);
            slice = repository.newestFirst(tenant, query.limit(), after, filter, prefix);
        } else if (query.q() != null) {
            // Search reads term items, then the profiles: filters apply to the profiles of the page.
            slice = repository.search(tenant, searchPrefix(query.q()), query.limit(), after);
            if (!filter.isAll()) {
                slice = new Slice(slice.rows().stream().filter(filter::matches).toList(), slice.resumeAfter());
            }
        } else {
            slice = switch (query.sort()) {
                case "name" -> repository.byName(tenant, query.limit(), after, filter);
                case "-ltv" -> repository.byLtv(tenant, query.limit(), after, filter);
                case "-subscriptions" -> repository.bySubscriptions(tenant, query.limit(), after, filter);
                case "-outstandingBalance" -> repository.byBalance(tenant, true, query.limit(), after, filter);
                case "outstandingBalance" -> repository.byBalance(tenant, false, query.limit(), after, filter);
                default -> repository.newestFirst(tenant, query.limit(), after, filter, null);
            };
        }
        String next = slice.resumeAfter() == null ? null : cursors.encode(tenant, scope, slice.resumeAfter());
        return new CustomerPage(slice.rows(), next);
    }

    /** {@code GET /customers/top}: the {@code limit} customers with the highest LTV, highest first. */
    public Top top(String tenant, int limit) {
        var settings = settings(tenant);
        var slice = repository.byLtv(tenant, limit, null, CustomerFilter.ALL);
        return new Top(rows(slice.rows(), settings, now()), PageSummary.of(slice.rows()));
    }

    public record Top(List<CustomerRow> data, PageSummary summary) {
    }

    public SegmentSettings segmentSettings(String tenant) {
        return repository.segmentSettings(tenant);
    }

    /** Replaces the tenant's segment thresholds; every field is required and checked. */
    public SegmentSettings updateSegmentSettings(String tenant, SegmentSettings.Input input) {
        var settings = SegmentSettings.of(input, now());
        repository.putSegmentSettings(tenant, settings);
        synchronized (settingsCache) {
            settingsCache.put(tenant, new CachedSettings(settings, clock.instant().plus(SETTINGS_TTL)));
        }
        return settings;
    }

    /**
     * Segment settings change rarely and lists are frequent: a function instance keeps each
     * tenant's for {@link #SETTINGS_TTL} (its own changes at once), so a list page costs its own
     * reads only. Another instance sees a change within that time.
     */
    private SegmentSettings settings(String tenant) {
        Instant now = clock.instant();
        synchronized (settingsCache) {
            var cached = settingsCache.get(tenant);
            if (cached != null && cached.until().isAfter(now)) {
                return cached.settings();
            }
        }
        var settings = repository.segmentSettings(tenant);
        synchronized (settingsCache) {
            settingsCache.put(tenant, new CachedSettings(settings, now.plus(SETTINGS_TTL)));
        }
        return settings;
    }

    static final java.time.Duration SETTINGS_TTL = java.time.Duration.ofSeconds(60);
    private static final int SETTINGS_CACHED_TENANTS = 1_000;

    private record CachedSettings(SegmentSettings settings, Instant until) {
    }

    private final Map<String, CachedSettings> settingsCache = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CachedSettings> eldest) {
            return size() > SETTINGS_CACHED_TENANTS;
        }
    };

    private static List<CustomerRow> rows(List<Customer> customers, SegmentSettings settings, Instant now) {
        return customers.stream().map(c -> CustomerRow.of(c, CustomerFilter.segmentsOf(c, settings, now))).toList();
    }

    /** What of the settings defines a segment's list (the time windows move with the clock, not the list). */
    private static String segmentScope(String segment, SegmentSettings settings) {
        if (segment == null) {
            return "";
        }
        return switch (segment) {
            case CustomerFilter.HIGH_VALUE -> settings.highValueLtv().amount() + settings.highValueLtv().currency();
            case CustomerFilter.AT_RISK -> "d" + settings.atRiskDays() + (settings.atRiskDisputes() == null ? "" : "x" + settings.atRiskDisputes());
            case CustomerFilter.LOYAL -> "o" + settings.loyalOrders();
            case CustomerFilter.NEW -> "d" + settings.newDays();
            default -> "";
        };
    }

    private static boolean looksLikeId(String q) {
        return q.length() > Ids.CUSTOMER.length() && q.regionMatches(true, 0, Ids.CUSTOMER, 0, Ids.CUSTOMER.length());
    }

    /**
     * Search terms are lower-case; phone terms are digits without the +. Text of punctuation alone
     * is searched as it is (it matches no term, or a company name holding it): never an empty prefix.
     */
    static String searchPrefix(String q) {
        String lower = CustomerRepository.lower(q.strip());
        if (lower.matches("\\+?[0-9 ()\\-.]+") && lower.chars().anyMatch(Character::isDigit)) {
            return lower.replaceAll("[^0-9]", "");
        }
        return lower;
    }

    private static ApiException stale(Customer current) {
        return new ApiException(412, "precondition_failed", "Precondition failed",
                "The customer changed since you read it" + (current == null ? "" : " (now at ETag " + current.etag() + ")")
                        + "; read it again and reapply your change");
    }

    private static ApiException emailTaken(EmailTaken e) {
        return new ApiException(409, "email_taken", "Email already in use",
                "Another customer of this account has this email", List.of(new FieldError("email", "is already in use")),
                Map.of("existingCustomerId", e.existingCustomerId), Map.of());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
