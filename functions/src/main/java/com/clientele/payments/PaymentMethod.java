package com.clientele.payments;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A saved card as the API shows it: never the number or CVC, only what identifies it to a person
 * ({@code brand}, {@code bin}, {@code last4}, expiry) and to us ({@code fingerprint}, a keyed hash
 * of the number, the same for the same card of a tenant). {@code isDefault} is the customer's choice
 * and is not stored on the card.
 */
public record PaymentMethod(String id, String customerId, String type, String brand, String bin, String last4,
                            int expMonth, int expYear, String holderName, BillingAddress billingAddress,
                            String fingerprint, Instant createdAt, @JsonProperty("isDefault") Boolean isDefault) {

    PaymentMethod withDefault(boolean value) {
        return new PaymentMethod(id, customerId, type, brand, bin, last4, expMonth, expYear, holderName, billingAddress,
                fingerprint, createdAt, value);
    }

    PaymentCard card() {
        return new PaymentCard(id, brand, last4, fingerprint);
    }
}
