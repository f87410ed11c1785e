package com.clientele.payments;

/** The card a payment was made with: the saved card's id (null for a guest), brand, last four, fingerprint. */
public record PaymentCard(String id, String brand, String last4, String fingerprint) {
}
