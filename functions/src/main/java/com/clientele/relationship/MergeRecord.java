package com.clientele.relationship;

import com.clientele.customers.CardSummary;
import com.clientele.customers.CustomerStats;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The record of a merge, in the duplicate's partition: which primary it goes into, how far it got
 * ({@code status} {@code running} or {@code done}; {@code pointsMoved} once the balances are one), what
 * it moves (counted when it started, from the duplicate's partition, which nothing changes after) and,
 * once done, the primary's resulting figures.
 */
public record MergeRecord(String primaryId, String duplicateId, Status status, boolean pointsMoved, Moves moves,
                          Outcome result, Carried carried, String startedBy, Instant startedAt, Instant finishedAt) {

    /** How far a merge got: {@code running}, then {@code done} (so written, in the table and in the API). */
    public enum Status {
        RUNNING, DONE;

        @JsonValue
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Status of(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return value();
        }
    }

    /** What a merge moves from the duplicate to the primary, per kind; cards dropped as the primary holds the same card. */
    public record Moves(int payments, int paymentMethods, List<String> paymentMethodsDropped, int pointLots, int statementLines,
                        int notes, int activities, Integer subscriptions, Integer orders, Integer invoices, Integer communications,
                        Integer disputes) {

        /** A record written before subscriptions (or orders, invoices, communications, disputes) existed moved none. */
        public Moves {
            disputes = disputes == null ? 0 : disputes;
            subscriptions = subscriptions == null ? 0 : subscriptions;
            orders = orders == null ? 0 : orders;
            invoices = invoices == null ? 0 : invoices;
            communications = communications == null ? 0 : communications;
        }

        /** The counters item types name in their merge policies ({@code MergePolicy.counter}): the fields of this record. */
        public static final java.util.Set<String> COUNTERS = java.util.Set.of("payments", "paymentMethods", "pointLots",
                "statementLines", "notes", "activities", "subscriptions", "orders", "invoices", "communications", "disputes");

        /** From the moves counted per counter, and the ids dropped per counter (only cards are dropped). */
        static Moves counted(java.util.Map<String, Integer> moved, java.util.Map<String, List<String>> dropped) {
            var unknown = new java.util.HashSet<>(moved.keySet());
            unknown.addAll(dropped.keySet());
            unknown.removeAll(COUNTERS);
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("merge counters with no place in the record: " + unknown);
            }
            return new Moves(moved.getOrDefault("payments", 0), moved.getOrDefault("paymentMethods", 0),
                    List.copyOf(dropped.getOrDefault("paymentMethods", List.of())), moved.getOrDefault("pointLots", 0),
                    moved.getOrDefault("statementLines", 0), moved.getOrDefault("notes", 0), moved.getOrDefault("activities", 0),
                    moved.getOrDefault("subscriptions", 0), moved.getOrDefault("orders", 0),
                    moved.getOrDefault("invoices", 0), moved.getOrDefault("communications", 0), moved.getOrDefault("disputes", 0));
        }
    }

    /** The primary's figures after the merge: stats from the combined ledger, the summed points, the currency. */
    public record Outcome(CustomerStats stats, long pointsAvailable, String currency) {
    }

    /**
     * What the primary's profile takes from the duplicate's when it has none of its own: the currency, the cards' references;
     * and what it adds to its own: the subscription figures and the outstanding balance (null in a record made before balances).
     */
    public record Carried(String currency, CardSummary paymentMethod, String defaultPaymentMethodId,
                          com.clientele.customers.SubscriptionFigures subscriptions, com.clientele.customers.Balance balance) {
    }

    MergeRecord withPointsMoved() {
        return new MergeRecord(primaryId, duplicateId, status, true, moves, result, carried, startedBy, startedAt, finishedAt);
    }

    MergeRecord done(Outcome outcome, Instant at) {
        return new MergeRecord(primaryId, duplicateId, Status.DONE, pointsMoved, moves, outcome, carried, startedBy, startedAt, at);
    }
}
