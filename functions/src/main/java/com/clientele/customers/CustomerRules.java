package com.clientele.customers;

import com.clientele.shared.Ids;
import com.clientele.shared.Text;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What makes a customer valid, and its canonical form: trimmed text, lower-case email, E.164
 * phone, upper-case country codes. Reports every offending field at once.
 */
public final class CustomerRules {

    static final Set<String> TYPES = Set.of(CustomerType.INDIVIDUAL.value(), CustomerType.BUSINESS.value());
    /** The payment terms a business customer (or a billing group) may have. */
    public static final Set<String> PAYMENT_TERMS = Set.of("NET_7", "NET_14", "NET_30");
    static final Set<String> ADDRESS_KINDS = Set.of("billing", "shipping");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    // Pragmatic: one @, no spaces, a dot in the domain. Deliverability is the mail system's call.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]{2,}$");
    static final int MAX_NAME = 100;
    static final int MAX_TEXT = 200;
    static final int MAX_ADDRESSES = 20;
    static final int MAX_METADATA_KEYS = 50;
    static final int MAX_METADATA_KEY = 40;
    static final int MAX_METADATA_VALUE = 500;

    private CustomerRules() {
    }

    /**
     * libphonenumber, loaded with its metadata on the first phone number parsed rather than with these
     * rules: a read parses none, and the functions that never parse one deploy without it.
     */
    private static final class Phones {
        static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

