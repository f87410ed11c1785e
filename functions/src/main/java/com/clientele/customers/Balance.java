package com.clientele.customers;

/**
 * What a customer's invoices still ask, as the profile and the list rows show it (issue 16's
 * "outstanding balance"), in minor units of {@code currency} (null while nothing is outstanding).
 * Kept by every invoice write that changes an invoice's {@link #of share}, in that write's transaction
 * at the profile's version: the balance is the sum of the customer's invoices' shares, so it never drifts.
 *
 * <ul>
 *   <li>{@code outstanding}: what the customer's {@code open} invoices still ask ({@code amountDue}): a
 *   finalisation adds it, each payment and credit note lowers it, a void or a write-off
 *   ({@code uncollectible}, as Stripe counts it: no longer outstanding, though still payable) takes it off;</li>
 *   <li>{@code overdue}: the part of it whose invoices are past due (marked overdue by the daily run):
 *   the mark moves what the invoice still asks into it, and a payment on such an invoice lowers both.</li>
 * </ul>
 */
public record Balance(long outstanding, long overdue, String currency) {

    public static final Balance NONE = new Balance(0, 0, null);

    /**
     * One invoice's share of its customer's balance: what it asks ({@code due}) while it is collected
     * as outstanding, all of it overdue too when {@code overdue}; nothing otherwise.
     */
    public static Balance of(boolean outstanding, boolean overdue, long due, String currency) {
        return !outstanding || due == 0 ? NONE : new Balance(due, overdue ? due : 0, currency);
    }

    /** This balance with one invoice's share moved from {@code before} to {@code after}. */
    public Balance change(Balance before, Balance after) {
        return plus(after).minus(before);
    }

    /** Whether {@code share} can join this balance: nothing outstanding yet, or in the same currency. */
    public boolean accepts(Balance share) {
        return share.currency == null || currency == null || currency.equals(share.currency);
    }

    /** This balance and {@code other} together (a merged customer's joining the primary's). */
    public Balance plus(Balance other) {
        return combine(other, 1);
    }

    private Balance minus(Balance other) {
        return combine(other, -1);
    }

    private Balance combine(Balance other, int sign) {
        if (other == null || other.currency == null) {
            return this;
        }
        if (!accepts(other)) {
            throw new IllegalArgumentException("a balance in " + currency + " cannot take an invoice in " + other.currency);
        }
        long outstandingNow = Math.addExact(outstanding, sign * other.outstanding);
        long overdueNow = Math.addExact(overdue, sign * other.overdue);
        return outstandingNow == 0 && overdueNow == 0 ? NONE : new Balance(outstandingNow, overdueNow, other.currency);
    }
}
