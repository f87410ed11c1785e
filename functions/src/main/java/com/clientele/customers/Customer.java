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
 * {@code subscriptions} is its subscriptions in figures, kept by every subscription write (in its transaction);
 * {@code balance} what its open invoices still ask ({@link Balance}), kept by every invoice write (in its transaction).
 * {@code communicationPreferences} says which marketing messages the customer agreed to (none unless set).
 * {@code tier} is the customer's loyalty tier (null: none), kept by the tiers' writes (read-only here).
 */
public record Customer(String id, CustomerType type, String firstName, String lastName, String email, String phone,
                       Company company, String paymentTerms, String billingGroupId, List<Address> addresses,
                       Map<String, String> metadata, String currency, CardSummary paymentMethod,
                       String defaultPaymentMethodId, CustomerStats stats, long pointsAvailable,
                       SubscriptionFigures subscriptions, Balance balance, String referralCode, String referredBy,
                       CommunicationPreferences communicationPreferences, CustomerTier tier, Instant createdAt, Instant updatedAt,
                       long version) {

    public Customer {
        subscriptions = subscriptions == null ? SubscriptionFigures.NONE : subscriptions;
        balance = balance == null ? Balance.NONE : balance;
        communicationPreferences = communicationPreferences == null ? CommunicationPreferences.NONE : communicationPreferences;
    }

    /** The same customer with new writable fields, one version later. */
    Customer edit(CustomerInput input, Instant at) {
        return toBuilder().type(CustomerType.of(input.type())).firstName(input.firstName()).lastName(input.lastName()).email(input.email())
                .phone(input.phone()).company(input.company()).paymentTerms(input.paymentTerms())
                .billingGroupId(input.billingGroupId()).addresses(input.addresses()).metadata(input.metadata())
                .referredBy(input.referredBy())
                .communicationPreferences(input.communicationPreferences() == null ? communicationPreferences : input.communicationPreferences())
                .updatedAt(at).version(version + 1).build();
    }

    /** The same customer with other saved-card references, one version later. */
    public Customer withCards(CardSummary oldestCard, String defaultCardId, Instant at) {
        return toBuilder().paymentMethod(oldestCard).defaultPaymentMethodId(defaultCardId).updatedAt(at).version(version + 1).build();
    }

    /** The same customer in billing group {@code groupId} (null: in none), one version later. */
    public Customer inBillingGroup(String groupId, Instant at) {
        return toBuilder().billingGroupId(groupId).updatedAt(at).version(version + 1).build();
    }

    /** The same customer with its currency fixed (by its first successful charge), one version later. */
    public Customer withCurrency(String fixedCurrency, Instant at) {
        return toBuilder().currency(fixedCurrency).updatedAt(at).version(version + 1).build();
    }

    /** The same customer with new subscription figures, one version later. */
    public Customer withSubscriptions(SubscriptionFigures figures) {
        return toBuilder().subscriptions(figures).version(version + 1).build();
    }

    /** The same customer with a new outstanding balance, one version later. */
    public Customer withBalance(Balance newBalance) {
        return toBuilder().balance(newBalance).version(version + 1).build();
    }

    /** The same customer with new aggregates, one version later (the profile's other fields as they were). */
    public Customer withStats(CustomerStats newStats) {
        return toBuilder().stats(newStats).version(version + 1).build();
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
        note.accept("communicationPreferences", java.util.Objects.equals(communicationPreferences, before.communicationPreferences));
        return changed;
    }

    /**
     * The same customer with its personal data replaced by anonymous values, one version later:
     * names, email (a unique address under the reserved {@code .invalid} domain, so the real one is
     * free), phone, company name, addresses and metadata. Ids, stats, points and the ledger stay.
     */
    public Customer erased(Instant at) {
        var anonymousCompany = company == null ? null : new Company("Erased", null, null);
        return toBuilder().firstName("Erased").lastName("Customer").email(anonymousEmail(id)).phone(ERASED_PHONE)
                .company(anonymousCompany).addresses(List.of()).metadata(Map.of()).updatedAt(at).version(version + 1).build();
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

    /** A customer built field by field: no addresses, no metadata, no points, version 1 unless said. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this customer's fields, to change some. */
    public Builder toBuilder() {
        return new Builder()
                .id(id)
                .type(type)
                .firstName(firstName)
                .lastName(lastName)
                .email(email)
                .phone(phone)
                .company(company)
                .paymentTerms(paymentTerms)
                .billingGroupId(billingGroupId)
                .addresses(addresses)
                .metadata(metadata)
                .currency(currency)
                .paymentMethod(paymentMethod)
                .defaultPaymentMethodId(defaultPaymentMethodId)
                .stats(stats)
                .pointsAvailable(pointsAvailable)
                .subscriptions(subscriptions)
                .balance(balance)
                .referralCode(referralCode)
                .referredBy(referredBy)
                .communicationPreferences(communicationPreferences)
                .tier(tier)
                .createdAt(createdAt)
                .updatedAt(updatedAt)
                .version(version);
    }

    public static final class Builder {

        private String id;
        private CustomerType type;
        private String firstName;
        private String lastName;
        private String email;
        private String phone;
        private Company company;
        private String paymentTerms;
        private String billingGroupId;
        private List<Address> addresses = List.of();
        private Map<String, String> metadata = Map.of();
        private String currency;
        private CardSummary paymentMethod;
        private String defaultPaymentMethodId;
        private CustomerStats stats;
        private long pointsAvailable;
        private SubscriptionFigures subscriptions;
        private Balance balance;
        private String referralCode;
        private String referredBy;
        private CommunicationPreferences communicationPreferences;
        private CustomerTier tier;
        private Instant createdAt;
        private Instant updatedAt;
        private long version = 1;

        private Builder() {
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder type(CustomerType type) {
            this.type = type;
            return this;
        }

        public Builder firstName(String firstName) {
            this.firstName = firstName;
            return this;
        }

        public Builder lastName(String lastName) {
            this.lastName = lastName;
            return this;
        }

        public Builder email(String email) {
            this.email = email;
            return this;
        }

        public Builder phone(String phone) {
            this.phone = phone;
            return this;
        }

        public Builder company(Company company) {
            this.company = company;
            return this;
        }

        public Builder paymentTerms(String paymentTerms) {
            this.paymentTerms = paymentTerms;
            return this;
        }

        public Builder billingGroupId(String billingGroupId) {
            this.billingGroupId = billingGroupId;
            return this;
        }

        public Builder addresses(List<Address> addresses) {
            this.addresses = addresses;
            return this;
        }

        public Builder metadata(Map<String, String> metadata) {
            this.metadata = metadata;
            return this;
        }

        public Builder currency(String currency) {
            this.currency = currency;
            return this;
        }

        public Builder paymentMethod(CardSummary paymentMethod) {
            this.paymentMethod = paymentMethod;
            return this;
        }

        public Builder defaultPaymentMethodId(String defaultPaymentMethodId) {
            this.defaultPaymentMethodId = defaultPaymentMethodId;
            return this;
        }

        public Builder stats(CustomerStats stats) {
            this.stats = stats;
            return this;
        }

        public Builder subscriptions(SubscriptionFigures subscriptions) {
            this.subscriptions = subscriptions;
            return this;
        }

        public Builder balance(Balance balance) {
            this.balance = balance;
            return this;
        }

        public Builder pointsAvailable(long pointsAvailable) {
            this.pointsAvailable = pointsAvailable;
            return this;
        }

        public Builder referralCode(String referralCode) {
            this.referralCode = referralCode;
            return this;
        }

        public Builder referredBy(String referredBy) {
            this.referredBy = referredBy;
            return this;
        }

        public Builder communicationPreferences(CommunicationPreferences communicationPreferences) {
            this.communicationPreferences = communicationPreferences;
            return this;
        }

        public Builder tier(CustomerTier tier) {
            this.tier = tier;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Builder version(long version) {
            this.version = version;
            return this;
        }

        public Customer build() {
            return new Customer(id, type, firstName, lastName, email, phone, company, paymentTerms, billingGroupId, addresses,
                    metadata, currency, paymentMethod, defaultPaymentMethodId, stats, pointsAvailable, subscriptions, balance, referralCode,
                    referredBy, communicationPreferences, tier, createdAt, updatedAt, version);
        }
    }
}
