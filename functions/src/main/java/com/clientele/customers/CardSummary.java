package com.clientele.customers;

/** The saved card a customers page shows: the oldest one, by brand and last four digits. */
public record CardSummary(String id, String brand, String last4) {
}
