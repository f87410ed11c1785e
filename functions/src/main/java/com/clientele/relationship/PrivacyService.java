package com.clientele.relationship;

import com.clientele.shared.events.AppliedEntries;
import com.clientele.payments.PaymentItems;
import com.clientele.loyalty.LoyaltyItems;
import com.clientele.customers.CustomerItems;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerService;
import com.clientele.shared.Activity;
import com.clientele.shared.Json;
import com.clientele.shared.http.ApiException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A customer's privacy requests. The data export is everything the customer's partition holds
 * (profile, cards without their tokens, payments, points, OTPs without their hashes, notes,
 * activities, referral) as JSON. The erasure replaces personal data by anonymous values and keeps
 * the financial ledger (amounts, dates, ids), so the merchant's books still add up: first the
 * profile, with a marker, in one transaction (the email is freed, search terms go); then every
 * other item that holds personal data is rewritten. A request that dies half-way is finished by
 * repeating it: the marker says the profile is done, and rewriting an item twice is harmless.
 */
public final class PrivacyService {

    static final String ERASED = "[erased]";
    /** Sort-key prefixes of the partition's item kinds, and what the export calls them (null: not the customer's data). */
    private static final Map<String, String> SECTIONS = sections();

    private final PrivacyRepository privacy;
    private final CustomerRepository customers;
    private final Clock clock;

    public PrivacyService(PrivacyRepository privacy, CustomerRepository customers, Clock clock) {
        this.privacy = privacy;
        this.customers = customers;
        this.clock = clock;
    }

    private static Map<String, String> sections() {
        var sections = new LinkedHashMap<String, String>();
        sections.put(CustomerItems.PROFILE, null); // the customer, as the API shows it, comes first
        sections.put(PaymentItems.cardGuardSortKey(""), null);
        sections.put(PaymentItems.CARD, "paymentMethods");
        sections.put(PaymentItems.PAYMENT, "payments");
        sections.put(LoyaltyItems.POINTS_BALANCE, "points");
        sections.put(LoyaltyItems.POINT_LOT, "pointLots");
        sections.put(LoyaltyItems.STATEMENT_LINE, "pointsStatement");
        sections.put(LoyaltyItems.POINTS_OTP, "pointsOtps");
        sections.put(RelationshipItems.NOTE, "notes");
        sections.put(Activity.ACTIVITY, "activities");
        sections.put(CustomerItems.REFERRAL, "referral");
        sections.put(RelationshipItems.ERASURE, "erasure");
        sections.put(AppliedEntries.appliedEntriesPrefix(""), null);
        sections.put("OUTBOX#", null);
        return sections;
    }

    /** {@code GET /customers/{id}/data-export}: a Query per page of the partition, after the profile. */
    public ObjectNode dataExport(String tenant, String customerId) {
        var customer = customer(tenant, customerId);
        ObjectNode export = Json.MAPPER.createObjectNode();
        export.put("exportedAt", clock.instant().toString());
        export.set("customer", Json.MAPPER.valueToTree(customer));
        privacy.eachItem(tenant, customerId, item -> {
            String sk = item.path("SK").asText();
            String section = SECTIONS.keySet().stream().filter(sk::startsWith).findFirst().map(SECTIONS::get).orElse("other");
            if (section != null) {
                strip(item);
                if (section.equals("points") || section.equals("referral") || section.equals("erasure")) {
                    export.set(section, item);
                } else {
                    export.withArray(section).add(item);
                }
            }
        });
        return export;
    }

    public record Erasure(String customerId, Instant erasedAt, int itemsScrubbed) {
    }

    /** {@code POST /customers/{id}/erase}: 200 with when and how many items were rewritten besides the profile. */
    public Erasure erase(String tenant, String customerId, String userId) {
        var customer = customer(tenant, customerId);
        Instant erasedAt = privacy.erasedAt(tenant, customerId);
        if (erasedAt == null) {
            erasedAt = clock.instant();
            try {
                customers.erase(tenant, customer, customer.erased(erasedAt), privacy.marker(tenant, customerId, erasedAt, userId));
            } catch (CustomerRepository.StaleVersion raced) {
                erasedAt = privacy.erasedAt(tenant, customerId);
                if (erasedAt == null) {
                    throw new ApiException(409, "customer_changed", "Customer changed",
                            "The customer changed while the erasure ran; repeat the request");
                }
            }
        }
        int[] scrubbed = {0};
        privacy.eachItem(tenant, customerId, item -> {
            if (scrub(item)) {
                privacy.put(item);
                scrubbed[0]++;
            }
        });
        return new Erasure(customerId, erasedAt, scrubbed[0]);
    }

    /** Replaces the personal data an item holds; whether it held any. */
    static boolean scrub(ObjectNode item) {
        String sk = item.path("SK").asText();
        boolean changed = false;
        if (sk.startsWith(PaymentItems.CARD)) {
            changed = item.remove("holderName") != null | item.remove("billingAddress") != null;
        } else if (sk.startsWith(RelationshipItems.NOTE)) {
            changed = !ERASED.equals(item.path("summary").asText()) | item.remove("followUp") != null;
            item.put("summary", ERASED);
        } else if (sk.startsWith(LoyaltyItems.POINTS_OTP)) {
            changed = item.has("sentTo") && !ERASED.equals(item.path("sentTo").asText());
            item.put("sentTo", ERASED);
        } else if (sk.startsWith(Activity.ACTIVITY) && Activity.NOTE_ADDED.equals(item.path("kind").asText())) {
            changed = !"Note added".equals(item.path("summary").asText());
            item.put("summary", "Note added");
        }
        return changed;
    }

    private static void strip(ObjectNode item) {
        item.remove(PrivacyRepository.internalAttributes());
        var indexKeys = new java.util.ArrayList<String>();
        item.fieldNames().forEachRemaining(name -> {
            if (name.startsWith("GSI")) {
                indexKeys.add(name);
            }
        });
        item.remove(indexKeys);
    }

    private Customer customer(String tenant, String customerId) {
        return CustomerService.existing(customers, tenant, customerId);
    }
}
