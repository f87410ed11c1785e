package com.clientele.billinggroups;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerRules;
import com.clientele.customers.CustomerType;
import com.clientele.shared.Activity;
import com.clientele.shared.Actor;
import com.clientele.shared.Ids;
import com.clientele.shared.Money;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.http.Listing;
import com.clientele.shared.http.MergePatch;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Billing groups' rules: a group's payer is a live business customer of the tenant (in the group's
 * currency, once its own is fixed); its members are business customers, each in one group at most, in the
 * group's currency. Joining and leaving change the member's profile ({@code billingGroupId}); a customer
 * already in another group is moved only by changing its {@code billingGroupId} on the customer itself,
 * never by adding it to a second group. Changes of membership count from the next invoicing period.
 */
public final class BillingGroupService {

    static final int MAX_NAME = 120;
    private static final int MAX_WRITE_ATTEMPTS = 3;
    private static final Set<String> WRITABLE = Set.of("name", "payerId", "paymentTerms");

    private final BillingGroupRepository repository;
    private final CustomerRepository customers;
    private final Cursors cursors;
    private final Clock clock;

    public BillingGroupService(BillingGroupRepository repository, CustomerRepository customers, Cursors cursors, Clock clock) {
        this.repository = repository;
        this.customers = customers;
        this.cursors = cursors;
        this.clock = clock;
    }

    /** The body of {@code POST /billing-groups}. */
    public record Input(String name, String payerId, String currency, String paymentTerms) {
    }

    /** The body of {@code POST /billing-groups/{id}/members}. */
    public record MemberInput(String customerId) {
    }

    /** A member as the group's member list shows it. */
    public record Member(String customerId, String name, String companyName, String email, String currency) {
        static Member of(Customer c) {
            return new Member(c.id(), c.firstName() + " " + c.lastName(), c.company() == null ? null : c.company().name(), c.email(),
                    c.currency());
        }
    }

    public BillingGroup create(String tenant, Input in) {
        var errors = new ArrayList<FieldError>();
        String name = name(errors, in.name());
        String currency = in.currency();
        if (!Money.isCurrency(currency)) {
            errors.add(new FieldError("currency", "must be an ISO 4217 code such as USD"));
            currency = null;
        }
        String terms = terms(errors, in.paymentTerms());
        payer(tenant, errors, in.payerId(), currency);
        failOn(errors);
        Instant now = clock.instant();
        var group = new BillingGroup(Ids.next(Ids.BILLING_GROUP), name, in.payerId(), currency, terms, now, now,
                Actor.current().orElse(null), 1);
        repository.create(tenant, group);
        return group;
    }

    public BillingGroup get(String tenant, String groupId) {
        return (Ids.isValid(Ids.BILLING_GROUP, groupId) ? repository.find(tenant, groupId) : Optional.<BillingGroup>empty())
                .orElseThrow(() -> ApiException.notFound("Billing group " + groupId));
    }

