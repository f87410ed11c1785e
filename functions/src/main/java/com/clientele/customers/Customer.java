package com.clientele.customers;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A customer as the API shows it and the table stores it. {@code currency} is fixed by the first
 * successful charge; {@code paymentMethod} is the oldest saved card, {@code defaultPaymentMethodId}
 * the one charged when a charge names none. {@code pointsAvailable} is the loyalty balance, kept
 * here by every points write (in its transaction) so that profiles and list rows show it.
 * {@code referralCode} is the customer's own code for referring others (read-only; null only for
 * customers created before referrals existed); {@code referredBy} the code they were referred with.
 */
public record Customer(String id, String type, String firstName, String lastName, String email, String phone,
                       Company company, String paymentTerms, String billingGroupId, List<Address> addresses,
                       Map<String, String> metadata, String currency, CardSummary paymentMethod,
                       String defaultPaymentMethodId, CustomerStats stats, long pointsAvailable, String referralCode,
                       String referredBy, Instant createdAt, Instant updatedAt, long version) {

    /** The same customer with new writable fields, one version later. */
    Customer edit(CustomerInput input, Instant at) {
        return new Customer(id, input.type(), input.firstName(), input.lastName(), input.email(), input.phone(),
                input.company(), input.paymentTerms(), input.billingGroupId(), input.addresses(), input.metadata(),
                currency, paymentMethod, defaultPaymentMethodId, stats, pointsAvailable, referralCode, input.referredBy(),
                createdAt, at, version + 1);
    }

    /** The same customer with other saved-card references, one version later. */
    public Customer withCards(CardSummary oldestCard, String defaultCardId, Instant at) {
        return new Customer(id, type, firstName, lastName, email, phone, company, paymentTerms, billingGroupId,
                addresses, metadata, currency, oldestCard, defaultCardId, stats, pointsAvailable, referralCode,
                referredBy, createdAt, at, version + 1);
    }

    /** The same customer with its currency fixed (by its first successful charge), one version later. */
    public Customer withCurrency(String fixedCurrency, Instant at) {
        return new Customer(id, type, firstName, lastName, email, phone, company, paymentTerms, billingGroupId,
                addresses, metadata, fixedCurrency, paymentMethod, defaultPaymentMethodId, stats, pointsAvailable, referralCode,
                referredBy, createdAt, at, version + 1);
    }

    /** The same customer with new aggregates, one version later (the profile's other fields as they were). */
    public Customer withStats(CustomerStats newStats) {
        return new Customer(id, type, firstName, lastName, email, phone, company, paymentTerms, billingGroupId,
                addresses, metadata, currency, paymentMethod, defaultPaymentMethodId, newStats, pointsAvailable, referralCode, referredBy,
                createdAt, updatedAt, version + 1);
    }

    public String etag() {
        return "\"" + version + "\"";
    }

    /** The writable fields that differ from {@code before}'s, by name (for the activity feed). */
    List<String> changedFrom(Customer before) {
        var changed = new java.util.ArrayList<String>();
        java.util.function.BiConsumer<String, Boolean> note = (name, same) -> {
            if (!same) {
                changed.add(name);
            }
        };
        note.accept("type", java.util.Objects.equals(type, before.type));
        note.accept("firstName", java.util.Objects.equals(firstName, before.firstName));
        note.accept("lastName", java.util.Objects.equals(lastName, before.lastName));
        note.accept("email", java.util.Objects.equals(email, before.email));
        note.accept("phone", java.util.Objects.equals(phone, before.phone));
        note.accept("company", java.util.Objects.equals(company, before.company));
        note.accept("paymentTerms", java.util.Objects.equals(paymentTerms, before.paymentTerms));
        note.accept("billingGroupId", java.util.Objects.equals(billingGroupId, before.billingGroupId));
        note.accept("addresses", java.util.Objects.equals(addresses, before.addresses));
        note.accept("metadata", java.util.Objects.equals(metadata, before.metadata));
        note.accept("referredBy", java.util.Objects.equals(referredBy, before.referredBy));
        return changed;
    }

    /**
     * The same customer with its personal data replaced by anonymous values, one version later:
     * names, email (a unique address under the reserved {@code .invalid} domain, so the real one is
     * free), phone, company name, addresses and metadata. Ids, stats, points and the ledger stay.
     */
    public Customer erased(Instant at) {
        var anonymousCompany = company == null ? null : new Company("Erased", null, null);
        return new Customer(id, type, "Erased", "Customer", anonymousEmail(id),
                ERASED_PHONE, anonymousCompany, paymentTerms, billingGroupId, List.of(), Map.of(), currency, paymentMethod,
                defaultPaymentMethodId, stats, pointsAvailable, referralCode, referredBy, createdAt, at, version + 1);
    }

    /** The email an erased customer shows: its own id under the reserved {@code .invalid} domain. */
    public static String anonymousEmail(String id) {
        return "erased+" + id.toLowerCase(java.util.Locale.ROOT) + "@erased.invalid";
    }

    /**
     * Whether the customer's email is held by its guard (unique in the tenant): every email but the
     * customer's own anonymous one, which no one else can be given by an erasure and which an
     * erasure must never fail to take, whoever else uses it.
     */
    public boolean claimsEmail() {
        return !email.equals(anonymousEmail(id));
    }

    /** The phone an erased customer shows: no one's number. */
    public static final String ERASED_PHONE = "+000000000000";
}
