package com.clientele.relationship;

import com.clientele.customers.CustomerRepository;
import com.clientele.exports.ExportPurge;
import com.clientele.invoices.InvoiceFiles;
import com.clientele.invoices.InvoiceItems;
import com.clientele.payments.PaymentGateway;
import com.clientele.shared.Activity;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.Table;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Idempotency;
import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemRegistry;
import com.clientele.shared.items.ItemType;
import com.clientele.webhooks.StoredEvents;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A customer's privacy requests, over the item types of the customer's partition
 * ({@link CustomerPartition}). The data export is everything the partition holds (profile, cards
 * without their tokens, payments, points, OTPs without their hashes, notes, activities, referral) as
 * JSON, each item in the section its type's export policy names. The erasure replaces personal data
 * by anonymous values and keeps the financial ledger (amounts, dates, ids), so the merchant's books
 * still add up: first the profile, with a marker, in one transaction (the email is freed, search
 * terms go); then every other item that holds personal data is rewritten (or deleted) as its type's
 * erasure policy says (a saved card's token is removed at the gateway first, so the card can no
 * longer be charged). Then what lies outside the partition ({@link Outside}): the stored responses
 * of idempotent requests about the customer (and about the customers merged into it, whose data it
 * now holds) are reduced to the resource's id, and so are the tenant's export files finished before the erasure; the
 * webhooks' stored events that hold the profile are reduced to its id ({@code StoredEvents}). A
 * request that dies half-way is finished by repeating it: the marker says the profile is done, and
 * every later step finds only what is left to do.
 *
 * <p>Both reach a customer whatever its status: live, deleted, or merged into another (what stayed
 * in its own partition; what the merge moved belongs to the primary, a customer of its own, whose
 * erasure erases it). The erased profile claims no email guard, so no other customer can make an
 * erasure fail.
 */
public final class PrivacyService {

    private final ItemRegistry types;
    private final PrivacyRepository privacy;
    private final CustomerRepository customers;
    private final Outside outside;
    private final Clock clock;

    /**
     * What the erasure reaches outside the customer's partition: the payment gateway (saved cards'
     * tokens), the idempotency records (stored responses), the export files, the issued invoices' PDFs, the
     * webhooks' stored events that hold the profile.
     */
    public record Outside(PaymentGateway gateway, Idempotency idempotency, ExportPurge exports, InvoiceFiles invoicePdfs,
                          StoredEvents events) {
    }

    public PrivacyService(PrivacyRepository privacy, CustomerRepository customers, Outside outside, Clock clock) {
        this(CustomerPartition.TYPES, privacy, customers, outside, clock);
    }

    /** The privacy requests over the item types of {@code types} (a test adds one of its own). */
    public PrivacyService(ItemRegistry types, PrivacyRepository privacy, CustomerRepository customers, Outside outside, Clock clock) {
        this.types = types;
        this.privacy = privacy;
        this.customers = customers;
        this.outside = outside;
        this.clock = clock;
    }

    /** {@code GET /customers/{id}/data-export}: a Query per page of the partition, after the profile. */
    public ObjectNode dataExport(String tenant, String customerId) {
        var stored = customer(tenant, customerId);
        ObjectNode export = Json.MAPPER.createObjectNode();
        export.put("exportedAt", clock.instant().toString());
        ObjectNode customer = Json.MAPPER.valueToTree(stored.customer());
        if (!stored.live()) {
            // a deleted or merged customer: its status, and when (and into whom)
            customer.put("status", stored.status().value());
            stored.retired().forEach(customer::put);
        }
        export.set("customer", customer);
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
        var stored = customer(tenant, customerId);
        Instant erasedAt = privacy.erasedAt(tenant, customerId);
        if (erasedAt == null) {
            erasedAt = clock.instant();
            try {
                customers.erase(tenant, stored, stored.customer().erased(erasedAt), privacy.marker(tenant, customerId, erasedAt, userId));
            } catch (CustomerRepository.StaleVersion raced) {
                erasedAt = privacy.erasedAt(tenant, customerId);
                if (erasedAt == null) {
                    throw new ApiException(409, "customer_changed", "Customer changed",
                            "The customer changed while the erasure ran; repeat the request");
                }
            }
        }
        int[] scrubbed = {0};
        // whose stored responses to forget: this customer's, and those of the customers merged into it
        var whose = new LinkedHashSet<String>(List.of(customerId));
        // the PDFs of the customer's issued invoices print their name and address: deleted (the items keep the books)
        var invoices = new ArrayList<String>();
        privacy.eachItem(tenant, customerId, item -> {
            if (item.path(Table.SK).asText().startsWith(InvoiceItems.INVOICE) && item.hasNonNull("number")) {
                invoices.add(item.path("id").asText());
            }
            var type = types.typeOf(item.path(Table.SK).asText());
            if (Activity.Kind.MERGED.value().equals(item.path("kind").asText()) && !item.path("ref").asText().equals(stored.mergedInto())) {
                whose.add(item.path("ref").asText());
            }
            switch (type.isEmpty() ? ErasurePolicy.Outcome.UNCHANGED : type.get().erasure().apply(item, outside.gateway()::deleteToken)) {
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
        whose.forEach(id -> outside.idempotency().forgetCustomer(tenant, id));
        outside.events().forgetCustomer(tenant, customerId, erasedAt);
        outside.exports().finishedBefore(tenant, erasedAt);
        invoices.forEach(id -> outside.invoicePdfs().delete(InvoiceFiles.key(tenant, id)));
        return new Erasure(customerId, erasedAt, scrubbed[0]);
    }

    /** An item as the export shows it: without its keys, its index keys, internal and hidden attributes. */
    private static ObjectNode exported(ObjectNode item, ItemType type) {
        item.remove(ExportPolicy.INTERNAL);
        item.remove(type.indexKeys());
        item.remove(type.export().hidden());
        return item;
    }

    /** The customer whatever its status (live, deleted or merged), or 404. */
    private CustomerRepository.Stored customer(String tenant, String customerId) {
        return (Ids.isValid(Ids.CUSTOMER, customerId) ? customers.findAnyStatus(tenant, customerId) : Optional.<CustomerRepository.Stored>empty())
                .orElseThrow(() -> ApiException.notFound("Customer " + customerId));
    }
}
