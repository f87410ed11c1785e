package com.clientele.customers;

import java.time.Instant;

/**
 * The customer's loyalty tier as the profile and the list rows show it: the tier's {@code key} and
 * {@code name}, {@code since} when the customer is in it, and {@code override} when a user set it by
 * hand (the automation then leaves it alone). Written by the tiers ({@code com.clientele.tiers}) only.
 */
public record CustomerTier(String key, String name, Instant since, boolean override) {
}