        /** E.164 of a valid number, or null. (Its catch is here: verifying a catch loads the exception's class.) */
        static String e164(String raw, String country) {
            try {
                var number = UTIL.parse(raw, country);
                return UTIL.isValidNumber(number) ? UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164) : null;
            } catch (NumberParseException e) {
                return null;
            }
        }
    }

    static CustomerInput normalize(CustomerInput in) {
        var errors = new ArrayList<FieldError>();
        String type = in.type() == null ? CustomerType.INDIVIDUAL.value() : in.type().trim();
        if (!TYPES.contains(type)) {
            errors.add(new FieldError("type", "must be one of individual, business"));
        }
        String firstName = line(errors, "firstName", in.firstName(), MAX_NAME, true);
        String lastName = line(errors, "lastName", in.lastName(), MAX_NAME, true);
        String email = email(errors, "email", in.email());
        List<Address> addresses = addresses(errors, in.addresses());
        String phone = phone(errors, "phone", in.phone(), defaultCountry(addresses)).orElse(null);

        boolean business = CustomerType.BUSINESS.value().equals(type);
        Company company = null;
        if (in.company() != null && !business) {
            errors.add(new FieldError("company", "is only for business customers"));
        } else if (business && in.company() == null) {
            errors.add(new FieldError("company", "is required for business customers"));
        } else if (in.company() != null) {
            company = new Company(
                    text(errors, "company.name", in.company().name(), MAX_TEXT, true),
                    line(errors, "company.registrationNumber", in.company().registrationNumber(), 64, false),
                    line(errors, "company.vatNumber", in.company().vatNumber(), 64, false));
        }
        String terms = in.paymentTerms();
        if (terms != null && !business) {
            errors.add(new FieldError("paymentTerms", "is only for business customers"));
        } else if (terms != null && !PAYMENT_TERMS.contains(terms)) {
            errors.add(new FieldError("paymentTerms", "must be one of NET_7, NET_14, NET_30"));
        }
        String billingGroupId = line(errors, "billingGroupId", in.billingGroupId(), 64, false);
        if (billingGroupId != null && !business) {
            errors.add(new FieldError("billingGroupId", "is only for business customers"));
        } else if (billingGroupId != null && !Ids.isValid(Ids.BILLING_GROUP, billingGroupId)) {
            errors.add(new FieldError("billingGroupId", "must be a billing group's id (bg_…)"));
        }
        Map<String, String> metadata = metadata(errors, "metadata", in.metadata());
        String referredBy = referralCode(errors, Referrals.FIELD, in.referredBy());

        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new CustomerInput(type, firstName, lastName, email, phone, company, terms, billingGroupId,
                addresses, metadata, referredBy, in.communicationPreferences());
    }

    /** The form an email is stored, compared and looked up in ({@link Text#email}). */
    public static String normalizeEmail(String raw) {
        return Text.email(raw);
    }

    /** E.164, or empty with an error added. Numbers without a + are read in {@code country}. */
    public static Optional<String> phone(List<FieldError> errors, String field, String raw, String country) {
        if (raw == null || raw.isBlank()) {
            errors.add(new FieldError(field, "is required"));
            return Optional.empty();
        }
        String e164 = Phones.e164(raw.trim(), country == null ? "ZZ" : country);
        if (e164 != null) {
            return Optional.of(e164);
        }
        errors.add(new FieldError(field, "is not a valid phone number (use international format, e.g. +14155550123)"));
        return Optional.empty();
    }

    /** A referral code in its canonical form (upper-case), null when absent, or null with an error added. */
    static String referralCode(List<FieldError> errors, String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        var code = ReferralCodes.canonical(raw);
        if (code.isEmpty()) {
            errors.add(new FieldError(field, "must be a referral code: " + ReferralCodes.LENGTH + " letters and digits"));
        }
        return code.orElse(null);
    }

    /** Normalised, or null with an error added. */
    public static String email(List<FieldError> errors, String field, String raw) {
        if (raw == null || raw.isBlank()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (Text.fault(raw, false) != null) {
            errors.add(new FieldError(field, Text.fault(raw, false)));
            return null;
        }
        String email = normalizeEmail(raw);
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            errors.add(new FieldError(field, "is not a valid email address"));
            return null;
        }
        return email;
    }

    /** ISO 3166-1 alpha-2, upper-case, or null with an error added. */
    public static String country(List<FieldError> errors, String field, String raw) {
        String country = raw == null ? null : raw.trim().toUpperCase(Locale.ROOT);
        if (country == null || !COUNTRIES.contains(country)) {
            errors.add(new FieldError(field, "must be an ISO 3166-1 alpha-2 country code"));
            return null;
        }
        return country;
    }

    /**
     * Free text under {@link Text}'s rule (tabs and line breaks allowed), stripped, with an error
     * added when required and absent, when it breaks the rule, or when longer than {@code max}.
     */
    public static String text(List<FieldError> errors, String field, String raw, int max, boolean required) {
        return text(errors, field, raw, max, required, true);
    }

    /** As {@link #text(List, String, String, int, boolean)}, for one line: no tab or line break either (a person's name, a code). */
    public static String line(List<FieldError> errors, String field, String raw, int max, boolean required) {
        return text(errors, field, raw, max, required, false);
    }

    private static String text(List<FieldError> errors, String field, String raw, int max, boolean required, boolean multiLine) {
        int before = errors.size();
        String value = Text.check(errors, field, raw, multiLine);
        if (errors.size() > before) {
            return null;
        }
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        value = value.strip();
        if (value.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
        }
        return value;
    }

    private static List<Address> addresses(List<FieldError> errors, List<Address> raw) {
        if (raw == null) {
            return List.of();
        }
        if (raw.size() > MAX_ADDRESSES) {
            errors.add(new FieldError("addresses", "must hold at most " + MAX_ADDRESSES + " addresses"));
            return List.of();
        }
        var result = new ArrayList<Address>();
        int defaultBilling = 0;
        int defaultShipping = 0;
        for (int i = 0; i < raw.size(); i++) {
            String at = "addresses[" + i + "]";
            Address a = raw.get(i);
            if (a == null) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            var valid = address(errors, at, a);
            if (valid.isDefault() && "billing".equals(valid.kind())) {
                defaultBilling++;
            }
            if (valid.isDefault() && "shipping".equals(valid.kind())) {
                defaultShipping++;
            }
            result.add(valid);
        }
        if (defaultBilling > 1) {
            errors.add(new FieldError("addresses", "at most one billing address can be the default"));
        }
        if (defaultShipping > 1) {
            errors.add(new FieldError("addresses", "at most one shipping address can be the default"));
        }
        return List.copyOf(result);
    }

    /**
     * One address in its canonical form (trimmed lines, upper-case country; {@code isDefault} false
     * when absent), with an error naming {@code at}'s field for each fault: a kind other than
     * billing or shipping, no first line or city, a country that is not ISO 3166-1 alpha-2, text
     * too long or breaking {@link Text}'s rule. Also what orders and subscriptions check theirs with.
     */
    public static Address address(List<FieldError> errors, String at, Address a) {
        String kind = a.kind() == null ? null : a.kind().trim();
        if (kind == null || !ADDRESS_KINDS.contains(kind)) {
            errors.add(new FieldError(at + ".kind", "must be one of billing, shipping"));
        }
        String country = country(errors, at + ".country", a.country());
        return new Address(kind,
                text(errors, at + ".line1", a.line1(), MAX_TEXT, true),
                text(errors, at + ".line2", a.line2(), MAX_TEXT, false),
                text(errors, at + ".city", a.city(), MAX_NAME, true),
                text(errors, at + ".region", a.region(), MAX_NAME, false),
                line(errors, at + ".postalCode", a.postalCode(), 20, false),
                country, Boolean.TRUE.equals(a.isDefault()));
    }

    private static String defaultCountry(List<Address> addresses) {
        return addresses.stream()
                .filter(a -> "billing".equals(a.kind()) && Boolean.TRUE.equals(a.isDefault()) && a.country() != null)
                .map(Address::country).findFirst().orElse(null);
    }

    /**
     * Free key-value pairs ({@code metadata} of a customer, {@code attributes} of a product variant) named
     * {@code field}: at most {@value #MAX_METADATA_KEYS} keys of one line, values of at most
     * {@value #MAX_METADATA_VALUE} characters, each under {@link Text}'s rule.
     */
    public static Map<String, String> metadata(List<FieldError> errors, String field, Map<String, String> raw) {
        if (raw == null) {
            return Map.of();
        }
        if (raw.size() > MAX_METADATA_KEYS) {
            errors.add(new FieldError(field, "must hold at most " + MAX_METADATA_KEYS + " keys"));
        }
        var result = new LinkedHashMap<String, String>();
        raw.forEach((rawKey, rawValue) -> {
            int before = errors.size();
            String key = Text.check(errors, field + "." + Text.repair(rawKey), rawKey, false);
            String value = Text.check(errors, field + "." + Text.repair(rawKey), rawValue, true);
            if (errors.size() > before) {
                return;
            }
            if (key.isBlank() || key.length() > MAX_METADATA_KEY) {
                errors.add(new FieldError(field, "keys must be 1 to " + MAX_METADATA_KEY + " characters"));
            } else if (value == null) {
                errors.add(new FieldError(field + "." + key, "must be a string"));
            } else if (value.length() > MAX_METADATA_VALUE) {
                errors.add(new FieldError(field + "." + key, "must be at most " + MAX_METADATA_VALUE + " characters"));
            } else {
                result.put(key, value);
            }
        });
        return result;
    }
}
