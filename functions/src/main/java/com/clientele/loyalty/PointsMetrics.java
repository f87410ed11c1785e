package com.clientele.loyalty;

import com.clientele.loyalty.PointsStore.PointsWrite;
import com.clientele.shared.metrics.MetricRecord;
import java.util.List;

/**
 * The points a committed change moved, by the kind of its statement lines: {@code PointsEarned}
 * (charges' lots and referral bonuses), {@code PointsRedeemed}, {@code PointsExpired},
 * {@code PointsClawedBack} (refunds) and {@code PointsAdjusted} (signed), each a positive amount but
 * the last. A kind the change did not move is left out; the tenant is a property.
 */
final class PointsMetrics {

    private PointsMetrics() {
    }

    static MetricRecord of(String tenant, List<PointsWrite> writes) {
        long earned = 0;
        long redeemed = 0;
        long expired = 0;
        long clawedBack = 0;
        long adjusted = 0;
        boolean adjustment = false;
        for (var write : writes) {
            for (var line : write.lines()) {
                switch (line.type()) {
                    case StatementLine.EARN, StatementLine.TIER, StatementLine.REFERRAL -> earned += line.points();
                    case StatementLine.REDEEM -> redeemed -= line.points();
                    case StatementLine.EXPIRE -> expired -= line.points();
                    case StatementLine.CLAWBACK -> clawedBack -= line.points();
                    case StatementLine.ADJUST -> {
                        adjusted += line.points();
                        adjustment = true;
                    }
                    default -> { } // a kind added later counts nowhere until it is named here
                }
            }
        }
        var record = MetricRecord.of().property("tenantId", tenant);
        add(record, "PointsEarned", earned);
        add(record, "PointsRedeemed", redeemed);
        add(record, "PointsExpired", expired);
        add(record, "PointsClawedBack", clawedBack);
        if (adjustment) {
            record.add("PointsAdjusted", adjusted, MetricRecord.Unit.COUNT);
        }
        return record;
    }

    private static void add(MetricRecord record, String name, long points) {
        if (points > 0) {
            record.add(name, points, MetricRecord.Unit.COUNT);
        }
    }
}
