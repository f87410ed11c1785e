package com.clientele.payments;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a dispute stands, as the processor (Stripe's names) says. A <em>warning</em> (an inquiry, an early-fraud
 * warning) moves no money: {@code warning_needs_response}, {@code warning_under_review}, then {@code warning_closed}
 * or, escalated by the bank, a chargeback. A chargeback takes the disputed amount from the merchant at once:
 * {@code needs_response} (evidence may be given until the due date), {@code under_review} (evidence given), then
 * {@code won} (the money comes back) or {@code lost} (it stays with the cardholder). {@code won}, {@code lost} and
 * {@code warning_closed} are final.
 */
public enum DisputeStatus {
    WARNING_NEEDS_RESPONSE, WARNING_UNDER_REVIEW, WARNING_CLOSED, NEEDS_RESPONSE, UNDER_REVIEW, WON, LOST;

    /** An inquiry or early-fraud warning: no money moved. */
    public boolean warning() {
        return this == WARNING_NEEDS_RESPONSE || this == WARNING_UNDER_REVIEW || this == WARNING_CLOSED;
    }

    public boolean closed() {
        return this == WARNING_CLOSED || this == WON || this == LOST;
    }

    /** Whether the disputed amount is out of the merchant's hands in this status: from the chargeback on, unless won. */
    public boolean holdsFunds() {
        return !warning() && this != WON;
    }

    /**
     * The status moves forward only: a warning to its review, its close or a chargeback; a chargeback to its review
     * or an outcome; nothing from a final status. A notice that would move it back (an old one, redelivered late) is
     * ignored.
     */
    public boolean canBecome(DisputeStatus next) {
        if (closed() || next == this) {
            return false;
        }
        return switch (this) {
            case WARNING_NEEDS_RESPONSE -> next != WON && next != LOST;
            case WARNING_UNDER_REVIEW -> next != WARNING_NEEDS_RESPONSE && next != WON && next != LOST;
            case NEEDS_RESPONSE -> !next.warning();
            case UNDER_REVIEW -> next == WON || next == LOST;
            default -> false;
        };
    }

    /** The statuses in which the merchant may still answer (give evidence, accept) if the due date has not passed. */
    public boolean awaitsResponse() {
        return this == NEEDS_RESPONSE || this == WARNING_NEEDS_RESPONSE || this == UNDER_REVIEW || this == WARNING_UNDER_REVIEW;
    }

    /** Where giving evidence moves it: to its review. */
    DisputeStatus reviewed() {
        return warning() ? WARNING_UNDER_REVIEW : UNDER_REVIEW;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DisputeStatus> parse(String json) {
        return Arrays.stream(values()).filter(s -> s.json().equals(json)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(DisputeStatus::json).toList();
    }
}
