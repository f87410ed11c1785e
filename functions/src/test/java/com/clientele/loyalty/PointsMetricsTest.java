package com.clientele.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.loyalty.PointsStore.PointsWrite;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PointsMetricsTest {

    private static final Instant AT = Instant.parse("2026-12-01T09:00:00Z");

    private static StatementLine line(String type, long points) {
        return new StatementLine(type, AT, "lot_1", null, null, "pay_1", null, "2027-12-01", points, 0L, null, null, null);
    }

    private static PointsWrite write(StatementLine... lines) {
        return new PointsWrite("cus_1", "entry", null, Balance.EMPTY, Balance.EMPTY, List.of(), List.of(lines));
    }

    @Test
    void eachKindOfLineCountsItsPointsAsAPositiveAmountAndAdjustmentsSigned() {
        var record = PointsMetrics.of("acme", List.of(
                write(line(StatementLine.EARN, 89), line(StatementLine.REFERRAL, 500)),
                write(line(StatementLine.REDEEM, -30), line(StatementLine.REDEEM, -10)),
                write(line(StatementLine.EXPIRE, -7), line(StatementLine.CLAWBACK, -20), line(StatementLine.ADJUST, -5))));
        assertThat(record.value("PointsEarned")).isEqualTo(589);
        assertThat(record.value("PointsRedeemed")).isEqualTo(40);
        assertThat(record.value("PointsExpired")).isEqualTo(7);
        assertThat(record.value("PointsClawedBack")).isEqualTo(20);
        assertThat(record.value("PointsAdjusted")).isEqualTo(-5);
        assertThat(record.properties()).containsEntry("tenantId", "acme");
        assertThat(record.dimensions()).isEmpty();
    }

    @Test
    void kindsAChangeDidNotMoveAreLeftOut() {
        var record = PointsMetrics.of("acme", List.of(write(line(StatementLine.EARN, 0))));
        assertThat(record.metrics()).isEmpty();
    }
}
