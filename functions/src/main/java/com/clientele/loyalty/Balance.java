package com.clientele.loyalty;

import java.util.Map;
import java.util.TreeMap;

/**
 * A customer's points: {@code available} is what is left of the lots (Σ pointsLeft), {@code lifetime}
 * every point ever credited (earned, bonuses, positive adjustments); what left the balance is split
 * by why (redeemed, expired, clawed back, adjusted down); {@code unrecoverable} is what a refund
 * should have clawed back but the balance no longer held. {@code expiring} maps each UTC day on
 * which lots expire to the points they still hold, so that the next expiry is read with the balance
 * (one GetItem); a day whose points are all gone is not one of them. {@code version} moves with every
 * write: a write computed from a read (a redemption, an expiry, an adjustment) is refused unless the
 * balance is still at that version; the accrual's writes add to it ({@link #minus}) and commute.
 */
public record Balance(long available, long lifetime, long redeemed, long expired, long clawedBack, long adjustedDown,
                      long unrecoverable, Map<String, Long> expiring, long version) {

    public static final Balance EMPTY = new Balance(0, 0, 0, 0, 0, 0, 0, Map.of(), 0);
    /**
     * The most points a customer can ever be credited ({@code lifetime}): a credit past it is refused,
     * so no figure of the balance comes near the end of the {@code long} range.
     */
    public static final long MAX_LIFETIME = 1_000_000_000_000_000L;

    public Balance {
        var days = new TreeMap<String, Long>(expiring == null ? Map.of() : expiring);
        days.values().removeIf(points -> points == 0);
        expiring = Map.copyOf(days);
    }

    /** A new lot: its points are available and count in lifetime. */
    Balance earn(Lot lot) {
        return new Balance(Math.addExact(available, lot.points()), Math.addExact(lifetime, lot.points()), redeemed, expired, clawedBack, adjustedDown,
                unrecoverable, shift(expiring, Map.of(lot.expiryDate(), lot.points()), 1), version + 1);
    }

    /** A refund took {@code spent} from lots; {@code lost} could not be taken. */
    Balance clawBack(Spending spent, long lost) {
        return new Balance(available - spent.taken(), lifetime, redeemed, expired, clawedBack + spent.taken(), adjustedDown,
                unrecoverable + lost, shift(expiring, spent.byDay(), -1), version + 1);
    }

    /** A redemption took {@code spent} from lots. */
    Balance redeem(Spending spent) {
        return new Balance(available - spent.taken(), lifetime, redeemed + spent.taken(), expired, clawedBack, adjustedDown,
                unrecoverable, shift(expiring, spent.byDay(), -1), version + 1);
    }

    /** A negative adjustment took {@code spent} from lots. */
    Balance adjustDown(Spending spent) {
        return new Balance(available - spent.taken(), lifetime, redeemed, expired, clawedBack, adjustedDown + spent.taken(),
                unrecoverable, shift(expiring, spent.byDay(), -1), version + 1);
    }

    /** Lots expired: the {@code points} they still held (per expiry day in {@code fromDays}) move to {@code expired}. */
    Balance expire(Map<String, Long> fromDays, long points) {
        return new Balance(available - points, lifetime, redeemed, expired + points, clawedBack, adjustedDown, unrecoverable,
                shift(expiring, fromDays, -1), version + 1);
    }

    /**
     * Two customers' points as one (a merge): every figure summed, the expiry days merged (the same
     * day's points added), one version after this balance's.
     */
    public Balance plus(Balance other) {
        return new Balance(Math.addExact(available, other.available), Math.addExact(lifetime, other.lifetime), redeemed + other.redeemed,
                expired + other.expired, clawedBack + other.clawedBack, adjustedDown + other.adjustedDown,
                unrecoverable + other.unrecoverable, shift(expiring, other.expiring, 1), version + 1);
    }

    /**
     * What takes {@code before} to this balance, figure by figure (a day's points too; negative where they
     * went down): what an accrual adds to whatever the balance holds when it is written.
     */
    Balance minus(Balance before) {
        return new Balance(available - before.available, lifetime - before.lifetime, redeemed - before.redeemed,
                expired - before.expired, clawedBack - before.clawedBack, adjustedDown - before.adjustedDown,
                unrecoverable - before.unrecoverable, shift(expiring, before.expiring, -1), version - before.version);
    }

    private static Map<String, Long> shift(Map<String, Long> days, Map<String, Long> change, int sign) {
        var result = new TreeMap<>(days);
        change.forEach((day, points) -> {
            long now = result.getOrDefault(day, 0L) + sign * points;
            if (now == 0) {
                result.remove(day);
            } else {
                result.put(day, now);
            }
        });
        return result;
    }
}
