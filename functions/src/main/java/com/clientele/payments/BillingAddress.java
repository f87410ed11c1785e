package com.clientele.payments;

/** The billing address of a saved card; {@code country} is ISO 3166-1 alpha-2. */
public record BillingAddress(String line1, String line2, String city, String region, String postalCode, String country) {
}
