package com.clientele.loyalty;

import java.util.Map;
import java.util.TreeMap;

/**
 * A customer's points: {@code available} is what is left of the lots (Σ pointsLeft), {@code lifetime}
 * every point ever earned; what left the balance is split by why (redeemed, expired, clawed back);
 * {@code unrecoverable} is what a refund should have clawed back but the balance no longer held.
 * {@code expiring} maps each UTC day on which lots expire to the points they still hold, so that
 * the next expiry is read with the balance (one GetItem). {@code version} guards every write.
 */
public record Balance(long available, long lifetime, long redeemed, long expired, long clawedBack, long unrecoverable,
                      Map<String, Long> expiring, long version) {

    public static final Balance EMPTY = new Balance(0, 0, 0, 0, 0, 0, Map.of(), 0);

    public Balance {
        expiring = expiring == null ? Map.of() : Map.copyOf(expiring);
    }

    Balance earn(Lot lot) {
        return new Balance(available + lot.points(), lifetime + lot.points(), redeemed, expired, clawedBack, unrecoverable,
                shift(expiring, lot.expiryDate(), lot.points()), version + 1);
    }

    /** {@code taken} points left lots (their expiry days and amounts in {@code fromDays}); {@code lost} could not be. */
    Balance clawBack(Map<String, Long> fromDays, long taken, long lost) {
        Map<String, Long> days = expiring;
        for (var day : fromDays.entrySet()) {
            days = shift(days, day.getKey(), -day.getValue());
        }
        return new Balance(available - taken, lifetime, redeemed, expired, clawedBack + taken, unrecoverable + lost,
                days, version + 1);
    }

    /** Lots expired: the {@code points} they still held (per expiry day in {@code fromDays}) move to {@code expired}. */
    Balance expire(Map<String, Long> fromDays, long points) {
        Map<String, Long> days = expiring;
        for (var day : fromDays.entrySet()) {
            days = shift(days, day.getKey(), -day.getValue());
        }
        return new Balance(available - points, lifetime, redeemed, expired + points, clawedBack, unrecoverable, days,
                version + 1);
    }

    private static Map<String, Long> shift(Map<String, Long> days, String day, long points) {
        var result = new TreeMap<>(days);
        long now = result.getOrDefault(day, 0L) + points;
        if (now == 0) {
            result.remove(day);
        } else {
            result.put(day, now);
        }
        return result;
    }
}
