package com.clientele.customers;

import java.time.Instant;
import java.util.List;

/**
 * The tenant's customer segments as other capabilities name them (a campaign's audience, a customer's journeys):
 * the rules the customers list filters with.
 */
public final class Segments {

    /** Every segment, in the order rows list them. */
    public static final List<String> NAMES = CustomerFilter.SEGMENTS;

    private Segments() {
    }

    /** Whether {@code customer} is in {@code segment} at {@code now}, under the tenant's {@code settings}. */
    public static boolean isIn(Customer customer, String segment, SegmentSettings settings, Instant now) {
        return CustomerFilter.segment(segment, settings, now).matches(customer);
    }

    /** The segments {@code customer} is in at {@code now}, in {@link #NAMES} order. */
    public static List<String> of(Customer customer, SegmentSettings settings, Instant now) {
        return CustomerFilter.segmentsOf(customer, settings, now);
    }
}
