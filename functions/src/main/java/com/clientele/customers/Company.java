package com.clientele.customers;

/** A business customer's company details. */
public record Company(String name, String registrationNumber, String vatNumber) {
}
