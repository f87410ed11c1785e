package com.clientele.loyalty;

import com.clientele.loyalty.PointsStore.LotChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Points taken out of lots, soonest-expiring first (ties: the older lot id), from lots that still
 * hold points and have not expired: the changed lots, the points taken per expiry day (for the
 * balance's schedule) and the total, which is less than asked when the lots hold less.
 */
record Spending(List<LotChange> changes, Map<String, Long> byDay, long taken) {

    static final Spending NONE = new Spending(List.of(), Map.of(), 0);

    /** Takes up to {@code points} from at most {@code maxLots} of {@code lots} that are spendable at {@code at}. */
    static Spending take(Collection<Lot> lots, long points, Instant at, int maxLots) {
        var changes = new ArrayList<LotChange>();
        var byDay = new TreeMap<String, Long>();
        long rest = points;
        var spendable = lots.stream().filter(l -> l.pointsLeft() > 0 && l.expiresAt().isAfter(at))
                .sorted(Comparator.comparing(Lot::expiresAt).thenComparing(Lot::id)).toList();
        for (var lot : spendable) {
            if (rest == 0 || changes.size() == maxLots) {
                break;
            }
            long take = Math.min(rest, lot.pointsLeft());
            changes.add(new LotChange(lot, lot.withPointsLeft(lot.pointsLeft() - take)));
            byDay.merge(lot.expiryDate(), take, Long::sum);
            rest -= take;
        }
        return new Spending(changes, byDay, points - rest);
    }

    /** Everything the spendable {@code lots} hold at {@code at}. */
    static long spendable(Collection<Lot> lots, Instant at) {
        return lots.stream().filter(l -> l.pointsLeft() > 0 && l.expiresAt().isAfter(at)).mapToLong(Lot::pointsLeft).sum();
    }

    /** This and {@code other} (lots taken from by neither twice). */
    Spending plus(Spending other) {
        var changes = new ArrayList<>(this.changes);
        changes.addAll(other.changes);
        var days = new TreeMap<>(byDay);
        other.byDay.forEach((day, p) -> days.merge(day, p, Long::sum));
        return new Spending(changes, days, taken + other.taken);
    }
}