    /** The tenant's groups, oldest first. */
    public Listing<BillingGroup> list(String tenant, Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, Set.of(), errors);
        failOn(errors);
        var slice = repository.list(tenant, paging.limit(), cursors.after(tenant, "billing-groups", paging));
        return new Listing<>(slice.items().stream().map(BillingGroupRepository::group).toList(),
                cursors.next(tenant, "billing-groups", slice));
    }

    /**
     * A merge patch of the name, the payer and the terms, if {@code ifMatch} is the group's ETag; the
     * currency (and what else the group shows) may be sent back unchanged, never changed.
     */
    public BillingGroup update(String tenant, String groupId, JsonNode patch, String ifMatch) {
        var current = get(tenant, groupId);
        if (patch == null || !patch.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
        var errors = new ArrayList<FieldError>();
        var shown = com.clientele.shared.Json.MAPPER.valueToTree(current);
        patch.properties().forEach(member -> {
            if (!WRITABLE.contains(member.getKey()) && !same(shown.get(member.getKey()), member.getValue())) {
                errors.add(new FieldError(member.getKey(), member.getKey().equals("currency")
                        ? "never changes: a group's members pay in it" : "is read-only"));
            }
        });
        String name = patch.has("name") ? name(errors, text(patch.get("name"))) : current.name();
        String terms = patch.has("paymentTerms") ? terms(errors, text(patch.get("paymentTerms"))) : current.paymentTerms();
        String payerId = current.payerId();
        if (patch.has("payerId")) {
            payerId = text(patch.get("payerId"));
            payer(tenant, errors, payerId, current.currency());
        }
        failOn(errors);
        if (ifMatch == null) {
            throw new ApiException(428, "precondition_required", "Precondition required",
                    "Send If-Match with the ETag of the billing group you are changing");
        }
        if (!MergePatch.matches(ifMatch, current.etag())) {
            throw stale();
        }
        if (name.equals(current.name()) && terms.equals(current.paymentTerms()) && payerId.equals(current.payerId())) {
            return current;
        }
        var updated = current.edited(name, payerId, terms, clock.instant(), Actor.current().orElse(null));
        try {
            repository.replace(tenant, current, updated);
        } catch (BillingGroupRepository.Stale e) {
            throw stale();
        }
        return updated;
    }

    /** The group's members, by customer id. */
    public Listing<Member> members(String tenant, String groupId, Map<String, String> query) {
        get(tenant, groupId);
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, Set.of(), errors);
        failOn(errors);
        String scope = "billing-group-members:" + groupId;
        var slice = repository.members(tenant, groupId, paging.limit(), cursors.after(tenant, scope, paging));
        return new Listing<>(BillingGroupRepository.live(slice.items()).stream().map(Member::of).toList(), cursors.next(tenant, scope, slice));
    }

    /**
     * The customer joins the group (200 with the group when it was already a member): a live business
     * customer of the tenant, in no other group, paying in the group's currency (or in none yet).
     */
    public Member addMember(String tenant, String groupId, MemberInput in) {
        String customerId = in == null ? null : in.customerId();
        return retried(() -> {
            var group = get(tenant, groupId);
            var customer = customer(tenant, customerId, "customerId");
            if (groupId.equals(customer.billingGroupId())) {
                return Member.of(customer);
            }
            var errors = new ArrayList<FieldError>();
            member(errors, "customerId", customer, group.currency());
            failOn(errors);
            if (customer.billingGroupId() != null) {
                throw new ApiException(409, "member_of_another_group", "Member of another billing group",
                        "Customer " + customer.id() + " belongs to billing group " + customer.billingGroupId()
                                + ": remove it from that group first, or change its billingGroupId", List.of(new FieldError("customerId",
                        "belongs to billing group " + customer.billingGroupId())), Map.of("billingGroupId", customer.billingGroupId()), Map.of());
            }
            Instant now = clock.instant();
            var joined = customer.inBillingGroup(groupId, now);
            repository.changeMembership(tenant, customer, joined, new Activity(now, Activity.Kind.CUSTOMER_UPDATED,
                    "Joined billing group " + group.name(), groupId));
            return Member.of(joined);
        });
    }

    /** The customer leaves the group (404 when it is not a member). */
    public void removeMember(String tenant, String groupId, String customerId) {
        retried(() -> {
            var group = get(tenant, groupId);
            var customer = (Ids.isValid(Ids.CUSTOMER, customerId) ? customers.find(tenant, customerId) : Optional.<Customer>empty())
                    .filter(c -> groupId.equals(c.billingGroupId()))
                    .orElseThrow(() -> ApiException.notFound("Member " + customerId + " of billing group " + groupId));
            Instant now = clock.instant();
            repository.changeMembership(tenant, customer, customer.inBillingGroup(null, now), new Activity(now,
                    Activity.Kind.CUSTOMER_UPDATED, "Left billing group " + group.name(), groupId));
            return null;
        });
    }

    /** Whether {@code customer} may belong to a group invoicing in {@code currency}: errors on {@code field} if not. */
    private static void member(List<FieldError> errors, String field, Customer customer, String currency) {
        if (customer.type() != CustomerType.BUSINESS) {
            errors.add(new FieldError(field, "must name a business customer"));
        } else if (customer.currency() != null && currency != null && !customer.currency().equals(currency)) {
            errors.add(new FieldError(field, "pays in " + customer.currency() + "; the group invoices in " + currency));
        }
    }

    private void payer(String tenant, List<FieldError> errors, String payerId, String currency) {
        if (payerId == null || payerId.isBlank()) {
            errors.add(new FieldError("payerId", "is required: the business customer the group's invoices go to"));
            return;
        }
        var payer = Ids.isValid(Ids.CUSTOMER, payerId) ? customers.find(tenant, payerId) : Optional.<Customer>empty();
        if (payer.isEmpty()) {
            errors.add(new FieldError("payerId", "names no customer of yours"));
        } else {
            member(errors, "payerId", payer.get(), currency);
        }
    }

    private Customer customer(String tenant, String customerId, String field) {
        if (customerId == null || customerId.isBlank()) {
            throw ApiException.invalid(field, "is required");
        }
        return (Ids.isValid(Ids.CUSTOMER, customerId) ? customers.find(tenant, customerId) : Optional.<Customer>empty())
                .orElseThrow(() -> ApiException.invalid(field, "names no customer of yours"));
    }

    private static String name(List<FieldError> errors, String raw) {
        return CustomerRules.line(errors, "name", raw, MAX_NAME, true);
    }

    private static String terms(List<FieldError> errors, String raw) {
        if (raw == null) {
            errors.add(new FieldError("paymentTerms", "is required: NET_7, NET_14 or NET_30"));
        } else if (!CustomerRules.PAYMENT_TERMS.contains(raw)) {
            errors.add(new FieldError("paymentTerms", "must be one of NET_7, NET_14, NET_30"));
        }
        return raw;
    }

    /** Whether a member sent back holds the value shown (numbers by value: {@code 2} and {@code 2.0}, an int and a long). */
    private static boolean same(JsonNode shown, JsonNode sent) {
        return shown != null && (shown.equals(sent) || shown.isNumber() && sent.isNumber()
                && shown.decimalValue().compareTo(sent.decimalValue()) == 0);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.isTextual() ? node.asText() : node.toString();
    }

    private static <T> T retried(Supplier<T> attempt) {
        for (int i = 1; i <= MAX_WRITE_ATTEMPTS; i++) {
            try {
                return attempt.get();
            } catch (BillingGroupRepository.Stale e) {
                // read again: the profile moved, or the group went
            }
        }
        throw new ApiException(409, "concurrent_update", "Conflict", "The customer kept changing while it was being added; try again");
    }

    private static ApiException stale() {
        return new ApiException(412, "precondition_failed", "Precondition failed",
                "The billing group changed since you read it; read it again and reapply your change");
    }

    private static void failOn(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }
}
