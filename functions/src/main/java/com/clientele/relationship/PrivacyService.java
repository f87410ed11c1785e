package com.clientele.relationship;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerService;
import com.clientele.shared.Json;
import com.clientele.shared.Table;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemRegistry;
import com.clientele.shared.items.ItemType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * A customer's privacy requests, over the item types of the customer's partition
 * ({@link CustomerPartition}). The data export is everything the partition holds (profile, cards
 * without their tokens, payments, points, OTPs without their hashes, notes, activities, referral) as
 * JSON, each item in the section its type's export policy names. The erasure replaces personal data
 * by anonymous values and keeps the financial ledger (amounts, dates, ids), so the merchant's books
 * still add up: first the profile, with a marker, in one transaction (the email is freed, search
 * terms go); then every other item that holds personal data is rewritten (or deleted) as its type's
 * erasure policy says. A request that dies half-way is finished by repeating it: the marker says the
 * profile is done, and rewriting an item twice is harmless.
 */
public final class PrivacyService {

    private final ItemRegistry types;
    private final PrivacyRepository privacy;
    private final CustomerRepository customers;
    private final Clock clock;

    public PrivacyService(PrivacyRepository privacy, CustomerRepository customers, Clock clock) {
        this(CustomerPartition.TYPES, privacy, customers, clock);
    }

    /** The privacy requests over the item types of {@code types} (a test adds one of its own). */
    public PrivacyService(ItemRegistry types, PrivacyRepository privacy, CustomerRepository customers, Clock clock) {
        this.types = types;
        this.privacy = privacy;
        this.customers = customers;
        this.clock = clock;
    }

    /** {@code GET /customers/{id}/data-export}: a Query per page of the partition, after the profile. */
    public ObjectNode dataExport(String tenant, String customerId) {
        var customer = customer(tenant, customerId);
        ObjectNode export = Json.MAPPER.createObjectNode();
        export.put("exportedAt", clock.instant().toString());
        export.set("customer", Json.MAPPER.valueToTree(customer));
        privacy.eachItem(tenant, customerId, item -> {
            var type = types.typeOf(item.path(Table.SK).asText());
            if (type.isEmpty()) {
                // none, as the registry's test makes sure: all attributes but the keys and index keys
                item.remove(ExportPolicy.INTERNAL);
                item.remove(Stream.of(Table.Index.values()).flatMap(index -> Stream.of(index.pk(), index.sk())).toList());
                export.withArray("other").add(item);
                return;
            }
            var policy = type.get().export();
            if (!policy.exported()) {
                return;
            }
            var shown = exported(item, type.get());
            if (policy.single()) {
                export.set(policy.section(), shown);
            } else {
                export.withArray(policy.section()).add(shown);
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
            var type = types.typeOf(item.path(Table.SK).asText());
            switch (type.isEmpty() ? ErasurePolicy.Outcome.UNCHANGED : type.get().erasure().apply(item)) {
                case REWRITTEN -> {
                    privacy.put(item);
                    scrubbed[0]++;
                }
                case DELETED -> {
                    privacy.delete(item);
                    scrubbed[0]++;
                }
                case UNCHANGED -> { }
            }
        });
        return new Erasure(customerId, erasedAt, scrubbed[0]);
    }

    /** An item as the export shows it: without its keys, its index keys, internal and hidden attributes. */
    private static ObjectNode exported(ObjectNode item, ItemType type) {
        item.remove(ExportPolicy.INTERNAL);
        item.remove(type.indexKeys());
        item.remove(type.export().hidden());
        return item;
    }

    private Customer customer(String tenant, String customerId) {
        return CustomerService.existing(customers, tenant, customerId);
    }
}
