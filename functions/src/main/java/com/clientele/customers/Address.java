package com.clientele.customers;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A billing or shipping address; {@code country} is ISO 3166-1 alpha-2. */
public record Address(String kind, String line1, String line2, String city, String region, String postalCode,
                      String country, @JsonProperty("isDefault") Boolean isDefault) {
}
